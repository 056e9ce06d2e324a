using SxtSeg.Inference;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The cell-body mask's plumbing against hand-computed answers: binning (area mean, partial edge blocks),
/// bilinear upsampling of a ramp, hole filling in 2D, the cleaning of a binned mask (threshold, small
/// components, holes) and the upsampled mask's edges and clamping; the command's option checks.
/// </summary>
public sealed class CellBodyTests
{
    [Theory]
    [InlineData(9.8, 40, 4)]
    [InlineData(13, 40, 3)]
    [InlineData(30, 40, 1)]
    [InlineData(100, 40, 1)]
    [InlineData(10, 45, 5)] // 4.5 rounds away from zero
    public void TheBinFactorIsTheRoundedRatioOfPixelToVoxel(double voxel, double pixel, int expected)
        => Assert.Equal(expected, CellBody.BinFactor(voxel, pixel));

    [Fact]
    public void BinningAveragesEachBlockAndPartialEdgeBlocksOverTheirOwnPixels()
    {
        // Given a 5 × 3 plane with values 0..14 (row-major) binned 2 × 2
        var plane = Enumerable.Range(0, 15).Select(i => (float)i).ToArray();
        var binned = new float[3 * 2];
        // When
        CellBody.Bin(plane, 5, 3, 2, binned);
        // Then: blocks (rows 0–1 | row 2) × (columns 0–1 | 2–3 | 4)
        Assert.Equal(new[] { 3f, 5f, 6.5f, 10.5f, 12.5f, 14f }, binned);
    }

    [Fact]
    public void UpsamplingARampIsLinearBetweenBlockCentresAndFlatBeyond()
    {
        // Given a row of two binned pixels, 0 and 4, at factor 4 (centres at full-size x = 1.5 and 5.5)
        var binned = new[] { 0f, 4f };
        var full = new float[8];
        // When
        CellBody.Upsample(binned, 4, full, 8, 1);
        // Then: the value at x is x − 1.5 between the centres, clamped outside
        Assert.Equal(new[] { 0f, 0f, 0.5f, 1.5f, 2.5f, 3.5f, 4f, 4f }, full);
    }

    [Fact]
    public void HolesAreFilledButBackgroundReachingTheBorderIsNot()
    {
        // Given a 7 × 6 plane: a closed ring (columns 0–2) around one hole; a C (rows 1–3) whose inside reaches the
        // right border at (2, 6); a pocket at (4, 4) that touches border background (5, 5) only diagonally
        string[] rows =
        {
            "1110000",
            "1011111",
            "1110000",
            "0001111",
            "0001010",
            "0001101",
        };
        var mask = Parse(rows);
        // When
        CellBody.FillHoles(mask, 7, 6, new int[42]);
        // Then: the ring's hole and the pocket are filled (4-connected background), the C's inside is not
        string[] expected =
        {
            "1110000",
            "1111111",
            "1110000",
            "0001111",
            "0001110",
            "0001101",
        };
        Assert.Equal(Parse(expected), mask);
    }

    [Fact]
    public void CleaningThresholdsStrictlyDropsSmallComponentsAndFillsHoles()
    {
        // Given binned probabilities (3 slices of 8 × 8): a 5 × 5 block in every slice with a hole in the middle
        // slice, a 1-voxel speck far away, and pixels exactly at the threshold
        var p = new Volume<float>(8, 8, 3);
        for (int z = 0; z < 3; z++)
            for (int y = 1; y <= 5; y++)
                for (int x = 1; x <= 5; x++) p[z, y, x] = 0.9f;
        p[1, 3, 3] = 0.1f; // hole
        p[0, 7, 7] = 0.8f; // speck: 1 voxel < 10 % of 75
        p[2, 0, 3] = 0.5f; // at the threshold, touching the block: not cell
        // When
        var clean = CellBody.Clean(p, 0.5, 0.1);
        // Then
        Assert.Equal(75, clean.Data.Count(v => v == 1));
        Assert.Equal(1, clean[1, 3, 3]);
        Assert.Equal(0, clean[0, 7, 7]);
        Assert.Equal(0, clean[2, 0, 3]);
        // and with no minimum fraction the speck stays
        Assert.Equal(1, CellBody.Clean(p, 0.5, 0)[0, 7, 7]);
    }

    [Fact]
    public void TheUpsampledMaskEndsHalfwayBetweenBlockCentresAndFollowsTheCleanedMask()
    {
        // Given one binned slice of 5 × 5 at factor 4 (full size 20 × 20): blocks (1..3, 1..3) inside with p = 1
        // except the middle one at 0.1 (a hole the cleaning filled), block (0, 4) at 0.9 but dropped by the cleaning
        var p = new Volume<float>(5, 5, 1);
        var clean = new Volume<byte>(5, 5, 1);
        for (int y = 1; y <= 3; y++)
            for (int x = 1; x <= 3; x++) { p[0, y, x] = 1; clean[0, y, x] = 1; }
        p[0, 2, 2] = 0.1f;
        p[0, 0, 4] = 0.9f;
        var full = new VolumeInfo(20, 20, 1, VoxelType.UInt8, VoxelSize.Isotropic(10));
        // When
        var stream = CellBody.UpsampledMask(p, clean, 0.5, 4, full);
        var slice = new byte[400];
        stream.ReadNext(slice);
        // Then: along row 10 the mask is x = 4..15, exactly the three blocks (the ramp from the outside centre
        // 1.5 to the inside centre 5.5 crosses 0.5 at 3.5)
        for (int x = 0; x < 20; x++) Assert.True(slice[10 * 20 + x] == (x is >= 4 and <= 15 ? 1 : 0), $"x = {x}");
        // the filled hole is inside, the dropped block outside
        Assert.Equal(1, slice[10 * 20 + 10]);
        Assert.Equal(0, slice[1 * 20 + 18]);
        // the 12 × 12 square less one pixel at each corner (bilinear rounds corners: 0.625² < 0.5 < 0.625 · 0.875)
        Assert.Equal(140, slice.Count(v => v == 1));
        Assert.Equal(0, slice[4 * 20 + 4]);
        Assert.Equal(1, slice[4 * 20 + 5]);
        Assert.Equal(full, stream.Info);
    }

    [Fact]
    public void TheShippedBodyModelIsFoundInAModelsFolderAbove()
    {
        // Given a models/ folder with a body model two levels above a start folder, and a folder without
        string root = Path.Combine(Path.GetTempPath(), $"sxtseg-body-find-{Guid.NewGuid():N}");
        string deep = Path.Combine(root, "a", "b");
        string empty = Path.Combine(Path.GetTempPath(), $"sxtseg-body-none-{Guid.NewGuid():N}");
        Directory.CreateDirectory(deep);
        Directory.CreateDirectory(Path.Combine(root, "models"));
        Directory.CreateDirectory(empty);
        try
        {
            string model = Path.Combine(root, "models", CellBody.DefaultModelFileName);
            File.WriteAllText(model, "x");
            // When / Then
            Assert.Equal(Path.GetFullPath(model), CellBody.FindDefaultModel(deep, empty));
            Assert.Equal(Path.GetFullPath(model), CellBody.FindDefaultModel(empty, deep));
            Assert.Null(CellBody.FindDefaultModel(empty, empty));
        }
        finally
        {
            Directory.Delete(root, true);
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void TheCommandRefusesABodyModelWithoutATomogramOrWithACellMask()
    {
        // Given a small label file and a file standing for a model
        string dir = Path.Combine(Path.GetTempPath(), $"sxtseg-body-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var labels = new Volume<byte>(16, 16, 8, VoxelSize.Isotropic(10));
            labels[4, 8, 8] = 1;
            string path = Path.Combine(dir, "labels.mrc");
            VolumeIO.Write(path, labels);
            string model = Path.Combine(dir, "body.sxtmodel");
            File.WriteAllText(model, "x");
            // When
            var noTomogram = CliRunner.Run("filopodia", path, "--out", Path.Combine(dir, "a"), "--body-model", model);
            var both = CliRunner.Run("filopodia", path, "--out", Path.Combine(dir, "b"), "--body-model", model, "--tomogram", path, "--cell-mask", path);
            var missing = CliRunner.Run("filopodia", path, "--out", Path.Combine(dir, "c"), "--body-model", Path.Combine(dir, "nope.sxtmodel"));
            // Then
            foreach (var r in new[] { noTomogram, both, missing })
            {
                Assert.Equal(2, r.ExitCode);
                Assert.Contains("--body-model", r.Err);
            }
            Assert.Contains("--tomogram", noTomogram.Err);
            Assert.Contains("not both", both.Err);
            Assert.False(Directory.Exists(Path.Combine(dir, "a")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static byte[] Parse(string[] rows) => rows.SelectMany(r => r.Select(c => (byte)(c - '0'))).ToArray();

    [Fact]
    public void ATomogramIsBinnedSliceBySliceAndItsVoxelGrowsInXAndYOnly()
    {
        // Given a 5 × 3 × 2 tomogram of 10 × 10 × 20 nm voxels, slice z holding 100 z + (0..14)
        var t = new Volume<float>(5, 3, 2, new VoxelSize(10, 10, 20));
        for (int z = 0; z < 2; z++)
            for (int i = 0; i < 15; i++) t.Data[z * 15 + i] = 100 * z + i;
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        // When binned 2 × 2
        var b = CellBody.BinVolume(reader, 2);
        // Then each slice is binned as a plane (the known answer above), and the voxel is 20 × 20 × 20 nm
        Assert.Equal((3, 2, 2), (b.Nx, b.Ny, b.Nz));
        Assert.Equal(new[] { 3f, 5f, 6.5f, 10.5f, 12.5f, 14f, 103f, 105f, 106.5f, 110.5f, 112.5f, 114f }, b.Data);
        Assert.Equal(new VoxelSize(20, 20, 20), b.VoxelSize);
    }

    [Fact]
    public void TheBodyIsTheBlocksAtLeastHalfFullOfBodyClasses()
    {
        // Given a 4 × 2 × 1 class volume: block 0 holds classes 3, 10, 0, 0 (two of four body: half),
        // block 1 holds 2, 11, 3, 0 (one of four: 2 is outside the cell, 11 a filopodium)
        var c = new Volume<byte>(4, 2, 1, VoxelSize.Isotropic(10));
        byte[] values = { 3, 10, 2, 11, 0, 0, 3, 0 };
        values.CopyTo(c.Data, 0);
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("c.mrc"), c);
        using var reader = VolumeIO.OpenRead(dir.File("c.mrc"));
        var b = CellBody.BinBody(reader, 2);
        Assert.Equal(new byte[] { 1, 0 }, b.Data);
        Assert.Equal(new VoxelSize(20, 20, 10), b.VoxelSize);
    }

    [Fact]
    public void ASimulationBecomesABodyTrainingFolderAtAboutTheBinnedPixelSize()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sim"));
        // Given a simulation of 13 nm voxels (40 nm pixels: factor 3): tomogram and classes, body in the left half
        var t = new Volume<float>(6, 3, 2, VoxelSize.Isotropic(13));
        var c = new Volume<byte>(6, 3, 2, VoxelSize.Isotropic(13));
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 6; x++) { t[z, y, x] = x; c[z, y, x] = x < 3 ? (byte)5 : (byte)0; }
        VolumeIO.Write(dir.File("sim/tomogram.mrc"), t);
        VolumeIO.Write(dir.File("sim/classes.mrc"), c);
        // When
        int factor = CellBody.WriteTrainingFolder(dir.File("sim"), dir.File("out"));
        // Then the image is binned 3 × 3 (means 1 and 4) and the labels are the body
        Assert.Equal(3, factor);
        var image = VolumeIO.Read<float>(dir.File("out/tomogram.mrc"));
        var labels = VolumeIO.Read<byte>(dir.File("out/membranes.mrc"));
        Assert.Equal(new[] { 1f, 4f, 1f, 4f }, image.Data);
        Assert.Equal(new byte[] { 1, 0, 1, 0 }, labels.Data);
        Assert.Equal(39, image.VoxelSize!.Value.X, 4);
        // and a tomogram without a voxel size is refused naming it
        VolumeIO.Write(dir.File("sim/tomogram.mrc"), new Volume<float>(6, 3, 2));
        var e = Assert.Throws<InvalidInputException>(() => CellBody.WriteTrainingFolder(dir.File("sim"), dir.File("out2")));
        Assert.Contains("voxel size", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EverySliceIsPredictedByOneOfTheWorkersAfterTheModelsNormalisation(int workers)
    {
        // Given 3 binned slices of 20 × 18 holding z / 4 + x / 100 and a model that halves before predicting
        var b = new Volume<float>(20, 18, 3);
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < 18; y++)
                for (int x = 0; x < 20; x++) b[z, y, x] = z / 4f + x / 100f;
        var predictors = Enumerable.Range(0, workers).Select(_ => (ITilePredictor)new PointwisePredictor()).ToArray();
        using var model = new SegmentationModel(predictors, (plane, _, _) => { foreach (ref float v in plane) v *= 0.5f; }, "body", null, "pointwise");
        // When
        var p = CellBody.Predict(b, model);
        // Then each voxel is the model's answer for its own slice: half the value (the input is untouched)
        for (int z = 0; z < 3; z++)
            for (int x = 0; x < 20; x += 7)
                Assert.Equal(0.5f * (z / 4f + x / 100f), p[z, 9, x], 5);
        Assert.Equal(0.25f + 0.19f, b[1, 0, 19], 6);
    }

    [Fact]
    public void AGivenVoxelSizeBinsInsteadOfTheHeaders()
    {
        // a tomogram whose header says 1 µm per voxel; the run's --voxel-size says 10 nm
        using var tmp = new TempDir();
        var t = new Volume<float>(64, 48, 2, VoxelSize.Isotropic(1000));
        for (int i = 0; i < t.Length; i++) t.Data[i] = i % 7;
        VolumeIO.Write(tmp.File("t.mrc"), t);
        string model = TinyModels.Write(tmp, "body.sxtmodel");
        using var reader = VolumeIO.OpenRead(tmp.File("t.mrc"));
        var options = new CellBodyOptions { PixelNm = 40 };
        // binned by 40 / 10 = 4 with the given size; by the header's 1000 nm, not at all
        Assert.Equal(4, CellBody.FromTomogram(reader, model, options, voxelSize: VoxelSize.Isotropic(10)).Factor);
        Assert.Equal(1, CellBody.FromTomogram(reader, model, options).Factor);
    }

    [Fact]
    public void ABodyModelThatReadsNeighbouringSlicesIsRefused()
    {
        using var model = new SegmentationModel(new ITilePredictor[] { new PointwisePredictor(planes: 3) }, (_, _, _) => { }, "ctx", null, "3 planes");
        var e = Assert.Throws<InvalidOptionException>(() => CellBody.Predict(new Volume<float>(16, 16, 2), model));
        Assert.Contains("neighbouring slices", e.Message);
    }

    [Fact]
    public void TheUpsampledMaskRefusesAMismatchedVolumeAndReadingPastItsEnd()
    {
        var full = new VolumeInfo(8, 8, 2, VoxelType.UInt8, VoxelSize.Isotropic(10));
        // 8 / 4 = 2 binned pixels a side, 2 slices: right; 3 a side or 1 slice: wrong
        Assert.Throws<ArgumentException>(() => CellBody.UpsampledMask(new Volume<float>(3, 2, 2), new Volume<byte>(3, 2, 2), 0.5, 4, full));
        Assert.Throws<ArgumentException>(() => CellBody.UpsampledMask(new Volume<float>(2, 3, 2), new Volume<byte>(2, 3, 2), 0.5, 4, full));
        Assert.Throws<ArgumentException>(() => CellBody.UpsampledMask(new Volume<float>(2, 2, 1), new Volume<byte>(2, 2, 1), 0.5, 4, full));
        var p = new Volume<float>(2, 2, 2);
        var clean = new Volume<byte>(2, 2, 2);
        clean.Data[4] = 1;   // slice 1, block (0, 0)
        var stream = CellBody.UpsampledMask(p, clean, 0.5, 4, full);
        var slice = new byte[64];
        stream.ReadNext(slice);
        Assert.Equal(0, slice.Count(v => v != 0));
        stream.ReadNext(slice);
        Assert.True(slice[0] == 1 && slice[63] == 0, "slice 1 holds the clean block");
        Assert.Throws<InvalidOperationException>(() => stream.ReadNext(slice));
        // and after a reset the first slice again
        stream.Reset();
        stream.ReadNext(slice);
        Assert.Equal(0, slice.Count(v => v != 0));
    }
}
