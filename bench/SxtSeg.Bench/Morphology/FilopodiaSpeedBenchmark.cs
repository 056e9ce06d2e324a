using System.Diagnostics;
using System.Globalization;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>Command-line helpers shared by the filopodia benchmarks.</summary>
internal static class FilopodiaArgs
{
    public static string? Value(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static double? Number(string[] args, string name) => Value(args, name) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>Options from --max-diameter, --min-diameter, --min-length, --close, --max-membrane.</summary>
    public static FilopodiaOptions Options(string[] args)
    {
        var o = new FilopodiaOptions();
        if (Number(args, "--max-diameter") is { } a) o = o with { MaxDiameterNm = a };
        if (Number(args, "--min-diameter") is { } b) o = o with { MinDiameterNm = b };
        if (Number(args, "--min-length") is { } c) o = o with { MinLengthNm = c };
        if (Number(args, "--close") is { } d) o = o with { CloseSteps = (int)d };
        if (Number(args, "--max-membrane") is { } e) o = o with { MaxMembraneThicknessNm = e };
        if (Value(args, "--fill") is { } f) o = o with { Fill = Enum.Parse<FillMode>(f, ignoreCase: true) };
        if (Number(args, "--z-majority") is { } k) o = o with { ZMajority = (int)k };
        return o;
    }

    /// <summary>Positional arguments (those not an option or an option's value).</summary>
    public static List<string> Positional(string[] args)
    {
        var list = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--with-tomogram") continue; // a flag without a value
            if (args[i].StartsWith("--", StringComparison.Ordinal)) { i++; continue; }
            list.Add(args[i]);
        }
        return list;
    }

    /// <summary>Opens a label file as a membrane mask: binary by default, --select V for one value.</summary>
    public static FileMaskStream Open(string path, string[] args)
    {
        var rule = Number(args, "--select") is { } v ? ForegroundRule.Equal(v) : ForegroundRule.Binary;
        return MaskStreams.FromReader(VolumeIO.OpenRead(path), rule);
    }
}

/// <summary>
/// Time and peak memory of <see cref="FilopodiaAnalysis"/> on a label volume (the target: a
/// 1324 × 1284 × 350 volume in 2 minutes on 2 cores, under 2 GB):
/// <c>filopodia-speed LABELS [--repeats N] [--select V] [--filopodium-mask F [--mask-select V]] [options]</c>.
/// </summary>
public sealed class FilopodiaSpeedBenchmark : IBenchmark
{
    public string Name => "filopodia-speed";

    public string Description => "time and peak memory of filopodia detection and measurement on a label volume";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args);
        if (pos.Count != 1)
        {
            Console.Error.WriteLine("usage: filopodia-speed LABELS [--repeats N] [--select V] [options]  (e.g. the membranes.mrc of `sxtseg simulate DIR --size 1324x1284x350 --seed 70100 --set view-offset=1.0 --set filopodia-per-micron=1.0`)");
            return 2;
        }
        int repeats = (int)(FilopodiaArgs.Number(args, "--repeats") ?? 1);
        var options = FilopodiaArgs.Options(args);
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            using var mask = FilopodiaArgs.Open(pos[0], args);
            if (i == 0) Console.WriteLine($"input: {mask.Info}, {new FileInfo(pos[0]).Length / 1e6:F0} MB");
            var voxel = mask.Info.VoxelSize ?? throw new InvalidOperationException($"{pos[0]}: no voxel size");
            var stages = new StageTimes();
            var sw = Stopwatch.StartNew();
            FilopodiaResult result;
            if (FilopodiaArgs.Value(args, "--filopodium-mask") is { } filoPath)
            {
                // --filopodium-mask F: filopodia from a mask (FilopodiaMaskAnalysis); --mask-select V reads class V of F (e.g. 11 of classes.mrc)
                var rule = FilopodiaArgs.Number(args, "--mask-select") is { } mv ? ForegroundRule.Equal(mv) : ForegroundRule.Binary;
                using var filo = MaskStreams.FromReader(VolumeIO.OpenRead(filoPath), rule);
                result = FilopodiaMaskAnalysis.Run(filo, mask, voxel, options, stages);
            }
            else
                result = FilopodiaAnalysis.Run(mask, voxel, options, stages);
            times.Add(sw.Elapsed.TotalSeconds);
            var c = result.Counts;
            result = null!;
            GC.Collect(); // the next run starts from a clean heap (the workstation GC keeps garbage while RAM is free)
            GC.WaitForPendingFinalizers();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i + 1}: {sw.Elapsed.TotalSeconds:F1} s — {c.Candidates} protrusions, {c.Found} filopodia, {c.InSummary} in summary; stages: {stages}; peak RSS so far {Timing.PeakRssMiB():F0} MiB"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {Timing.Median(times):F1} s over {repeats} runs; peak RSS {Timing.PeakRssMiB():F0} MiB"));
        return 0;
    }

    /// <summary>Seconds from the end of one progress stage to the last report of the next.</summary>
    private sealed class StageTimes : IProgress<ProgressUpdate>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly List<(string Stage, double Last)> _stages = new();

        public void Report(ProgressUpdate value)
        {
            lock (_stages)
            {
                double t = _watch.Elapsed.TotalSeconds;
                int i = _stages.FindIndex(s => s.Stage == value.Stage);
                if (i < 0) _stages.Add((value.Stage, t));
                else _stages[i] = (value.Stage, t);
            }
        }

        public override string ToString()
        {
            var parts = new List<string>();
            double prev = 0;
            foreach (var (stage, last) in _stages)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{stage} {last - prev:F1} s"));
                prev = last;
            }
            return string.Join(", ", parts);
        }
    }
}
