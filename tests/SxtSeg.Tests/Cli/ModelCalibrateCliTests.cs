using System.Globalization;
using System.Text.RegularExpressions;
using SxtSeg.Network;
using SxtSeg.Tests.Evaluation;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// <c>sxtseg model calibrate</c> as a user runs it: the table and the line it prints agree with the model file it
/// writes, and mistakes are refused with one line, exit 2 and nothing written (the library's rule and scores are
/// checked in <see cref="ThresholdCalibrationTests"/>).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class ModelCalibrateCliTests : IClassFixture<SmallSimulationFixture>
{
    private readonly SmallSimulationFixture _sim;

    public ModelCalibrateCliTests(SmallSimulationFixture sim) => _sim = sim;

    [GeneratedRegex(@"model ([0-9a-f]{16}), threshold ([0-9.]+) \(")]
    private static partial Regex SummaryLine();

    [Fact]
    public void TheCommandWritesTheThresholdItPrints()
    {
        // Given the shipped model and one small simulation, two thresholds to try
        string output = _sim.File("cli-calibrated.sxtmodel");
        // When calibrated from the command line
        var r = CliRunner.Run("model", "calibrate", DefaultModel.Path, "--sim", _sim.Folder, "--thresholds", "0.40,0.65",
            "--workers", "1", "--out", output);
        // Then it succeeds and prints one row per threshold, one of them chosen
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("0.40", r.Out, StringComparison.Ordinal);
        Assert.Contains("0.65", r.Out, StringComparison.Ordinal);
        var chosenRows = r.Out.Split('\n').Where(l => l.Contains("chosen", StringComparison.Ordinal)).ToArray();
        Assert.Single(chosenRows);
        // and its last line names the written file's id and threshold, which are the file's
        var m = SummaryLine().Match(r.Out);
        Assert.True(m.Success, r.Out);
        var card = ModelFile.ReadCard(output);
        Assert.Equal(ModelFile.ReadCard(DefaultModel.Path).Id, m.Groups[1].Value);
        Assert.Equal(card.Id, m.Groups[1].Value);
        double printed = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Contains(printed, new[] { 0.40, 0.65 });
        Assert.Equal(printed, card.EffectiveThreshold, 9);
        // and the row marked chosen is that threshold's
        Assert.StartsWith(m.Groups[2].Value, chosenRows[0].Trim(' ', '│', '|'), StringComparison.Ordinal);
        Assert.Equal(2, card.Metrics["calibration"]!["rows"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("--thresholds", "0.5,abc", "abc")]
    [InlineData("--thresholds", "0.5,1.5", "(0, 1)")]
    [InlineData("--max-fp", "-3", "positive")]
    [InlineData("--workers", "0", "0")]
    public void ABadOptionIsRefusedAndNothingIsWritten(string option, string value, string named)
    {
        using var tmp = new TempDir();
        string output = tmp.File("x.sxtmodel");
        CliRunner.Refused(["model", "calibrate", DefaultModel.Path, "--sim", _sim.Folder, option, value, "--out", output], option, named);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AFolderThatIsNotASimulationIsRefusedByName()
    {
        using var tmp = new TempDir();
        string notSim = tmp.File("just-a-folder");
        Directory.CreateDirectory(notSim);
        string output = tmp.File("x.sxtmodel");
        CliRunner.Refused(["model", "calibrate", DefaultModel.Path, "--sim", notSim, "--out", output], notSim, "is not a simulation folder");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AMissingModelIsRefusedByName()
    {
        using var tmp = new TempDir();
        string missing = tmp.File("no-such.sxtmodel");
        string output = tmp.File("x.sxtmodel");
        CliRunner.Refused(["model", "calibrate", missing, "--sim", _sim.Folder, "--out", output], missing);
        Assert.False(File.Exists(output));
    }
}
