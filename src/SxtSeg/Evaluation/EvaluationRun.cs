using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// The <c>sxtseg evaluate</c> pipeline: voxel scores (exact and with tolerance), the paper's per-slice
/// protocol, object matching, Otsu and adaptive-threshold baselines with the same post-processing,
/// image-decoder metrics; writes evaluation.json, per-slice.csv, per-slice.png and the baseline masks.
/// </summary>
public static class EvaluationRun
{
    /// <summary>Runs the evaluation into <paramref name="outputFolder"/> (null: compute only).</summary>
    public static EvaluationResult Run(EvaluationRequest request, string? outputFolder, Provenance provenance, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        // The baselines' --min-volume is turned into voxels by the tomogram's header: not by one no
        // cryo-SXT tomogram has (1 µm per pixel would keep every speck, 1 Å remove everything). Checked
        // before anything is scored or written.
        if (request.Tomogram is not null && request.PostProcessing.MinObjectVolumeNm3 > 0)
        {
            using var header = request.OpenTruthSide(request.Tomogram);
            if (VoxelSize.CryoSxtProblem(header.Info.VoxelSize) is { } odd)
                throw new InvalidOptionException(nameof(SegmentOptions.MinObjectVolumeNm3),
                    $"{request.Tomogram}: {odd}, so the baselines' minimum volume cannot be turned into voxels; give --min-voxels N --min-volume 0 instead");
        }
        using var output = outputFolder is null ? null : OutputFolder.Create(outputFolder).Owns("evaluation.json", "per-slice.csv", "per-slice.png", "baseline-*.mrc");
        var methods = new List<MethodScores>();
        methods.Add(Score("network", request.Prediction, request, output?.StagingPath, progress, cancel));
        ImageDecoderScore? image = null;
        if (request.Tomogram is not null)
        {
            using var tomogram = request.OpenTruthSide(request.Tomogram);
            using var truthCheck = request.OpenTruthSide(request.Truth);
            if (tomogram.Info.Nx != truthCheck.Info.Nx || tomogram.Info.Ny != truthCheck.Info.Ny || tomogram.Info.Nz != truthCheck.Info.Nz)
                throw new InvalidInputException(request.Tomogram, "differs in size from the truth labels");
            CellMask? cellMask = request.PostProcessing.CellMask ? CellMask.FromReader(tomogram) : null;
            // Without an output folder the baseline masks go to a folder of this run's own (two runs
            // at once must not write the same temporary file), deleted when scored.
            string? scratch = output is null ? Directory.CreateTempSubdirectory("sxtseg-evaluate-").FullName : null;
            string folder = output?.StagingPath ?? scratch!;
            try
            {
                foreach (var kind in new[] { BaselineKind.Otsu, BaselineKind.Adaptive })
                {
                    string name = "baseline-" + kind.ToString().ToLowerInvariant();
                    string path = Path.Combine(folder, name + ".mrc");
                    var stream = PostProcessing.Chain(new BaselineMaskStream(tomogram, kind, cellMask, request.PostProcessing.CropBorder), request.PostProcessing, progress, cancel);
                    MaskWriter.Write(stream, path, provenance.Derive("evaluate-baseline").Set("baseline", name), progress, name);
                    methods.Add(Score(kind == BaselineKind.Otsu ? "Otsu threshold" : "adaptive threshold", path, request, folder, progress, cancel));
                }
            }
            finally
            {
                if (scratch is not null) Directory.Delete(scratch, true);
            }
            if (request.Model is not null) image = ImageDecoderEvaluation.Evaluate(request.Model, tomogram, progress: progress);
        }
        else if (request.Model is not null)
            throw new InvalidOptionException(nameof(EvaluationRequest.Model), "the image-decoder metrics need the tomogram (--tomogram)");

        var json = ToJson(request, methods, image, provenance);
        if (output is not null)
        {
            AtomicFile.WriteAllText(output.File("evaluation.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllText(output.File("per-slice.csv"), PerSliceCsv(methods));
            AtomicFile.WriteAllBytes(output.File("per-slice.png"), PerSlicePlot(methods));
            output.Commit();
        }
        return new EvaluationResult(methods, image, json);
    }

    /// <summary>Voxel scores (visible membranes and all membranes when there is an ignore mask) and object matching of one prediction.</summary>
    private static MethodScores Score(string name, string prediction, EvaluationRequest request, string? temp, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
    {
        var options = new EvaluationOptions { Tolerance = request.Tolerance };
        using var pred = VolumeIO.OpenRead(prediction);
        using var truth = request.OpenTruthSide(request.Truth);
        using var ignore = request.Ignore is null ? null : request.OpenTruthSide(request.Ignore);
        var vox = SegmentationEvaluator.Evaluate(pred, truth, options, progress, ignore);
        var all = ignore is null ? null : SegmentationEvaluator.Evaluate(pred, truth, options, progress);
        var obj = request.Objects ? Objects(prediction, request, temp, cancel) : null;
        var wide = SegmentationEvaluator.Evaluate(pred, truth, options with { Tolerance = 2 }, progress, ignore).Tolerant;
        double thickness = wide.TruthNearPrediction > 0 ? (double)wide.PredictedNearTruth / wide.TruthNearPrediction : double.NaN;
        InstanceRecovery? organelles = null;
        IReadOnlyList<StructureRecallRow>? structures = null;
        if (request.Objects && (request.Instances ?? EvaluationRequest.FindInstances(request.Truth)) is { } instPath)
        {
            using var inst = request.OpenTruthSide(instPath);
            organelles = InstanceRecovery.Evaluate(pred, truth, ignore, inst, cancel: cancel);
            if (EvaluationRequest.FindTruthObjects(request.Truth) is { } truthJson)
                structures = StructureRecall.Evaluate(pred, truth, ignore, inst, TruthComparison.Read(truthJson), cancel);
        }
        return new MethodScores(name, vox, obj, all) { ThicknessRatio = thickness, Organelles = organelles, Structures = structures };
    }

    /// <summary>Object matching: 3D components (26-connected) of the prediction and of the truth, both outside the ignore mask when there is one.</summary>
    private static ObjectEvaluation Objects(string pred, EvaluationRequest request, string? temp, CancellationToken cancel)
    {
        using var pr = VolumeIO.OpenRead(pred);
        using var tr = request.OpenTruthSide(request.Truth);
        using var ig1 = request.Ignore is null ? null : request.OpenTruthSide(request.Ignore);
        using var ig2 = request.Ignore is null ? null : request.OpenTruthSide(request.Ignore);
        IMaskStream pm = MaskStreams.FromReader(pr, ForegroundRule.NonZero);
        IMaskStream tm = MaskStreams.FromReader(tr, ForegroundRule.NonZero);
        if (ig1 is not null && ig2 is not null)
        {
            pm = pm.Except(MaskStreams.FromReader(ig1, ForegroundRule.NonZero));
            tm = tm.Except(MaskStreams.FromReader(ig2, ForegroundRule.NonZero));
        }
        var pl = ConnectedComponents.Analyze(pm, cancellation: cancel);
        var tl = ConnectedComponents.Analyze(tm, cancellation: cancel);
        return ObjectMatching.Compare(pl, tl, 0.5, temp, cancel);
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private static JsonObject ToJson(EvaluationRequest r, List<MethodScores> methods, ImageDecoderScore? image, Provenance provenance)
    {
        var arr = new JsonArray();
        foreach (var m in methods)
        {
            var v = m.Voxels;
            var (tp, fn, fp) = v.PaperExact;
            var (ttp, tfn, tfp) = v.PaperTolerant;
            var o = new JsonObject
            {
                ["name"] = m.Name,
                ["truth_scope"] = r.Ignore is null ? "all membranes" : "visible membranes (ignore mask)",
                ["exact"] = new JsonObject
                {
                    ["precision"] = Num(v.Exact.Precision), ["recall"] = Num(v.Exact.Recall), ["f1_dice"] = Num(v.Exact.F1), ["iou"] = Num(v.Exact.IoU), ["accuracy"] = Num(v.Exact.Accuracy),
                    ["tp"] = v.Exact.TruePositives, ["fp"] = v.Exact.FalsePositives, ["fn"] = v.Exact.FalseNegatives, ["tn"] = v.Exact.TrueNegatives,
                },
                ["tolerant"] = new JsonObject
                {
                    ["tolerance_voxels"] = v.Tolerant.Tolerance, ["precision"] = Num(v.Tolerant.Precision), ["recall"] = Num(v.Tolerant.Recall), ["f1"] = Num(v.Tolerant.F1),
                    ["false_positives_percent_of_truth"] = Num(v.Tolerant.FalsePositivePercentOfTruth),
                },
                ["thickness_ratio"] = Num(m.ThicknessRatio),
                ["paper_protocol_exact_percent"] = new JsonObject
                {
                    ["tp_mean"] = Num(tp.Mean), ["tp_sd"] = Num(tp.Sd), ["fn_mean"] = Num(fn.Mean), ["fn_sd"] = Num(fn.Sd), ["fp_mean"] = Num(fp.Mean), ["fp_sd"] = Num(fp.Sd), ["slices"] = tp.N,
                },
                ["paper_protocol_tolerant_percent"] = new JsonObject
                {
                    ["tp_mean"] = Num(ttp.Mean), ["tp_sd"] = Num(ttp.Sd), ["fn_mean"] = Num(tfn.Mean), ["fn_sd"] = Num(tfn.Sd), ["fp_mean"] = Num(tfp.Mean), ["fp_sd"] = Num(tfp.Sd), ["slices"] = ttp.N,
                },
            };
            if (m.AllMembranes is { } all)
                o["all_membranes"] = new JsonObject
                {
                    ["exact"] = new JsonObject { ["precision"] = Num(all.Exact.Precision), ["recall"] = Num(all.Exact.Recall), ["f1_dice"] = Num(all.Exact.F1), ["iou"] = Num(all.Exact.IoU) },
                    ["tolerant"] = new JsonObject
                    {
                        ["tolerance_voxels"] = all.Tolerant.Tolerance, ["precision"] = Num(all.Tolerant.Precision), ["recall"] = Num(all.Tolerant.Recall), ["f1"] = Num(all.Tolerant.F1),
                        ["false_positives_percent_of_truth"] = Num(all.Tolerant.FalsePositivePercentOfTruth),
                    },
                };
            if (m.Objects is { } ob)
                o["objects"] = new JsonObject
                {
                    ["truth"] = ob.TruthObjects, ["predicted"] = ob.PredictedObjects, ["matched_iou_gt_0.5"] = ob.Matched, ["matched_tolerant_iou_gt_0.5"] = ob.MatchedTolerant,
                    ["precision"] = Num(ob.Precision), ["recall"] = Num(ob.Recall), ["split"] = ob.Split, ["merged"] = ob.Merged,
                    ["missed"] = ob.Missed, ["spurious"] = ob.Spurious,
                };
            if (m.Organelles is { } org)
                o["organelles_traced"] = new JsonObject
                {
                    ["instances"] = org.Instances, ["traced"] = org.Recovered, ["fraction"] = Num(org.Fraction),
                    ["rule"] = string.Create(CultureInfo.InvariantCulture, $"an instance with ≥ {org.MinVoxels} visible membrane voxels is traced when ≥ {100 * org.MinFraction:0} % of them lie within ±1 voxel (6-neighbourhood) of the prediction"),
                };
            if (m.Structures is { } rows)
            {
                var list = new JsonArray();
                foreach (var row in rows)
                    list.Add(new JsonObject { ["class"] = row.Class, ["visible_voxels"] = row.Visible, ["traced_voxels"] = row.Traced, ["recall"] = Num(row.Recall) });
                o["recall_by_structure"] = new JsonObject
                {
                    ["rule"] = StructureRecall.Rule,
                    ["classes"] = list,
                };
            }
            arr.Add(o);
        }
        var j = new JsonObject
        {
            ["provenance"] = provenance.ToJsonObject(),
            ["prediction"] = provenance.Recorded(r.Prediction),
            ["truth"] = provenance.Recorded(r.Truth),
            ["truth_slices"] = r.TruthSlices is { } ts ? new JsonArray(ts.First, ts.First + ts.Count) : null,
            ["ignore"] = r.Ignore is null ? null : provenance.Recorded(r.Ignore),
            ["ignore_rule"] = r.Ignore is null ? null : IgnoreRule.Description,
            ["tolerance_definition"] = "a voxel is within ±k when another voxel lies within Euclidean distance k in 3D (k = 1: the 6 face neighbours)",
            ["tomogram"] = r.Tomogram is null ? null : provenance.Recorded(r.Tomogram),
            ["methods"] = arr,
            ["paper_reference_percent"] = new JsonObject { ["tp"] = 69.8, ["fn"] = 27.7, ["fp"] = 1.3, ["artifacts"] = 1.2 },
        };
        if (image is { } im) j["image_decoder"] = new JsonObject { ["ssim"] = Num(im.Ssim), ["within_one_std"] = Num(im.WithinOneStd), ["tiles"] = im.Tiles };
        return j;
    }

    private static string PerSliceCsv(List<MethodScores> methods)
    {
        var sb = new StringBuilder();
        // No comment lines (Excel, R's read.csv and pandas read a plain header); provenance is in evaluation.json beside it.
        sb.Append("method,z,labelled_px,tp_px,fn_px,fp_px,tp_percent,fn_percent,fp_percent,tolerant_precision,tolerant_recall,tolerant_f1\n");
        foreach (var m in methods)
            foreach (var s in m.Voxels.Slices)
                sb.Append(CultureInfo.InvariantCulture, $"{m.Name},{s.Z},{s.Labelled},{s.Counts.TruePositives},{s.Counts.FalseNegatives},{s.Counts.FalsePositives},{F(s.TruePositivePercent)},{F(s.FalseNegativePercent)},{F(s.FalsePositivePercent)},{F(s.Tolerant.Precision)},{F(s.Tolerant.Recall)},{F(s.Tolerant.F1)}\n");
        return sb.ToString();
    }

    /// <summary>Per-slice plot: the network's paper-protocol percentages and every method's tolerant F1.</summary>
    public static byte[] PerSlicePlot(IReadOnlyList<MethodScores> methods, int width = 900, int height = 420)
        => Plots.Lines("Per-slice scores", "slice (z)", "%", PerSliceSeries(methods), width, height);

    /// <summary>
    /// The lines of <see cref="PerSlicePlot"/>: the first method's exact TP, FN and FP % of the labelled
    /// pixels on its labelled slices, then each method's tolerant F1 × 100 on the slices with a true or
    /// predicted voxel.
    /// </summary>
    internal static List<PlotSeries> PerSliceSeries(IReadOnlyList<MethodScores> methods)
    {
        var series = new List<PlotSeries>();
        var net = methods[0].Voxels.Slices.Where(s => s.Labelled > 0).ToArray();
        double[] z = net.Select(s => (double)s.Z).ToArray();
        series.Add(new PlotSeries($"{methods[0].Name}: TP % of labelled (exact)", z, net.Select(s => s.TruePositivePercent).ToArray()));
        series.Add(new PlotSeries($"{methods[0].Name}: FN %", z, net.Select(s => s.FalseNegativePercent).ToArray()));
        series.Add(new PlotSeries($"{methods[0].Name}: FP %", z, net.Select(s => s.FalsePositivePercent).ToArray()));
        foreach (var m in methods)
        {
            var sl = m.Voxels.Slices.Where(s => s.Tolerant.Truth + s.Tolerant.Predicted > 0).ToArray();
            series.Add(new PlotSeries($"{m.Name}: F1 (±{m.Voxels.Tolerant.Tolerance} voxel) × 100", sl.Select(s => (double)s.Z).ToArray(), sl.Select(s => 100 * s.Tolerant.F1).ToArray()));
        }
        return series;
    }

    /// <summary>A JSON number, or null for NaN/infinity (undefined ratios such as a per-slice mean over no labelled slice).</summary>
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
