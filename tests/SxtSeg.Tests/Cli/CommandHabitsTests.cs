using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// What users type from habit or by slip, answered as one mistake in one line: <c>sxtseg help</c>,
/// <c>sxtseg version</c>, a mistyped command, and output names refused before any work.
/// </summary>
public sealed class CommandHabitsTests
{
    [Fact]
    public void HelpAsAWordIsTheHelpOption()
    {
        var r = CliRunner.Run("help");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Err);
        Assert.StartsWith("Usage: sxtseg <command> [options]", r.Out.TrimStart());
        var s = CliRunner.Run("help", "segment");
        Assert.Equal(0, s.ExitCode);
        Assert.StartsWith("Usage: sxtseg segment <tomograms>...", s.Out.TrimStart());
    }

    [Fact]
    public void VersionAsAWordIsTheVersionOption()
    {
        var word = CliRunner.Run("version");
        var option = CliRunner.Run("--version");
        Assert.Equal(0, word.ExitCode);
        Assert.Equal("", word.Err);
        Assert.Equal(option.Out, word.Out);
        Assert.Matches(@"^\d+\.\d+\.\d+", word.Out);
    }

    [Fact]
    public void AMistypedCommandIsOneMistake()
    {
        var r = CliRunner.Run("segmnt", "t.mrc");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: Unrecognized command or argument 'segmnt'.; Unrecognized command or argument 't.mrc'. (see 'sxtseg --help')\n", r.Err.Replace("\r", ""));
        // no command at all still says so
        Assert.Contains("Required command was not provided", CliRunner.Run().Err);
    }

    [Fact]
    public void SegmentIntoAFileIsRefusedBeforeTheTomogramIsRead()
    {
        using var dir = new TempDir();
        string t = dir.File("t.mrc");
        VolumeIO.Write(t, new Volume<float>(32, 32, 8) { VoxelSize = new VoxelSize(10, 10, 10) });
        var before = dir.Contents();
        var r = CliRunner.Run("segment", t, "--out", t, "-q");
        Assert.Equal(2, r.ExitCode);
        // one line: no polarity warning, i.e. the model never looked at the tomogram
        Assert.Equal($"sxtseg: error: {t}: is a file, expected a folder\n", r.Err.Replace("\r", ""));
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void SegmentUnderAFileIsRefusedBeforeTheModelIsRead()
    {
        using var dir = new TempDir();
        string t = dir.File("t.mrc");
        VolumeIO.Write(t, new Volume<float>(32, 32, 8) { VoxelSize = new VoxelSize(10, 10, 10) });
        // a corrupt model: were it read before the output folder is checked, its error would be the one reported
        string model = dir.File("bad.sxtmodel");
        File.WriteAllText(model, "not a model");
        string notes = dir.File("notes.txt");
        File.WriteAllText(notes, "a regular file");
        string output = Path.Combine(notes, "sub");
        var before = dir.Contents();
        var r = CliRunner.Run("segment", t, "--model", model, "--out", output, "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"sxtseg: error: {output}: cannot write here ({notes} is a file, not a folder)\n", r.Err.Replace("\r", ""));
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void ComponentsIntoAnUnknownFormatIsRefusedBeforeTheWork()
    {
        using var dir = new TempDir();
        // a truncated labels file: read first, it would be the error reported
        string m = dir.File("m.mrc");
        File.WriteAllBytes(m, new byte[100]);
        var before = dir.Contents();
        var r = CliRunner.Run("components", m, "--out", dir.File("objects.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Equal($"sxtseg: error: {dir.File("objects.png")}: unknown output format '.png' (use .mrc/.rec or .tif)\n", r.Err.Replace("\r", ""));
        Assert.Equal(before, dir.Contents());
    }
}
