using System.Text.Json.Nodes;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>The scale search (<see cref="ScaleDetector"/>): its decision rule on hand-made evidence, and its wiring into <c>segment</c>.</summary>
public sealed class ScaleDetectorTests
{
    private static readonly double[] Ladder = { 0.35, 0.5, 0.71, 1.0, 1.41, 2.0, 2.83 };

    [Fact]
    public void FactorOneStaysUnlessAnotherBeatsItByFifteenPercent()
    {
        // the most evidence at 1, or another factor only 10 % ahead: 1
        Assert.Equal(1.0, ScaleDetector.Decide(Ladder, new[] { 0.1, 0.2, 0.3, 0.4, 0.3, 0.2, 0.1 }));
        Assert.Equal(1.0, ScaleDetector.Decide(Ladder, new[] { 0.1, 0.2, 0.44, 0.4, 0.3, 0.2, 0.1 }));
        // nothing found anywhere: 1
        Assert.Equal(1.0, ScaleDetector.Decide(Ladder, new double[7]));
        // factor 1 not tried: 1
        Assert.Equal(1.0, ScaleDetector.Decide(new[] { 1.41, 2.0 }, new[] { 0.3, 0.4 }));
    }

    [Fact]
    public void TheWinnerIsRefinedBetweenItsNeighboursByAParabolaInLogFactor()
    {
        // symmetric neighbours: exactly the ladder's factor
        Assert.Equal(0.5, ScaleDetector.Decide(Ladder, new[] { 0.2, 0.4, 0.2, 0.1, 0.05, 0.01, 0.0 }), 12);
        // the Diamond B24 evidence of test-diamond-1 (segment.json): y(0.35, 0.5, 0.71) = 0.010185, 0.020135, 0.019586;
        // vertex d = (y₋ − y₊) / (2 (y₋ − 2y₀ + y₊)) = −0.009401 / −0.020998 = 0.447709 steps of ln(0.71/0.35)/2 = 0.353666
        // → 0.5 · e^(0.158339) = 0.585780
        Assert.Equal(0.585780, ScaleDetector.Decide(Ladder, new[] { 0.010185, 0.020135, 0.019586, 0.00997, 0.002276, 0.000325, 0.000344 }), 5);
        // at the end of the ladder: its factor, no extrapolation
        Assert.Equal(2.83, ScaleDetector.Decide(Ladder, new[] { 0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4 }), 12);
        // half a step at most, whatever the curvature
        double f = ScaleDetector.Decide(Ladder, new[] { 0.0, 0.0, 0.0, 0.1, 1.0, 0.999, 0.0 });
        Assert.InRange(f, 1.41, 1.41 * Math.Sqrt(Math.Sqrt(2.0 / 1.0)) + 1e-9);
    }

    /// <summary>A pointwise "network" p = clamp(v, 0, 1), no normalisation: a slice of ones is all membrane at every scale.</summary>
    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int i = 0; i < count * height * width; i++) probabilities[i] = Math.Clamp(tiles[i], 0f, 1f);
        }
    }

    /// <summary>p = 1 on images narrower than 128 pixels, else 0.</summary>
    private sealed class OnlyNarrow : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
            => probabilities[..(count * height * width)].Fill(width < 128 ? 1f : 0f);
    }

    /// <summary>A training resolution of 2.8–4.1 pixels per resolution element (median 3.5): a model that states it searches the scale.</summary>
    private static readonly TrainedResolution Stated = new(2.8, 3.5, 4.1, 3);

    /// <summary>Tiles of 64 px (the test volumes' side), overlap 8, one at a time.</summary>
    private static readonly TileOptions Tiles64 = new() { TileSize = 64, Overlap = 8, BatchSize = 1 };

    /// <summary>Writes t.mrc: 64 × 64 × 4 ones at 25 nm.</summary>
    private static string WriteOnesAt25Nm(TempDir dir)
    {
        var v = new Volume<float>(64, 64, 4, VoxelSize.Isotropic(25));
        v.Data.AsSpan().Fill(1f);
        VolumeIO.Write(dir.File("t.mrc"), v);
        return dir.File("t.mrc");
    }

    private static SegmentationModel Model(TrainedResolution? resolution)
        => new(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), resolution);

    [Fact]
    public void SegmentSearchesTheScaleForModelsThatStateTheirResolutionAndRecordsIt()
    {
        using var dir = new TempDir();
        // (25 nm voxels: with the model's range 9.8–30 nm every factor up to 25 / (0.8 · 9.8) = 3.19 may be tried)
        WriteOnesAt25Nm(dir);
        var opts = new SegmentOptions { Tiles = Tiles64 };
        // Given a model that states its training resolution: evidence = 1 × factor on a slice of ones, so the
        // largest factor tried wins (0.35–0.71 give crops under 64 px and are skipped)
        using var stated = Model(Stated);
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("A"), stated, opts, new Provenance("segment"));
        Assert.Equal(2.83, s.Scale, 9);
        var search = JsonNode.Parse(File.ReadAllText(dir.File("A/segment.json")))!["scale_search"]!;
        Assert.Equal(2.83, (double)search["scale"]!, 9);
        Assert.Equal(new[] { 1.0, 1.41, 2.0, 2.83 }, search["ladder"]!.AsArray().Select(l => (double)l!["factor"]!).ToArray());
        Assert.Equal(1.41, (double)search["ladder"]![1]!["evidence"]!, 6);
        // factor 1's evidence (from the candidate pass, counted once): all membrane, 1 × 1
        Assert.Equal(1.0, (double)search["ladder"]![0]!["evidence"]!, 6);
        Assert.Equal(1.0, (double)search["base_scale"]!, 9);
        Assert.True((bool)search["detected"]!);
        Assert.StartsWith("model evidence: mean of clamp(2p − 1, 0, 1)² × factor", (string)search["method"]!);
        Assert.Equal(new[] { 0, 1, 2, 3 }, search["slices"]!.AsArray().Select(z => (int)z!).ToArray());
        // a move that far is warned about, with the way to check it
        Assert.Contains(s.Warnings, w => w.Contains("the scale search resampled the slices to 2.83 × the voxel-size scale") && w.Contains("--no-scale-search"));
        Assert.Contains("the scale search resampled", JsonNode.Parse(File.ReadAllText(dir.File("A/segment.json")))!["warnings"]!.ToJsonString());
        // When it is turned off, or the model states no resolution, or --resolution is given: no search
        Assert.Equal(1.0, Segmenter.Run(dir.File("t.mrc"), dir.File("B"), stated, opts with { ScaleSearch = false }, new Provenance("segment")).Scale, 9);
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir.File("B/segment.json")))!["scale_search"]);
        var off = ScaleDecision.Given(0.5).ToJson();
        Assert.Equal(0.5, (double)off["scale"]!, 9);
        Assert.False((bool)off["detected"]!);
        Assert.StartsWith("not searched (--no-scale-search", (string)off["method"]!);
        Assert.Null(off["slices"]);
        Assert.Null(off["candidates"]);
        using var silent = Model(null);
        Assert.Equal(1.0, Segmenter.Run(dir.File("t.mrc"), dir.File("C"), silent, opts, new Provenance("segment")).Scale, 9);
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir.File("C/segment.json")))!["scale_search"]);
        Assert.Equal(1.0, Segmenter.Run(dir.File("t.mrc"), dir.File("D"), stated, opts with { ResolutionNm = 87.5 }, new Provenance("segment")).Scale, 9);
        // At 10 nm no factor above 10 / 7.84 = 1.28 is tried: pixels finer than 0.8 × the finest trained voxel size are never predicted
        var w = new Volume<float>(64, 64, 4, VoxelSize.Isotropic(10));
        w.Data.AsSpan().Fill(1f);
        VolumeIO.Write(dir.File("u.mrc"), w);
        Assert.Equal(1.0, Segmenter.Run(dir.File("u.mrc"), dir.File("E"), stated, opts, new Provenance("segment")).Scale, 9);
        var ladder = JsonNode.Parse(File.ReadAllText(dir.File("E/segment.json")))!["scale_search"]!["ladder"]!.AsArray();
        Assert.Equal(new[] { 1.0 }, ladder.Select(l => (double)l!["factor"]!).ToArray());
        Assert.DoesNotContain("scale search resampled", File.ReadAllText(dir.File("E/segment.json")));
    }

    [Theory]
    [InlineData(0.70, 1.0, true)]    // 0.70 · 1.3 = 0.91 < 1
    [InlineData(0.80, 1.0, false)]   // 0.80 · 1.3 = 1.04
    [InlineData(1.29, 1.0, false)]
    [InlineData(1.31, 1.0, true)]
    [InlineData(0.40, 0.5, false)]   // factor 0.8 on top of a voxel-size scale of 0.5
    [InlineData(0.30, 0.5, true)]    // factor 0.6
    public void OnlyAMoveOfMoreThan1Point3EitherWayIsFar(double scale, double baseScale, bool far)
    {
        Assert.Equal(far, new ScaleDecision(scale, baseScale, true, new[] { 1.0 }, new[] { 0.0 }, 4).Far);
        Assert.False(ScaleDecision.Given(scale).Far);
    }

    [Fact]
    public void TheSamplesAreTheCandidatesWithTheMostEvidenceInSliceOrder()
    {
        Assert.Equal(new[] { 1, 2 }, ScaleDetector.ChooseSamples(new[] { 0.1, 0.3, 0.3, 0.0, 0.2 }, 2));
        // equal evidence: the earlier slice
        Assert.Equal(new[] { 0, 1 }, ScaleDetector.ChooseSamples(new[] { 0.2, 0.5, 0.2, 0.2 }, 2));
        Assert.Equal(new[] { 0, 3, 4 }, ScaleDetector.ChooseSamples(new[] { 0.4, 0.0, 0.1, 0.3, 0.9 }, 3));
        // no more candidates than samples: all of them
        Assert.Equal(new[] { 0, 1 }, ScaleDetector.ChooseSamples(new[] { 0.0, 0.0 }, 4));
    }

    /// <summary>A 64 × 64 × 40 volume at 25 nm, zero but for rows of ones in slices 9, 13, 19, 31 and 25 (64, 32, 16, 8 and 4 of 64 rows).</summary>
    private static void WriteMembraneInFiveSlices(string path)
    {
        var v = new Volume<float>(64, 64, 40, VoxelSize.Isotropic(25));
        foreach (var (z, rows) in new[] { (9, 64), (13, 32), (19, 16), (31, 8), (25, 4) })
            v.Data.AsSpan(z * 64 * 64, rows * 64).Fill(1f);
        VolumeIO.Write(path, v);
    }

    /// <summary>Segment options for that volume: one 64-pixel tile, dense-bright given.</summary>
    private static SegmentOptions FiveSliceOptions => new() { Tiles = Tiles64, Polarity = Polarity.DenseBright };

    [Fact]
    public void TheSearchLooksAtTheSlicesThatShowMembraneNotAtFixedDepths()
    {
        // 40 slices: the candidates are the odd slices 9–31 (40 · (0.2 + 0.05 (i + ½))); the four evenly spaced
        // slices of before were 11, 17, 23, 29. Membrane (ones) only in rows of slices 9, 13, 19, 31 and 25,
        // covering 64, 32, 16, 8 and 4 of 64 rows: the first four are searched, in slice order, and on them
        // the pointwise model's evidence (fraction × factor) makes the largest factor tried win (2.83 at 25 nm).
        // On the fixed slices it would have found nothing and kept factor 1.
        using var dir = new TempDir();
        WriteMembraneInFiveSlices(dir.File("t.mrc"));
        var opts = FiveSliceOptions;
        using var stated = Model(Stated);
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("A"), stated, opts, new Provenance("segment"));
        Assert.Equal(2.83, s.Scale, 9);
        var search = JsonNode.Parse(File.ReadAllText(dir.File("A/segment.json")))!["scale_search"]!;
        Assert.Equal(new[] { 9, 13, 19, 31 }, search["slices"]!.AsArray().Select(z => (int)z!).ToArray());
        // factor 1's evidence is the mean over the four searched slices of their membrane fractions: (1 + ½ + ¼ + ⅛) / 4
        Assert.Equal(0.46875, (double)search["ladder"]![0]!["evidence"]!, 6);
        Assert.Equal(12, (int)search["candidates"]!);
        Assert.Equal(4, (int)search["slices_sampled"]!);
    }

    [Fact]
    public void ASliceRangeIsSegmentedAtTheScaleSearchedOnTheWholeTomogram()
    {
        // The 40-slice volume of the test above: its membrane lies in slices 9, 13, 19, 25 and 31, none in
        // slices 20–23, which searched alone would find nothing and keep factor 1
        using var dir = new TempDir();
        WriteMembraneInFiveSlices(dir.File("t.mrc"));
        var opts = FiveSliceOptions with { Slices = (20, 4) };
        using var stated = Model(Stated);
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("A"), stated, opts, new Provenance("segment"));
        // The whole tomogram's search: the same four slices and factor as segmenting all of it
        Assert.Equal(2.83, s.Scale, 9);
        var sidecar = JsonNode.Parse(File.ReadAllText(dir.File("A/segment.json")))!;
        Assert.Equal(new[] { 9, 13, 19, 31 }, sidecar["scale_search"]!["slices"]!.AsArray().Select(z => (int)z!).ToArray());
        Assert.Equal(4, VolumeIO.Read<byte>(dir.File("A/labels.mrc")).Nz);
    }

    [Fact]
    public void AMergeOfShardsRecordsTheirScaleSearchAndWarningsAsAWholeRunDoes()
    {
        // The 40-slice volume above (factor 2.83, a move that is warned about), segmented whole and as 3 shards
        using var dir = new TempDir();
        WriteMembraneInFiveSlices(dir.File("t.mrc"));
        var opts = FiveSliceOptions;
        using var stated = Model(Stated);
        Segmenter.Run(dir.File("t.mrc"), dir.File("whole"), stated, opts, new Provenance("segment"));
        for (int i = 0; i < 3; i++)
            Segmenter.Run(dir.File("t.mrc"), dir.File("shards"), stated, opts with { Shard = (i, 3) }, new Provenance("segment").Set("device", "cpu"));
        Segmenter.Merge(dir.File("shards"), new Provenance("merge"));
        var whole = JsonNode.Parse(File.ReadAllText(dir.File("whole/segment.json")))!;
        var merged = JsonNode.Parse(File.ReadAllText(dir.File("shards/segment.json")))!;
        // the same search and warnings as the whole run's; no shard named; the segment runs' provenance kept
        Assert.Equal(whole["scale_search"]!.ToJsonString(), merged["scale_search"]!.ToJsonString());
        Assert.Equal(2.83, (double)merged["scale_search"]!["scale"]!, 9);
        Assert.Equal(whole["warnings"]!.ToJsonString(), merged["warnings"]!.ToJsonString());
        Assert.Contains("the scale search resampled the slices to 2.83", merged["warnings"]!.ToJsonString());
        Assert.Null(merged["options"]!["shard"]);
        Assert.Equal(3, (int)merged["merged_shards"]!);
        Assert.Equal("merge", (string)merged["provenance"]!["command"]!);
        Assert.Equal("segment", (string)merged["provenance"]!["segment_provenance"]!["command"]!);
        Assert.Equal("cpu", (string)merged["provenance"]!["segment_provenance"]!["parameters"]!["device"]!);
    }

    [Fact]
    public void EveryFactorIsNormalisedAsTheModelNormalises()
    {
        // A tomogram of zeros and a model whose normalisation turns any slice into ones: the search sees
        // membrane everywhere only if it normalises each resampled crop (then the largest factor, 2.83, wins)
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), new Volume<float>(64, 64, 4, VoxelSize.Isotropic(25)));
        using var model = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (plane, _, _) => plane.Fill(1f), "ones", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), Stated);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        var d = ScaleDetector.Detect(reader, model, Tiles64, 1, 1);
        Assert.Equal(2.83, d.Scale, 9);
        Assert.Equal(new[] { 1.0, 1.41, 2.0, 2.83 }, d.Evidence.Select(e => Math.Round(e, 6)).ToArray());
    }

    [Fact]
    public void AMoveStandsOnlyWhenTheRefereeMovesTheSameWay()
    {
        // Ones at 25 nm: the pointwise model's evidence × factor grows with the factor, so its search moves to 2.83
        using var dir = new TempDir();
        WriteOnesAt25Nm(dir);
        var res = Stated;
        var tiles = Tiles64;
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        // a referee that sees nothing (its normalisation zeroes every slice) keeps factor 1: the move is vetoed
        var blind = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (plane, _, _) => plane.Clear(), "blind", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), res);
        using (var vetoed = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "m", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), res, blind))
        {
            var d = ScaleDetector.DetectWithReferee(reader, vetoed, tiles, 1, 1);
            Assert.True(d.Vetoed);
            Assert.Equal(1.0, d.Scale, 9);
            Assert.Equal(2.83, d.OwnFactor, 9);
            Assert.Equal(1.0, d.Referee!.Factor, 9);
            Assert.False(d.Far); // no far-move warning for a move that was not made
            var j = d.ToJson()["referee"]!;
            Assert.True((bool)j["vetoed"]!);
            Assert.Equal(2.83, (double)j["own_factor"]!, 9);
        }
        // a referee that moves the same way lets the move stand
        var like = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "like", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), res);
        using (var agreed = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "m", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), res, like))
        {
            var d = ScaleDetector.DetectWithReferee(reader, agreed, tiles, 1, 1);
            Assert.False(d.Vetoed);
            Assert.Equal(2.83, d.Scale, 9);
            Assert.Equal(2.83, d.Referee!.Factor, 9);
        }
        // a referee that moves the other way (it sees membrane only in images narrower than 128 px, so only
        // below factor 0.5 on a 256-px crop) vetoes too
        var v2 = new Volume<float>(256, 256, 4, VoxelSize.Isotropic(25));
        v2.Data.AsSpan().Fill(1f);
        VolumeIO.Write(dir.File("wide.mrc"), v2);
        using var wide = VolumeIO.OpenRead(dir.File("wide.mrc"));
        var down = new SegmentationModel(new ITilePredictor[] { new OnlyNarrow() }, (_, _, _) => { }, "down", VoxelSize.Isotropic(10), "narrow", 0.5, (9.8, 30.0), res);
        using (var opposed = new SegmentationModel(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "m", VoxelSize.Isotropic(10), "pointwise", 0.5, (9.8, 30.0), res, down))
        {
            var d = ScaleDetector.DetectWithReferee(wide, opposed, new TileOptions { TileSize = 256, Overlap = 16, BatchSize = 1 }, 1, 1);
            Assert.True(d.Referee!.Factor < 1, $"referee {d.Referee.Factor}"); // the premise: it moved down
            Assert.Equal(2.83, d.OwnFactor, 9);
            Assert.True(d.Vetoed);
            Assert.Equal(1.0, d.Scale, 9);
        }
        // a model without a referee: its own search
        using var alone = Model(res);
        var a = ScaleDetector.DetectWithReferee(reader, alone, tiles, 1, 1);
        Assert.Null(a.Referee);
        Assert.Equal(2.83, a.Scale, 9);
    }

    [Fact]
    public void GivenSlicesAreSearchedExactly()
    {
        // Membrane only in slice 25: searched alone it makes the largest factor win; slice 23 alone finds nothing (factor 1)
        using var dir = new TempDir();
        var v = new Volume<float>(64, 64, 40, VoxelSize.Isotropic(25));
        v.Data.AsSpan(25 * 64 * 64, 64 * 64).Fill(1f);
        VolumeIO.Write(dir.File("t.mrc"), v);
        using var model = Model(Stated);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        var tiles = Tiles64;
        var d = ScaleDetector.Detect(reader, model, tiles, 1, 1, slices: new[] { 25 });
        Assert.Equal(new[] { 25 }, d.SampledSlices);
        Assert.Equal(2.83, d.Scale, 9);
        Assert.Equal(1.0, ScaleDetector.Detect(reader, model, tiles, 1, 1, slices: new[] { 23 }).Scale, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaleDetector.Detect(reader, model, tiles, 1, 1, slices: new[] { 40 }));
        // each once, in slice order; none is an error
        Assert.Equal(new[] { 23, 25 }, ScaleDetector.Detect(reader, model, tiles, 1, 1, slices: new[] { 25, 23, 25 }).SampledSlices);
        Assert.Throws<ArgumentException>(() => ScaleDetector.Detect(reader, model, tiles, 1, 1, slices: Array.Empty<int>()));
    }

    [Theory]
    [InlineData(40, "9,11,13,15,17,19,21,23,25,27,29,31")]   // 40 · (0.2 + 0.05 (i + ½)) = 9 + 2i
    [InlineData(10, "2,3,4,5,6,7,8")]                        // 2.25, 2.75, …, 7.75 rounded to even, each once
    [InlineData(4, "0,1,2,3")]                               // no more than the samples: all
    [InlineData(1, "0")]
    public void TheCandidatesSpanTheCentral60PercentEachOnce(int nz, string expected)
        => Assert.Equal(expected, string.Join(',', ScaleDetector.CandidateSlices(nz, 4, 12)));

    [Theory]
    [InlineData(10.0, 1.0, 10 / 7.84)]
    [InlineData(25.0, 1.0, 25 / 7.84)]
    [InlineData(25.0, 2.0, 25 / 15.68)]
    [InlineData(5.0, 5.0 / 9.8, 1.25)]     // rescaled to 9.8 nm already: at most to 7.84 nm
    public void UpsamplingStopsAtFourFifthsOfTheFinestTrainedVoxelSize(double voxel, double baseScale, double expected)
    {
        using var model = Model(null);
        Assert.Equal(expected, ScaleDetector.MaxFactor(VoxelSize.Isotropic(voxel), model, baseScale), 9);
        Assert.Equal(1.0, ScaleDetector.MaxFactor(null, model, 1));
    }
}
