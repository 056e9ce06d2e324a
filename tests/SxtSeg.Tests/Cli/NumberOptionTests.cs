using System.Text.RegularExpressions;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// Numeric options read numbers one way: a point for decimals, exponents allowed, no thousands
/// separators. Before, a comma was taken as a thousands separator ("--low 1,5" was 15, "--alpha 0,5"
/// was refused as 5) and a bad number was reported with .NET type names.
/// </summary>
public sealed class NumberOptionTests
{
    private const string DecimalHint = "(write decimals with a point and no thousands separators, e.g. 0.5 or 1000)";

    private static void AssertParseError(string expected, string command, params string[] args)
    {
        using var dir = new TempDir();
        string a = dir.File("a.mrc");
        VolumeIO.Write(a, VolumeFixtures.Pattern<float>());
        var before = dir.Contents();
        var r = CliRunner.Run(args.Select(x => x.Replace("{a}", a).Replace("{dir}", dir.Path)).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"sxtseg: error: {expected} (see 'sxtseg {command} --help')\n", r.Err.Replace("\r", ""));
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void ADecimalCommaIsRefusedNotReadAsThousands()
    {
        // before: wrote the PNG stretched from the 15th percentile, exit 0
        AssertParseError($"--low: '1,5' is not a number {DecimalHint}", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--low", "1,5");
        // before: "--alpha: must be a number in [0..1], got 5"
        AssertParseError($"--alpha: '0,5' is not a number {DecimalHint}", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--alpha", "0,5");
        AssertParseError($"--min-volume: '1,000' is not a number {DecimalHint}", "components", "components", "{a}", "--out", "{dir}/c.mrc", "--min-volume", "1,000");
    }

    [Fact]
    public void BadNumbersAreNamedWithoutTypeNames()
    {
        // before: "Cannot parse argument '1,0' for option '--z' as expected type 'System.Nullable`1[System.Int32]'."
        AssertParseError("--z: '1,0' is not a whole number (write it without thousands separators, e.g. 1000)", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--z", "1,0");
        AssertParseError("--z: '1e1' is not a whole number", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--z", "1e1");
        AssertParseError("--z: '99999999999' is too large", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--z", "99999999999");
        AssertParseError("--min-volume: '10nm' is not a number (give it without a unit: the unit is the one --help states)", "components", "components", "{a}", "--out", "{dir}/c.mrc", "--min-volume", "10nm");
        AssertParseError("--low: '' is not a number", "slice", "slice", "{a}", "--png", "{dir}/a.png", "--low", "");
    }

    [Fact]
    public void PointsAndExponentsAreRead()
    {
        var r = CliRunner.Run("simulate", "--photons", "2.5e3", "--cells", "+2", "--list-parameters");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Matches(new Regex(@"│ photons\s+│ 2500\s+│"), r.Out);
        Assert.Matches(new Regex(@"│ cells\s+│ 2\s+│"), r.Out);
        // a default still applies when the option is not given
        var d = CliRunner.Run("simulate", "--list-parameters");
        Assert.True(d.ExitCode == 0, d.Err);
        Assert.Matches(new Regex(@"│ cells\s+│ 1\s+│"), d.Out);
    }
}
