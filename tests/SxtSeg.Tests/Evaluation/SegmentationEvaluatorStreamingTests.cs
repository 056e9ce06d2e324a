using SxtSeg.Evaluation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// <see cref="SegmentationEvaluator"/> on files (the streaming path): options, size checks, float
/// predictions, a slice range whose neighbours still count, labels other than 1, an ignore mask;
/// and <see cref="Summary"/>. Every count is worked out by hand.
/// </summary>
public sealed class SegmentationEvaluatorStreamingTests
{
    private static IVolumeReader Open<T>(TempDir dir, string name, Volume<T> v) where T : unmanaged
    {
        VolumeIO.Write(dir.File(name), v);
        return VolumeIO.OpenRead(dir.File(name));
    }

    /// <summary>
    /// 4 × 4 × 3. Truth: (z 1, y 2, x 2) and (2, 1, 1). Prediction (value 255): (0, 2, 2), right
    /// below the first true voxel; (2, 0, 1), one row above the second; (2, 3, 3), far from any,
    /// but ignored. Slices 1..2, k = 1:
    /// slice 1: FN 1, TN 15; the true voxel is found through slice 0 (outside the range);
    /// slice 2: FP 1 (near the truth), FN 1 (found by it), TN 13, the ignored voxel in no tally.
    /// </summary>
    [Fact]
    public void ASliceRangeCountsNeighboursOutsideItAndIgnoredVoxelsNowhere()
    {
        // Given
        using var dir = new TempDir();
        var truth = new Volume<byte>(4, 4, 3);
        var pred = new Volume<byte>(4, 4, 3);
        var ignore = new Volume<byte>(4, 4, 3);
        truth[1, 2, 2] = truth[2, 1, 1] = 1;
        pred[0, 2, 2] = pred[2, 0, 1] = pred[2, 3, 3] = 255;
        ignore[2, 3, 3] = 1;
        using var p = Open(dir, "p.mrc", pred);
        using var t = Open(dir, "t.mrc", truth);
        using var g = Open(dir, "g.mrc", ignore);
        var progress = new ProgressLog();
        // When
        var e = SegmentationEvaluator.Evaluate(p, t, new EvaluationOptions { Slices = (1, 2) }, progress, g);
        // Then
        Assert.Equal(new[] { 1, 2 }, e.Slices.Select(s => s.Z));
        Assert.Equal(new Confusion(0, 0, 1, 15), e.Slices[0].Counts);
        Assert.Equal(new TolerantScore(1, 0, 0, 1, 1), e.Slices[0].Tolerant);
        Assert.Equal(new Confusion(0, 1, 1, 13), e.Slices[1].Counts);
        Assert.Equal(new TolerantScore(1, 1, 1, 1, 1), e.Slices[1].Tolerant);
        Assert.Equal(new Confusion(0, 1, 2, 28), e.Exact);
        Assert.Equal(new TolerantScore(1, 1, 1, 2, 2), e.Tolerant);
        Assert.Equal(new[] { new ProgressUpdate("evaluating", 1, 2, "slices"), new ProgressUpdate("evaluating", 2, 2, "slices") }, progress.Items);
    }

    [Fact]
    public void AFloatPredictionIsThresholdedAtOneHalf()
    {
        // Given predictions 0.49, 0.5, 0.51, 0 against truth 0, 1, 1, 1 (exact overlap only)
        using var dir = new TempDir();
        var pred = new Volume<float>(4, 1, 1);
        pred.Data[0] = 0.49f; pred.Data[1] = 0.5f; pred.Data[2] = 0.51f;
        var truth = new Volume<byte>(4, 1, 1);
        truth.Data[1] = truth.Data[2] = truth.Data[3] = 1;
        using var p = Open(dir, "p.mrc", pred);
        using var t = Open(dir, "t.mrc", truth);
        // When
        var e = SegmentationEvaluator.Evaluate(p, t, new EvaluationOptions { Tolerance = 0 });
        // Then 0.5 and 0.51 are labels, 0.49 is not
        Assert.Equal(new Confusion(2, 0, 1, 1), e.Exact);
        Assert.Equal(new TolerantScore(0, 2, 2, 3, 2), e.Tolerant);
    }

    [Theory]
    [InlineData(-1, null, null, nameof(EvaluationOptions.Tolerance), "must be 0..10 voxels, got -1")]
    [InlineData(11, null, null, nameof(EvaluationOptions.Tolerance), "must be 0..10 voxels, got 11")]
    [InlineData(1, -1, 1, nameof(EvaluationOptions.Slices), "-1:0 is outside 0:3")]
    [InlineData(1, 0, 0, nameof(EvaluationOptions.Slices), "0:0 is outside 0:3")]
    [InlineData(1, 2, 2, nameof(EvaluationOptions.Slices), "2:4 is outside 0:3")]
    public void OptionsOutsideTheirRangeAreRefused(int tolerance, int? first, int? count, string option, string problem)
    {
        using var dir = new TempDir();
        using var p = Open(dir, "p.mrc", new Volume<byte>(4, 4, 3));
        var options = new EvaluationOptions { Tolerance = tolerance, Slices = first is null ? null : (first.Value, count!.Value) };
        var e = Assert.Throws<InvalidOptionException>(() => SegmentationEvaluator.Evaluate(p, p, options));
        Assert.Equal((option, problem), (e.Option, e.Problem));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(10, 1)]
    public void TheBoundsOfTheOptionsAreAccepted(int tolerance, int count)
    {
        using var dir = new TempDir();
        using var p = Open(dir, "p.mrc", new Volume<byte>(4, 4, 3));
        var e = SegmentationEvaluator.Evaluate(p, p, new EvaluationOptions { Tolerance = tolerance, Slices = (3 - count, count) });
        Assert.Equal(count, e.Slices.Count);
        Assert.Equal(new Confusion(0, 0, 0, 16L * count), e.Exact);
    }

    [Theory]
    [InlineData(5, 4, 3)]
    [InlineData(4, 5, 3)]
    [InlineData(4, 4, 2)]
    public void VolumesOfAnotherSizeAreRefusedNamingTheFile(int nx, int ny, int nz)
    {
        using var dir = new TempDir();
        using var t = Open(dir, "t.mrc", new Volume<byte>(4, 4, 3));
        using var other = Open(dir, "other.mrc", new Volume<byte>(nx, ny, nz));
        var asPrediction = Assert.Throws<InvalidInputException>(() => SegmentationEvaluator.Evaluate(other, t));
        Assert.Contains("other.mrc", asPrediction.Message);
        Assert.Contains($"is {nx} × {ny} × {nz} but the truth", asPrediction.Message);
        var asIgnore = Assert.Throws<InvalidInputException>(() => SegmentationEvaluator.Evaluate(t, t, ignore: other));
        Assert.Contains("other.mrc", asIgnore.Message);
        Assert.Contains($"is {nx} × {ny} × {nz}", asIgnore.Message);
        // and in memory
        var a = new Volume<byte>(4, 4, 3);
        var b = new Volume<byte>(nx, ny, nz);
        Assert.Equal("volumes differ in size", Assert.Throws<ArgumentException>(() => SegmentationEvaluator.Evaluate(b, a)).Message);
        Assert.Equal("the ignore mask differs in size", Assert.Throws<ArgumentException>(() => SegmentationEvaluator.Evaluate(a, a, 1, b)).Message);
    }

    [Fact]
    public void SummaryIsTheMeanAndSampleSdOfTheFiniteValues()
    {
        // {1, 2, 6}: mean 3, sample SD √((4 + 1 + 9) / 2) = √7
        var s = Summary.Of(new[] { 1, double.NaN, 2, double.PositiveInfinity, 6 });
        Assert.Equal((3.0, Math.Sqrt(7), 3), (s.Mean, s.Sd, s.N));
        Assert.Equal("3.0 ± 2.6", s.Format());
        Assert.Equal("3.00 ± 2.65", s.Format("0.00"));
        Assert.Equal(new Summary(5, 0, 1), Summary.Of(new[] { 5.0 }));
        var none = Summary.Of(new[] { double.NaN });
        Assert.True(double.IsNaN(none.Mean) && double.IsNaN(none.Sd) && none.N == 0);
        Assert.Equal("n/a", none.Format());
    }
}
