using System.Diagnostics;
using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Filopodia on a network's labels, scored against simulations (issue 16's criterion on the default
/// model): <c>filopodia-model MODEL SIMDIR [SIMDIR ...] [--work DIR] [--body | --body-model BODY [--body-threshold P] [--body-pixel NM] | --filopodium-model FM [--filopodium-threshold P] | --filopodium-truth] [--fill auto|volume|slices] [--z-majority K] [options]</c>.
/// Each simulation's tomogram is segmented with MODEL (kept in --work DIR/NAME and reused when there),
/// <see cref="FilopodiaAnalysis"/> runs on the labels (with --body, the simulation's own cell body,
/// classes.mrc 3–10, as the cell mask: an oracle that separates the network's filopodium walls from
/// the filling of the cell), and recall, precision and median errors are printed per tomogram and pooled.
/// </summary>
public sealed class FilopodiaModelBenchmark : IBenchmark
{
    public string Name => "filopodia-model";

    public string Description => "filopodia recall, precision and errors on a model's labels of simulations (MODEL SIMDIR...)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args.Where(a => a is not ("--body" or "--filopodium-truth")).ToArray());
        if (pos.Count < 2)
        {
            Console.Error.WriteLine("usage: filopodia-model MODEL SIMDIR [SIMDIR ...] [--work DIR] [--body | --body-model BODY [--body-threshold P] [--body-pixel NM] | --filopodium-model FM [--filopodium-threshold P] | --filopodium-truth] [--fill auto|volume|slices] [--z-majority K] [--max-diameter NM] [--min-diameter NM] [--min-length NM] [--close N]");
            return 2;
        }
        string model = pos[0];
        var sims = pos.Skip(1).ToList();
        bool oracleBody = args.Contains("--body");
        string? bodyModel = FilopodiaArgs.Value(args, "--body-model");
        var bodyOptions = new CellBodyOptions { Threshold = FilopodiaArgs.Number(args, "--body-threshold"), PixelNm = FilopodiaArgs.Number(args, "--body-pixel") ?? CellBody.DefaultPixelNm };
        double interSum = 0, unionSum = 0;
        var options = FilopodiaArgs.Options(args);
        string work = FilopodiaArgs.Value(args, "--work") ?? Path.Combine(Path.GetTempPath(), "sxtseg-filopodia-model");
        Directory.CreateDirectory(work);
        SegmentationModel? loaded = null, loadedFilo = null;
        string? filopodiumModel = FilopodiaArgs.Value(args, "--filopodium-model");
        bool truthMask = args.Contains("--filopodium-truth");
        var all = new List<FilopodiumMatch>();
        int detections = 0, truePositives = 0;
        try
        {
            foreach (string sim in sims)
            {
                string name = Path.GetFileName(Path.GetFullPath(sim));
                string seg = Path.Combine(work, name);
                string labels = Path.Combine(seg, SegmentationFiles.LabelsMrc);
                if (!File.Exists(labels))
                {
                    loaded ??= SegmentationModel.Load(model, SegmentationModel.DefaultWorkers, new InferenceOptions());
                    var sw0 = Stopwatch.StartNew();
                    Segmenter.Run(Path.Combine(sim, "tomogram.mrc"), seg, loaded, new SegmentOptions(), new Provenance("bench filopodia-model"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: segmented with {Path.GetFileName(model)} in {sw0.Elapsed.TotalSeconds:F0} s → {labels}"));
                }
                string? body = oracleBody ? Body(sim, Path.Combine(work, name + "-body.mrc")) : null;
                var sw = Stopwatch.StartNew();
                using var mask = MaskStreams.FromReader(VolumeIO.OpenRead(labels), ForegroundRule.Binary);
                using var cellFile = body is null ? null : MaskStreams.FromReader(VolumeIO.OpenRead(body), ForegroundRule.NonZero);
                IMaskStream? cells = cellFile;
                if (bodyModel is not null)
                {
                    var swb = Stopwatch.StartNew();
                    using var tomo = VolumeIO.OpenRead(Path.Combine(sim, "tomogram.mrc"));
                    var found = CellBody.FromTomogram(tomo, bodyModel, bodyOptions);
                    var (inter, union) = Overlap(found.Mask, Path.Combine(sim, "classes.mrc"));
                    interSum += inter;
                    unionSum += union;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: body model {found.ModelId} (bin {found.Factor}, p > {found.Threshold:0.##}): IoU with the simulation's body {inter / Math.Max(1.0, union):P1}; {swb.Elapsed.TotalSeconds:F1} s"));
                    cells = found.Mask;
                }
                var voxel = mask.Info.VoxelSize ?? throw new InvalidOperationException($"{labels}: no voxel size");
                FilopodiaResult result;
                if (filopodiumModel is not null || truthMask)
                {
                    // Filopodia from a filopodium mask: the filopodium model's labels (or, with --filopodium-truth, the
                    // simulation's class 11: an oracle for the mask analysis); the membrane labels tell base from tip.
                    string filoLabels = truthMask ? ClassMask(sim, Path.Combine(work, name + "-class11.mrc")) : Path.Combine(work, name + "-filo", SegmentationFiles.LabelsMrc);
                    if (!File.Exists(filoLabels))
                    {
                        loadedFilo ??= SegmentationModel.Load(filopodiumModel!, SegmentationModel.DefaultWorkers, new InferenceOptions());
                        var sw1 = Stopwatch.StartNew();
                        Segmenter.Run(Path.Combine(sim, "tomogram.mrc"), Path.Combine(work, name + "-filo"), loadedFilo,
                            new SegmentOptions { ScaleSearch = false, Polarity = Polarity.DenseBright, Threshold = FilopodiaArgs.Number(args, "--filopodium-threshold") }, new Provenance("bench filopodia-model"));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: filopodia segmented with {Path.GetFileName(filopodiumModel)} in {sw1.Elapsed.TotalSeconds:F0} s → {filoLabels}"));
                    }
                    using var filo = MaskStreams.FromReader(VolumeIO.OpenRead(filoLabels), ForegroundRule.Binary);
                    result = FilopodiaMaskAnalysis.Run(filo, mask, voxel, options);
                }
                else
                    result = FilopodiaAnalysis.Run(mask, voxel, options, extras: new FilopodiaExtras { CellMask = cells });
                var acc = FilopodiaTruth.Compare(result, sim);
                var c = result.Counts;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {c.Candidates} protrusions, {c.Found} filopodia ({c.InSummary} in summary, {c.CutByFieldOfView} cut), rejected {c.Detached} detached / {c.TooShort} short / {c.TooThin} thin / {c.TooWide} wide; {sw.Elapsed.TotalSeconds:F1} s"));
                Console.WriteLine($"  cells: {result.OutsideRule}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  recall {acc.Recall:P0} ({acc.Found}/{acc.TruthCount}), precision {acc.Precision:P0} ({acc.TruePositives}/{acc.Detections}), median |error| volume {acc.MedianAbs(m => m.VolumeError):P1}"));
                foreach (var m in acc.Matches.Where(m => m.Scored))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    truth {m.Truth.Id,3} {m.Truth.Kind,-11} r {m.Truth.RadiusNm,5:F1} L {m.Truth.LengthNm,6:F0}: {(m.Found is null ? "MISSED" : $"found {m.Found.Id,3}")} vol {m.VolumeError,7:P1} area {m.AreaError,7:P1} axes {m.AxisError(0),6:P1} {m.AxisError(1),6:P1} {m.AxisError(2),6:P1} 2D {m.SecondAxis2DError,6:P1}"));
                all.AddRange(acc.Matches);
                detections += acc.Detections;
                truePositives += acc.TruePositives;
            }
        }
        finally
        {
            loaded?.Dispose();
            loadedFilo?.Dispose();
        }
        var pooled = new FilopodiaAccuracy(all, detections, truePositives);
        Console.WriteLine();
        if (bodyModel is not null) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# body mask IoU, pooled: {interSum / Math.Max(1.0, unionSum):P1}"));
        Console.WriteLine($"# pooled over {sims.Count} tomograms ({Path.GetFileName(model)}{(filopodiumModel is null ? "" : $", filopodia by {Path.GetFileName(filopodiumModel)}")}{(truthMask ? ", filopodia = the simulation's class 11" : "")}{(oracleBody ? ", simulation's cell body as the cell mask" : "")}{(bodyModel is null ? "" : $", cell body by {Path.GetFileName(bodyModel)}")}, fill {options.Fill.ToString().ToLowerInvariant()})");
        Console.Write(FilopodiaTruth.Markdown(pooled));
        return 0;
    }

    /// <summary>Voxels in both and in either of a mask and the simulation's cell body (classes 3–10 of classes.mrc).</summary>
    private static (long Intersection, long Union) Overlap(IMaskStream mask, string classesPath)
    {
        using var classes = VolumeIO.OpenRead(classesPath);
        var info = classes.Info;
        var a = new byte[info.SliceLength];
        var c = new byte[info.SliceLength];
        long inter = 0, union = 0;
        mask.Reset();
        for (int z = 0; z < info.Nz; z++)
        {
            mask.ReadNext(a);
            classes.ReadSlice<byte>(z, c);
            for (int i = 0; i < a.Length; i++)
            {
                bool t = c[i] is >= CellBody.FirstBodyClass and <= CellBody.LastBodyClass;
                bool f = a[i] != 0;
                if (t && f) inter++;
                if (t || f) union++;
            }
        }
        mask.Reset();
        return (inter, union);
    }

    /// <summary>The simulation's filopodia (class 11 of classes.mrc) as a 0/1 MRC.</summary>
    private static string ClassMask(string sim, string path)
        => ClassesAsMask(sim, path, c => c == FilopodiumModel.FilopodiumClass, "bench filopodia-model class 11");

    /// <summary>The simulation's cell body (classes 3–10 of classes.mrc: cytoplasm and organelles, not filopodia or gold) as a 0/1 MRC.</summary>
    private static string Body(string sim, string path)
        => ClassesAsMask(sim, path, c => c is >= CellBody.FirstBodyClass and <= CellBody.LastBodyClass, "bench filopodia-model body");

    /// <summary>The voxels of classes.mrc whose class passes <paramref name="keep"/>, as a 0/1 MRC (reused when the file exists).</summary>
    private static string ClassesAsMask(string sim, string path, Func<byte, bool> keep, string command)
    {
        if (File.Exists(path)) return path;
        using var classes = VolumeIO.OpenRead(Path.Combine(sim, "classes.mrc"));
        var info = classes.Info;
        var slice = new byte[info.SliceLength];
        using (var writer = VolumeIO.Create(path, info with { Type = VoxelType.UInt8 }, new Provenance(command)))
        {
            for (int z = 0; z < info.Nz; z++)
            {
                classes.ReadSlice<byte>(z, slice);
                for (int i = 0; i < slice.Length; i++) slice[i] = keep(slice[i]) ? (byte)1 : (byte)0;
                writer.WriteSlice<byte>(slice);
            }
            writer.Commit();
        }
        return path;
    }
}
