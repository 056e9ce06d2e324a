using System.Buffers.Binary;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>Every bad input gets one line naming the file and the problem, exit code 2, and no output left behind.</summary>
public sealed class BadInputTests
{
    private static void AssertBadInput(CliRunner.Result r, string path, string problem)
    {
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("sxtseg: error: ", lines[0]);
        Assert.Contains(path, lines[0]);
        Assert.Contains(problem, lines[0]);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
    }

    /// <summary>Runs info and convert on a bad input; checks both fail cleanly and convert writes nothing.</summary>
    private static void AssertRejected(TempDir dir, string input, string problem)
    {
        AssertBadInput(CliRunner.Run("info", input), input, problem);
        string output = dir.File("out.tif");
        var before = dir.Contents();
        AssertBadInput(CliRunner.Run("convert", input, output), input, problem);
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void TruncatedHeader()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("short.mrc"), new byte[300]);
        AssertRejected(dir, dir.File("short.mrc"), "too short for an MRC header");
    }

    [Fact]
    public void HeaderClaimsMoreDataThanTheFileHolds()
    {
        using var dir = new TempDir();
        byte[] full = MrcTests.HandMadeMrc(64, 64, 10, 2, new byte[64 * 64 * 10 * 4], false);
        File.WriteAllBytes(dir.File("cut.mrc"), full[..(1024 + 64 * 64 * 4 * 3 + 17)]);
        AssertRejected(dir, dir.File("cut.mrc"), "truncated: header promises 64 × 64 × 10 voxels");
    }

    [Fact]
    public void UnknownMode()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("complex.mrc"), MrcTests.HandMadeMrc(2, 2, 1, 4, new byte[32], false));
        AssertRejected(dir, dir.File("complex.mrc"), "MRC mode 4 (complex float32) is not supported");
    }

    [Theory]
    [InlineData(0, 10, 10, "impossible dimensions 0 × 10 × 10")]
    [InlineData(-5, 10, 10, "impossible dimensions -5 × 10 × 10")]
    [InlineData(70000, 70000, 1, "over 2^31")]
    public void AbsurdDimensions(int nx, int ny, int nz, string problem)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("absurd.mrc"), MrcTests.HandMadeMrc(nx, ny, nz, 2, new byte[64], false));
        AssertRejected(dir, dir.File("absurd.mrc"), problem);
    }

    [Fact]
    public void NonTiffWithTifExtension()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.tif"), "this is not an image");
        AssertRejected(dir, dir.File("notes.tif"), "not a TIFF file");
    }

    [Fact]
    public void EmptyFolder()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("empty"));
        AssertRejected(dir, dir.File("empty"), "folder holds no .tif/.tiff files");
    }

    [Fact]
    public void MixedSliceSizesInFolder()
    {
        using var dir = new TempDir();
        string folder = dir.File("stack");
        Directory.CreateDirectory(folder);
        VolumeIO.Write(Path.Combine(folder, "s01.tif"), new Volume<byte>(8, 8, 1));
        VolumeIO.Write(Path.Combine(folder, "s02.tif"), new Volume<byte>(8, 9, 1));
        AssertRejected(dir, folder, "mixed slice sizes in folder");
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        AssertRejected(dir, dir.File("nothing.mrc"), "file not found");
    }

    [Fact]
    public void UnwritableOutputPath()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), VolumeFixtures.Pattern<float>());
        File.WriteAllText(dir.File("afile"), "x");
        // A path whose parent is a regular file cannot be created, even by root.
        string output = Path.Combine(dir.File("afile"), "out.tif");
        var before = dir.Contents();
        var r = CliRunner.Run("convert", dir.File("ok.mrc"), output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(output, r.Err);
        Assert.Equal(before, dir.Contents());
    }

    [Theory]
    [InlineData("out.mrc")]
    [InlineData("out.tif")]
    public void WriterAbandonedHalfWayLeavesNoFile(string name)
    {
        using var dir = new TempDir();
        // Given a writer that received 1 of 3 slices
        using (var w = VolumeIO.Create(dir.File(name), new VolumeInfo(4, 4, 3, VoxelType.Float32)))
        {
            w.WriteSlice<float>(new float[16]);
            Assert.Throws<InvalidOperationException>(() => w.Commit());
        }
        // Then nothing is left, not even a temporary file
        Assert.Empty(dir.Contents());
    }

    [Fact]
    public void RefusedOutputTypeLeavesNoOutput()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), VolumeFixtures.Pattern<float>());
        var before = dir.Contents();
        var r = CliRunner.Run("convert", dir.File("ok.mrc"), dir.File("out.mrc"), "--type", "uint32");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("uint32 voxels cannot be stored in MRC", r.Err);
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void BadOptionValues()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), VolumeFixtures.Pattern<float>());
        CliRunner.Refused(new[] { "convert", dir.File("ok.mrc"), dir.File("o.tif"), "--type", "complex" }, "--type", "complex");
        CliRunner.Refused(new[] { "slice", dir.File("ok.mrc"), "--z", "99", "--png", dir.File("o.png") }, "--z", "99");
        CliRunner.Refused(new[] { "convert", dir.File("ok.mrc"), dir.File("o.tif"), "--voxel-size", "-3" }, "--voxel-size", "-3");
        CliRunner.Refused(new[] { "info" }, "Required argument missing", "'info'");
        Assert.False(File.Exists(dir.File("o.tif")));
        Assert.False(File.Exists(dir.File("o.png")));
    }
}
