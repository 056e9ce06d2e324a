using System.Collections.Concurrent;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The parts of <see cref="FilopodiaAnalysis"/> that both the cell-filling and the filopodium-mask analyses share, on
/// volumes of a few hundred voxels with hand-computed answers (milliseconds each): the smallest candidate, the
/// shape checks, the crops candidates are analysed in, finding a candidate again in its crop, and how the outcomes
/// become numbered filopodia and counts. The whole analysis on simulated cells is in <see cref="FilopodiaTests"/>.
/// </summary>
public sealed class FilopodiaAnalysisTests
{
    [Fact]
    public void TheSmallestCandidateIsHalfACylinderOfTheMinimumDiameterAndLength()
    {
        // Given the defaults (60 nm, 200 nm): π · 30² · 200 / 2 = 282,743 nm³
        var defaults = new FilopodiaOptions();
        // Then at 10 nm that is 282 voxels, at 10 × 10 × 20 nm 141
        Assert.Equal(282, FilopodiaAnalysis.MinVoxels(defaults, VoxelSize.Isotropic(10)));
        Assert.Equal(141, FilopodiaAnalysis.MinVoxels(defaults, new VoxelSize(10, 10, 20)));
        // a minimum length below the diameter counts as the diameter: π · 30² · 60 / 2 = 84,823 nm³, 84 voxels
        Assert.Equal(84, FilopodiaAnalysis.MinVoxels(defaults with { MinLengthNm = 10 }, VoxelSize.Isotropic(10)));
        // and never fewer than 8 voxels (0.28 of a 100 nm voxel)
        Assert.Equal(8, FilopodiaAnalysis.MinVoxels(defaults, VoxelSize.Isotropic(100)));
    }

    [Theory]
    [InlineData(21, 20, 10)]
    [InlineData(20, 21, 10)]
    [InlineData(20, 20, 11)]
    public void AVolumeOfAnotherSizeInAnyAxisIsRefusedNamingBothSizes(int nx, int ny, int nz)
    {
        var labels = new VolumeInfo(20, 20, 10, VoxelType.UInt8);
        var other = new VolumeInfo(nx, ny, nz, VoxelType.UInt8);
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaAnalysis.SameShape(other, "the bead mask", labels, "the labels"));
        Assert.Equal("the bead mask", e.Path);
        Assert.Equal($"is {nx} × {ny} × {nz}, the labels 20 × 20 × 10", e.Problem);
        // the same size passes
        FilopodiaAnalysis.SameShape(labels, "the bead mask", labels, "the labels");
        // and extras are checked by what they are
        var beads = MaskStreams.FromVolume(new Volume<byte>(nx, ny, nz));
        var b = Assert.Throws<InvalidInputException>(() => FilopodiaAnalysis.CheckExtras(new FilopodiaExtras { Beads = beads }, labels, "the filopodium mask"));
        Assert.Equal(("the bead mask", $"is {nx} × {ny} × {nz}, the filopodium mask 20 × 20 × 10"), (b.Path, b.Problem));
        FilopodiaAnalysis.CheckExtras(new FilopodiaExtras { Beads = MaskStreams.FromVolume(new Volume<byte>(20, 20, 10)) }, labels, "the filopodium mask");
    }

    [Fact]
    public void EachCandidateOfTheMinimumSizeIsAnalysedInACropOfTheMarginClippedToTheVolume()
    {
        // Given a 12 × 8 × 5 volume with a 2 × 2 × 2 cube (8 voxels) at x, y, z 1–2, a column of 4 voxels at x = 4, y 0–3, z = 0,
        // and a 3 × 2 × 1 block (6 voxels) at x 8–10, y 5–6, z = 3
        var v = new Volume<byte>(12, 8, 5);
        for (int z = 1; z <= 2; z++)
            for (int y = 1; y <= 2; y++)
                for (int x = 1; x <= 2; x++) v[z, y, x] = 1;
        for (int y = 0; y <= 3; y++) v[0, y, 4] = 1;
        for (int y = 5; y <= 6; y++)
            for (int x = 8; x <= 10; x++) v[3, y, x] = 1;
        var info = new VolumeInfo(12, 8, 5, VoxelType.UInt8);
        var bits = FilopodiaAnalysis.ToBits(MaskStreams.FromVolume(v), info, default);
        var engine = ComponentEngine.Run(new BitVolumeStream(bits, info), Connectivity.TwentySix, inverted: false, null, "test", default);
        var calls = new ConcurrentBag<(VoxelBox Roi, int Own, int All)>();
        // When candidates of at least 5 voxels are analysed with a margin of 2 voxels
        var outcomes = FilopodiaAnalysis.EachCandidate(engine, bits, info, 5, 2, "objects", (roi, own, all) =>
        {
            calls.Add((roi, own.Data.Sum(b => (int)b), all.Data.Sum(b => (int)b)));
            return Enumerable.Repeat(new ProtrusionOutcome(Rejection.TooShort, null), own.Data.Sum(b => (int)b)).ToList();
        }, null, default);
        // Then the column (4 voxels) is no candidate; the cube's crop is x, y, z 0–4 (held at the volume's corner) and
        // holds the column too, and the block's is x 6–11, y 3–7, z 1–4 (held at the far faces)
        Assert.Equal(new[] { 6, 8 }, outcomes.Select(o => o.Count).Order().ToArray());
        Assert.Equal(new[] { (new VoxelBox(0, 0, 0, 4, 4, 4), 8, 12), (new VoxelBox(6, 3, 1, 11, 7, 4), 6, 6) },
            calls.OrderBy(c => c.Own).Reverse().ToArray());
    }

    [Fact]
    public void ACandidateIsFoundAgainInItsCropByItsBoxAndSize()
    {
        // Given a crop at (10, 20, 30) of the volume holding two objects: a bar x 1–3, y 1, z 1 and a block x 5–6, y 0–2, z 0–2
        var crop = new Volume<byte>(8, 4, 3);
        for (int x = 1; x <= 3; x++) crop[1, 1, x] = 1;
        for (int z = 0; z <= 2; z++)
            for (int y = 0; y <= 2; y++)
                for (int x = 5; x <= 6; x++) crop[z, y, x] = 1;
        var roi = new VoxelBox(10, 20, 30, 17, 23, 32);
        // When the block (box x 15–16, y 20–22, z 30–32 in the volume, 18 voxels) is asked for
        var own = FilopodiaAnalysis.OwnComponent(crop, new VoxelBox(15, 20, 30, 16, 22, 32), roi, 18);
        // Then it alone is returned
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 8; x++)
                    Assert.True((x >= 5 && x <= 6 && y <= 2 ? 1 : 0) == own[z, y, x], $"({x}, {y}, {z})");
        // and the bar by its box
        Assert.Equal(3, FilopodiaAnalysis.OwnComponent(crop, new VoxelBox(11, 21, 31, 13, 21, 31), roi, 3).Data.Sum(b => (int)b));
        // an object of that box but another size is not there
        Assert.Throws<InvalidOperationException>(() => FilopodiaAnalysis.OwnComponent(crop, new VoxelBox(15, 20, 30, 16, 22, 32), roi, 17));
    }

    [Fact]
    public void OutcomesBecomeFilopodiaNumberedFromOneAndCountsOfWhatWasLeftOut()
    {
        // Given the outcomes of four candidates: a filopodium cut by the field of view and a detached part; two too short
        // and one too thin; one too wide, one near a bead and one in the summary; nothing
        var (crop, volume, _) = FilopodiumAnalyzerPartsTests.BodyAndRod(4, 5);
        var f = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions()).Outcome.Filopodium! with { Id = 7 };
        ProtrusionOutcome Rejected(Rejection r) => new(r, null);
        var outcomes = new[]
        {
            new List<ProtrusionOutcome> { new(Rejection.None, f with { CutByFieldOfView = true, InSummary = false }), Rejected(Rejection.Detached) },
            new List<ProtrusionOutcome> { Rejected(Rejection.TooShort), Rejected(Rejection.TooThin), Rejected(Rejection.TooShort) },
            new List<ProtrusionOutcome> { Rejected(Rejection.TooWide), new(Rejection.None, f with { NearBead = true, InSummary = false }), new(Rejection.None, f) },
            new List<ProtrusionOutcome>(),
        };
        // When collected
        var result = FilopodiaAnalysis.Collect(outcomes, volume, VoxelSize.Isotropic(10), new FilopodiaOptions(), "the rule", 1234);
        // Then the eight outcomes are counted by what became of them
        Assert.Equal(new FilopodiaCounts(Candidates: 8, Detached: 1, TooShort: 2, TooThin: 1, TooWide: 1, CutByFieldOfView: 1, NearBead: 1, InSummary: 1), result.Counts);
        // the three filopodia are numbered 1–3 in order, in their measures and every cross-section too
        Assert.Equal(new[] { 1, 2, 3 }, result.Filopodia.Select(x => x.Id).ToArray());
        Assert.Equal(new uint[] { 1, 2, 3 }, result.Filopodia.Select(x => x.Measures.ObjectId).ToArray());
        Assert.All(result.Filopodia, x => Assert.All(x.Slices, s => Assert.Equal((uint)x.Id, s.ObjectId)));
        Assert.Equal((true, false, false), (result.Filopodia[0].CutByFieldOfView, result.Filopodia[0].NearBead, result.Filopodia[0].InSummary));
        Assert.True(result.Filopodia[1].NearBead);
        Assert.True(result.Filopodia[2].InSummary);
        // and the rest is passed on
        Assert.Equal(("the rule", 1234L, volume), (result.OutsideRule, result.CellVoxels, result.Info));
    }
}
