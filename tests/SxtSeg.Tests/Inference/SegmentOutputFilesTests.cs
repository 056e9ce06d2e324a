using System.Text.Json.Nodes;
using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>What a segmentation run leaves in its folder: probability encodings, shard files, stale files, preview slices.</summary>
public sealed class SegmentOutputFilesTests
{
    /// <summary>p = clamp(v, 0, 1), no normalisation: probabilities are the tomogram's values.</summary>
    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int i = 0; i < count * height * width; i++) probabilities[i] = Math.Clamp(tiles[i], 0f, 1f);
        }
    }

    private static SegmentationModel Model()
        => new(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise");

    private static SegmentOptions Opts => new() { Tiles = new TileOptions { TileSize = 32, Overlap = 8 } };

    /// <summary>Values spanning [0, 1] in a 37 × 29 × 5 tomogram.</summary>
    internal static Volume<float> Ramp()
    {
        var v = new Volume<float>(37, 29, 5, VoxelSize.Isotropic(10)) { OriginNm = (100, -50, 20) };
        for (int i = 0; i < v.Length; i++) v.Data[i] = (i * 7919 % 1000) / 999f;
        return v;
    }

    /// <summary>round(255·clamp(v)) by hand in double precision: the stored probability byte.</summary>
    internal static int Q(float v) => (int)Math.Round(255.0 * Math.Clamp(v, 0, 1), MidpointRounding.AwayFromZero);

    [Fact]
    public void ByteProbabilitiesAreRoundedToZeroTo127AndFloat16HoldsTheProbability()
    {
        using var dir = new TempDir();
        var t = Ramp();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        // When
        Segmenter.Run(dir.File("t.mrc"), dir.File("b"), model, Opts with { Probabilities = ProbabilityOutput.Byte }, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), dir.File("h"), model, Opts with { Probabilities = ProbabilityOutput.Float16 }, new Provenance("segment"));
        // Then: byte = round(127 · q / 255), never above 127 (MRC mode 0 reads the same signed or unsigned)
        using (var r = VolumeIO.OpenRead(dir.File("b/probabilities.mrc")))
        {
            Assert.Equal(VoxelType.UInt8, r.Info.Type);
            Assert.Equal(0, ((MrcReader)r).Header.Mode);
            Assert.Equal(1024 + t.Length, new FileInfo(dir.File("b/probabilities.mrc")).Length); // one byte per voxel
        }
        var bytes = VolumeIO.Read<byte>(dir.File("b/probabilities.mrc")).Data;
        for (int i = 0; i < t.Length; i++) Assert.Equal((int)Math.Round(127.0 * Q(t.Data[i]) / 255, MidpointRounding.AwayFromZero), bytes[i]);
        Assert.Equal(127, bytes.Max());
        using (var r = VolumeIO.OpenRead(dir.File("h/probabilities.mrc"))) Assert.Equal(12, ((MrcReader)r).Header.Mode);
        var half = VolumeIO.Read<float>(dir.File("h/probabilities.mrc")).Data;
        for (int i = 0; i < t.Length; i++) Assert.Equal(Q(t.Data[i]) / 255.0, half[i], 5e-4); // float16 keeps 11 bits
        var json = JsonNode.Parse(File.ReadAllText(dir.File("b/segment.json")))!;
        Assert.Equal("byte", (string)json["options"]!["probabilities"]!);
    }

    [Fact]
    public void ShardFilesHoldTheStoredBytesAsUInt16()
    {
        using var dir = new TempDir();
        var t = Ramp();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        // When shard 1 of 2 (slices 2..4) is predicted
        Segmenter.Run(dir.File("t.mrc"), dir.File("s"), model, Opts with { Shard = (1, 2) }, new Provenance("segment"));
        // Then it is mode 6 holding q = round(255 p) of its slices, with its own origin
        string path = dir.File("s/shard-0001-of-0002.mrc");
        using var r = VolumeIO.OpenRead(path);
        Assert.Equal(VoxelType.UInt16, r.Info.Type);
        Assert.Equal(3, r.Info.Nz);
        Assert.Equal(20 + 2 * 10, r.Info.OriginNm.Z, 3);
        var slab = r.ReadVolume<ushort>();
        for (int i = 0; i < slab.Length; i++) Assert.Equal(Q(t.Data[2 * 37 * 29 + i]), slab.Data[i]);
        Assert.True(slab.Data.Max() > 127);
    }

    [Fact]
    public void ARunIntoAUsedFolderRemovesTheOutputsItDoesNotWrite()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), Ramp());
        using var model = Model();
        string o = dir.File("o");
        Segmenter.Run(dir.File("t.mrc"), o, model, Opts with { Probabilities = ProbabilityOutput.Float32 }, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), o, model, Opts with { Shard = (0, 3) }, new Provenance("segment"));
        File.WriteAllText(Path.Combine(o, "my-notes.txt"), "mine");
        Assert.True(File.Exists(Path.Combine(o, "probabilities.mrc")));
        // When the same folder gets a run without probabilities
        Segmenter.Run(dir.File("t.mrc"), o, model, Opts, new Provenance("segment"));
        // Then the old probability map and the shard are gone, the user's file stays, and the sidecar agrees
        Assert.Equal(new[] { "labels.mrc", "labels.tif", "my-notes.txt", "overlay.png", "segment.json" }, Directory.GetFiles(o).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("none", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(o, "segment.json")))!["options"]!["probabilities"]!);
    }

    [Fact]
    public void AShardRemovesTheShardsOfAnotherRunButNotOfItsOwn()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), Ramp());
        using var model = Model();
        string o = dir.File("o");
        // Given the shards of an earlier run in three parts, and a finished run's labels
        foreach (int i in new[] { 0, 1, 2 }) Segmenter.Run(dir.File("t.mrc"), o, model, Opts with { Shard = (i, 3) }, new Provenance("segment"));
        // When a new run in two parts writes its shards there
        Segmenter.Run(dir.File("t.mrc"), o, model, Opts with { Shard = (0, 2), ZSmoothing = 1 }, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), o, model, Opts with { Shard = (1, 2), ZSmoothing = 1 }, new Provenance("segment"));
        // Then only its own shards remain, and they merge
        Assert.Equal(new[] { "shard-0000-of-0002.json", "shard-0000-of-0002.mrc", "shard-0001-of-0002.json", "shard-0001-of-0002.mrc" },
            Directory.GetFiles(o).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Segmenter.Merge(o, new Provenance("merge"));
        Assert.True(File.Exists(Path.Combine(o, "labels.mrc")));
    }

    [Fact]
    public void PreviewSlicesAreWhereTheLabelsAreNotInTheEmptyIce()
    {
        // Given per-slice label counts of a cell in slices 30..49 of 80 (ice above and below)
        var counts = new long[80];
        for (int z = 30; z < 50; z++) counts[z] = 1000 + 10 * z;
        counts[5] = 3; // a speck in the ice
        // When
        var chosen = Segmenter.ChooseSlices(counts, 4);
        // Then four distinct slices inside the cell, in order, spread over it
        Assert.Equal(4, chosen.Length);
        Assert.All(chosen, z => Assert.InRange(z, 30, 49));
        Assert.True(chosen[^1] - chosen[0] >= 10, string.Join(",", chosen));
        Assert.Equal(chosen.Order(), chosen);
        // nothing labelled: spread over the whole volume
        Assert.Equal(new[] { 10, 30, 50, 70 }, Segmenter.ChooseSlices(new long[80], 4));
    }

    [Fact]
    public void TheOverlayShowsSlicesWithMembranes()
    {
        using var dir = new TempDir();
        // Given a tomogram whose only membranes (p > 0.5) are in slices 12..15 of 20
        var t = new Volume<float>(40, 36, 20, VoxelSize.Isotropic(10));
        for (int z = 12; z <= 15; z++)
            for (int x = 5; x < 30; x++) t[z, 10, x] = 0.9f;
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        // When
        Segmenter.Run(dir.File("t.mrc"), dir.File("o"), model, Opts, new Provenance("segment"));
        // Then the four overlay slices are those slices
        var json = JsonNode.Parse(File.ReadAllText(dir.File("o/segment.json")))!;
        Assert.Equal(new[] { 12, 13, 14, 15 }, json["overlay_slices"]!.AsArray().Select(n => (int)n!).ToArray());
    }
}
