using SxtSeg.Inference;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>
/// The settings of <c>sxtseg segment</c> in the library: every range check at its edges (the last
/// value accepted, the first refused) with its option and message, slice ranges, shards, and the
/// byte coding of probabilities.
/// </summary>
public sealed class SegmentOptionsKnownAnswerTests
{
    private static readonly SegmentOptions Ok = new();

    public static TheoryData<string, SegmentOptions, string> Refusals => new()
    {
        { nameof(SegmentOptions.Threshold), Ok with { Threshold = 0 }, "must be between 0 and 1, got 0" },
        { nameof(SegmentOptions.Threshold), Ok with { Threshold = 1 }, "must be between 0 and 1, got 1" },
        { nameof(SegmentOptions.Threshold), Ok with { Threshold = double.NaN }, "must be between 0 and 1, got NaN" },
        { nameof(SegmentOptions.ZSmoothing), Ok with { ZSmoothing = -1 }, "must be 0..20 slices, got -1" },
        { nameof(SegmentOptions.ZSmoothing), Ok with { ZSmoothing = 21 }, "must be 0..20 slices, got 21" },
        { nameof(SegmentOptions.MinObjectVoxels), Ok with { MinObjectVoxels = -1 }, "must be ≥ 0" },
        { nameof(SegmentOptions.MinObjectVolumeNm3), Ok with { MinObjectVolumeNm3 = -1 }, "must be a finite number ≥ 0 nm³, got -1" },
        { nameof(SegmentOptions.MinObjectVolumeNm3), Ok with { MinObjectVolumeNm3 = double.PositiveInfinity }, "must be a finite number ≥ 0 nm³, got Infinity" },
        { nameof(SegmentOptions.ErosionSteps), Ok with { ErosionSteps = -1 }, "must be 0..20, got -1" },
        { nameof(SegmentOptions.ErosionSteps), Ok with { ErosionSteps = 21 }, "must be 0..20, got 21" },
        { nameof(SegmentOptions.CropBorder), Ok with { CropBorder = -1 }, "must be 0..4096, got -1" },
        { nameof(SegmentOptions.CropBorder), Ok with { CropBorder = 4097 }, "must be 0..4096, got 4097" },
        { nameof(TileOptions.TileSize), Ok with { Tiles = new TileOptions { TileSize = 15, Overlap = 0 } }, "must be 16..2048 pixels, got 15" },
        { nameof(TileOptions.TileSize), Ok with { Tiles = new TileOptions { TileSize = 2049 } }, "must be 16..2048 pixels, got 2049" },
        { nameof(TileOptions.BatchSize), Ok with { Tiles = new TileOptions { BatchSize = 0 } }, "must be 1..64, got 0" },
        { nameof(TileOptions.BatchSize), Ok with { Tiles = new TileOptions { BatchSize = 65 } }, "must be 1..64, got 65" },
        { nameof(TileOptions.Overlap), Ok with { Tiles = new TileOptions { Overlap = -1 } }, "must be 0..511 (below the tile size), got -1" },
        { nameof(TileOptions.Overlap), Ok with { Tiles = new TileOptions { TileSize = 64, Overlap = 64 } }, "must be 0..63 (below the tile size), got 64" },
        { nameof(TileOptions.Augmentations), Ok with { Tiles = new TileOptions { Augmentations = 3 } }, "test-time augmentation must be 1, 2, 4 or 8, got 3" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (double.NaN, 1, 1) }, "need three finite numbers, e.g. 2,1,1" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (1, double.PositiveInfinity, 1) }, "need three finite numbers, e.g. 2,1,1" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (1, 1, double.NaN) }, "need three finite numbers, e.g. 2,1,1" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (-1, 1, 1) }, "need three non-negative weights, not all zero" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (1, -1, 1) }, "need three non-negative weights, not all zero" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (1, 1, -1) }, "need three non-negative weights, not all zero" },
        { nameof(SegmentOptions.AxisWeights), Ok with { AxisWeights = (0, 0, 0) }, "need three non-negative weights, not all zero" },
        { nameof(SegmentOptions.ResolutionNm), Ok with { ResolutionNm = 0.99 }, "resolution must be 1 nm to 10 µm, got 0.99" },
        { nameof(SegmentOptions.ResolutionNm), Ok with { ResolutionNm = 10_001 }, "resolution must be 1 nm to 10 µm, got 10001" },
        { nameof(SegmentOptions.VoxelSize), Ok with { VoxelSize = new VoxelSize(10, 0.01, 10) }, "voxel size must be 0.1 nm (1 Å) to 10 µm on every axis, got 10 × 0.01 × 10 nm" },
        { nameof(SegmentOptions.Shard), Ok with { Shard = (0, 0) }, "shard 0/0 is out of range (use I/N with 0 ≤ I < N)" },
        { nameof(SegmentOptions.Shard), Ok with { Shard = (-1, 2) }, "shard -1/2 is out of range (use I/N with 0 ≤ I < N)" },
        { nameof(SegmentOptions.Shard), Ok with { Shard = (2, 2) }, "shard 2/2 is out of range (use I/N with 0 ≤ I < N)" },
        { nameof(SegmentOptions.Shard), Ok with { Shard = (0, 2), FuseAxes = true }, "multi-axis fusion needs the whole tomogram; run it without --shard" },
        { nameof(SegmentOptions.BlockBytes), Ok with { BlockBytes = (1 << 20) - 1 }, "must be 1..65536 MB, got 0" },
        { nameof(SegmentOptions.BlockBytes), Ok with { BlockBytes = (65536L << 20) + (1 << 20) }, "must be 1..65536 MB, got 65537" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void OutOfRangeSettingsAreRefusedWithTheirOptionAndReason(string option, SegmentOptions options, string problem)
    {
        var e = Assert.Throws<InvalidOptionException>(options.Validate);
        Assert.Equal((option, problem), (e.Option, e.Problem));
    }

    [Fact]
    public void TheEdgesOfEveryRangeAreAccepted()
    {
        foreach (var o in new[]
        {
            Ok, Ok with { Threshold = 0.001 }, Ok with { Threshold = 0.999 }, Ok with { ZSmoothing = 20 }, Ok with { MinObjectVolumeNm3 = 0 },
            Ok with { ErosionSteps = 20 }, Ok with { CropBorder = 4096 }, Ok with { Tiles = new TileOptions { TileSize = 16, Overlap = 15 } },
            Ok with { Tiles = new TileOptions { TileSize = 2048, BatchSize = 64 } }, Ok with { Tiles = new TileOptions { BatchSize = 1, Overlap = 0, Augmentations = 8 } },
            Ok with { AxisWeights = (0, 0, 1) }, Ok with { ResolutionNm = 1 }, Ok with { ResolutionNm = 10_000 }, Ok with { Shard = (1, 2) },
            Ok with { BlockBytes = 1 << 20 }, Ok with { BlockBytes = 65536L << 20 },
        })
            o.Validate();
    }

    [Theory]
    [InlineData("3-5", 3, 3)]
    [InlineData(" 4 - 4 ", 4, 1)]
    [InlineData("7", 7, 1)]
    [InlineData("2:5", 2, 3)]   // the older Python-style range: 5 excluded
    public void SliceRangesIncludeBothEnds(string text, int first, int count) => Assert.Equal((first, count), SegmentOptions.ParseSlices(text));

    [Theory]
    [InlineData("5-3")]
    [InlineData("5:5")]
    [InlineData("-3")]
    [InlineData("1-2-3")]
    [InlineData("a")]
    [InlineData("+3")]
    public void BadSliceRangesAreRefused(string text)
    {
        var e = Assert.Throws<InvalidOptionException>(() => SegmentOptions.ParseSlices(text));
        Assert.Equal((nameof(SegmentOptions.Slices), $"'{text}' is not a slice range A-B (z from 0, both ends included, A ≤ B)"), (e.Option, e.Problem));
    }

    [Fact]
    public void ShardsAreIOfN()
    {
        Assert.Equal((1, 4), SegmentOptions.ParseShard("1/4"));
        Assert.Equal((0, 1), SegmentOptions.ParseShard("0/1"));
        foreach (var (text, problem) in new[] { ("4/4", "shard 4/4 is out of range (use I/N with 0 ≤ I < N)"), ("-1/4", "shard -1/4 is out of range (use I/N with 0 ≤ I < N)"), ("0/0", "shard 0/0 is out of range (use I/N with 0 ≤ I < N)"), ("1", "'1' is not I/N"), ("a/2", "'a/2' is not I/N") })
        {
            var e = Assert.Throws<InvalidOptionException>(() => SegmentOptions.ParseShard(text));
            Assert.Equal((nameof(SegmentOptions.Shard), problem), (e.Option, e.Problem));
        }
        var task = Assert.Throws<InvalidOptionException>(() => SegmentOptions.ParseShard("3/3", BatchSegmenter.TaskKey));
        Assert.Equal((BatchSegmenter.TaskKey, "task 3/3 is out of range (use I/N with 0 ≤ I < N)"), (task.Option, task.Problem));
    }

    [Theory]
    [InlineData("none", ProbabilityOutput.None)]
    [InlineData("float32", ProbabilityOutput.Float32)]
    [InlineData("f32", ProbabilityOutput.Float32)]
    [InlineData("float16", ProbabilityOutput.Float16)]
    [InlineData("F16", ProbabilityOutput.Float16)]
    [InlineData("half", ProbabilityOutput.Float16)]
    [InlineData("byte", ProbabilityOutput.Byte)]
    [InlineData(" uint8 ", ProbabilityOutput.Byte)]
    [InlineData("u8", ProbabilityOutput.Byte)]
    [InlineData("int8", ProbabilityOutput.Byte)]
    public void ProbabilityFormatsAreKnownByTheirNames(string text, ProbabilityOutput p) => Assert.Equal(p, ProbabilityOutputs.Parse(text));

    [Fact]
    public void ProbabilitiesAreStoredAsRoundedBytesOfAtMost127()
    {
        var e = Assert.Throws<InvalidOptionException>(() => ProbabilityOutputs.Parse("double"));
        Assert.Equal((nameof(SegmentOptions.Probabilities), "unknown 'double' (none, float32, float16, byte)"), (e.Option, e.Problem));
        float[] p = { -0.1f, 0, 0.0039f, 0.004f, 0.1f, 0.5f, 0.996f, 1, 1.2f, float.NegativeInfinity };
        var q = new byte[p.Length];
        ProbabilityOutputs.ToBytes(p, q);
        // round(127 p): 0.4953 → 0, 0.508 → 1, 12.7 → 13, 63.5 → 64, 126.49 → 126, clamped to 0..127
        Assert.Equal(new byte[] { 0, 0, 0, 1, 13, 64, 126, 127, 127, 0 }, q);
        Assert.Equal("float16", ProbabilityOutput.Float16.Name());
    }
}
