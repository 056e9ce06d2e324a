using SxtSeg.Imaging;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

public sealed class CommandTests
{
    [Fact]
    public void AnObjectTooLargeForOneMeshFileIsReportedAtTheUsersPath()
    {
        using var dir = new TempDir();
        // one voxel: each of the 8 marching cubes cells around it has one corner inside, one triangle each = 8
        string m = dir.File("m.mrc");
        var mask = new Volume<byte>(5, 5, 5) { VoxelSize = new VoxelSize(10, 10, 10) };
        mask[2, 2, 2] = 1;
        VolumeIO.Write(m, mask);
        string output = dir.File("meshes");
        var before = dir.Contents();
        var r = CliRunner.Run("mesh", m, "--out", output, "--max-triangles", "7", "--min-voxels", "1", "-q");
        Assert.Equal(2, r.ExitCode);
        // the destination, not the hidden staging folder beside it (.meshes.PID@HOST.GUID.partial)
        Assert.Equal($"sxtseg: error: {Path.Combine(output, "meshes.ply")}: object 1 alone has 8 triangles, more than one .ply file may hold here (7); decimate it (--decimate) or raise --max-triangles\n",
            r.Err.Replace("\r", ""));
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void InfoPrintsShapeTypeVoxelSizeAndStatistics()
    {
        var r = CliRunner.Run("info", TestPaths.AlbaSlice);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("984 × 974 × 1", r.Out);
        Assert.Contains("float32", r.Out);
        Assert.Contains("13 nm", r.Out);
        Assert.Contains("-0.00740263 / 0.00233113", r.Out); // min / max
    }

    [Fact]
    public void InfoJsonIsMachineReadable()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("v.mrc"), VolumeFixtures.Pattern<short>());
        var r = CliRunner.Run("info", dir.File("v.mrc"), "--json");
        Assert.Equal(0, r.ExitCode);
        var j = System.Text.Json.Nodes.JsonNode.Parse(r.Out)!;
        Assert.Equal(7, (int)j["nx"]!);
        Assert.Equal("int16", (string)j["type"]!);
        Assert.Equal(-32768, (double)j["statistics"]!["min"]!);
        Assert.Equal(32767, (double)j["statistics"]!["max"]!);
        Assert.Null(j["notes"]); // the file states everything it is read by
    }

    [Fact]
    public void InfoSaysHowItReadBytesWhoseSignednessTheFileDoesNotState()
    {
        using var dir = new TempDir();
        sbyte[] values = { -61, -3, 0, 5, 12, -20, 123, 1 }; // an int8 export without header min/max
        File.WriteAllBytes(dir.File("s.mrc"), SxtSeg.Tests.Volumes.MrcTests.HandMadeMrc(4, 1, 2, 0, values.Select(v => (byte)v).ToArray(), false, dmin: 0, dmax: -1));
        var r = CliRunner.Run("info", dir.File("s.mrc"), "--json");
        Assert.Equal(0, r.ExitCode);
        var j = System.Text.Json.Nodes.JsonNode.Parse(r.Out)!;
        Assert.Equal("int8", (string)j["type"]!);
        Assert.Contains("read as signed (int8)", (string)j["notes"]!.AsArray().Single()!);
        Assert.Equal(-61, (double)j["statistics"]!["min"]!);
        var table = CliRunner.Run("info", dir.File("s.mrc"));
        Assert.Contains("note", table.Out);
        Assert.Contains("signed (int8)", table.Out);
    }

    [Theory]
    [InlineData(1000, true)] // an uncalibrated ImageJ TIFF's 1 µm per pixel
    [InlineData(151, true)]
    [InlineData(150, false)] // the band's edges, 4× beyond the default model's range
    [InlineData(9.8, false)]
    [InlineData(1.84, false)] // 9.8 × 0.75 / 4 = 1.8375, where segment stops believing a header
    [InlineData(1.83, true)]
    [InlineData(0.1, true)] // MRC's 1 Å
    public void InfoNotesAHeaderVoxelSizeNoCryoSxtTomogramHas(double nm, bool noted)
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("v.mrc"), new Volume<float>(6, 5, 2, VoxelSize.Isotropic(nm)));
        var j = System.Text.Json.Nodes.JsonNode.Parse(CliRunner.Run("info", dir.File("v.mrc"), "--json", "--no-stats").Out)!;
        if (!noted) { Assert.Null(j["notes"]); return; }
        string note = (string)j["notes"]!.AsArray().Single()!;
        Assert.Contains($"{nm.ToString(System.Globalization.CultureInfo.InvariantCulture)} nm per voxel is not a cryo-SXT voxel size", note);
        Assert.Contains("--voxel-size", note);
        Assert.Contains("cryo-SXT", CliRunner.Run("info", dir.File("v.mrc"), "--no-stats").Out);
    }

    [Fact]
    public void InfoNotesAnOddVoxelSizeAlongOneAxis()
    {
        // ImageJ's voxel depth left at 1 µm under a calibrated pixel width
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("v.mrc"), new Volume<float>(6, 5, 2, new VoxelSize(9.8, 9.8, 1000)));
        var j = System.Text.Json.Nodes.JsonNode.Parse(CliRunner.Run("info", dir.File("v.mrc"), "--json", "--no-stats").Out)!;
        Assert.Contains("1000 nm per voxel along z is not a cryo-SXT voxel size", (string)j["notes"]!.AsArray().Single()!);
    }

    [Fact]
    public void SliceWritesPngWithRedLabelOverlay()
    {
        using var dir = new TempDir();
        // Given a volume and a label volume marking the left half of slice 1
        var v = new Volume<float>(8, 4, 3, VoxelSize.Isotropic(10));
        for (int i = 0; i < v.Length; i++) v.Data[i] = i % 8;
        var l = new Volume<byte>(8, 4, 3);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) l[1, y, x] = 255;
        VolumeIO.Write(dir.File("v.mrc"), v);
        VolumeIO.Write(dir.File("l.tif"), l);
        // When
        var r = CliRunner.Run("slice", dir.File("v.mrc"), "--z", "1", "--png", dir.File("s.png"), "--labels", dir.File("l.tif"), "--alpha", "1");
        // Then
        Assert.Equal(0, r.ExitCode);
        var (w, h, ch, px) = Png.Decode(File.ReadAllBytes(dir.File("s.png")));
        Assert.Equal((8, 4, 3), (w, h, ch));
        Assert.Equal(new byte[] { 255, 0, 0 }, px[..3]);          // labelled pixel is red
        Assert.Equal(px[3 * 7], px[3 * 7 + 1]);                    // unlabelled pixel is grey
        Assert.Equal(255, px[3 * 7]);                              // brightest column stretched to 255
    }

    [Fact]
    public void ConvertChangesTypeAndWritesVoxelSizeOverride()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("a.mrc"), VolumeFixtures.Pattern<float>());
        var r = CliRunner.Run("convert", dir.File("a.mrc"), dir.File("b.tif"), "--type", "uint16", "--voxel-size", "13");
        Assert.Equal(0, r.ExitCode);
        using var b = VolumeIO.OpenRead(dir.File("b.tif"));
        Assert.Equal(VoxelType.UInt16, b.Info.Type);
        Assert.Equal(13, b.Info.VoxelSize!.Value.X, 6);
        var data = b.ReadVolume<ushort>().Data;
        Assert.Equal(0, data.Min());
        Assert.Equal(65535, data.Max());
    }

    /// <summary>The simulator's setting keys (Size) reach the demo's user as --size, whether the CLI or the simulator rejects it.</summary>
    [Theory]
    [InlineData("--size: '64x64' is not a size; give voxels as X×Y×Z, e.g. 512x512x256", "64x64")]
    [InlineData("--size: 8×8×8 is impossible: every dimension needs at least 16 voxels", "8x8x8")]
    public void DemoSettingErrorsNameTheOption(string message, string size)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--out", dir.File("demo"), "--size", size, "--filopodium-model", "none");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: " + message, r.Err.Trim());
    }
}
