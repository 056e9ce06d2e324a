using SxtSeg.Inference;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>Hand-worked answers for the polarity decision rule and record, and for the clean-up helpers.</summary>
public sealed class PolarityAndCleanUpKnownAnswerTests
{
    [Theory]
    [InlineData("auto", Polarity.Auto)]
    [InlineData(" Dense-Bright ", Polarity.DenseBright)]
    [InlineData("bright", Polarity.DenseBright)]
    [InlineData("dense-dark", Polarity.DenseDark)]
    [InlineData("DARK", Polarity.DenseDark)]
    [InlineData("inverted", Polarity.DenseDark)]
    public void PolarityNamesParse(string text, Polarity expected) => Assert.Equal(expected, PolarityDecision.Parse(text));

    [Fact]
    public void AnUnknownPolarityIsRefusedNamingIt()
    {
        var e = Assert.Throws<InvalidOptionException>(() => PolarityDecision.Parse("sideways"));
        Assert.Equal(nameof(SegmentOptions.Polarity), e.Option);
        Assert.Equal("'sideways' is not auto, dense-bright or dense-dark", e.Problem);
        Assert.Throws<InvalidOptionException>(() => PolarityDecision.Parse(""));
    }

    [Theory]
    // evidence as stored, negated, skewness → decision
    [InlineData(0.30, 0.10, 0.0, Polarity.DenseBright)]   // clear evidence as stored
    [InlineData(0.10, 0.30, 5.0, Polarity.DenseDark)]     // clear evidence negated: the skewness is not asked
    [InlineData(0.24, 0.20, -1.5, Polarity.DenseDark)]    // within the skewness's reach (0.24 = 1.2 × 0.20 exactly) and |skewness| = 1.5: skewness decides
    [InlineData(0.24, 0.20, -1.49, Polarity.DenseBright)] // within it, skewness not clear: the evidence decides
    [InlineData(0.2401, 0.20, -3.0, Polarity.DenseBright)] // just beyond it: the evidence decides
    [InlineData(0.25, 0.20, -4.52, Polarity.DenseBright)] // a tie (flagged) but beyond 1.2: the evidence decides (the gold bead's −4.52 of a seed-11 BESSY simulation, until 2026-11-29 dense-dark)
    [InlineData(0.20, 0.21, 1.5, Polarity.DenseBright)]   // tie, skewness +1.5: dense-bright
    [InlineData(0.20, 0.21, 1.2, Polarity.DenseDark)]     // tie, skewness 1.2 (not clear since 2026-11-26): the evidence decides
    [InlineData(0.20, 0.20, double.NaN, Polarity.DenseBright)] // equal and no skewness: as stored
    public void TheDecisionRule(double asIs, double inverted, double skewness, Polarity expected)
    {
        Assert.Equal(expected, PolarityDetector.Decide(asIs, inverted, skewness));
        // and a negated tomogram gets the opposite decision (equal evidence excepted)
        if (asIs != inverted)
            Assert.Equal(expected == Polarity.DenseBright ? Polarity.DenseDark : Polarity.DenseBright, PolarityDetector.Decide(inverted, asIs, -skewness));
    }

    [Theory]
    // evidence as stored, negated (the deciding model's) → weak, uncertain
    [InlineData(0.000007, 0.000064, true, true)]   // a held-out diamond-b24 simulation of 48 slices: a ratio of 9 on next to nothing
    [InlineData(0.00099, 0.0001, true, true)]      // just under the floor
    [InlineData(0.001, 0.0001, false, false)]      // at the floor, 10 × apart: a clear decision
    [InlineData(0.003378, 0.000048, false, false)] // the scan's weakest clear decision (ALS at 20 nm)
    public void ADecisionOnNextToNoMembraneIsFlagged(double asIs, double inverted, bool weak, bool uncertain)
    {
        var d = new PolarityDecision(inverted > asIs ? Polarity.DenseDark : Polarity.DenseBright, true, asIs, inverted, 0.0, 12);
        Assert.Equal(weak, d.Weak);
        Assert.Equal(uncertain, d.Uncertain);
        // the referee's evidence counts when the referee decided
        var r = new PolarityDecision(Polarity.DenseBright, true, 0.02, 0.019, 0.0, 12) { Referee = d, RefereeModel = "abc" };
        Assert.Equal(weak, r.Weak);
        Assert.False(PolarityDetector.Given(Polarity.DenseDark).Weak); // a given polarity has no evidence to judge
    }

    [Fact]
    public void ADecisionRecordsItsEvidence()
    {
        var d = new PolarityDecision(Polarity.DenseDark, true, 0.1234567, 0.4, -2.345678, 4);
        Assert.Equal(-1f, d.Sign);
        Assert.Equal("dense-dark", d.Name);
        Assert.Equal(0.4 / 0.1234567, d.Confidence, 9);
        var j = d.ToJson();
        Assert.Equal("dense-dark", (string?)j["polarity"]);
        Assert.True((bool)j["detected"]!);
        Assert.Equal("model evidence: mean of clamp(2p − 1, 0, 1)² on sampled slices as stored vs negated; the larger wins, unless the two are within 20 % of each other and |skewness| ≥ 1.5, when the skewness's sign decides; a model with a polarity referee (a one-slice model it carries) leaves its decision to the referee's, by this same rule, whenever its own two evidences are within 60 % of each other", (string?)j["method"]);
        Assert.Equal(0.123457, (double)j["evidence_as_stored"]!, 12);
        Assert.Equal(0.4, (double)j["evidence_negated"]!, 12);
        Assert.Equal(-2.3457, (double)j["skewness"]!, 12);
        Assert.Equal(4, (int)j["slices_sampled"]!);
        Assert.Equal("evidence", (string?)j["decided_by"]); // 3.24 × apart: the evidence
        Assert.Equal("dense-dark (detected: model evidence 0.1235 as stored, 0.4 negated)", d.Describe());
        Assert.Null(j["referee"]);
        // a tie decided by a referee records the referee's evidence and model id, without a method of its own
        var r = new PolarityDecision(Polarity.DenseBright, true, 0.2, 0.21, 0.3, 12)
        { Referee = new PolarityDecision(Polarity.DenseBright, true, 0.05, 0.0123456789, 1.0, 12), RefereeModel = "abc" };
        var rj = r.ToJson()["referee"]!;
        Assert.Equal("abc", (string?)rj["model_id"]);
        Assert.Equal("dense-bright", (string?)rj["polarity"]);
        Assert.Equal(0.012346, (double)rj["evidence_negated"]!, 12);
        Assert.Null(rj["method"]);
        Assert.True(r.Tie);
        Assert.False(r.Uncertain);
        Assert.Equal("referee", (string?)r.ToJson()["decided_by"]);
        Assert.Equal("evidence", (string?)rj["decided_by"]);
        Assert.Equal("dense-bright (detected: model evidence 0.2 as stored, 0.21 negated; a tie, decided by the polarity referee: 0.05 as stored, 0.0123 negated)", r.Describe());
        // a referee whose evidence ties within 1.2 × and whose skewness is clear: the skewness decided, and the line says so
        var s = new PolarityDecision(Polarity.DenseBright, true, 0.0188, 0.0196, -4.52, 12)
        { Referee = new PolarityDecision(Polarity.DenseBright, true, 0.0132, 0.0121, 2.5, 12), RefereeModel = "abc" };
        Assert.True(s.Referee!.BySkewness);
        Assert.Equal("skewness", (string?)s.ToJson()["referee"]!["decided_by"]);
        Assert.Equal("referee's skewness", (string?)s.ToJson()["decided_by"]);
        Assert.Equal("dense-bright (detected: model evidence 0.0188 as stored, 0.0196 negated; a tie, decided by the polarity referee: 0.0132 as stored, 0.0121 negated; by the skewness of the values, +2.5, the evidence within 20 %)", s.Describe());
        // Given, not detected: no evidence, no skewness
        var g = PolarityDetector.Given(Polarity.DenseDark).ToJson();
        Assert.Equal("dense-dark", (string?)g["polarity"]);
        Assert.False((bool)g["detected"]!);
        Assert.Equal("given (--polarity)", (string?)g["method"]);
        Assert.Null(g["evidence_as_stored"]);
        Assert.Null(g["evidence_negated"]);
        Assert.Null(g["skewness"]);
        Assert.Null(g["decided_by"]);
        Assert.Equal("dense-dark (given)", PolarityDetector.Given(Polarity.DenseDark).Describe());
        Assert.Equal(0, (int)g["slices_sampled"]!);
        Assert.Equal(Polarity.DenseBright, PolarityDetector.Given(Polarity.DenseBright).Polarity);
        Assert.Equal(Polarity.DenseBright, PolarityDetector.Given(Polarity.Auto).Polarity);
        // Confidence of a zero evidence is huge, not a division by zero
        Assert.Equal(0.5 / 1e-12, new PolarityDecision(Polarity.DenseBright, true, 0.5, 0, 0, 1).Confidence, 1);
    }

    [Theory]
    [InlineData(3, 4, "0,1,2")]
    [InlineData(4, 4, "0,1,2,3")]
    [InlineData(50, 4, "14,21,29,36")]    // round(50·(0.2 + 0.6·(i + ½)/4)) = 13.75, 21.25, 28.75, 36.25
    [InlineData(20, 2, "7,13")]           // 20·(0.2 + 0.6·¼) = 7, 20·(0.2 + 0.6·¾) = 13
    public void SampledSlicesSpanTheCentral60Percent(int nz, int samples, string expected)
        => Assert.Equal(expected, string.Join(',', PolarityDetector.SampledSlices(nz, samples)));

    [Theory]
    [InlineData(new float[] { 0.5f, 0.75f, 1f, 0f }, (0 + 0.25 + 1 + 0) / 4.0)]
    [InlineData(new float[] { 0.9f }, 0.64)]
    public void EvidenceIsTheMeanOfClampedSquares(float[] p, double expected)
        => Assert.Equal(expected, PolarityDetector.Evidence(p), 6);

    [Fact]
    public void TheSmallestObjectKeptIsTheLargerOfVoxelsAndVolume()
    {
        var vs = VoxelSize.Isotropic(10); // 1000 nm³ a voxel
        Assert.Equal(7, PostProcessing.MinimumObjectVoxels(new SegmentOptions { MinObjectVoxels = 7 }, null));
        Assert.Equal(7, PostProcessing.MinimumObjectVoxels(new SegmentOptions { MinObjectVoxels = 7, MinObjectVolumeNm3 = 2500 }, vs)); // 3 voxels < 7
        Assert.Equal(13, PostProcessing.MinimumObjectVoxels(new SegmentOptions { MinObjectVoxels = 7, MinObjectVolumeNm3 = 12001 }, vs)); // ⌈12.001⌉
        var e = Assert.Throws<InvalidOptionException>(() => PostProcessing.MinimumObjectVoxels(new SegmentOptions { MinObjectVolumeNm3 = 5 }, null));
        Assert.Equal(nameof(SegmentOptions.MinObjectVolumeNm3), e.Option);
        Assert.Equal("needs the tomogram's voxel size (give --voxel-size)", e.Problem);
    }

    [Fact]
    public void CroppingClearsTheBorderAndTheEndSlices()
    {
        // 5 × 4 slices of 1s, 6 slices, a border of 1
        const int nx = 5, ny = 4, nz = 6;
        string Crop(int z, int crop)
        {
            var s = Enumerable.Repeat((byte)1, nx * ny).ToArray();
            PostProcessing.CropBorder(s, z, nx, ny, nz, crop);
            return string.Concat(s.Select(b => b.ToString()));
        }
        Assert.Equal(new string('0', 20), Crop(0, 1));
        Assert.Equal(new string('0', 20), Crop(5, 1));
        Assert.Equal("00000" + "01110" + "01110" + "00000", Crop(1, 1));
        Assert.Equal("00000" + "01110" + "01110" + "00000", Crop(4, 1));
        Assert.Equal(new string('0', 20), Crop(1, 2));
        Assert.Equal(new string('0', 20), Crop(4, 2));
        Assert.Equal(new string('0', 20), Crop(2, 2)); // x and y borders of 2 leave nothing of 5 × 4
        Assert.Equal(new string('1', 20), Crop(0, 0));
        // a single slice (an image, or a one-slice range) keeps its inside: it has no z faces
        var single = Enumerable.Repeat((byte)1, nx * ny).ToArray();
        PostProcessing.CropBorder(single, 0, nx, ny, 1, 1);
        Assert.Equal("00000" + "01110" + "01110" + "00000", string.Concat(single.Select(b => b.ToString())));
    }
}
