using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>Contrast polarity and the model's voxel-size range at segmentation.</summary>
public sealed class PolarityTests
{
    private static SegmentationModel Model((double, double)? range = null, VoxelSize? size = null)
        => new(new ITilePredictor[] { new PointwisePredictor() }, (_, _, _) => { }, "test-model", size ?? VoxelSize.Isotropic(10), "pointwise", 0.5, range);

    private static SegmentOptions Opts => new() { Tiles = new TileOptions { TileSize = 32, Overlap = 8, BatchSize = 2 } };

    /// <summary>Thin bright rings (value 1) on a dim textured background (0–0.3): dense-bright.</summary>
    internal static Volume<float> Rings(float sign, int nz = 8)
    {
        var v = new Volume<float>(40, 36, nz, VoxelSize.Isotropic(10));
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                {
                    double r = Math.Sqrt((x - 20) * (x - 20) + (y - 18) * (y - 18));
                    double val = Math.Abs(r - 11 - 0.3 * z) < 1 ? 1 : 0.15 + 0.15 * Math.Sin(0.9 * x) * Math.Cos(0.7 * y);
                    v[z, y, x] = sign * (float)val;
                }
        return v;
    }

    [Fact]
    public void ANegatedTomogramIsDetectedAsDenseDarkAndGetsTheSameLabels()
    {
        using var dir = new TempDir();
        // Given a dense-bright tomogram and its negation
        VolumeIO.Write(dir.File("a.mrc"), Rings(1));
        VolumeIO.Write(dir.File("b.mrc"), Rings(-1));
        using var model = Model();
        // When both are segmented with automatic polarity
        var a = Segmenter.Run(dir.File("a.mrc"), dir.File("A"), model, Opts, new Provenance("segment"));
        var b = Segmenter.Run(dir.File("b.mrc"), dir.File("B"), model, Opts, new Provenance("segment"));
        // Then the first is dense-bright, the second dense-dark, and the labels are identical (and not empty)
        Assert.Equal(Polarity.DenseBright, a.Polarity!.Polarity);
        Assert.Equal(Polarity.DenseDark, b.Polarity!.Polarity);
        var la = VolumeIO.Read<byte>(dir.File("A/labels.mrc")).Data;
        var lb = VolumeIO.Read<byte>(dir.File("B/labels.mrc")).Data;
        Assert.Equal(la, lb);
        Assert.True(la.Count(x => x != 0) > 100);
        // and the sidecar records the decision and its evidence
        string json = File.ReadAllText(dir.File("B/segment.json"));
        Assert.Contains("\"polarity\": \"dense-dark\"", json);
        Assert.Contains("evidence_negated", json);
    }

    [Fact]
    public void TheDecisionRestsOnTwelveSlicesOfALongerTomogram()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("a.mrc"), Rings(-1, nz: 30));
        using var model = Model();
        var a = Segmenter.Run(dir.File("a.mrc"), dir.File("A"), model, Opts, new Provenance("segment"));
        // 12 slices (four were too few on noisy tomograms), not all 30; and the negated rings are found dense-dark
        Assert.Equal(12, a.Polarity!.Slices);
        Assert.Equal(Polarity.DenseDark, a.Polarity.Polarity);
    }

    [Fact]
    public void TwoWorkersShareTheDecisionAndGetTheSameEvidence()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("a.mrc"), Rings(-1, nz: 30));
        using var reader = VolumeIO.OpenRead(dir.File("a.mrc"));
        using var one = Model();
        var w0 = new PointwisePredictor();
        var w1 = new PointwisePredictor();
        using var two = new SegmentationModel(new ITilePredictor[] { w0, w1 }, (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise", 0.5, null);
        var a = PolarityDetector.Detect(reader, one, Opts.Tiles);
        var b = PolarityDetector.Detect(reader, two, Opts.Tiles);
        // the same evidence to the last bit, and both workers predicted (as stored on one, negated on the other)
        Assert.Equal((a.EvidenceAsIs, a.EvidenceInverted, a.Polarity), (b.EvidenceAsIs, b.EvidenceInverted, b.Polarity));
        Assert.True(w0.Calls > 0 && w1.Calls > 0, $"calls {w0.Calls} / {w1.Calls}");
        Assert.Equal(w0.Calls, w1.Calls);
    }

    [Theory]
    // measured with `sxtseg-bench polarity-scan`. Clear model evidence wins whatever the skewness
    // (the real ALBA_8hpi slice, dense-dark: 0.0047 vs 0.0090, skewness +0.12)
    [InlineData(0.0047, 0.0090, 0.12, Polarity.DenseDark)]
    [InlineData(0.0216, 0.0031, -3.0, Polarity.DenseBright)]
    // a tie with a clear skewness: the skewness decides (the real Berkely-4hpi slice and the 7-slice model: 0.008196 vs 0.009248, +2.77)
    [InlineData(0.008196, 0.009248, 2.77, Polarity.DenseBright)]
    // a tie with skewness −1.25 (a dense-bright v1 BESSY simulation, 12 slices, 7-slice model): not clear, the evidence decides
    [InlineData(0.026314, 0.025706, -1.252, Polarity.DenseBright)]
    // just outside the tie (ratio 1.26): the model again
    [InlineData(0.0100, 0.0126, 1.5, Polarity.DenseDark)]
    [InlineData(0.0100, 0.0110, double.NaN, Polarity.DenseDark)]
    public void TheModelDecidesUnlessItCannotTellAndTheSkewnessIsClear(double asIs, double inverted, double skew, Polarity expected)
    {
        Assert.Equal(expected, PolarityDetector.Decide(asIs, inverted, skew));
        // and the rule is antisymmetric: the negated tomogram (evidences swapped, skewness negated) gets the other polarity
        var opposite = expected == Polarity.DenseBright ? Polarity.DenseDark : Polarity.DenseBright;
        Assert.Equal(opposite, PolarityDetector.Decide(inverted, asIs, -skew));
    }

    [Fact]
    public void AGivenPolarityIsUsedAsGiven()
    {
        using var dir = new TempDir();
        // Given the dense-bright tomogram segmented as if it were dense-dark
        VolumeIO.Write(dir.File("a.mrc"), Rings(1));
        using var model = Model();
        var s = Segmenter.Run(dir.File("a.mrc"), dir.File("A"), model, Opts with { Polarity = Polarity.DenseDark }, new Provenance("segment"));
        // Then nothing is membrane (every value is negated below 0) and the sidecar says it was given
        Assert.False(s.Polarity!.Detected);
        Assert.Equal(0, s.LabelledVoxels);
    }

    [Theory]
    [InlineData(13.0, true, 1.0)]        // inside the trained range: as it is
    [InlineData(8.0, true, 8.0 / 9.8)]   // below (beyond the 25 % tolerance? 8 ≥ 9.8·0.75 = 7.35: inside)
    [InlineData(5.0, true, 5.0 / 9.8)]   // far below: resampled to the smallest trained size
    [InlineData(50.0, true, 50.0 / 30)]  // far above: to the largest
    [InlineData(50.0, false, 1.0)]       // --no-rescale: as it is, with a warning
    public void VoxelSizesOutsideTheModelsRangeAreResampledToItsNearestEnd(double tomo, bool rescale, double expected)
    {
        using var model = Model((9.8, 30.0));
        var warnings = new List<string>();
        double s = Segmenter.CheckVoxelSize(VoxelSize.Isotropic(tomo), model, Opts with { Rescale = rescale }, "t.mrc", warnings.Add);
        Assert.Equal(tomo == 8.0 ? 1.0 : expected, s, 9);
        Assert.Equal(!rescale, warnings.Count == 1);
    }

    [Fact]
    public void AMissingVoxelSizeIsFlaggedAndNotRescaled()
    {
        using var model = Model((9.8, 30.0));
        var warnings = new List<string>();
        double s = Segmenter.CheckVoxelSize(null, model, Opts, "t.mrc", warnings.Add);
        Assert.Equal(1.0, s);
        var w = Assert.Single(warnings);
        Assert.Contains("voxel size unknown", w);
        Assert.Contains("--voxel-size", w);
    }
}
