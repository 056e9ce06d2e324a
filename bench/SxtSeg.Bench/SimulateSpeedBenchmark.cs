using System.Diagnostics;
using System.Globalization;
using SxtSeg.Simulation;

namespace SxtSeg.Bench;

/// <summary>End-to-end simulation speed (in memory, then saving): medians over repeats, with stage times.</summary>
public sealed class SimulateSpeedBenchmark : IBenchmark
{
    public string Name => "sim-speed";
    public string Description => "simulation speed: --profile P --size XxYxZ [--repeats N] [--set reconstruction=sirt] [--save DIR]";

    public int Run(string[] args)
    {
        var p = SimArgs.Parse(args, out var extra);
        if (SimArgs.Value(args, "--size") is null) p = p with { Nx = 512, Ny = 512, Nz = 256 };
        int repeats = extra.TryGetValue("--repeats", out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
        var totals = new List<double>();
        var stages = new Dictionary<string, List<double>>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            var result = Simulator.Simulate(p);
            double sim = sw.Elapsed.TotalSeconds;
            double save = 0;
            if (extra.TryGetValue("--save", out var dir))
            {
                var s2 = Stopwatch.StartNew();
                result.Save(dir, new Provenance("bench sim-speed"));
                save = s2.Elapsed.TotalSeconds;
            }
            totals.Add(sim + save);
            foreach (var kv in result.Timings) (stages.TryGetValue(kv.Key, out var l) ? l : stages[kv.Key] = new List<double>()).Add(kv.Value);
            (stages.TryGetValue("save", out var ls) ? ls : stages["save"] = new List<double>()).Add(save);
            Console.WriteLine($"run {i + 1}: {sim + save:0.00} s (simulate {sim:0.00} s, save {save:0.00} s); " + string.Join(", ", result.Timings.Select(kv => $"{kv.Key} {kv.Value:0.00}")));
        }
        Console.WriteLine($"{p.Profile} {p.Nx}x{p.Ny}x{p.Nz} {p.Reconstruction.ToString().ToUpperInvariant()}{(p.Reconstruction == ReconstructionMethod.Sirt ? $" ({p.SirtIterations} it.)" : "")}, {p.TiltAngles().Length} projections: median {Timing.Median(totals):0.00} s over {repeats} runs; stage medians: "
            + string.Join(", ", stages.Select(kv => $"{kv.Key} {Timing.Median(kv.Value):0.00}")) + $"; peak RSS {Timing.PeakRssMiB():0} MiB");
        return 0;
    }
}
