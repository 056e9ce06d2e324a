using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

public sealed class SegmenterTests
{
    /// <summary>A pointwise "network" p = clamp(v, 0, 1) with no normalisation: labels are then exactly v > threshold.</summary>
    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int i = 0; i < count * height * width; i++) probabilities[i] = Math.Clamp(tiles[i], 0f, 1f);
        }
    }

    private static SegmentationModel Model(int workers = 2)
        => new(Enumerable.Range(0, workers).Select(_ => (ITilePredictor)new Pointwise()).ToArray(), (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise");

    private static SegmentOptions Opts => new() { Tiles = new TileOptions { TileSize = 32, Overlap = 8, BatchSize = 2 } };

    /// <summary>A 45 × 38 × 12 tomogram of smooth values in [0, 1] with a few isolated bright voxels.</summary>
    private static Volume<float> Tomogram()
    {
        var v = new Volume<float>(45, 38, 12, VoxelSize.Isotropic(10));
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                    v[z, y, x] = (float)(0.5 + 0.45 * Math.Sin(x * 0.31 + z * 0.2) * Math.Cos(y * 0.27));
        return v;
    }

    private static byte[] Labels(string folder, string file = SegmentationFiles.LabelsMrc) => VolumeIO.Read<byte>(Path.Combine(folder, file)).Data;

    [Fact]
    public void LabelsAreThresholdedProbabilitiesInEveryOutput()
    {
        using var dir = new TempDir();
        // Given
        var t = Tomogram();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        // When
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model, Opts with { Probabilities = ProbabilityOutput.Float32 }, new Provenance("segment"));
        // Then labels = quantised probability > 127.5 (threshold 0.5 on p·255)
        var mrc = Labels(dir.File("out"));
        var tif = Labels(dir.File("out"), SegmentationFiles.LabelsTiff);
        // round(255·p) by hand in double precision (not the production quantiser)
        var q = t.Data.Select(v => (byte)Math.Round(255.0 * Math.Clamp(v, 0, 1), MidpointRounding.AwayFromZero)).ToArray();
        for (int i = 0; i < q.Length; i++)
        {
            Assert.Equal(q[i] > 127.5 ? 1 : 0, mrc[i]);
            Assert.Equal(mrc[i] * 255, tif[i]);
        }
        Assert.Equal(mrc.Sum(b => (long)b), s.LabelledVoxels);
        var prob = VolumeIO.Read<float>(dir.File("out/probabilities.mrc"));
        Assert.Equal(q[1234] / 255f, prob.Data[1234], 5);
        Assert.Equal(10, prob.VoxelSize!.Value.X, 5);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("out/segment.json")))!;
        Assert.Equal("test-model", (string)json["model"]!["id"]!);
        Assert.Equal(32, (int)json["options"]!["tile"]!);
        Assert.True((double)json["timings_s"]!["total"]! > 0);
        // 45 × 38 slices in tiles of at most 32 with 8 of overlap: x as 32 + 32, y as 16 + 32 (Tiling.Plan; 38 + 8 → 48)
        Assert.Equal(64.0 * 48 / (45 * 38), (double)json["timings_s"]!["network_pixels_per_pixel"]!, 4);
        var (w, h, _, _) = Png.Decode(File.ReadAllBytes(dir.File("out/overlay.png")));
        Assert.Equal((2 * 45 + 8, 2 * 38 + 8), (w, h));
        Assert.Equal(new[] { ".", "labels.mrc", "labels.tif", "overlay.png", "probabilities.mrc", "segment.json" }.Skip(1),
            Directory.GetFiles(dir.File("out")).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, ".*")); // no temporary or staging files left
    }

    [Fact]
    public void FusingAxesOfAPointwisePredictorChangesNothing()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), Tomogram());
        using var model = Model();
        Segmenter.Run(dir.File("t.mrc"), dir.File("a"), model, Opts, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), dir.File("b"), model, Opts with { FuseAxes = true, BlockBytes = 1 << 20 }, new Provenance("segment"));
        Assert.Equal(Labels(dir.File("a")), Labels(dir.File("b")));
    }

    [Fact]
    public void ZSmoothingErosionSmallObjectsAndCropActAsDefined()
    {
        using var dir = new TempDir();
        // Given: a 3-slice-thick slab (z 4..6) of p = 0.9 over the whole slice, one isolated voxel at z = 9, zeros elsewhere
        var t = new Volume<float>(40, 36, 12, VoxelSize.Isotropic(10));
        for (int z = 4; z <= 6; z++) t.Slice(z).Fill(0.9f);
        t[9, 20, 20] = 1f;
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model(1);
        // When / Then: ±1-slice smoothing keeps z 4..6 (means 0.6, 0.9, 0.6) and drops the lone voxel (1/3)
        Segmenter.Run(dir.File("t.mrc"), dir.File("smooth"), model, Opts with { ZSmoothing = 1 }, new Provenance("segment"));
        var a = VolumeIO.Read<byte>(dir.File("smooth/labels.mrc"));
        Assert.Equal(3 * 40 * 36, a.Data.Sum(b => (int)b));
        Assert.Equal(1, a[4, 0, 0]);
        Assert.Equal(0, a[9, 20, 20]);
        // small-object removal drops the lone voxel and keeps the slab
        Segmenter.Run(dir.File("t.mrc"), dir.File("small"), model, Opts with { MinObjectVoxels = 2 }, new Provenance("segment"));
        var b = VolumeIO.Read<byte>(dir.File("small/labels.mrc"));
        Assert.Equal(3 * 40 * 36, b.Data.Sum(v => (int)v));
        // one 6-connected erosion step thins the slab to z = 5 (borders are not eroded: the volume edge counts as inside)
        Segmenter.Run(dir.File("t.mrc"), dir.File("erode"), model, Opts with { ErosionSteps = 1, MinObjectVoxels = 2 }, new Provenance("segment"));
        var c = VolumeIO.Read<byte>(dir.File("erode/labels.mrc"));
        Assert.Equal(40 * 36, c.Data.Sum(v => (int)v));
        Assert.Equal(1, c[5, 0, 0]);
        // cropping 2 voxels clears the frame of every slice
        Segmenter.Run(dir.File("t.mrc"), dir.File("crop"), model, Opts with { CropBorder = 2 }, new Provenance("segment"));
        var d = VolumeIO.Read<byte>(dir.File("crop/labels.mrc"));
        Assert.Equal(3 * 36 * 32 + 1, d.Data.Sum(v => (int)v));
        Assert.Equal(0, d[5, 1, 10]);
        Assert.Equal(1, d[5, 2, 2]);
    }

    [Fact]
    public void ShardsMergedEqualOneRun()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), Tomogram());
        using var model = Model();
        var opts = Opts with { ZSmoothing = 1, MinObjectVoxels = 3 };
        Segmenter.Run(dir.File("t.mrc"), dir.File("whole"), model, opts, new Provenance("segment"));
        // When three shards run (in any order) into one folder and are merged
        foreach (int i in new[] { 2, 0, 1 })
            Segmenter.Run(dir.File("t.mrc"), dir.File("shards"), model, opts with { Shard = (i, 3) }, new Provenance("segment"));
        // (a folder with only one of the three shards cannot be merged yet)
        Segmenter.Run(dir.File("t.mrc"), dir.File("partial"), model, opts with { Shard = (0, 3) }, new Provenance("segment"));
        var e = Assert.Throws<InvalidInputException>(() => Segmenter.Merge(dir.File("partial"), new Provenance("merge")));
        Assert.Contains("not every shard has finished (1 of 3 present)", e.Message);
        Segmenter.Merge(dir.File("shards"), new Provenance("merge"));
        // Then
        Assert.Equal(Labels(dir.File("whole")), Labels(dir.File("shards")));
        Assert.Equal(Labels(dir.File("whole"), SegmentationFiles.LabelsTiff), Labels(dir.File("shards"), SegmentationFiles.LabelsTiff));
    }

    [Fact]
    public void SliceRangeSegmentsThatSubVolume()
    {
        using var dir = new TempDir();
        var t = Tomogram();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        Segmenter.Run(dir.File("t.mrc"), dir.File("whole"), model, Opts, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, Opts with { Slices = (3, 5) }, new Provenance("segment"));
        var whole = VolumeIO.Read<byte>(dir.File("whole/labels.mrc"));
        var part = VolumeIO.Read<byte>(dir.File("part/labels.mrc"));
        Assert.Equal(5, part.Nz);
        Assert.Equal(whole.SubVolume(3, 5).Data, part.Data);
        Assert.Equal(30, part.OriginNm.Z, 3); // origin moved by 3 slices of 10 nm
    }

    [Fact]
    public void BadInputsFailCleanlyAndLeaveNothing()
    {
        using var dir = new TempDir();
        using var model = Model();
        VolumeIO.Write(dir.File("slice.tif"), new Volume<float>(40, 40, 1));
        var nan = Tomogram();
        nan[7, 3, 3] = float.NaN;
        VolumeIO.Write(dir.File("nan.mrc"), nan);
        VolumeIO.Write(dir.File("t.mrc"), Tomogram());
        var before = dir.Contents();
        var e1 = Assert.Throws<InvalidInputException>(() => Segmenter.Run(dir.File("slice.tif"), dir.File("o1"), model, Opts, new Provenance("segment")));
        Assert.Contains("single 2D image", e1.Message);
        var e2 = Assert.Throws<InvalidInputException>(() => Segmenter.Run(dir.File("nan.mrc"), dir.File("o2"), model, Opts, new Provenance("segment")));
        Assert.Contains("slice 7 contains NaN", e2.Message);
        Assert.Throws<InvalidOptionException>(() => Segmenter.Run(dir.File("t.mrc"), dir.File("o3"), model, Opts with { Shard = (3, 3) }, new Provenance("segment")));
        Assert.Throws<InvalidOptionException>(() => Segmenter.Run(dir.File("t.mrc"), dir.File("o4"), model, Opts with { Slices = (10, 5) }, new Provenance("segment")));
        Assert.Equal(before, dir.Contents());
        // and a single image is accepted with --2d
        Segmenter.Run(dir.File("slice.tif"), dir.File("o5"), model, Opts with { Allow2D = true }, new Provenance("segment"));
        Assert.True(File.Exists(dir.File("o5/labels.tif")));
    }

    [Fact]
    public void VoxelSizeMismatchRescalesByDefaultAndWarnsWithNoRescale()
    {
        using var dir = new TempDir();
        var t = Tomogram();
        t.VoxelSize = VoxelSize.Isotropic(15);
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        var warnings = new List<string>();
        Segmenter.Run(dir.File("t.mrc"), dir.File("a"), model, Opts with { Rescale = false }, new Provenance("segment"), warn: warnings.Add);
        Assert.Contains(warnings, w => w.Contains("15 nm is outside the model's 10 nm") && w.Contains("--no-rescale"));
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("b"), model, Opts, new Provenance("segment"));
        Assert.Empty(s.Warnings);
        Assert.Equal(1.5, s.Scale, 9);
        // a pointwise predictor gives nearly the same labels after up- and down-sampling (bilinear both ways)
        var a = Labels(dir.File("a"));
        var b = Labels(dir.File("b"));
        int differ = a.Zip(b).Count(p => p.First != p.Second);
        Assert.True(differ < a.Length / 20, $"{differ} of {a.Length} voxels differ");
    }
}
