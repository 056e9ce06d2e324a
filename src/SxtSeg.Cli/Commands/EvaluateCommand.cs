using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Morphology;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg evaluate --pred P --truth T</c>: segmentation scores against ground truth, with threshold baselines.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var pred = new Option<string>("--pred") { Description = "Predicted labels (non-zero = membrane)", Required = true };
        var truth = new Option<string>("--truth") { Description = "True labels (non-zero = membrane)", Required = true };
        var tomogram = new Option<string?>("--tomogram") { Description = "The tomogram: adds Otsu and adaptive-threshold baselines with the same post-processing" };
        var model = new Option<string?>("--model") { Description = "Model file: adds the image decoder's SSIM and within-one-std accuracy (needs --tomogram)" };
        var tolerance = new Option<int>("--tolerance") { Description = "Boundary tolerance k in voxels for the tolerant scores (a voxel within Euclidean distance k in 3D; k = 1: the 6 face neighbours)", DefaultValueFactory = _ => 1 }.Within(0, 10);
        var ignore = new Option<string?>("--ignore") { Description = "Ignore mask (non-zero = ignored): scores on visible membranes, all-membrane scores beside them; default: ignore.mrc beside a simulation's membranes.mrc" };
        var noIgnore = new Option<bool>("--no-ignore") { Description = "Score against every membrane voxel even when the simulation has an ignore.mrc" };
        var output = new Option<string?>("--out") { Description = "Folder for evaluation.json, per-slice.csv, per-slice.png and baseline masks" };
        var truthSlices = new Option<string?>("--truth-slices") { HelpName = "A-B", Description = "The prediction holds slices A-B of the truth (z from 0, both ends included): the truth, ignore mask and tomogram are read from them; default: from the segment.json of a segment --slices run beside the prediction" };
        var noObjects = new Option<bool>("--no-objects") { Description = "Skip the object-level matching" };
        var minVoxels = new Option<long?>("--min-voxels") { Description = "Baseline post-processing: remove objects with fewer voxels (default: as in the prediction's segment.json)" }.Within(0, long.MaxValue);
        var minVolume = new Option<double?>("--min-volume") { Description = "Baseline post-processing: remove objects below this volume in nm³" }.Within(0, double.PositiveInfinity);
        var erode = new Option<int?>("--erode") { Description = "Baseline post-processing: erosion steps" }.Within(0, SegmentOptions.MaxSteps);
        var crop = new Option<int?>("--clear-border") { Description = "Baseline post-processing: voxels set to background at every face (as segment --clear-border)" }.Within(0, SegmentOptions.MaxCrop).OldNames("--crop");
        var cellMask = new Option<bool?>("--cell-mask") { Description = "Baseline post-processing: automatic cell mask" };
        var cmd = new Command("evaluate", "Score a segmentation against true labels (voxel, per-slice paper protocol, objects), with threshold baselines")
        { pred, truth, tomogram, model, tolerance, ignore, noIgnore, truthSlices, output, noObjects, minVoxels, minVolume, erode, crop, cellMask };
        var keys = new OptionKeys().Add(nameof(EvaluationRequest.Model), model).Add(nameof(EvaluationRequest.Tolerance), tolerance)
            .Add(nameof(SegmentOptions.MinObjectVoxels), minVoxels).Add(nameof(SegmentOptions.MinObjectVolumeNm3), minVolume).Add(ComponentOptions.MinVolumeKey, minVolume)
            .Add(nameof(SegmentOptions.ErosionSteps), erode).Add(nameof(SegmentOptions.CropBorder), crop).Add(nameof(SegmentOptions.CellMask), cellMask).Add(nameof(EvaluationRequest.TruthSlices), truthSlices);
        cmd.SetAction(pr => CliApp.Guard(ctx, () => keys.Check(() =>
        {
            string p = pr.GetValue(pred)!;
            InputPaths.RequireReadable(p, allowFolder: true);
            InputPaths.RequireReadable(pr.GetValue(truth)!, allowFolder: true);
            if (pr.GetValue(tomogram) is { } tpath) InputPaths.RequireReadable(tpath, allowFolder: true);
            if (pr.GetValue(model) is { } mpath) InputPaths.RequireReadable(mpath);
            var post = SegmentationSidecar.PostProcessingBeside(p);
            post = post with
            {
                MinObjectVoxels = pr.GetValue(minVoxels) ?? post.MinObjectVoxels,
                MinObjectVolumeNm3 = pr.GetValue(minVolume) ?? post.MinObjectVolumeNm3,
                ErosionSteps = pr.GetValue(erode) ?? post.ErosionSteps,
                CropBorder = pr.GetValue(crop) ?? post.CropBorder,
                CellMask = pr.GetValue(cellMask) ?? post.CellMask,
            };
            post.Validate();
            string truthPath = pr.GetValue(truth)!;
            SegmentCommand.WarnIfColonRange(ctx, "--truth-slices", pr.GetValue(truthSlices));
            var request = new EvaluationRequest
            {
                Prediction = p, Truth = truthPath, Tomogram = pr.GetValue(tomogram), Model = pr.GetValue(model),
                Tolerance = pr.GetValue(tolerance), PostProcessing = post, Objects = !pr.GetValue(noObjects),
                Ignore = EvaluationRequest.FindIgnore(truthPath, pr.GetValue(ignore), pr.GetValue(noIgnore)),
                TruthSlices = EvaluationRequest.ResolveTruthSlices(p, truthPath, pr.GetValue(truthSlices) is { } ts ? SegmentOptions.ParseSlices(ts, nameof(EvaluationRequest.TruthSlices)) : null),
            };
            var prov = new Provenance("evaluate").AddInput(request.Prediction).AddInput(request.Truth).Set("tolerance", request.Tolerance);
            if (request.TruthSlices is { } sl)
            {
                prov.Set("truth_slices", $"{sl.First}-{sl.First + sl.Count - 1}");
                ctx.Out.MarkupLine($"[grey]the prediction holds slices {sl.First}-{sl.First + sl.Count - 1} of the truth: they are scored[/]");
            }
            if (request.Ignore is not null)
            {
                prov.AddInput(request.Ignore);
                ctx.Out.MarkupLine($"[grey]ignore mask {Markup.Escape(request.Ignore)}: scores on visible membranes, all-membrane scores in the last rows[/]");
            }
            var result = CliProgress.Run(ctx, pg => EvaluationRun.Run(request, pr.GetValue(output), prov, pg, ctx.Cancellation));
            Print(ctx, result, request.Tolerance);
            return 0;
        })));
        return cmd;
    }

    private static string P(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture);

    private static void Print(CliContext ctx, EvaluationResult r, int k)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("Membrane voxels (%)")
            .AddColumn("method").AddColumn("precision").AddColumn("recall").AddColumn("F1 = Dice").AddColumn("IoU")
            .AddColumn($"precision ±{k}").AddColumn($"recall ±{k}").AddColumn($"F1 ±{k}").AddColumn($"FP ±{k} % of truth");
        bool visible = r.Methods.Any(m => m.AllMembranes is not null);
        foreach (var m in r.Methods)
        {
            var v = m.Voxels;
            t.AddRow(Markup.Escape(m.Name + (visible ? " (visible membranes)" : "")), P(v.Exact.Precision), P(v.Exact.Recall), P(v.Exact.F1), P(v.Exact.IoU),
                P(v.Tolerant.Precision), P(v.Tolerant.Recall), P(v.Tolerant.F1), v.Tolerant.FalsePositivePercentOfTruth.ToString("0.0", CultureInfo.InvariantCulture));
        }
        foreach (var m in r.Methods)
        {
            if (m.AllMembranes is not { } v) continue;
            t.AddRow(Markup.Escape(m.Name + " (all membranes)"), P(v.Exact.Precision), P(v.Exact.Recall), P(v.Exact.F1), P(v.Exact.IoU),
                P(v.Tolerant.Precision), P(v.Tolerant.Recall), P(v.Tolerant.F1), v.Tolerant.FalsePositivePercentOfTruth.ToString("0.0", CultureInfo.InvariantCulture));
        }
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
        foreach (var m in r.Methods)
            if (double.IsFinite(m.ThicknessRatio))
                ctx.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{m.Name}: predicted membranes are {m.ThicknessRatio:0.00}× as thick as the true ones (band voxels within 2 voxels of each other)")));
        var paper = new Table().Border(TableBorder.Rounded).Title("Paper protocol: % of labelled pixels per slice (mean ± SD)")
            .AddColumn("method").AddColumn("TP").AddColumn("FN").AddColumn("FP").AddColumn($"TP ±{k}").AddColumn($"FN ±{k}").AddColumn($"FP ±{k}");
        foreach (var m in r.Methods)
        {
            var (tp, fn, fp) = m.Voxels.PaperExact;
            var (a, b, c) = m.Voxels.PaperTolerant;
            paper.AddRow(Markup.Escape(m.Name), tp.Format(), fn.Format(), fp.Format(), a.Format(), b.Format(), c.Format());
        }
        paper.AddRow("[grey]Deep-SXT paper (real data)[/]", "69.8", "27.7", "1.3", "", "", "");
        ctx.Out.Write(paper);
        ctx.Out.WriteLine();
        if (r.Methods.Any(m => m.Objects is not null))
        {
            var o = new Table().Border(TableBorder.Rounded).Title("Objects (3D components; matched = IoU > 0.5, exact and within ±1 voxel)")
                .AddColumn("method").AddColumn("true").AddColumn("predicted").AddColumn("matched").AddColumn("matched ±1").AddColumn("split").AddColumn("merged").AddColumn("missed").AddColumn("spurious");
            foreach (var m in r.Methods.Where(m => m.Objects is not null))
            {
                var ob = m.Objects!;
                o.AddRow(Markup.Escape(m.Name), ob.TruthObjects.ToString(CultureInfo.InvariantCulture), ob.PredictedObjects.ToString(CultureInfo.InvariantCulture),
                    ob.Matched.ToString(CultureInfo.InvariantCulture), ob.MatchedTolerant.ToString(CultureInfo.InvariantCulture), ob.Split.ToString(CultureInfo.InvariantCulture), ob.Merged.ToString(CultureInfo.InvariantCulture),
                    ob.Missed.ToString(CultureInfo.InvariantCulture), ob.Spurious.ToString(CultureInfo.InvariantCulture));
            }
            ctx.Out.Write(o);
            ctx.Out.WriteLine();
        }
        foreach (var m in r.Methods)
            if (m.Organelles is { } org)
                ctx.Out.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Name}: organelles traced {org.Recovered} of {org.Instances} ({100 * org.Fraction:0.0} %; ≥ {100 * org.MinFraction:0} % of an instance's visible membrane within ±1 voxel)")));
        foreach (var m in r.Methods)
            if (m.Structures is { Count: > 0 } rows)
                ctx.Out.MarkupLine(Markup.Escape($"{m.Name}: recall by structure (share of the visible membrane): {StructureRecall.Summary(rows)}"));
        if (r.ImageDecoder is { } im)
            ctx.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Image decoder: SSIM {im.Ssim:0.000}, within one std {100 * im.WithinOneStd:0.0} % ({im.Tiles} tiles)"));
    }
}
