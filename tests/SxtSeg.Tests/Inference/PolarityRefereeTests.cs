using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>
/// A model with context leaves a polarity decision it is not clear about (a tie, or a lean within 1.6×) to the one-slice model it carries (its
/// polarity referee); a clear decision of its own stands. Pointwise stand-ins for the networks.
/// </summary>
public sealed class PolarityRefereeTests
{
    /// <summary>
    /// A model blind to polarity (3 planes unless told): p = clamp(|v|, 0, 1) of the middle plane, so a
    /// slice and its negation give exactly the same evidence (a perfect tie).
    /// </summary>
    private sealed class Blind(int planes = 3) : ITilePredictor
    {
        public int Calls;
        public int SizeMultiple => 16;
        public int InputChannels => planes;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            Interlocked.Increment(ref Calls);
            int n = height * width;
            for (int t = 0; t < count; t++)
                for (int i = 0; i < n; i++) probabilities[t * n + i] = Math.Clamp(Math.Abs(tiles[(planes * t + planes / 2) * n + i]), 0f, 1f);
        }
    }

    private static SegmentationModel Model(ITilePredictor worker, string id, SegmentationModel? referee = null)
        => new(new[] { worker }, (_, _, _) => { }, id, VoxelSize.Isotropic(10), id, 0.5, null, null, referee);

    private static TileOptions Tiles => new() { TileSize = 32, Overlap = 8, BatchSize = 2 };

    /// <summary>The thin rings of <see cref="PolarityTests.Rings"/> (±1 on a dim textured background; +1: dense-bright) in 10 slices: weak skewness (no normalisation), never clear.</summary>
    private static Volume<float> Rings(float sign) => PolarityTests.Rings(sign, 10);

    private static PolarityDecision Detect(Volume<float> volume, SegmentationModel model)
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), volume);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        return PolarityDetector.Detect(reader, model, Tiles);
    }

    [Theory]
    [InlineData(1f, Polarity.DenseBright)]
    [InlineData(-1f, Polarity.DenseDark)]
    public void ATieOfTheModelsEvidenceIsLeftToItsReferee(float sign, Polarity expected)
    {
        // Given a model that cannot tell the polarity, carrying a one-slice referee that can
        var referee = new PointwisePredictor(1);
        using var model = Model(new Blind(), "blind", Model(referee, "referee-id"));
        // When the polarity of the rings (and of their negation) is detected
        var d = Detect(Rings(sign), model);
        // Then the model's own evidence is an exact tie, the referee decided, and the decision is right
        Assert.Equal(d.EvidenceAsIs, d.EvidenceInverted);
        Assert.True(d.Tie);
        Assert.NotNull(d.Referee);
        Assert.Equal(expected, d.Referee!.Polarity);
        Assert.Equal(expected, d.Polarity);
        Assert.Equal("referee-id", d.RefereeModel);
        Assert.True(referee.Calls > 0);
        // and it is not uncertain: the referee's evidence was clear (none of the ring is membrane one way round)
        Assert.False(d.Referee.Tie);
        Assert.False(d.Uncertain);
    }

    [Fact]
    public void WithoutARefereeTheSameTieFallsToTheStoredPolarityAndIsUncertain()
    {
        using var model = Model(new Blind(), "blind");
        var d = Detect(Rings(-1), model);
        // the skewness of these raw values is far from clear, so an exact tie keeps the values as stored: wrong here
        Assert.True(Math.Abs(d.Skewness) < 1.5, $"skewness {d.Skewness}");
        Assert.Equal(Polarity.DenseBright, d.Polarity);
        Assert.Null(d.Referee);
        Assert.True(d.Uncertain);
    }

    [Fact]
    public void AClearDecisionOfTheModelStandsAndTheRefereeIsNotAsked()
    {
        // Given a 3-plane model that tells the polarity clearly, with a referee that would say the opposite
        var referee = new PointwisePredictor(-1);
        using var model = Model(new PointwisePredictor(1, planes: 3), "clear", Model(referee, "contrary"));
        var d = Detect(Rings(-1), model);
        // Then the model decides alone
        Assert.False(d.Tie);
        Assert.Equal(Polarity.DenseDark, d.Polarity);
        Assert.Null(d.Referee);
        Assert.Equal(0, referee.Calls);
    }

    /// <summary>
    /// A 3-plane model that leans towards dark lines: p = 0.925 on a middle-plane value of −1, 0.85 on
    /// +1 (|v| ≤ 0.3 elsewhere gives p ≤ 0.28, no evidence). Its evidence, the mean of clamp(2p − 1, 0, 1)²,
    /// is the ring's share × 0.85² = 0.7225 one way and × 0.7² = 0.49 the other: ratio 1.4745, no tie
    /// (≤ 1.25) but not clear either.
    /// </summary>
    private sealed class LeansDark : ITilePredictor
    {
        public int SizeMultiple => 16;
        public int InputChannels => 3;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            int n = height * width;
            for (int t = 0; t < count; t++)
                for (int i = 0; i < n; i++)
                {
                    float v = tiles[(3 * t + 1) * n + i];
                    probabilities[t * n + i] = Math.Clamp(Math.Abs(v), 0f, 1f) * (v < 0 ? 0.925f : 0.85f);
                }
        }
    }

    [Fact]
    public void AModelThatOnlyLeansOneWayAsksItsReferee()
    {
        // Given dense-dark rings, which a model leaning towards dark lines takes for dense-bright by 1.47×,
        // and a referee that tells them right
        var referee = new PointwisePredictor(1);
        using var model = Model(new LeansDark(), "leaning", Model(referee, "referee-id"));
        var d = Detect(Rings(-1), model);
        // Then the model's evidence is 1.4745× the wrong way (not a tie), yet the referee was asked and decided right
        Assert.Equal(0.7225 / 0.49, d.Confidence, 3);
        Assert.True(d.EvidenceAsIs > d.EvidenceInverted);
        Assert.False(d.Tie);
        Assert.NotNull(d.Referee);
        Assert.Equal(Polarity.DenseDark, d.Polarity);
        // and, the referee having overruled the model's lean, the decision is flagged for a look at the overlay
        Assert.Equal(Polarity.DenseBright, d.OwnLean);
        Assert.True(d.Uncertain);
        Assert.True(referee.Calls > 0);
    }

    [Fact]
    public void ALeaningModelWhoseRefereeAgreesIsNotFlagged()
    {
        // Given the rings the leaning model takes for dense-bright (1.47×), and a referee that takes dark lines
        // for membrane too, so it agrees clearly (right or wrong, the two detectors concur)
        using var model = Model(new LeansDark(), "leaning", Model(new PointwisePredictor(-1), "referee-id"));
        var d = Detect(Rings(-1), model);
        Assert.False(d.Tie);
        Assert.NotNull(d.Referee);
        Assert.False(d.Referee!.Tie);
        Assert.Equal(Polarity.DenseBright, d.OwnLean);
        Assert.Equal(Polarity.DenseBright, d.Polarity);
        // Then no warning
        Assert.False(d.Uncertain);
    }

    [Fact]
    public void ALeaningModelWhoseRefereeTiesIsUncertain()
    {
        // Given the leaning model (1.47×, no tie of its own) with a referee that cannot tell either
        using var model = Model(new LeansDark(), "leaning", Model(new Blind(planes: 1), "blind-referee"));
        var d = Detect(Rings(-1), model);
        // Then the referee decided on an exact tie (the weak skewness leaves the values as stored: wrong),
        // and the decision is uncertain, so segment warns
        Assert.False(d.Tie);
        Assert.NotNull(d.Referee);
        Assert.True(d.Referee!.Tie);
        Assert.Equal(Polarity.DenseBright, d.Polarity);
        Assert.True(d.Uncertain);
    }

    [Fact]
    public void WithoutARefereeALeaningModelDecidesAlone()
    {
        using var model = Model(new LeansDark(), "leaning");
        var d = Detect(Rings(-1), model);
        // 1.47× is no tie: the model's own (here wrong) decision stands, without a warning
        Assert.Equal(Polarity.DenseBright, d.Polarity);
        Assert.Null(d.Referee);
        Assert.False(d.Uncertain);
    }

    [Fact]
    public void TheSidecarRecordsTheRefereesEvidenceAndReadsItBack()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), Rings(-1));
        using var model = Model(new Blind(), "blind", Model(new PointwisePredictor(1), "referee-id"));
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model,
            new SegmentOptions { Tiles = Tiles }, new Provenance("segment"));
        Assert.Equal(Polarity.DenseDark, s.Polarity!.Polarity);
        // the sidecar holds the model's tie and the referee's decision with its model id, and reads back as written
        var side = SegmentationSidecar.Read(dir.File("out/segment.json"));
        var p = side.Polarity;
        Assert.Equal(Polarity.DenseDark, p.Polarity);
        Assert.True(p.Tie);
        Assert.Equal("referee-id", p.RefereeModel);
        Assert.Equal(Polarity.DenseDark, p.Referee!.Polarity);
        Assert.Equal(s.Polarity.Referee!.EvidenceInverted, p.Referee.EvidenceInverted, 6);
        Assert.Equal(0, p.Referee.EvidenceAsIs);
        Assert.False(p.Uncertain);
    }
}
