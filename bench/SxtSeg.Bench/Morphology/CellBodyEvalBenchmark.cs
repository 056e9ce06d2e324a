using System.Diagnostics;
using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// A body model against simulations: <c>cell-body-eval BODYMODEL SIMDIR [SIMDIR ...] [--thresholds 0.2,0.3,...] [--pixel NM]</c>.
/// For each simulation the tomogram is binned and labelled (<see cref="CellBody"/>), and the cleaned mask is scored
/// against the binned body (classes 3–10, at least half of a block) at each threshold: IoU, precision, recall;
/// also the model's own threshold at full size (the mask `sxtseg filopodia` uses) against the exact body.
/// </summary>
public sealed class CellBodyEvalBenchmark : IBenchmark
{
    public string Name => "cell-body-eval";

    public string Description => "IoU, precision and recall of a cell-body model's mask against simulations (BODYMODEL SIMDIR...)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args.Where(a => a != "--per-slice").ToArray());
        if (pos.Count < 2)
        {
            Console.Error.WriteLine("usage: cell-body-eval BODYMODEL SIMDIR [SIMDIR ...] [--thresholds 0.2,0.3,0.4,0.5,0.6] [--pixel NM] [--min-fraction F] [--per-slice]");
            return 2;
        }
        var thresholds = (FilopodiaArgs.Value(args, "--thresholds") ?? "0.2,0.3,0.4,0.5,0.6,0.7").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        double pixel = FilopodiaArgs.Number(args, "--pixel") ?? CellBody.DefaultPixelNm;
        double minFraction = FilopodiaArgs.Number(args, "--min-fraction") ?? 0.1;
        using var model = SegmentationModel.Load(pos[0], 1, new InferenceOptions { Threads = 1 });
        var pooled = new long[thresholds.Length, 3];
        long fi = 0, ff = 0, ft = 0;
        foreach (string sim in pos.Skip(1))
        {
            string name = Path.GetFileName(Path.GetFullPath(sim).TrimEnd('/'));
            var sw = Stopwatch.StartNew();
            using var tomogram = VolumeIO.OpenRead(Path.Combine(sim, "tomogram.mrc"));
            using var classes = VolumeIO.OpenRead(Path.Combine(sim, "classes.mrc"));
            int factor = CellBody.BinFactor(tomogram.Info.VoxelSize!.Value.X, pixel);
            var binned = CellBody.BinVolume(tomogram, factor);
            var truth = CellBody.BinBody(classes, factor);
            var p = CellBody.Predict(binned, model);
            double seconds = sw.Elapsed.TotalSeconds;
            var line = new List<string>();
            for (int k = 0; k < thresholds.Length; k++)
            {
                var clean = CellBody.Clean(p, thresholds[k], minFraction);
                long i = 0, f = 0, t = 0;
                for (long v = 0; v < clean.Data.LongLength; v++)
                {
                    if (clean.Data[v] != 0) f++;
                    if (truth.Data[v] != 0) t++;
                    if (clean.Data[v] != 0 && truth.Data[v] != 0) i++;
                }
                pooled[k, 0] += i; pooled[k, 1] += f; pooled[k, 2] += t;
                line.Add(Score(thresholds[k], i, f, t));
            }
            if (args.Contains("--per-slice"))
            {
                var c = CellBody.Clean(p, model.Threshold, minFraction);
                int n = c.SliceLength;
                for (int z = 0; z < c.Nz; z++)
                {
                    int ti = 0, tf = 0, tt = 0;
                    var cs = c.Slice(z);
                    var ts = truth.Slice(z);
                    for (int k = 0; k < n; k++)
                    {
                        if (cs[k] != 0) tf++;
                        if (ts[k] != 0) tt++;
                        if (cs[k] != 0 && ts[k] != 0) ti++;
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  z {z,3}: truth {tt,5} found {tf,5} both {ti,5}"));
                }
            }
            // full size, the model's threshold
            var result = new CellBodyResult(CellBody.UpsampledMask(p, CellBody.Clean(p, model.Threshold, minFraction), model.Threshold, factor, tomogram.Info),
                truth, p, factor, model.Threshold, model.Id, minFraction);
            var (fi1, ff1, ft1) = Full(result.Mask, classes);
            fi += fi1; ff += ff1; ft += ft1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} (bin {factor}, {seconds:F1} s): binned {string.Join("; ", line)}"));
            Console.WriteLine("  full size at the model's threshold: " + Score(model.Threshold, fi1, ff1, ft1));
        }
        Console.WriteLine();
        Console.WriteLine($"# pooled over {pos.Count - 1} simulations, body model {model.Id}");
        for (int k = 0; k < thresholds.Length; k++) Console.WriteLine("binned " + Score(thresholds[k], pooled[k, 0], pooled[k, 1], pooled[k, 2]));
        Console.WriteLine("full size at the model's threshold: " + Score(model.Threshold, fi, ff, ft));
        return 0;
    }

    private static string Score(double t, long inter, long found, long truth) => string.Create(CultureInfo.InvariantCulture,
        $"p > {t:0.##}: IoU {(double)inter / Math.Max(1, found + truth - inter):P1} P {(double)inter / Math.Max(1, found):P1} R {(double)inter / Math.Max(1, truth):P1}");

    private static (long Inter, long Found, long Truth) Full(SxtSeg.Morphology.IMaskStream mask, IVolumeReader classes)
    {
        var info = classes.Info;
        var a = new byte[info.SliceLength];
        var c = new byte[info.SliceLength];
        long i = 0, f = 0, t = 0;
        mask.Reset();
        for (int z = 0; z < info.Nz; z++)
        {
            mask.ReadNext(a);
            classes.ReadSlice<byte>(z, c);
            for (int k = 0; k < a.Length; k++)
            {
                bool tt = c[k] is >= CellBody.FirstBodyClass and <= CellBody.LastBodyClass, ft = a[k] != 0;
                if (ft) f++;
                if (tt) t++;
                if (tt && ft) i++;
            }
        }
        return (i, f, t);
    }
}
