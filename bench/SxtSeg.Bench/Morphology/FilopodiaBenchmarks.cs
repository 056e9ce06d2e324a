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
/// Detection and measurement accuracy of <see cref="FilopodiaAnalysis"/> against simulations:
/// <c>filopodia-accuracy LABELS SIMDIR [LABELS SIMDIR ...] [--out DIR] [--select V] [--with-tomogram] [options]</c>, where
/// LABELS is any membrane label volume of the simulation in SIMDIR (its exact membranes.mrc, or a
/// segmentation of its tomogram); LABELS "-" means SIMDIR/membranes.mrc; --with-tomogram also gives SIMDIR/tomogram.mrc to the analysis. Figures pooled over all pairs.
/// </summary>
public sealed class FilopodiaAccuracyBenchmark : IBenchmark
{
    public string Name => "filopodia-accuracy";

    public string Description => "filopodia recall, precision and measurement errors against simulations (LABELS SIMDIR pairs)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args);
        if (pos.Count < 2 || pos.Count % 2 != 0)
        {
            Console.Error.WriteLine("usage: filopodia-accuracy LABELS SIMDIR [LABELS SIMDIR ...] [--out DIR] [--select V] [--max-diameter NM] [--min-diameter NM] [--min-length NM] [--close N]");
            return 2;
        }
        var options = FilopodiaArgs.Options(args);
        string? outDir = FilopodiaArgs.Value(args, "--out");
        var all = new List<FilopodiumMatch>();
        int detections = 0, truePositives = 0;
        for (int p = 0; p < pos.Count; p += 2)
        {
            string sim = pos[p + 1];
            string labels = pos[p] == "-" ? Path.Combine(sim, "membranes.mrc") : pos[p];
            var sw = Stopwatch.StartNew();
            using var mask = FilopodiaArgs.Open(labels, args);
            var voxel = mask.Info.VoxelSize ?? throw new InvalidOperationException($"{labels}: no voxel size");
            using var tomogram = args.Contains("--with-tomogram") ? VolumeIO.OpenRead(Path.Combine(sim, "tomogram.mrc")) : null;
            var result = FilopodiaAnalysis.Run(mask, voxel, options, extras: new FilopodiaExtras { Tomogram = tomogram });
            double t = sw.Elapsed.TotalSeconds;
            var acc = FilopodiaTruth.Compare(result, sim);
            var c = result.Counts;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{labels} vs {sim}: {c.Candidates} protrusions, {c.Found} filopodia ({c.InSummary} in summary, {c.CutByFieldOfView} cut), rejected {c.Detached} detached / {c.TooShort} short / {c.TooThin} thin / {c.TooWide} wide; {t:F1} s"));
            Console.Write(FilopodiaTruth.Markdown(acc));
            foreach (var m in acc.Matches.Where(m => m.Scored))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  truth {m.Truth.Id,3} r {m.Truth.RadiusNm,5:F1} L {m.Truth.LengthNm,6:F0}: {(m.Found is null ? "MISSED" : $"found {m.Found.Id,3}")} vol {m.VolumeError,7:P1} area {m.AreaError,7:P1} axes {m.AxisError(0),6:P1} {m.AxisError(1),6:P1} {m.AxisError(2),6:P1} len {m.LengthError,6:P1} 2D {m.SecondAxis2DError,6:P1}"));
            foreach (var f in result.Filopodia.Where(f => f.InSummary && !acc.Matches.Any(m => ReferenceEquals(m.Found, f))))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  false positive {f.Id}: {f.VolumeNm3:G3} nm³, length {f.LengthNm:F0} nm, diameter {f.DiameterNm:F0} nm, base ({f.BaseNm.X:F0}, {f.BaseNm.Y:F0}, {f.BaseNm.Z:F0}) nm"));
            all.AddRange(acc.Matches);
            detections += acc.Detections;
            truePositives += acc.TruePositives;
            if (outDir is not null)
            {
                string dir = Path.Combine(outDir, $"pair{p / 2 + 1}");
                using var folder = OutputFolder.Create(dir);
                var prov = new Provenance("bench filopodia-accuracy").AddInput(labels).AddInput(sim);
                options.Record(prov);
                FilopodiaOutputs.Write(result, folder, prov);
                AtomicFile.WriteAllText(folder.File("truth_comparison.csv"), FilopodiaTruth.Csv(acc));
                AtomicFile.WriteAllText(folder.File("truth_comparison.md"), FilopodiaTruth.Markdown(acc));
                folder.Commit();
            }
        }
        var pooled = new FilopodiaAccuracy(all, detections, truePositives);
        Console.WriteLine();
        Console.WriteLine($"# pooled over {pos.Count / 2} tomograms");
        Console.Write(FilopodiaTruth.Markdown(pooled));
        return 0;
    }
}

/// <summary>
/// Time and peak memory of <see cref="FilopodiaAnalysis"/> on a label volume (the issue's target: a
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

/// <summary>Writes the intermediate masks (solid cells, protrusions) of a label volume as MRC files: <c>filopodia-masks LABELS OUTDIR [options]</c>.</summary>
public sealed class FilopodiaMasksBenchmark : IBenchmark
{
    public string Name => "filopodia-masks";

    public string Description => "write the solid-cell and protrusion masks of a label volume (for inspection)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args);
        if (pos.Count != 2) { Console.Error.WriteLine("usage: filopodia-masks LABELS OUTDIR [options]"); return 2; }
        using var mask = FilopodiaArgs.Open(pos[0], args);
        var voxel = mask.Info.VoxelSize ?? throw new InvalidOperationException("no voxel size");
        using var cellMask = FilopodiaArgs.Value(args, "--cell-mask") is { } cp ? MaskStreams.FromReader(VolumeIO.OpenRead(cp), ForegroundRule.NonZero) : null;
        var (cells, protrusions) = FilopodiaAnalysis.Masks(mask, voxel, FilopodiaArgs.Options(args), cellMask: cellMask);
        Directory.CreateDirectory(pos[1]);
        foreach (var (name, stream) in new[] { ("cells.mrc", cells), ("protrusions.mrc", protrusions) })
        {
            using var w = VolumeIO.Create(Path.Combine(pos[1], name), stream.Info with { Type = VoxelType.UInt8, VoxelSize = voxel });
            var buf = new byte[stream.Info.SliceLength];
            stream.Reset();
            for (int z = 0; z < stream.Info.Nz; z++) { stream.ReadNext(buf); w.WriteSlice<byte>(buf); }
            w.Commit();
        }
        return 0;
    }
}

/// <summary>
/// Errors on the synthetic cell edge of the tests (straight rods of known radius and length attached to a
/// slab): <c>filopodia-synthetic [--radius VOX] [--length VOX] [--angle DEG] [--elevation DEG] [--z VOX]</c>.
/// </summary>
public sealed class FilopodiaSyntheticBenchmark : IBenchmark
{
    public string Name => "filopodia-synthetic";

    public string Description => "filopodia measurement errors on the tests' synthetic cell edge with rods of known size";

    public int Run(string[] args)
    {
        double radius = FilopodiaArgs.Number(args, "--radius") ?? 6.5, length = FilopodiaArgs.Number(args, "--length") ?? 80;
        double[] angles = FilopodiaArgs.Value(args, "--angle") is { } a ? new[] { double.Parse(a, CultureInfo.InvariantCulture) } : new[] { 0.0, 20, 40 };
        double elev = (FilopodiaArgs.Number(args, "--elevation") ?? 4) * Math.PI / 180;
        double zOff = FilopodiaArgs.Number(args, "--z") ?? 0;
        foreach (double deg in angles)
        {
            double th = deg * Math.PI / 180;
            var rod = new SxtSeg.Tests.Measurement.FilopodiaScene.Rod(60, 20 + radius + 2 + zOff, -Math.Cos(th) * Math.Cos(elev), Math.Sin(th) * Math.Cos(elev), Math.Sin(elev), length, radius);
            var scene = new SxtSeg.Tests.Measurement.FilopodiaScene(200, 120 + (int)(length * Math.Sin(th)), 90, 150, 20, 46, new[] { rod });
            var membranes = scene.Membranes();
            if (FilopodiaArgs.Value(args, "--write") is { } dir)
            {
                Directory.CreateDirectory(dir);
                VolumeIO.Write(Path.Combine(dir, $"scene{deg}.mrc"), membranes);
            }
            var result = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(scene.VoxelNm), FilopodiaArgs.Options(args));
            if (FilopodiaArgs.Value(args, "--write") is { } dir2) FilopodiaOutputs.WriteLabels(result, Path.Combine(dir2, $"filopodia{deg}.mrc"), new Provenance("bench"));
            double v3 = Math.Pow(scene.VoxelNm, 3), v2 = scene.VoxelNm * scene.VoxelNm;
            long inst = scene.InstanceVoxels(0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"angle {deg}°: {result.Counts.Found} found; instance voxels vs analytic volume {inst / rod.Volume - 1:P2}"));
            foreach (var f in result.Filopodia)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  volume {f.VolumeNm3 / (rod.Volume * v3) - 1:P2} area {f.SurfaceAreaNm2 / (rod.Area * v2) - 1:P2} length {f.LengthNm / (rod.TotalLength * scene.VoxelNm) - 1:P2} (base area {f.BaseAreaNm2 / v2:F0} vs πr² {Math.PI * radius * radius:F0}); base ({f.BaseNm.X / scene.VoxelNm:F1}, {f.BaseNm.Y / scene.VoxelNm:F1}, {f.BaseNm.Z / scene.VoxelNm:F1}) tip ({f.TipNm.X / scene.VoxelNm:F1}, {f.TipNm.Y / scene.VoxelNm:F1}, {f.TipNm.Z / scene.VoxelNm:F1}); true base ({scene.EdgeX:F1}, {rod.Y:F1}, {rod.Z:F1}) tip ({scene.EdgeX + rod.Dx * rod.TotalLength:F1}, {rod.Y + rod.Dy * rod.TotalLength:F1}, {rod.Z + rod.Dz * rod.TotalLength:F1})"));
        }
        return 0;
    }
}
