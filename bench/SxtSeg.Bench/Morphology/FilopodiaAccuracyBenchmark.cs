using System.Diagnostics;
using System.Globalization;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

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
