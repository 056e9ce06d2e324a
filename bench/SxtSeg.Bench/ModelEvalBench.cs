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
/// Accuracy of trained models on whole held-out simulated tomograms (simulator output folders:
/// tomogram.mrc + membranes.mrc + truth.json), predicted as the segmentation stage does it: the
/// lead's <see cref="TomogramPredictor"/> (x–y slices, tiles with a Gaussian blending window,
/// N workers each with its own single-threaded <see cref="LabelPredictor"/>), thresholded at
/// p &gt; <c>threshold</c> (tanh &gt; 0 for 0.5, the published rule), no post-processing; scored
/// with <see cref="SegmentationEvaluator"/> (exact counts = Dice, and 1-voxel tolerance).
/// Results are pooled (voxel counts summed) per group: in-domain profiles and held-out profiles.
/// Args: MODEL[,MODEL...] SIM[,SIM...] [--workers 2] [--tile 256] [--overlap 64] [--tta 1]
/// [--thresholds 0.5[,0.4,...]] [--heldout diamond-b24] [--json FILE] [--tolerance 1] [--slices N]
/// (--slices: only the central N slices of each tomogram, for quicker comparisons).
/// </summary>
public sealed class ModelEvalBench : IBenchmark
{
    public string Name => "model-eval";

    public string Description => "membrane precision/recall/F1 (1-voxel tolerance) and Dice of models on whole simulated tomograms";

    private sealed record Row(string Model, string Sim, string Instrument, bool HeldOut, double Threshold, Confusion Exact, TolerantScore Tolerant, double Seconds, double NetworkSeconds, long Pixels);

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: model-eval MODEL[,MODEL...] SIM[,SIM...] [--workers 2] [--tile 256] [--overlap 64] [--tta 1] [--thresholds 0.5] [--heldout diamond-b24] [--json FILE]");
            return 2;
        }
        var models = args[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sims = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        int workers = 2, tile = 256, overlap = 64, tta = 1, tolerance = 1, maxSlices = int.MaxValue;
        double[] thresholds = { 0.5 };
        var heldOut = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "diamond-b24" };
        string? jsonPath = null;
        for (int i = 2; i < args.Length; i += 2)
        {
            string v = args[i + 1];
            switch (args[i])
            {
                case "--workers": workers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--tile": tile = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--overlap": overlap = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--tta": tta = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--tolerance": tolerance = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--thresholds": thresholds = v.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--heldout": heldOut = new HashSet<string>(v.Split(','), StringComparer.OrdinalIgnoreCase); break;
                case "--json": jsonPath = v; break;
                case "--slices": maxSlices = int.Parse(v, CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var rows = new List<Row>();
        var tileOptions = new TileOptions { TileSize = tile, Overlap = overlap, BatchSize = 1, Augmentations = tta };
        foreach (string model in models)
        {
            var predictors = Enumerable.Range(0, workers).Select(_ => LabelPredictor.Load(model, new InferenceOptions { Threads = 1 })).ToArray();
            var card = predictors[0].Card;
            string label = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(model)))}/{Path.GetFileName(model)}";
            Console.WriteLine($"# {label}: {card} — {card.Network.Describe()}");
            foreach (string sim in sims)
            {
                string instrument = SimulationResult.ReadInstrument(sim) ?? "simulated";
                using var reader = VolumeIO.OpenRead(Path.Combine(sim, "tomogram.mrc"));
                var info = reader.Info;
                // The store's files are unique and unlinked at once: nothing is left in the temp folder.
                using var store = new ProbabilityStore(Path.GetTempPath(), info.Nx, info.Ny, info.Nz, 1);
                var tp = new TomogramPredictor(predictors.Select(p => (ITilePredictor)new NetworkTilePredictor(p)).ToArray(), tileOptions,
                    (s, nx, ny) => predictors[0].Normalisation.Apply(s, nx, ny));
                var sw = Stopwatch.StartNew();
                int nz = Math.Min(maxSlices, info.Nz), z0 = (info.Nz - nz) / 2;
                var timing = tp.PredictXy(reader, z0, z0 + nz, store, 0);
                double seconds = sw.Elapsed.TotalSeconds;
                var truthAll = VolumeIO.Read<byte>(Path.Combine(sim, "membranes.mrc"));
                var truth = new Volume<byte>(info.Nx, info.Ny, nz);
                for (int z = 0; z < nz; z++) truthAll.Slice(z0 + z).CopyTo(truth.Slice(z));
                var prob = new byte[info.Nx * info.Ny];
                foreach (double th in thresholds)
                {
                    var pred = new Volume<byte>(info.Nx, info.Ny, nz);
                    // Stored bytes are round(255·p): p > th ⇔ byte > 255·th (exact at the byte grid).
                    double cut = 255 * th;
                    for (int z = 0; z < nz; z++)
                    {
                        store.ReadRows(0, z0 + z, 0, info.Ny, prob);
                        var dst = pred.Slice(z);
                        for (int i = 0; i < prob.Length; i++) dst[i] = prob[i] > cut ? (byte)1 : (byte)0;
                    }
                    var ev = SegmentationEvaluator.Evaluate(pred, truth, tolerance);
                    var row = new Row(label, Path.GetFileName(Path.GetFullPath(sim)), instrument, heldOut.Contains(instrument), th, ev.Exact, ev.Tolerant, seconds,
                        timing.Network.TotalSeconds / workers, timing.Pixels);
                    rows.Add(row);
                    Console.WriteLine(Format(row.Sim + $" ({instrument})", th, row.Exact, row.Tolerant) + string.Create(CultureInfo.InvariantCulture,
                        $"  {timing.Pixels / seconds / 1e6:0.00} Mpx/s end to end"));
                }
            }
            foreach (double th in thresholds)
            {
                foreach (bool ho in new[] { false, true })
                {
                    var g = rows.Where(r => r.Model == label && r.Threshold == th && r.HeldOut == ho).ToList();
                    if (g.Count == 0) continue;
                    var ex = g.Aggregate(default(Confusion), (a, r) => a + r.Exact);
                    var tol = g.Skip(1).Aggregate(g[0].Tolerant, (a, r) => a + r.Tolerant);
                    Console.WriteLine(Format(ho ? "POOLED held-out" : "POOLED in-domain", th, ex, tol) + string.Create(CultureInfo.InvariantCulture,
                        $"  {g.Sum(r => r.Pixels) / g.Sum(r => r.Seconds) / 1e6:0.00} Mpx/s end to end"));
                }
            }
            foreach (var p in predictors) p.Dispose();
        }
        if (jsonPath is not null)
        {
            var arr = new JsonArray();
            foreach (var r in rows)
                arr.Add(new JsonObject
                {
                    ["model"] = r.Model, ["sim"] = r.Sim, ["instrument"] = r.Instrument, ["held_out"] = r.HeldOut, ["threshold"] = r.Threshold,
                    ["tp"] = r.Exact.TruePositives, ["fp"] = r.Exact.FalsePositives, ["fn"] = r.Exact.FalseNegatives, ["tn"] = r.Exact.TrueNegatives,
                    ["predicted"] = r.Tolerant.Predicted, ["predicted_near_truth"] = r.Tolerant.PredictedNearTruth,
                    ["truth"] = r.Tolerant.Truth, ["truth_near_prediction"] = r.Tolerant.TruthNearPrediction,
                    ["seconds"] = r.Seconds, ["network_seconds_per_worker"] = r.NetworkSeconds, ["pixels"] = r.Pixels,
                });
            File.WriteAllText(jsonPath, arr.ToJsonString());
        }
        return 0;
    }

    private static string Format(string what, double th, Confusion ex, TolerantScore tol) => string.Create(CultureInfo.InvariantCulture,
        $"  {what,-36} p>{th:0.00}  tol-1: P {100 * tol.Precision:0.0} R {100 * tol.Recall:0.0} F1 {100 * tol.F1:0.0} FP%truth {tol.FalsePositivePercentOfTruth:0.0}  exact: P {100 * ex.Precision:0.0} R {100 * ex.Recall:0.0} Dice {100 * ex.F1:0.0}");
}
