using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// An output that would destroy an input is refused before any work (one line, exit 2, the input
/// and its folder as they were): the same file as input and output, also through a link or another
/// spelling of the path, and TIFF outputs written among the slices of an input folder of TIFF slices.
/// </summary>
public sealed class OutputIsInputTests
{
    /// <summary>Every file under the folder with its bytes.</summary>
    private static Dictionary<string, byte[]> Snapshot(TempDir dir)
        => Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir.Path, f), File.ReadAllBytes);

    private static void AssertRefusedUnchanged(TempDir dir, string expectedError, params string[] args)
    {
        var before = Snapshot(dir);
        var entries = dir.Contents();
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: " + expectedError + "\n", r.Err.Replace("\r", ""));
        Assert.Equal(entries, dir.Contents());
        var after = Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} was changed");
    }

    [Fact]
    public void SliceToThePngOfItsOwnName()
    {
        using var dir = new TempDir();
        string a = dir.File("a.mrc");
        VolumeIO.Write(a, VolumeFixtures.Pattern<float>());
        // before: the tomogram was replaced by the PNG of its middle slice, exit 0
        AssertRefusedUnchanged(dir, $"--png: {a} is the input {a}, which would be replaced; give another file name", "slice", a, "--png", a);
    }

    [Fact]
    public void ComponentsOverTheirLabelsSpelledAnotherWay()
    {
        using var dir = new TempDir();
        string m = dir.File("m.mrc"), other = Path.Combine(dir.Path, ".", "sub", "..", "m.mrc");
        VolumeIO.Write(m, VolumeFixtures.Pattern<byte>());
        // before: the mask was replaced by its instance labels
        AssertRefusedUnchanged(dir, $"--out: {other} is the input {m}, which would be replaced; give another file name", "components", m, "--out", other);
    }

    [Fact]
    public void RenderOverItsLabels()
    {
        using var dir = new TempDir();
        string m = dir.File("m.mrc");
        VolumeIO.Write(m, VolumeFixtures.Pattern<byte>());
        AssertRefusedUnchanged(dir, $"--png: {m} is the input {m}, which would be replaced; give another file name", "render", m, "--png", m);
    }

    [Fact]
    public void ConvertThroughALinkToTheOutput()
    {
        using var dir = new TempDir();
        string a = dir.File("a.mrc"), link = dir.File("link.mrc");
        VolumeIO.Write(a, VolumeFixtures.Pattern<float>());
        File.CreateSymbolicLink(link, "a.mrc");
        // before: a.mrc was read through the link and replaced by its conversion to uint8
        AssertRefusedUnchanged(dir, $"output: {a} is the input {link}, which would be replaced; give another file name", "convert", link, a, "--type", "uint8");
        // Writing to the link's name replaces the link, not the file it points to: allowed
        var r = CliRunner.Run("convert", a, link, "--type", "uint8");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Null(new FileInfo(link).LinkTarget);
        using (var reader = VolumeIO.OpenRead(a)) Assert.Equal(VoxelType.Float32, reader.Info.Type);
    }

    [Fact]
    public void TiffWrittenAmongTheInputSlices()
    {
        using var dir = new TempDir();
        string slices = dir.File("slices");
        Directory.CreateDirectory(slices);
        for (int z = 0; z < 3; z++) VolumeIO.Write(Path.Combine(slices, $"s{z}.tif"), new Volume<byte>(16, 16, 1));
        string outTif = Path.Combine(slices, "all.tif");
        // before: all.tif joined the folder, which then no longer read as a volume ("has 3 pages; a
        // folder stack needs single-page files")
        AssertRefusedUnchanged(dir, $"output: {outTif} is inside the input folder of TIFF slices {slices} and would become one of its slices; write it elsewhere", "convert", slices, outTif);
        AssertRefusedUnchanged(dir, $"--out: {outTif} is inside the input folder of TIFF slices {slices} and would become one of its slices; write it elsewhere", "components", slices, "--out", outTif);
        // segment's labels.tif likewise (refused before the model is loaded)
        AssertRefusedUnchanged(dir, $"--out: {slices}/ is the input folder {slices}; its outputs would be written among the slices; give another folder", "segment", slices, "--out", slices + "/", "-q");
        // an MRC beside the slices is not a slice: allowed
        var r = CliRunner.Run("convert", slices, Path.Combine(slices, "all.mrc"));
        Assert.True(r.ExitCode == 0, r.Err);
    }
}
