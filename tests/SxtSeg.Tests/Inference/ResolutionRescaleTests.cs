using System.Text.Json.Nodes;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>
/// <c>segment --resolution</c>: the model card's pixels per resolution element of its training data
/// (<see cref="TrainedResolution"/>) and the in-plane scale chosen from it, against hand-computed values.
/// </summary>
public sealed class ResolutionRescaleTests
{
    /// <summary>The shipped model's figures: 10th percentile 2.82, median 3.48, 90th percentile 4.12 pixels.</summary>
    private static readonly TrainedResolution Shipped = new(2.82, 3.48, 4.12, 56);

    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities) => tiles[..(count * height * width)].CopyTo(probabilities);
    }

    private static SegmentationModel Model(TrainedResolution? resolution)
        => new(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), resolution);

    [Fact]
    public void PercentilesInterpolateLinearlyAsNumpyDoes()
    {
        // 1..11: positions 1, 5 and 9 exactly
        var a = TrainedResolution.FromSamples(new double[] { 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })!;
        Assert.Equal((2.0, 6.0, 10.0, 11), (a.Low, a.Median, a.High, a.Volumes));
        // 1, 2, 3, 4 (unsorted, with values that are not pixels dropped): positions 0.3, 1.5, 2.7
        var b = TrainedResolution.FromSamples(new[] { 3, double.NaN, 1, 4, -2, 2 })!;
        Assert.Equal(1.3, b.Low, 12);
        Assert.Equal(2.5, b.Median, 12);
        Assert.Equal(3.7, b.High, 12);
        Assert.Equal(4, b.Volumes);
        Assert.Null(TrainedResolution.FromSamples(Array.Empty<double>()));
    }

    [Theory]
    [InlineData(30.5, 9.8, 1.0)]                 // BESSY (25 nm zone plate, 9.8 nm): 3.11 px, inside
    [InlineData(48.8, 13.0, 1.0)]                // ALBA (40 nm, 13 nm): 3.75 px, inside
    [InlineData(48.8, 10.0, 3.48 / 4.88)]        // Diamond B24 (40 nm, 10 nm): 4.88 px → 3.48, scale 0.7131
    [InlineData(97.6, 10.0, 3.48 / 9.76)]        // ALS data blown up to 10 nm: 9.76 px → scale 0.3566
    [InlineData(30.5, 25.0, 3.48 / 1.22)]        // BESSY data binned to 25 nm: 1.22 px → scale 2.852
    [InlineData(41.2, 10.0, 1.0)]                // exactly the 90th percentile: inside
    public void TheScaleBringsTheResolutionToTheTrainedMedianOnlyFromOutsideTheCentralRange(double resolution, double voxel, double expected)
        => Assert.Equal(expected, Shipped.ScaleFor(resolution, voxel), 9);

    [Fact]
    public void SegmentUsesTheResolutionWhenTheModelStatesItsOwn()
    {
        var warnings = new List<string>();
        var opts = new SegmentOptions { ResolutionNm = 48.8 };
        // Diamond B24: 10 nm voxels are inside the model's voxel-size range (9.8–30), so only the resolution rescales
        using var model = Model(Shipped);
        Assert.Equal(3.48 / 4.88, Segmenter.CheckVoxelSize(VoxelSize.Isotropic(10), model, opts, "t.mrc", warnings.Add), 9);
        Assert.Equal(1.0, Segmenter.CheckVoxelSize(VoxelSize.Isotropic(10), model, new SegmentOptions(), "t.mrc", warnings.Add), 9);
        Assert.Empty(warnings);
        // --no-rescale: as it is, with a warning that names the pixels per resolution element
        Assert.Equal(1.0, Segmenter.CheckVoxelSize(VoxelSize.Isotropic(10), model, opts with { Rescale = false }, "t.mrc", warnings.Add), 9);
        Assert.Contains("4.88 pixels", Assert.Single(warnings));
        // without a voxel size the resolution cannot be turned into pixels: a user error naming --resolution
        var e = Assert.Throws<InvalidOptionException>(() => Segmenter.CheckVoxelSize(null, model, opts, "t.mrc", warnings.Add));
        Assert.Equal(nameof(SegmentOptions.ResolutionNm), e.Option);
        Assert.Contains("--voxel-size", e.Problem);
        // nor with a header's 1 µm per pixel, a writer's default no cryo-SXT tomogram has
        var d = Assert.Throws<InvalidOptionException>(() => Segmenter.CheckVoxelSize(VoxelSize.Isotropic(1000), model, opts, "t.mrc", warnings.Add));
        Assert.Equal(nameof(SegmentOptions.ResolutionNm), d.Option);
        Assert.Contains("1000 nm", d.Problem);
        Assert.Contains("--voxel-size", d.Problem);
    }

    [Fact]
    public void AModelWithoutATrainingResolutionIgnoresTheOptionWithAWarning()
    {
        var warnings = new List<string>();
        using var model = Model(null);
        // the voxel-size rule applies: 5 nm is resampled to the range's 9.8 nm
        Assert.Equal(5.0 / 9.8, Segmenter.CheckVoxelSize(VoxelSize.Isotropic(5), model, new SegmentOptions { ResolutionNm = 48.8 }, "t.mrc", warnings.Add), 9);
        Assert.Contains("states no training resolution", Assert.Single(warnings));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(20000)]
    [InlineData(double.NaN)]
    public void ImplausibleResolutionsAreRefused(double r)
        => Assert.Equal(nameof(SegmentOptions.ResolutionNm), Assert.Throws<InvalidOptionException>(() => new SegmentOptions { ResolutionNm = r }.Validate()).Option);

    [Fact]
    public void TheCardKeepsTheFiguresAndRefusesInconsistentOnes()
    {
        var card = new ModelCard(8) { ResolutionPx = Shipped };
        var json = card.ToJson();
        Assert.Equal(3.48, (double)json["resolution_px"]!["median"]!);
        Assert.Equal(Shipped, TrainedResolution.FromJson(json["resolution_px"]));
        Assert.Null(TrainedResolution.FromJson(JsonNode.Parse("""{"p10": 4, "median": 3, "p90": 5}""")));
        Assert.Null(TrainedResolution.FromJson(null));
        Assert.Equal("2.82–4.12 pixels per resolution element (median 3.48, 56 training volumes); segment --resolution NM resamples tomograms outside it to the median", ModelCardText.Resolution(card));
        Assert.Equal("not stated (segment --resolution has no effect)", ModelCardText.Resolution(new ModelCard(8)));
    }

    [Fact]
    public void ASimulationsTruthStatesItsResolution()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.File("s"));
        File.WriteAllText(tmp.File("s/truth.json"), """{"instrument": {"name": "diamond-b24", "voxel_size_nm": 10}, "derived": {"resolution_nm": 48.8}}""");
        Assert.Equal((48.8, 10.0), SimulationResult.ReadResolution(tmp.File("s")));
        File.WriteAllText(tmp.File("s/truth.json"), """{"instrument": "diamond-b24"}""");
        Assert.Null(SimulationResult.ReadResolution(tmp.File("s")));
        Assert.Null(SimulationResult.ReadResolution(tmp.File("none")));
    }
}
