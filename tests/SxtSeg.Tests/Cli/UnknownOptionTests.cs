using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// A mistyped option is refused as such (one line, exit 2, nothing written) instead of becoming a
/// file to read or a folder to write: positional arguments take every token the parser does not know.
/// </summary>
public sealed class UnknownOptionTests
{
    private static void AssertNoSuchOption(CliRunner.Result r, string option, string command)
    {
        Assert.Equal(2, r.ExitCode);
        string[] lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Equal($"sxtseg: error: {option}: no such option (a file or folder whose name begins with '-' is given as ./{option}) (see 'sxtseg {command} --help')", lines[0]);
    }

    [Fact]
    public void AMistypedSegmentOptionIsNotATomogram()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), VolumeFixtures.Pattern<float>());
        var before = dir.Contents();
        // --z-smoth for --z-smooth: before, "--z-smoth" and "1" were two more tomograms of a batch, the
        // real one was segmented without smoothing, and the run ended with "2 failed"
        var r = CliRunner.Run("segment", dir.File("t.mrc"), "--z-smoth", "1", "--out", dir.File("seg"));
        AssertNoSuchOption(r, "--z-smoth", "segment");
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void AMistypedSimulateOptionIsNotTheOutputFolder()
    {
        // before: a simulation was written to a folder named "--bogus" in the working folder
        string folder = Path.Combine(Environment.CurrentDirectory, "--bogus");
        try
        {
            AssertNoSuchOption(CliRunner.Run("simulate", "--bogus", "--size", "32x32x16", "-q"), "--bogus", "simulate");
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void AMistypedOptionAmongModelsToAverageIsRefused()
    {
        using var dir = new TempDir();
        AssertNoSuchOption(CliRunner.Run("model", "average", "-t", "default", "default", "--out", dir.File("soup.sxtmodel")), "-t", "model average");
        Assert.Empty(dir.Contents());
    }

    [Fact]
    public void AnExistingFileWhoseNameBeginsWithADashIsStillRead()
    {
        // Given a volume named "-….mrc" in the working folder (the one place a relative name can begin with '-')
        string name = $"-sxtseg-test-{Guid.NewGuid():N}.mrc";
        string path = Path.Combine(Environment.CurrentDirectory, name);
        try
        {
            VolumeIO.Write(path, VolumeFixtures.Pattern<float>());
            // When it is named as it is, and as ./name: both are read
            var a = CliRunner.Run("info", name, "--no-stats");
            var b = CliRunner.Run("info", "./" + name, "--no-stats");
            Assert.True(a.ExitCode == 0, a.Err);
            Assert.True(b.ExitCode == 0, b.Err);
            Assert.Contains(name, a.Out);
            Assert.Contains(name, b.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("-x", true)]
    [InlineData("--z-smoth", true)]
    [InlineData("-", false)] // a lone dash is a name, as for many tools
    [InlineData("a-b.mrc", false)]
    [InlineData("", false)]
    public void WhatLooksLikeAnOption(string value, bool expected)
        => Assert.Equal(expected, SxtSeg.Cli.Commands.ArgumentChecks.LooksLikeOption(value));
}
