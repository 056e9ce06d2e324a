using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Accuracy of trained models on whole held-out simulated tomograms, measured exactly as a user
/// would with <c>sxtseg segment TOMO --out D</c> (default options unless given: the model's
/// threshold, automatic polarity, rescaling outside the model's voxel-size range) followed by
/// <c>sxtseg evaluate --pred D/labels.mrc --truth SIM/membranes.mrc</c> (the simulation's
/// ignore.mrc is used, so the primary scores are on visible membranes; all-membrane scores beside),
/// run in-process through the same library calls. Voxel counts are pooled per instrument profile
/// and per group (in-domain, held-out). Tolerance: a voxel within Euclidean distance 1 in 3D.
/// Args: MODEL[,MODEL...] SIM[,SIM...] [--workers 2] [--heldout diamond-b24] [--json FILE] [--objects]
/// [--polarity auto|dense-bright|dense-dark] [--threshold P] [--invert] [--no-scale-search]
/// [--tta 1|2|4|8] [--fuse-axes] (as segment's options of the same names)
/// (--invert: evaluate the negated tomograms; --no-scale-search: as segment --no-scale-search).
/// </summary>
public sealed class ModelEvalBench : IBenchmark
{
    public string Name => "model-eval";

    public string Description => "segment + evaluate (visible and all membranes, ±1 voxel, objects) of models on whole simulated tomograms";

    private sealed record Row(string Model, string Sim, string Instrument, bool HeldOut, MethodScores Scores, double Seconds, string Polarity);

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: model-eval MODEL[,MODEL...] SIM[,SIM...] [--workers 2] [--heldout diamond-b24] [--json FILE] [--objects] [--polarity P] [--threshold P] [--invert] [--resolution-from-truth | --factor F] [--no-scale-search] [--tta N] [--fuse-axes]");
            return 2;
        }
        var models = args[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sims = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        int workers = 2;
        bool objects = false, invert = false, resolutionFromTruth = false, scaleSearch = true;
        double? threshold = null, factor = null;
        int tta = 1;
        bool fuseAxes = false;
        var polarity = Polarity.Auto;
        var heldOut = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "diamond-b24" };
        string? jsonPath = null;
        for (int i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workers": workers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--heldout": heldOut = new HashSet<string>(args[++i].Split(','), StringComparer.OrdinalIgnoreCase); break;
                case "--json": jsonPath = args[++i]; break;
                case "--objects": objects = true; break;
                case "--invert": invert = true; break;
                case "--resolution-from-truth": resolutionFromTruth = true; break;
                case "--factor": factor = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-scale-search": scaleSearch = false; break;
                case "--polarity": polarity = PolarityDecision.Parse(args[++i]); break;
                case "--threshold": threshold = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tta": tta = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--fuse-axes": fuseAxes = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (factor is double fc && (!(fc > 0) || resolutionFromTruth))
        {
            Console.Error.WriteLine("--factor needs a positive number, and not --resolution-from-truth too");
            return 2;
        }
        var rows = new List<Row>();
        string scratch = Path.Combine(Path.GetTempPath(), $"sxtseg-model-eval-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            foreach (string model in models)
            {
                using var loaded = SegmentationModel.Load(model, workers, new InferenceOptions());
                string label = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(model)))}/{Path.GetFileName(model)}";
                Console.WriteLine($"# {label}: {loaded.Id} — {loaded.Description}, threshold {loaded.Threshold:0.00}");
                foreach (string sim in sims)
                {
                    string instrument = SimulationResult.ReadInstrument(sim) ?? "simulated";
                    string name = Path.GetFileName(Path.GetFullPath(sim));
                    string tomo = Path.Combine(sim, "tomogram.mrc");
                    if (invert) tomo = Negated(tomo, Path.Combine(scratch, name + "-negated.mrc"));
                    string outDir = Path.Combine(scratch, name);
                    if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
                    var simResolution = SimulationResult.ReadResolution(sim);
                    var sw = Stopwatch.StartNew();
                    var summary = Segmenter.Run(tomo, outDir, loaded, new SegmentOptions
                    {
                        Threshold = threshold, Polarity = polarity, ScaleSearch = scaleSearch,
                        Tiles = new TileOptions { Augmentations = tta }, FuseAxes = fuseAxes,
                        // as a user who knows the zone plate would run it: segment --resolution R
                        // --factor F: the in-plane scale forced to F (1 when F falls inside the model's resolution range)
                        ResolutionNm = factor is double f && loaded.Resolution is { } tr && simResolution is { } rv
                            ? tr.Median * rv.VoxelNm / f
                            : resolutionFromTruth ? simResolution?.ResolutionNm : null,
                    }, new Provenance("model-eval"));
                    double seconds = sw.Elapsed.TotalSeconds;
                    string truth = Path.Combine(sim, "membranes.mrc");
                    var request = new EvaluationRequest
                    {
                        Prediction = Path.Combine(outDir, SegmentationFiles.LabelsMrc), Truth = truth, Objects = objects,
                        Ignore = EvaluationRequest.FindIgnore(truth, null, false),
                    };
                    var result = EvaluationRun.Run(request, null, new Provenance("model-eval"));
                    var row = new Row(label, name, instrument, heldOut.Contains(instrument), result.Methods[0], seconds, summary.Polarity?.Name ?? "?");
                    rows.Add(row);
                    Console.WriteLine(Format($"{name} ({instrument}, {row.Polarity})", row.Scores.Voxels, row.Scores.AllMembranes, row.Scores.Objects, row.Scores.Organelles)
                        + string.Create(CultureInfo.InvariantCulture, $"  scale {summary.Scale:0.00}  {seconds:0.0} s"));
                    Directory.Delete(outDir, true);
                }
                foreach (var group in rows.Where(r => r.Model == label).GroupBy(r => r.Instrument).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    Console.WriteLine(Pooled($"POOLED {group.Key}", group.ToList()));
                    foreach (string line in PooledStructures(group.ToList())) Console.WriteLine(line);
                }
                foreach (bool ho in new[] { false, true })
                {
                    var g = rows.Where(r => r.Model == label && r.HeldOut == ho).ToList();
                    if (g.Count > 0) Console.WriteLine(Pooled(ho ? "POOLED held-out" : "POOLED in-domain", g));
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
        if (jsonPath is not null)
        {
            var arr = new JsonArray();
            foreach (var r in rows)
            {
                var v = r.Scores.Voxels;
                var o = new JsonObject
                {
                    ["model"] = r.Model, ["sim"] = r.Sim, ["instrument"] = r.Instrument, ["held_out"] = r.HeldOut, ["polarity"] = r.Polarity, ["seconds"] = r.Seconds,
                    ["visible"] = Counts(v),
                    ["thickness_ratio"] = double.IsFinite(r.Scores.ThicknessRatio) ? r.Scores.ThicknessRatio : null,
                };
                if (r.Scores.AllMembranes is { } a) o["all"] = Counts(a);
                if (r.Scores.Objects is { } ob) o["objects"] = new JsonObject { ["truth"] = ob.TruthObjects, ["predicted"] = ob.PredictedObjects, ["matched"] = ob.Matched, ["matched_tolerant"] = ob.MatchedTolerant };
                if (r.Scores.Organelles is { } org) o["organelles"] = new JsonObject { ["instances"] = org.Instances, ["traced"] = org.Recovered };
                if (r.Scores.Structures is { } st)
                {
                    var byClass = new JsonObject();
                    foreach (var c in st) byClass[c.Class] = new JsonObject { ["visible"] = c.Visible, ["traced"] = c.Traced };
                    o["structures"] = byClass;
                }
                arr.Add(o);
            }
            File.WriteAllText(jsonPath, arr.ToJsonString());
        }
        return 0;
    }

    private static JsonObject Counts(VoxelEvaluation v) => new()
    {
        ["tp"] = v.Exact.TruePositives, ["fp"] = v.Exact.FalsePositives, ["fn"] = v.Exact.FalseNegatives,
        ["predicted"] = v.Tolerant.Predicted, ["predicted_near_truth"] = v.Tolerant.PredictedNearTruth,
        ["truth"] = v.Tolerant.Truth, ["truth_near_prediction"] = v.Tolerant.TruthNearPrediction,
    };

    /// <summary>Writes −tomogram (same header) for the polarity check.</summary>
    private static string Negated(string path, string dest)
    {
        using var r = VolumeIO.OpenRead(path);
        using var w = VolumeIO.Create(dest, r.Info, new Provenance("model-eval:negated"));
        var buf = new float[r.Info.SliceLength];
        for (int z = 0; z < r.Info.Nz; z++)
        {
            r.ReadSlice<float>(z, buf);
            for (int i = 0; i < buf.Length; i++) buf[i] = -buf[i];
            w.WriteSlice<float>(buf);
        }
        w.Commit();
        return dest;
    }

    private static string Pooled(string what, List<Row> g)
    {
        var vis = g.Skip(1).Aggregate(g[0].Scores.Voxels.Tolerant, (a, r) => a + r.Scores.Voxels.Tolerant);
        var visEx = g.Aggregate(default(Confusion), (a, r) => a + r.Scores.Voxels.Exact);
        TolerantScore? all = g.All(r => r.Scores.AllMembranes is not null) ? g.Skip(1).Aggregate(g[0].Scores.AllMembranes!.Tolerant, (a, r) => a + r.Scores.AllMembranes!.Tolerant) : null;
        int truthObj = g.Sum(r => r.Scores.Objects?.TruthObjects ?? 0), matched = g.Sum(r => r.Scores.Objects?.Matched ?? 0), matchedTol = g.Sum(r => r.Scores.Objects?.MatchedTolerant ?? 0);
        int organelles = g.Sum(r => r.Scores.Organelles?.Instances ?? 0), traced = g.Sum(r => r.Scores.Organelles?.Recovered ?? 0);
        double thick = g.Select(r => r.Scores.ThicknessRatio).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        return string.Create(CultureInfo.InvariantCulture,
            $"  {what,-40} visible ±1: P {100 * vis.Precision:0.0} R {100 * vis.Recall:0.0} F1 {100 * vis.F1:0.0} FP%truth {vis.FalsePositivePercentOfTruth:0.0} Dice {100 * visEx.F1:0.0} thick×{thick:0.00}")
            + (all is { } a ? string.Create(CultureInfo.InvariantCulture, $" | all ±1: P {100 * a.Precision:0.0} R {100 * a.Recall:0.0} F1 {100 * a.F1:0.0}") : "")
            + (truthObj > 0 ? string.Create(CultureInfo.InvariantCulture, $" | objects matched {matched}/{truthObj} ({100.0 * matched / truthObj:0.0} %), ±1 {matchedTol}/{truthObj} ({100.0 * matchedTol / truthObj:0.0} %)") : "")
            + (organelles > 0 ? string.Create(CultureInfo.InvariantCulture, $" | organelles traced {traced}/{organelles} ({100.0 * traced / organelles:0.0} %)") : "");
    }

    /// <summary>Recall by structure pooled over a group's tomograms (<see cref="StructureRecall"/>), with each class's share of the missed voxels.</summary>
    private static IEnumerable<string> PooledStructures(List<Row> g)
    {
        var visible = new Dictionary<string, long>(StringComparer.Ordinal);
        var traced = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in g)
            foreach (var c in r.Scores.Structures ?? [])
            {
                visible[c.Class] = visible.GetValueOrDefault(c.Class) + c.Visible;
                traced[c.Class] = traced.GetValueOrDefault(c.Class) + c.Traced;
            }
        long all = visible.Values.Sum(), missed = all - traced.Values.Sum();
        foreach (var (name, v) in visible.OrderByDescending(kv => kv.Value))
            yield return string.Create(CultureInfo.InvariantCulture,
                $"      {name,-24} {100.0 * v / all,5:0.0} % of visible membrane, recall {100.0 * traced[name] / v,5:0.0} %, {(missed > 0 ? 100.0 * (v - traced[name]) / missed : 0),5:0.0} % of the misses");
    }

    private static string Format(string what, VoxelEvaluation v, VoxelEvaluation? all, ObjectEvaluation? ob, InstanceRecovery? org) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  {what,-40} visible ±1: P {100 * v.Tolerant.Precision:0.0} R {100 * v.Tolerant.Recall:0.0} F1 {100 * v.Tolerant.F1:0.0} FP%truth {v.Tolerant.FalsePositivePercentOfTruth:0.0} Dice {100 * v.Exact.F1:0.0}")
        + (all is { } a ? string.Create(CultureInfo.InvariantCulture, $" | all ±1: P {100 * a.Tolerant.Precision:0.0} R {100 * a.Tolerant.Recall:0.0} F1 {100 * a.Tolerant.F1:0.0}") : "")
        + (ob is { } o ? string.Create(CultureInfo.InvariantCulture, $" | objects {o.Matched}/{o.TruthObjects}, ±1 {o.MatchedTolerant}/{o.TruthObjects}") : "")
        + (org is { } g ? string.Create(CultureInfo.InvariantCulture, $" | organelles traced {g.Recovered}/{g.Instances}") : "");
}
