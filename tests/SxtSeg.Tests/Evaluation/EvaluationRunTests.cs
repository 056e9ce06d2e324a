using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// evaluation.json and per-slice.csv of a hand-made case, every number counted by hand: 8 × 8 × 3
/// voxels; slice 0: a true line of 4 voxels, 3 of them predicted and one false voxel far away;
/// slice 1: nothing; slice 2: a true pair, predicted exactly.
/// </summary>
public sealed class EvaluationRunTests
{
    private static (string Pred, string Truth) Write(TempDir dir)
    {
        var truth = new Volume<byte>(8, 8, 3, VoxelSize.Isotropic(10));
        var pred = new Volume<byte>(8, 8, 3, VoxelSize.Isotropic(10));
        for (int x = 1; x <= 4; x++) truth[0, 3, x] = 1;
        for (int x = 1; x <= 3; x++) pred[0, 3, x] = 1;
        pred[0, 6, 6] = 1;
        truth[2, 3, 1] = truth[2, 3, 2] = pred[2, 3, 1] = pred[2, 3, 2] = 1;
        VolumeIO.Write(dir.File("pred.mrc"), pred);
        VolumeIO.Write(dir.File("truth.mrc"), truth);
        return (dir.File("pred.mrc"), dir.File("truth.mrc"));
    }

    [Fact]
    public void TheJsonHoldsTheCountsAndScoresOfTheHandMadeCase()
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        var result = EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth }, dir.File("out"), new Provenance("evaluate"));
        var j = JsonNode.Parse(File.ReadAllText(dir.File("out/evaluation.json")))!;
        Assert.Equal(result.Json.ToJsonString(), j.ToJsonString());
        Assert.Contains("\n  \"prediction\"", File.ReadAllText(dir.File("out/evaluation.json"))); // indented
        Assert.Equal(pred, (string)j["prediction"]!);
        Assert.Equal(truth, (string)j["truth"]!);
        Assert.Null(j["ignore"]);
        Assert.Null(j["ignore_rule"]);
        Assert.Null(j["tomogram"]);
        Assert.Equal("a voxel is within ±k when another voxel lies within Euclidean distance k in 3D (k = 1: the 6 face neighbours)", (string)j["tolerance_definition"]!);
        var paperRow = j["paper_reference_percent"]!;
        Assert.Equal((69.8, 27.7, 1.3, 1.2), ((double)paperRow["tp"]!, (double)paperRow["fn"]!, (double)paperRow["fp"]!, (double)paperRow["artifacts"]!));
        var m = j["methods"]!.AsArray().Single()!;
        Assert.Equal("network", (string)m["name"]!);
        Assert.Equal("all membranes", (string)m["truth_scope"]!);
        // exact: TP 5, FP 1, FN 1, TN 192 − 7
        var e = m["exact"]!;
        Assert.Equal((5L, 1L, 1L, 185L), ((long)e["tp"]!, (long)e["fp"]!, (long)e["fn"]!, (long)e["tn"]!));
        Assert.Equal(5.0 / 6, (double)e["precision"]!, 9);
        Assert.Equal(5.0 / 6, (double)e["recall"]!, 9);
        Assert.Equal(5.0 / 6, (double)e["f1_dice"]!, 9);
        Assert.Equal(5.0 / 7, (double)e["iou"]!, 9);
        Assert.Equal(190.0 / 192, (double)e["accuracy"]!, 9);
        // within 1 voxel: 5 of 6 predicted near the truth, all 6 true voxels near a prediction
        var t = m["tolerant"]!;
        Assert.Equal(1, (int)t["tolerance_voxels"]!);
        Assert.Equal(5.0 / 6, (double)t["precision"]!, 9);
        Assert.Equal(1.0, (double)t["recall"]!, 9);
        Assert.Equal(10.0 / 11, (double)t["f1"]!, 9);
        Assert.Equal(100.0 / 6, (double)t["false_positives_percent_of_truth"]!, 9);
        // the paper's protocol over the two labelled slices: TP 60 % and 100 %
        var p = m["paper_protocol_exact_percent"]!;
        Assert.Equal((80.0, 2), ((double)p["tp_mean"]!, (int)p["slices"]!));
        Assert.Equal(Math.Sqrt(800), (double)p["tp_sd"]!, 9);
        Assert.Equal((10.0, 10.0), ((double)p["fn_mean"]!, (double)p["fp_mean"]!));
        // FN 20 % and 0 %, FP 20 % and 0 %: sample standard deviation √200
        Assert.Equal((Math.Sqrt(200), Math.Sqrt(200)), ((double)p["fn_sd"]!, (double)p["fp_sd"]!));
        // tolerant protocol: slice 0 counts TP 4 (true near predicted), FN 0, FP 1 (predicted far): 80 %, 0 %, 20 %; slice 2: 100, 0, 0
        var pt = m["paper_protocol_tolerant_percent"]!;
        Assert.Equal((90.0, 0.0, 10.0, 2), ((double)pt["tp_mean"]!, (double)pt["fn_mean"]!, (double)pt["fp_mean"]!, (int)pt["slices"]!));
        Assert.Equal((Math.Sqrt(200), 0.0, Math.Sqrt(200)), ((double)pt["tp_sd"]!, (double)pt["fn_sd"]!, (double)pt["fp_sd"]!));
        // thickness within 2 voxels: 5 predicted voxels near the truth (the far one is 3.6 voxels away)
        // over 6 true voxels near a prediction
        Assert.Equal(5.0 / 6, (double)m["thickness_ratio"]!, 9);
        // objects: 2 true (the line, the pair), 3 predicted; both true ones matched, the far voxel spurious
        var o = m["objects"]!;
        Assert.Equal((2, 3, 2, 0, 1, 0, 0), ((int)o["truth"]!, (int)o["predicted"]!, (int)o["matched_iou_gt_0.5"]!, (int)o["missed"]!, (int)o["spurious"]!, (int)o["split"]!, (int)o["merged"]!));
        Assert.Equal((2.0 / 3, 1.0), ((double)o["precision"]!, (double)o["recall"]!));
        Assert.Null(m["all_membranes"]);
    }

    [Fact]
    public void WithAnIgnoreMaskTheScoresAreOnVisibleMembranesAndTheAllMembraneScoresAreBeside()
    {
        // Given the hand-made case, with the missed true voxel (0, 3, 4) and the far false voxel (0, 6, 6) ignored,
        // and an instance map given explicitly (the truth is not a simulation's membranes.mrc)
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        var ignore = new Volume<byte>(8, 8, 3, VoxelSize.Isotropic(10));
        ignore[0, 3, 4] = ignore[0, 6, 6] = 1;
        VolumeIO.Write(dir.File("ignore.mrc"), ignore);
        var ids = new Volume<ushort>(8, 8, 3, VoxelSize.Isotropic(10));
        VolumeIO.Write(dir.File("ids.mrc"), ids);

        // When it is evaluated
        var j = EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Ignore = dir.File("ignore.mrc"), Instances = dir.File("ids.mrc") },
            null, new Provenance("evaluate")).Json;

        // Then the visible scores see 5 true and 5 predicted voxels, all matched
        Assert.Equal(dir.File("ignore.mrc"), (string)j["ignore"]!);
        Assert.Equal(IgnoreRule.Description, (string)j["ignore_rule"]!);
        var m = j["methods"]![0]!;
        Assert.Equal("visible membranes (ignore mask)", (string)m["truth_scope"]!);
        var e = m["exact"]!;
        Assert.Equal((5L, 0L, 0L), ((long)e["tp"]!, (long)e["fp"]!, (long)e["fn"]!));
        Assert.Equal((1.0, 1.0, 1.0), ((double)m["tolerant"]!["precision"]!, (double)m["tolerant"]!["recall"]!, (double)m["tolerant"]!["f1"]!));
        Assert.Equal(1.0, (double)m["thickness_ratio"]!, 9);
        // and the all-membrane scores are those of the case without the mask
        var all = m["all_membranes"]!;
        var ae = all["exact"]!;
        Assert.Equal((5.0 / 6, 5.0 / 6, 5.0 / 6, 5.0 / 7), ((double)ae["precision"]!, (double)ae["recall"]!, (double)ae["f1_dice"]!, (double)ae["iou"]!));
        var at = all["tolerant"]!;
        Assert.Equal(1, (int)at["tolerance_voxels"]!);
        Assert.Equal((5.0 / 6, 1.0), ((double)at["precision"]!, (double)at["recall"]!));
        Assert.Equal(10.0 / 11, (double)at["f1"]!, 9);
        Assert.Equal(100.0 / 6, (double)at["false_positives_percent_of_truth"]!, 9);
        // objects outside the mask: the line's visible part and the pair, on both sides; nothing spurious
        var o = m["objects"]!;
        Assert.Equal((2, 2, 2, 0), ((int)o["truth"]!, (int)o["predicted"]!, (int)o["matched_iou_gt_0.5"]!, (int)o["spurious"]!));
        // organelles: the given map has no instance (ids 0), so none counts and the fraction is 1
        var org = m["organelles_traced"]!;
        Assert.Equal((0, 0, 1.0), ((int)org["instances"]!, (int)org["traced"]!, (double)org["fraction"]!));
        Assert.Equal("an instance with ≥ 20 visible membrane voxels is traced when ≥ 50 % of them lie within ±1 voxel (6-neighbourhood) of the prediction", (string)org["rule"]!);
    }

    [Fact]
    public void APredictionOfSomeSlicesIsScoredOnThoseSlicesOfTheTruthAndItsMask()
    {
        // Given the hand-made case as slices 2–4 of a 7-slice truth and ignore mask whose other slices
        // hold full rows of membrane and of ignored voxels (any misalignment would score them)
        using var dir = new TempDir();
        var (pred, small) = Write(dir);
        var t3 = VolumeIO.Read<byte>(small);
        var truth = new Volume<byte>(8, 8, 7, VoxelSize.Isotropic(10));
        var ignore = new Volume<byte>(8, 8, 7, VoxelSize.Isotropic(10));
        for (int z = 0; z < 7; z++)
            for (int x = 0; x < 8; x++)
            {
                if (z is >= 2 and <= 4) continue;
                truth[z, 5, x] = 1;
                ignore[z, 3, x] = 1;
            }
        for (int z = 0; z < 3; z++) t3.Slice(z).CopyTo(truth.Slice(z + 2));
        ignore[2, 3, 4] = ignore[2, 6, 6] = 1;
        VolumeIO.Write(dir.File("whole.mrc"), truth);
        VolumeIO.Write(dir.File("ignore7.mrc"), ignore);
        VolumeIO.Write(dir.File("ids7.mrc"), new Volume<ushort>(8, 8, 7, VoxelSize.Isotropic(10)));
        var request = new EvaluationRequest { Prediction = pred, Truth = dir.File("whole.mrc"), Ignore = dir.File("ignore7.mrc"), Instances = dir.File("ids7.mrc") };
        // (without the slices the sizes differ: a clear error)
        Assert.Contains("but the truth", Assert.Throws<InvalidInputException>(() => EvaluationRun.Run(request, null, new Provenance("evaluate"))).Message);
        // When it is scored as slices 2–4
        var j = EvaluationRun.Run(request with { TruthSlices = (2, 3) }, null, new Provenance("evaluate")).Json;
        // Then the scores are those of the hand-made case with its mask (previous test): 5 true, 5 predicted, all matched
        var m = j["methods"]![0]!;
        Assert.Equal((5L, 0L, 0L), ((long)m["exact"]!["tp"]!, (long)m["exact"]!["fp"]!, (long)m["exact"]!["fn"]!));
        Assert.Equal(5.0 / 6, (double)m["all_membranes"]!["exact"]!["precision"]!, 9);
        var o = m["objects"]!;
        Assert.Equal((2, 2, 2, 0), ((int)o["truth"]!, (int)o["predicted"]!, (int)o["matched_iou_gt_0.5"]!, (int)o["spurious"]!));
        Assert.Equal(new[] { 2, 5 }, j["truth_slices"]!.AsArray().Select(n => (int)n!).ToArray());
        // the tomogram for the baselines is read from the same slices (7 slices of which 2–4 are used)
        VolumeIO.Write(dir.File("tomo7.mrc"), new Volume<float>(8, 8, 7, VoxelSize.Isotropic(10)));
        var withTomogram = EvaluationRun.Run(request with { TruthSlices = (2, 3), Tomogram = dir.File("tomo7.mrc"), Objects = false }, null, new Provenance("evaluate"));
        Assert.Equal(3, withTomogram.Methods.Count);
        // and slices the truth does not have are refused by name
        var e = Assert.Throws<InvalidInputException>(() => EvaluationRun.Run(request with { TruthSlices = (5, 3) }, null, new Provenance("evaluate")));
        Assert.Contains("has 7 slices, so it holds no slices 5-7", e.Message);
    }

    [Fact]
    public void TheSlicesOfASegmentSliceRangeAreFoundInItsSidecar()
    {
        using var dir = new TempDir();
        var tomogram = new Volume<float>(32, 32, 9, VoxelSize.Isotropic(10));
        VolumeIO.Write(dir.File("t.mrc"), tomogram);
        VolumeIO.Write(dir.File("truth.mrc"), new Volume<byte>(32, 32, 9, VoxelSize.Isotropic(10)));
        VolumeIO.Write(dir.File("truth3.mrc"), new Volume<byte>(32, 32, 3, VoxelSize.Isotropic(10)));
        using var model = new SxtSeg.Inference.SegmentationModel(new SxtSeg.Inference.ITilePredictor[] { new PointwisePredictor() }, (_, _, _) => { }, "pointwise", VoxelSize.Isotropic(10), "pointwise");
        var opts = new SxtSeg.Inference.SegmentOptions { Tiles = new SxtSeg.Inference.TileOptions { TileSize = 32, Overlap = 8 }, Polarity = SxtSeg.Inference.Polarity.DenseBright };
        SxtSeg.Inference.Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, opts with { Slices = (4, 3) }, new Provenance("segment"));
        SxtSeg.Inference.Segmenter.Run(dir.File("t.mrc"), dir.File("all"), model, opts, new Provenance("segment"));
        string labels = dir.File("part/labels.mrc");
        // a range's labels against the whole truth: its slices, 4–6
        Assert.Equal((4, 3), EvaluationRequest.ResolveTruthSlices(labels, dir.File("truth.mrc"), null));
        // against a truth already cut to them, or from a whole run, or with no sidecar: none
        Assert.Null(EvaluationRequest.ResolveTruthSlices(labels, dir.File("truth3.mrc"), null));
        Assert.Null(EvaluationRequest.ResolveTruthSlices(dir.File("all/labels.mrc"), dir.File("truth.mrc"), null));
        Assert.Null(EvaluationRequest.ResolveTruthSlices(dir.File("truth3.mrc"), dir.File("truth.mrc"), null));
        // given slices win
        Assert.Equal((1, 3), EvaluationRequest.ResolveTruthSlices(labels, dir.File("truth.mrc"), (1, 3)));
    }

    [Fact]
    public void WithATomogramTheBaselinesAreScoredAndItsPathRecorded()
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        var tomo = new Volume<float>(8, 8, 3, VoxelSize.Isotropic(10));
        tomo[0, 3, 2] = 5; // one bright voxel on the true line
        VolumeIO.Write(dir.File("tomo.mrc"), tomo);
        var r = EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Tomogram = dir.File("tomo.mrc"), Objects = false }, null, new Provenance("evaluate"));
        Assert.Equal(dir.File("tomo.mrc"), (string)r.Json["tomogram"]!);
        Assert.Equal(new[] { "network", "Otsu threshold", "adaptive threshold" }, r.Json["methods"]!.AsArray().Select(m => (string)m!["name"]!));
        // Otsu splits the one bright voxel from the rest: exactly one true positive, no false one
        var otsu = r.Json["methods"]![1]!["exact"]!;
        Assert.Equal((1L, 0L, 5L), ((long)otsu["tp"]!, (long)otsu["fp"]!, (long)otsu["fn"]!));
    }

    [Theory]
    [InlineData(8, 8, 4)]
    [InlineData(8, 9, 3)]
    [InlineData(9, 8, 3)]
    public void ATomogramThatDiffersFromTheTruthOnAnyAxisIsRefused(int nx, int ny, int nz)
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        VolumeIO.Write(dir.File("tomo.mrc"), new Volume<float>(nx, ny, nz, VoxelSize.Isotropic(10)));
        var e = Assert.Throws<InvalidInputException>(() =>
            EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Tomogram = dir.File("tomo.mrc") }, dir.File("out"), new Provenance("evaluate")));
        Assert.Contains("differs in size from the truth labels", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateFiles(dir.File("out")).Any(), "nothing written");
    }

    [Fact]
    public void ThePerSlicePlotDrawsThePaperPercentagesAndEachMethodsF1CountedByHand()
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        var r = EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Objects = false }, null, new Provenance("evaluate"));
        var series = EvaluationRun.PerSliceSeries(r.Methods);
        Assert.Equal(new[] { "network: TP % of labelled (exact)", "network: FN %", "network: FP %", "network: F1 (±1 voxel) × 100" }, series.Select(s => s.Name));
        // the labelled slices 0 and 2 (slice 1 has no true or predicted voxel)
        foreach (var s in series) Assert.Equal(new[] { 0.0, 2.0 }, s.X);
        Assert.Equal(new[] { 60.0, 100.0 }, series[0].Y);
        Assert.Equal(new[] { 20.0, 0.0 }, series[1].Y);
        Assert.Equal(new[] { 20.0, 0.0 }, series[2].Y);
        Assert.Equal(100 * 6.0 / 7, series[3].Y[0], 9); // slice 0: P 3/4, R 1 → F1 6/7
        Assert.Equal(100.0, series[3].Y[1], 9);
    }

    [Fact]
    public void ThePerSliceTableHasOneRowPerSliceCountedByHand()
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Objects = false }, dir.File("out"), new Provenance("evaluate"));
        var rows = File.ReadAllLines(dir.File("out/per-slice.csv"));
        Assert.Equal("method,z,labelled_px,tp_px,fn_px,fp_px,tp_percent,fn_percent,fp_percent,tolerant_precision,tolerant_recall,tolerant_f1", rows[0]);
        Assert.Equal(new[]
        {
            "network,0,5,3,1,1,60,20,20,0.75,1,0.8571",
            "network,1,0,0,0,0,NaN,NaN,NaN,1,1,1",
            "network,2,2,2,0,0,100,0,0,1,1,1",
        }, rows.Skip(1));
        Assert.True(new FileInfo(dir.File("out/per-slice.png")).Length > 1000);
        // without objects the JSON has no objects block
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir.File("out/evaluation.json")))!["methods"]![0]!["objects"]);
    }

    [Fact]
    public void AnIgnoreMaskIsFoundBesideASimulationsMembranesOnly()
    {
        using var dir = new TempDir();
        string membranes = dir.File("membranes.mrc"), ignore = dir.File("ignore.mrc"), other = dir.File("labels.mrc");
        Assert.Null(EvaluationRequest.FindIgnore(membranes, null, false)); // no ignore.mrc yet
        File.WriteAllText(ignore, "");
        Assert.Equal(ignore, EvaluationRequest.FindIgnore(membranes, null, false));
        Assert.Null(EvaluationRequest.FindIgnore(membranes, null, true));
        Assert.Null(EvaluationRequest.FindIgnore(other, null, false));
        Assert.Equal("mine.mrc", EvaluationRequest.FindIgnore(other, "mine.mrc", false));
        Assert.Null(EvaluationRequest.FindIgnore(other, "mine.mrc", true));
    }

    [Fact]
    public void TheModelMetricsNeedTheTomogram()
    {
        using var dir = new TempDir();
        var (pred, truth) = Write(dir);
        var e = Assert.Throws<InvalidOptionException>(() =>
            EvaluationRun.Run(new EvaluationRequest { Prediction = pred, Truth = truth, Model = dir.File("m.sxtmodel") }, null, new Provenance("evaluate")));
        Assert.Equal(nameof(EvaluationRequest.Model), e.Option);
        Assert.Contains("need the tomogram", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    // tp, fp, fn, tn → precision, recall, F1, IoU, accuracy (by hand)
    [InlineData(6, 2, 4, 8, 0.75, 0.6, 12.0 / 18, 0.5, 0.7)]
    [InlineData(0, 0, 0, 10, 1, 1, 1, 1, 1)]     // nothing to find, nothing found: perfect
    [InlineData(0, 0, 0, 0, 1, 1, 1, 1, 1)]      // no voxels at all: perfect too
    [InlineData(0, 0, 5, 10, 0, 0, 0, 0, 10.0 / 15)] // nothing found, 5 missed
    [InlineData(0, 3, 0, 10, 0, 0, 0, 0, 10.0 / 13)] // nothing to find, 3 found
    public void ConfusionScoresAreTheTextbookOnes(long tp, long fp, long fn, long tn, double precision, double recall, double f1, double iou, double accuracy)
    {
        var c = new Confusion(tp, fp, fn, tn);
        Assert.Equal(precision, c.Precision, 9);
        Assert.Equal(recall, c.Recall, 9);
        Assert.Equal(f1, c.F1, 9);
        Assert.Equal(iou, c.IoU, 9);
        Assert.Equal(accuracy, c.Accuracy, 9);
        Assert.Equal(tp + fp + fn + tn, c.Total);
        Assert.Equal(new Confusion(2 * tp, 2 * fp, 2 * fn, 2 * tn), c + c);
    }

    [Fact]
    public void TolerantScoresAndTheirEmptyCases()
    {
        // 10 predicted, 8 of them near the truth; 20 true, 15 of them near a prediction
        var s = new TolerantScore(1, 10, 8, 20, 15);
        Assert.Equal((0.8, 0.75), (s.Precision, s.Recall));
        Assert.Equal(2 * 0.8 * 0.75 / 1.55, s.F1, 9);
        Assert.Equal(10.0, s.FalsePositivePercentOfTruth, 9);
        var (tp, fn, fp) = s.PaperPercents; // of 15 + 5 + 2
        Assert.Equal((1500.0 / 22, 500.0 / 22, 200.0 / 22), (tp, fn, fp));
        var none = new TolerantScore(1, 0, 0, 0, 0);
        Assert.Equal((1.0, 1.0, 1.0, 0.0), (none.Precision, none.Recall, none.F1, none.FalsePositivePercentOfTruth));
        Assert.True(double.IsNaN(none.PaperPercents.TruePositive) && double.IsNaN(none.PaperPercents.FalseNegative) && double.IsNaN(none.PaperPercents.FalsePositive));
        var spurious = new TolerantScore(1, 5, 0, 0, 0);
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (spurious.Precision, spurious.Recall, spurious.F1, spurious.FalsePositivePercentOfTruth));
        var missed = new TolerantScore(1, 0, 0, 4, 0);
        Assert.Equal((0.0, 0.0), (missed.Precision, missed.Recall));
        Assert.Equal(new TolerantScore(1, 20, 16, 40, 30), s + s);
        // a slice's paper percentages are of its labelled pixels (TP + FN + FP)
        var slice = new SliceScore(3, new Confusion(6, 2, 4, 8), s);
        Assert.Equal(12, slice.Labelled);
        Assert.Equal((50.0, 100.0 / 3, 100.0 / 6), (slice.TruePositivePercent, slice.FalseNegativePercent, slice.FalsePositivePercent));
        var empty = new SliceScore(0, new Confusion(0, 0, 0, 9), none);
        Assert.True(double.IsNaN(empty.TruePositivePercent) && double.IsNaN(empty.FalseNegativePercent) && double.IsNaN(empty.FalsePositivePercent));
    }
}
