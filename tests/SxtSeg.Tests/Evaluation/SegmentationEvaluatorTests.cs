using SxtSeg.Evaluation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

public sealed class SegmentationEvaluatorTests
{
    [Fact]
    public void CountsAndScoresMatchHandComputation()
    {
        // Given, in one 10 × 1 × 1 row: truth on x 0..7, prediction on x 2..11 of a 12-voxel row
        var t = new Volume<byte>(12, 1, 1);
        var p = new Volume<byte>(12, 1, 1);
        for (int x = 0; x < 8; x++) t.Data[x] = 1;
        for (int x = 2; x < 12; x++) p.Data[x] = 255;
        // When
        var e = SegmentationEvaluator.Evaluate(p, t, tolerance: 0);
        // Then TP 6, FP 4, FN 2, TN 0
        Assert.Equal(new Confusion(6, 4, 2, 0), e.Exact);
        Assert.Equal(0.6, e.Exact.Precision, 12);
        Assert.Equal(0.75, e.Exact.Recall, 12);
        Assert.Equal(12.0 / 18, e.Exact.F1, 12);
        Assert.Equal(0.5, e.Exact.IoU, 12);
        Assert.Equal(0.5, e.Exact.Accuracy, 12);
        // paper protocol over the 12 labelled pixels: 50 % TP, 16.7 % FN, 33.3 % FP
        var s = Assert.Single(e.Slices);
        Assert.Equal(50, s.TruePositivePercent, 9);
        Assert.Equal(100.0 * 2 / 12, s.FalseNegativePercent, 9);
        Assert.Equal(100.0 * 4 / 12, s.FalsePositivePercent, 9);
    }

    [Fact]
    public void OneVoxelShiftIsPerfectWithToleranceOneAndZeroWithout()
    {
        // Given a membrane plane at z = 3 in the truth and at z = 4 in the prediction
        var t = new Volume<byte>(9, 7, 8);
        var p = new Volume<byte>(9, 7, 8);
        t.Slice(3).Fill(1);
        p.Slice(4).Fill(1);
        // When
        var exact = SegmentationEvaluator.Evaluate(p, t, tolerance: 0);
        var tol = SegmentationEvaluator.Evaluate(p, t, tolerance: 1);
        // Then
        Assert.Equal(0, exact.Exact.F1);
        Assert.Equal(1, tol.Tolerant.Precision);
        Assert.Equal(1, tol.Tolerant.Recall);
        Assert.Equal(0, tol.Tolerant.FalsePositivePercentOfTruth);
    }

    [Fact]
    public void ToleranceUsesEuclideanBall()
    {
        // Given one true voxel and predictions at distances 1, √2, √3 and 2
        var t = new Volume<byte>(9, 9, 9);
        var p = new Volume<byte>(9, 9, 9);
        t[4, 4, 4] = 1;
        p[4, 4, 5] = 1; p[4, 5, 5] = 1; p[5, 5, 5] = 1; p[4, 4, 6] = 1;
        // When / Then: k = 1 accepts only the first; k = 2 accepts all four
        Assert.Equal(1, SegmentationEvaluator.Evaluate(p, t, 1).Tolerant.PredictedNearTruth);
        Assert.Equal(4, SegmentationEvaluator.Evaluate(p, t, 2).Tolerant.PredictedNearTruth);
        Assert.Equal(7, SegmentationEvaluator.BallOffsets(1).Length);
        Assert.Equal(33, SegmentationEvaluator.BallOffsets(2).Length);
    }

    [Fact]
    public void StreamingFromFilesEqualsInMemory()
    {
        using var dir = new TempDir();
        var rng = new Random(5);
        var t = new Volume<byte>(20, 16, 12);
        var p = new Volume<byte>(20, 16, 12);
        for (int i = 0; i < t.Length; i++) { t.Data[i] = (byte)(rng.NextDouble() < 0.1 ? 1 : 0); p.Data[i] = (byte)(rng.NextDouble() < 0.12 ? 255 : 0); }
        VolumeIO.Write(dir.File("t.mrc"), t);
        VolumeIO.Write(dir.File("p.tif"), p);
        using var pr = VolumeIO.OpenRead(dir.File("p.tif"));
        using var tr = VolumeIO.OpenRead(dir.File("t.mrc"));
        var a = SegmentationEvaluator.Evaluate(pr, tr, new EvaluationOptions { Tolerance = 1 });
        var b = SegmentationEvaluator.Evaluate(p, t, 1);
        Assert.Equal(b.Exact, a.Exact);
        Assert.Equal(b.Tolerant, a.Tolerant);
    }
}

/// <summary>Scores on visible membranes: the ignore mask by hand.</summary>
public sealed class IgnoreMaskTests
{
    [Fact]
    public void IgnoredVoxelsCountInNoTallyAndTheTruthIsTheVisiblePart()
    {
        // Given a 12-voxel row: truth on x 0..7 of which x 4..7 are ignored (a hidden membrane), a prediction
        // on x 0..1 (visible, true), x 5..6 (ignored: not counted) and x 10 (false, far from any truth)
        var t = new Volume<byte>(12, 1, 1);
        var p = new Volume<byte>(12, 1, 1);
        var ign = new Volume<byte>(12, 1, 1);
        for (int x = 0; x < 8; x++) t.Data[x] = 1;
        for (int x = 4; x < 8; x++) ign.Data[x] = 1;
        foreach (int x in new[] { 0, 1, 5, 6, 10 }) p.Data[x] = 1;
        // When
        var e = SegmentationEvaluator.Evaluate(p, t, tolerance: 0, ignore: ign);
        // Then over the 8 counted voxels (x 0..3 and 8..11): TP 2 (x 0, 1), FP 1 (x 10), FN 2 (x 2, 3), TN 3
        Assert.Equal(new Confusion(2, 1, 2, 3), e.Exact);
        // and with tolerance 1: predictions 3, near visible truth 2 (x 10 is not); truth 4, found 3 (x 2 next to x 1;
        // x 3 is next to x 4, which is not predicted)
        var tol = SegmentationEvaluator.Evaluate(p, t, tolerance: 1, ignore: ign).Tolerant;
        Assert.Equal((3L, 2L, 4L, 3L), (tol.Predicted, tol.PredictedNearTruth, tol.Truth, tol.TruthNearPrediction));
        // and without the mask, every voxel counts
        Assert.Equal(new Confusion(4, 1, 4, 3), SegmentationEvaluator.Evaluate(p, t, tolerance: 0).Exact);
    }

    [Fact]
    public void APredictionInTheIgnoredRegionStillFindsAVisibleNeighbour()
    {
        // Given truth x 0..3 with x 2..3 ignored and a single prediction at x 2 (ignored)
        var t = new Volume<byte>(6, 1, 1);
        var p = new Volume<byte>(6, 1, 1);
        var ign = new Volume<byte>(6, 1, 1);
        for (int x = 0; x < 4; x++) t.Data[x] = 1;
        ign.Data[2] = ign.Data[3] = 1;
        p.Data[2] = 1;
        // When / Then: no prediction is counted, but the visible true voxel x 1 is found through x 2
        var tol = SegmentationEvaluator.Evaluate(p, t, tolerance: 1, ignore: ign).Tolerant;
        Assert.Equal((0L, 0L, 2L, 1L), (tol.Predicted, tol.PredictedNearTruth, tol.Truth, tol.TruthNearPrediction));
    }
}

/// <summary>The thickness ratio of <see cref="MethodScores"/> by hand.</summary>
public sealed class ThicknessRatioTests
{
    [Theory]
    [InlineData(5, 5.0 / 3)]   // a band two voxels thicker: 5/3
    [InlineData(3, 1.0)]       // as thick
    [InlineData(1, 1.0 / 3)]   // a one-voxel line in the middle
    public void TheRatioIsThePredictedOverTheTrueBandThickness(int predicted, double expected)
    {
        using var dir = new TempDir();
        // Given a true membrane 3 voxels thick (z 10..12) and a centred prediction `predicted` voxels thick
        var t = new Volume<byte>(16, 12, 24, VoxelSize.Isotropic(10));
        var p = new Volume<byte>(16, 12, 24, VoxelSize.Isotropic(10));
        for (int z = 10; z <= 12; z++) t.Slice(z).Fill(1);
        for (int z = 11 - predicted / 2; z <= 11 + predicted / 2; z++) p.Slice(z).Fill(1);
        VolumeIO.Write(dir.File("t.mrc"), t);
        VolumeIO.Write(dir.File("p.mrc"), p);
        // When
        var r = EvaluationRun.Run(new EvaluationRequest { Prediction = dir.File("p.mrc"), Truth = dir.File("t.mrc"), Objects = false }, null, new Provenance("evaluate"));
        // Then
        Assert.Equal(expected, r.Methods[0].ThicknessRatio, 9);
    }
}
