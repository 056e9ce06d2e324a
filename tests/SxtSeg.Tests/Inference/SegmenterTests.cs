using System.Text.Json.Nodes;
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

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ASliceRangeReadsItsNeighboursFromTheTomogramNotMirroredAtTheRange(int plane)
    {
        using var dir = new TempDir();
        // Given the 12-slice tomogram and a model that reads slices z − 1 … z + 1 and answers with
        // the one before (plane 0) or after (plane 2) the segmented slice
        var t = Tomogram();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = new SegmentationModel(new ITilePredictor[] { new PlaneEchoPredictor(3, plane), new PlaneEchoPredictor(3, plane) },
            (_, _, _) => { }, "echo", VoxelSize.Isotropic(10), "echo");
        // When slices 3–7 are segmented
        Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, Opts with { Slices = (3, 5) }, new Provenance("segment"));
        // Then slice k of the output is slice 3 + k − 1 (or + 1) of the tomogram thresholded, also at the
        // range's ends: slice 2 before slice 3 and slice 8 after slice 7 (a sub-volume of its own would
        // mirror them to slices 4 and 6)
        var part = VolumeIO.Read<byte>(dir.File("part/labels.mrc"));
        Assert.Equal(5, part.Nz);
        for (int k = 0; k < 5; k++)
        {
            int source = 3 + k + (plane == 0 ? -1 : 1);
            var src = t.Slice(source).ToArray();
            var expected = src.Select(v => (byte)(Math.Round(255.0 * v, MidpointRounding.AwayFromZero) > 127.5 ? 1 : 0)).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(part.Slice(k)), $"output slice {k} (tomogram slice {3 + k})");
        }
    }

    [Fact]
    public void AOneSliceRangeOfATomogramIsSegmentedWithItsNeighboursNotAsASingleImage()
    {
        using var dir = new TempDir();
        // Given the 12-slice tomogram and a context-1 model that answers with the slice before, and
        // carries a one-slice model (for single images) that answers with the slice itself
        var t = Tomogram();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var oneSlice = new SegmentationModel(new ITilePredictor[] { new PointwisePredictor() }, (_, _, _) => { }, "one", VoxelSize.Isotropic(10), "one slice");
        using var model = new SegmentationModel(new ITilePredictor[] { new PlaneEchoPredictor(3, 0) }, (_, _, _) => { }, "echo", VoxelSize.Isotropic(10), "echo", referee: oneSlice);
        // When slice 5 alone is segmented
        Segmenter.Run(dir.File("t.mrc"), dir.File("one"), model, Opts with { Slices = (5, 1) }, new Provenance("segment"));
        // Then it is slice 4 thresholded (the 3-slice model read slices 4–6 of the file)
        var expected = t.Slice(4).ToArray().Select(v => (byte)(Math.Round(255.0 * v, MidpointRounding.AwayFromZero) > 127.5 ? 1 : 0)).ToArray();
        Assert.Equal(expected, Labels(dir.File("one")));
    }

    [Fact]
    public void ASliceRangeIsSegmentedWithThePolarityDetectedOnTheWholeTomogram()
    {
        using var dir = new TempDir();
        // Given a 64 × 64 × 20 tomogram of bright lines (1 on 0) except slices 2–3, where the lines are
        // dark (−1): the polarity step samples the central 60 % (slices 4–15), and a pointwise model finds
        // membrane as stored there, but only negated in slices 2–3
        var v = new Volume<float>(64, 64, 20, VoxelSize.Isotropic(10));
        for (int z = 0; z < 20; z++)
            for (int y = 8; y < 64; y += 16)
                v.Data.AsSpan((z * 64 + y) * 64, 64).Fill(z is 2 or 3 ? -1f : 1f);
        VolumeIO.Write(dir.File("t.mrc"), v);
        VolumeIO.Write(dir.File("only.mrc"), v.SubVolume(2, 2));
        using var model = new SegmentationModel(new ITilePredictor[] { new PointwisePredictor(), new PointwisePredictor() },
            (_, _, _) => { }, "pointwise", VoxelSize.Isotropic(10), "pointwise");
        var opts = Opts with { Polarity = Polarity.Auto };
        // (premise: those two slices alone are taken for dense-dark, and their dark lines labelled)
        var alone = Segmenter.Run(dir.File("only.mrc"), dir.File("alone"), model, opts, new Provenance("segment"));
        Assert.Equal(Polarity.DenseDark, alone.Polarity!.Polarity);
        Assert.Equal(4 * 64 * 2, Labels(dir.File("alone")).Sum(b => (long)b));
        // When slices 2–3 of the tomogram are segmented
        var part = Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, opts with { Slices = (2, 2) }, new Provenance("segment"));
        // Then the tomogram's polarity holds (dense-bright), so their dark lines are not membrane
        Assert.Equal(Polarity.DenseBright, part.Polarity!.Polarity);
        Assert.Equal(0, Labels(dir.File("part")).Sum(b => (long)b));
        Assert.Equal(new[] { 2, 4 }, JsonNode.Parse(File.ReadAllText(dir.File("part/segment.json")))!["sub_volume_of_tomogram"]!.AsArray().Select(n => (int)n!).ToArray());
    }

    [Fact]
    public void ASliceRangeBuildsItsCellMaskFromItsOwnSlices()
    {
        using var dir = new TempDir();
        // Given a one-slice model and a given polarity (nothing read beyond the range, nothing detected),
        // a range's cell-masked labels are those of a file holding only its slices
        // (a 128 × 64 × 12 tomogram: a "cell" of 0.4 at x < 64, "ice" of 0.05 beside it, bright lines of 1 across both)
        var t = new Volume<float>(128, 64, 12, VoxelSize.Isotropic(10));
        for (int z = 0; z < t.Nz; z++)
            for (int y = 0; y < t.Ny; y++)
                for (int x = 0; x < t.Nx; x++)
                    t[z, y, x] = y % 8 == 3 ? 1f : x < 64 ? 0.4f : 0.05f;
        VolumeIO.Write(dir.File("t.mrc"), t);
        VolumeIO.Write(dir.File("only.mrc"), t.SubVolume(4, 6));
        using var model = Model();
        var opts = Opts with { CellMask = true, Polarity = Polarity.DenseBright };
        Segmenter.Run(dir.File("only.mrc"), dir.File("alone"), model, opts, new Provenance("segment"));
        Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, opts with { Slices = (4, 6) }, new Provenance("segment"));
        var alone = Labels(dir.File("alone"));
        Assert.Equal(alone, Labels(dir.File("part")));
        // (premise: the mask removed something)
        Assert.NotEqual(t.SubVolume(4, 6).Data.Count(v => Math.Round(255.0 * v, MidpointRounding.AwayFromZero) > 127.5), alone.Count(b => b != 0));
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
        // a range cannot be split into shards (a SLURM array would imply one and silently drop it)
        Assert.Equal(nameof(SegmentOptions.Slices), Assert.Throws<InvalidOptionException>(() => Segmenter.Run(dir.File("t.mrc"), dir.File("o6"), model, Opts with { Slices = (2, 4), Shard = (0, 2) }, new Provenance("segment"))).Option);
        Assert.Equal(before, dir.Contents());
        // and a single image is accepted with --2d
        Segmenter.Run(dir.File("slice.tif"), dir.File("o5"), model, Opts with { Allow2D = true }, new Provenance("segment"));
        Assert.True(File.Exists(dir.File("o5/labels.tif")));
    }

    [Fact]
    public void AByteTomogramWhoseSignednessTheFileDoesNotStateIsSegmentedWithAWarningSaying()
    {
        using var dir = new TempDir();
        // mode 0 without IMOD's stamp and with MRC2014's "min/max not determined": the reader decides
        var t = Tomogram();
        byte[] bytes = t.Data.Select(v => (byte)Math.Round(255 * v)).ToArray();
        File.WriteAllBytes(dir.File("t.mrc"), SxtSeg.Tests.Volumes.MrcTests.HandMadeMrc(t.Nx, t.Ny, t.Nz, 0, bytes, false, cellX: 10 * 10 * t.Nx, dmin: 0, dmax: -1));
        using var model = Model();
        var told = new List<string>();
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model, Opts, new Provenance("segment"), warn: told.Add);
        string w = Assert.Single(s.Warnings);
        Assert.Contains("read as unsigned (uint8)", w);
        Assert.Equal(w, Assert.Single(told)); // on the console as it happens
        var json = JsonNode.Parse(File.ReadAllText(dir.File("out/segment.json")))!;
        Assert.Equal(w, (string)json["warnings"]!.AsArray().Single()!);
        // a file that states its signedness (header min/max) is read the same way, without the warning
        File.WriteAllBytes(dir.File("s.mrc"), SxtSeg.Tests.Volumes.MrcTests.HandMadeMrc(t.Nx, t.Ny, t.Nz, 0, bytes, false, cellX: 10 * 10 * t.Nx, dmin: 0, dmax: 255));
        var stated = Segmenter.Run(dir.File("s.mrc"), dir.File("stated"), model, Opts, new Provenance("segment"));
        Assert.Empty(stated.Warnings);
        Assert.Equal(Labels(dir.File("out")), Labels(dir.File("stated")));
    }

    [Theory]
    [InlineData(45, 10, 21, true)]   // thinnest along y by more than 2 ×: the beam along y (IMOD's unrotated tilt output)
    [InlineData(45, 10, 20, false)]  // y just half of z: a cropped strip as likely
    [InlineData(20, 10, 45, false)]  // y just half of x
    [InlineData(45, 38, 12, false)]  // a tomogram: thinnest along z
    public void AVolumeThinnestAlongYIsSegmentedWithAWarningToRotateIt(int nx, int ny, int nz, bool warned)
    {
        using var dir = new TempDir();
        var t = new Volume<float>(nx, ny, nz, VoxelSize.Isotropic(10));
        for (int i = 0; i < t.Length; i++) t.Data[i] = (i * 7919 % 101) / 100f;
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.Equal(warned, s.Warnings.Any(w => w.Contains($"{nx} × {ny} × {nz} (x × y × z), thinnest along y") && w.Contains("trimvol -rx")));
    }

    [Theory]
    [InlineData(1000.0)] // an ImageJ-style TIFF without calibration: 1 µm per pixel
    [InlineData(0.1)]    // an MRC header's 1 Å
    public void AHeaderVoxelSizeNoCryoSxtTomogramHasIsNotRescaledToButWarnedOf(double headerNm)
    {
        using var dir = new TempDir();
        var t = Tomogram();
        t.VoxelSize = VoxelSize.Isotropic(headerNm);
        VolumeIO.Write(dir.File("t.mrc"), t);
        t.VoxelSize = VoxelSize.Isotropic(10);
        VolumeIO.Write(dir.File("right.mrc"), t);
        using var model = Model(); // trained at 10 nm: ± 25 % and 4 × beyond reach 1.875–50 nm
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.Equal(1, s.Scale);
        Assert.Contains("is not used", Assert.Single(s.Warnings));
        Segmenter.Run(dir.File("right.mrc"), dir.File("right"), model, Opts, new Provenance("segment"));
        Assert.Equal(Labels(dir.File("right")), Labels(dir.File("out")));
        // and it is not passed on: the outputs carry no voxel size, as for a file that states none
        Assert.Null(s.VoxelSize);
        Assert.Null(VolumeIO.OpenRead(dir.File("out/labels.mrc")).Info.VoxelSize);
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir.File("out/segment.json")))!["voxel_size_nm"]);
        // a slice range takes the same path: those slices of the whole run, no voxel size, the same warning
        var part = Segmenter.Run(dir.File("t.mrc"), dir.File("part"), model, Opts with { Slices = (3, 5) }, new Provenance("segment"));
        Assert.Equal(1, part.Scale);
        Assert.Contains("is not used", Assert.Single(part.Warnings));
        using (var partLabels = VolumeIO.OpenRead(dir.File("part/labels.mrc"))) Assert.Null(partLabels.Info.VoxelSize);
        var whole = Labels(dir.File("out"));
        int slice = whole.Length / t.Nz;
        Assert.Equal(whole.AsSpan(3 * slice, 5 * slice).ToArray(), Labels(dir.File("part")));
        // a size the user gives is taken as given, however far out
        var warnings = new List<string>();
        Assert.Equal(headerNm / 10, Segmenter.CheckVoxelSize(VoxelSize.Isotropic(headerNm), model, Opts with { VoxelSize = VoxelSize.Isotropic(headerNm) }, "t.mrc", warnings.Add), 9);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(1.9, 1.9 / 10)] // just within 4 × of the tolerance's 7.5 nm: rescaled
    [InlineData(49, 49.0 / 10)] // just within 4 × of 12.5 nm
    public void AHeaderVoxelSizeWithinReachOfTheModelIsRescaledTo(double headerNm, double scale)
    {
        using var dir = new TempDir();
        var t = Tomogram();
        t.VoxelSize = VoxelSize.Isotropic(headerNm);
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        var s = Segmenter.Run(dir.File("t.mrc"), dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.Equal(scale, s.Scale, 9);
        Assert.Empty(s.Warnings);
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
