using System.Diagnostics;
using System.Globalization;
using SxtSeg.Simulation;

namespace SxtSeg.Bench;

/// <summary>Shared option parsing for the simulation benchmarks: --profile P --size XxYxZ --seed N --set k=v ...</summary>
internal static class SimArgs
{
    public static SimulationParameters Parse(string[] args, out Dictionary<string, string> extra)
    {
        extra = new Dictionary<string, string>();
        var p = SimulationParameters.FromProfile(Value(args, "--profile") ?? "alba-mistral");
        if (Value(args, "--size") is { } size)
        {
            var (x, y, z) = SimulationParameters.ParseSize(size);
            p = p with { Nx = x, Ny = y, Nz = z };
        }
        if (Value(args, "--seed") is { } seed) p = p with { Seed = long.Parse(seed, CultureInfo.InvariantCulture) };
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--set") p = SimulationParameterTable.Set(p, args[i + 1]);
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i] is not ("--profile" or "--size" or "--seed")) extra[args[i]] = args[i + 1];
        }
        return p;
    }

    public static string? Value(string[] args, string name)
    {
        for (int i = 0; i < args.Length - 1; i++) if (args[i] == name) return args[i + 1];
        return null;
    }
}

/// <summary>Simulates one tomogram and saves the folder (for looking at it).</summary>
public sealed class SimulatePreviewBenchmark : IBenchmark
{
    public string Name => "sim-preview";
    public string Description => "simulate one tomogram and save its folder: --profile P --size XxYxZ --seed N --out DIR [--set k=v]";

    public int Run(string[] args)
    {
        var p = SimArgs.Parse(args, out var extra);
        string outDir = extra.TryGetValue("--out", out var o) ? o : "sim-preview";
        var sw = Stopwatch.StartNew();
        var result = Simulator.Simulate(p);
        double t = sw.Elapsed.TotalSeconds;
        result.Save(outDir, new Provenance("bench sim-preview"));
        Console.WriteLine($"{p.Profile} {p.Nx}x{p.Ny}x{p.Nz}: simulated in {t:0.00} s, saved in {sw.Elapsed.TotalSeconds:0.00} s; {result.Objects.Count} objects in the field of view, {result.Phantom.Objects.Count} in the domain");
        Console.WriteLine("  timings: " + string.Join(", ", result.Timings.Select(kv => $"{kv.Key} {kv.Value:0.00} s")));
        SaveXz(result, Path.Combine(outDir, "xz.png"));
        foreach (var pl in result.Phantom.Placements)
            Console.WriteLine($"  {pl.Kind,-20} {pl.Count,6}  {pl.PlacedVolumeNm3 / Math.Max(pl.RequestedVolumeNm3, 1):P0} of requested volume");
        return 0;
    }

    /// <summary>x–z views through the middle row: reconstruction, phantom LAC, labels.</summary>
    internal static void SaveXz(SimulationResult r, string path)
    {
        int y = r.Tomogram.Ny / 2, nx = r.Tomogram.Nx, nz = r.Tomogram.Nz;
        var rec = new float[nx * nz];
        var lab = new byte[nx * nz];
        for (int z = 0; z < nz; z++)
        {
            r.Tomogram.Row(z, y).CopyTo(rec.AsSpan(z * nx, nx));
            r.Membranes.Row(z, y).CopyTo(lab.AsSpan(z * nx, nx));
        }
        var row = new PhantomRow(r.Phantom);
        new PhantomRenderer(r.Phantom).RenderRow(y, row, true);
        var lac = new float[nx * nz];
        for (int z = 0; z < nz; z++) row.Lac.AsSpan(z * row.Width + r.Phantom.MarginX, nx).CopyTo(lac.AsSpan(z * nx, nx));
        var g1 = SxtSeg.Imaging.SliceRenderer.ToGray(rec);
        var g2 = SxtSeg.Imaging.SliceRenderer.ToGray(lac);
        var o2 = SxtSeg.Imaging.SliceRenderer.Overlay(g2, lab, new SxtSeg.Imaging.Rgb(255, 40, 40), 0.5f);
        var o1 = SxtSeg.Imaging.SliceRenderer.GrayToRgb(g1);
        var rgb = new byte[nx * (2 * nz + 4) * 3];
        Array.Copy(o1, 0, rgb, 0, o1.Length);
        Array.Copy(o2, 0, rgb, (nz + 4) * nx * 3, o2.Length);
        int f = nz < 128 ? 3 : 1, h = 2 * nz + 4;
        var big = new byte[nx * f * h * f * 3];
        for (int yy = 0; yy < h * f; yy++)
            for (int xx = 0; xx < nx * f; xx++)
                for (int c = 0; c < 3; c++) big[(yy * nx * f + xx) * 3 + c] = rgb[((yy / f) * nx + xx / f) * 3 + c];
        SxtSeg.Imaging.Png.WriteRgb(path, nx * f, h * f, big);
    }
}
