using SxtSeg.Evaluation;
using SxtSeg.Network;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// The calibration record <c>model calibrate</c> writes into the model card (<c>metrics.calibration</c>) for a
/// constructed result of three hand-computed rows: every key, in order, and every value.
/// </summary>
public sealed class ThresholdCalibrationRecordTests
{
    // P = 4/7 = 0.571428…, R = 5/9 = 0.555555…: F1 = 2·(20/63)/(71/63) = 40/71 = 0.563380…, FP = 3/9 = 33.333… % of the truth
    private static readonly ThresholdRow Low = new(0.4, new TolerantScore(1, 7, 4, 9, 5));
    // P = 5/6 = 0.833333…, R = 6/9 = 0.666666…: F1 = 2·(10/18)/(3/2) = 20/27 = 0.740740…, FP = 1/9 = 11.111… %
    private static readonly ThresholdRow Mid = new(0.55, new TolerantScore(1, 6, 5, 9, 6));
    // nothing predicted, 9 true voxels: P = 0, R = 0, F1 = 0, FP = 0 %
    private static readonly ThresholdRow High = new(0.7, new TolerantScore(1, 0, 0, 9, 0));

    private static ThresholdCalibrationResult Result() => new([Low, Mid, High], 1, "the rule in words",
    [
        (Path.Combine(Path.GetTempPath(), "val", "sim-a"), "bessy-u41"),
        // as a shell's completion gives a folder: with a trailing separator
        (Path.Combine("runs", "sim-b") + Path.DirectorySeparatorChar, "simulated"),
    ]);

    [Fact]
    public void TheRecordHoldsTheChosenAndPreviousThresholdsTheRuleAndTheToolVersion()
    {
        // Given a result whose second row (0.55) is chosen, and a model whose threshold was 0.5
        // When it is made into the card's record
        var json = Result().ToJson(0.5);
        // Then it has exactly these keys, in this order
        Assert.Equal(["threshold", "previous_threshold", "rule", "scores", "simulations", "rows", "tool_version"], json.Select(p => p.Key));
        // and the chosen and previous thresholds, the rule and what was scored
        Assert.Equal(0.55, json["threshold"]!.GetValue<double>());
        Assert.Equal(0.5, json["previous_threshold"]!.GetValue<double>());
        Assert.Equal("the rule in words", json["rule"]!.GetValue<string>());
        Assert.Equal("visible membranes (the simulation's ignore.mrc), ±1 voxel = Euclidean distance ≤ 1 in 3D, pooled over the tomograms; each tomogram segmented as `sxtseg segment` does by default",
            json["scores"]!.GetValue<string>());
        Assert.Equal(ToolInfo.Version, json["tool_version"]!.GetValue<string>());
        Assert.NotEqual("", ToolInfo.Version);
    }

    [Fact]
    public void AModelWithoutAThresholdBeforeIsRecordedAsNull()
    {
        // Given a model that had no threshold of its own
        var json = Result().ToJson(null);
        // Then the key is there with a JSON null
        Assert.True(json.ContainsKey("previous_threshold"));
        Assert.Null(json["previous_threshold"]);
        Assert.Equal(0.55, json["threshold"]!.GetValue<double>());
    }

    [Fact]
    public void EachRowHoldsItsThresholdRoundedScoresAndTallies()
    {
        // When the result is made into the card's record
        var rows = Result().ToJson(0.5)["rows"]!.AsArray();
        // Then each row is, in the order tried: the threshold, P, R, F1 to 5 decimals, FP % to 3, and the four tallies
        Assert.Equal(3, rows.Count);
        Assert.Equal("""{"threshold":0.4,"precision":0.57143,"recall":0.55556,"f1":0.56338,"fp_percent_of_truth":33.333,"predicted":7,"predicted_near_truth":4,"truth":9,"truth_near_prediction":5}""",
            rows[0]!.ToJsonString());
        Assert.Equal("""{"threshold":0.55,"precision":0.83333,"recall":0.66667,"f1":0.74074,"fp_percent_of_truth":11.111,"predicted":6,"predicted_near_truth":5,"truth":9,"truth_near_prediction":6}""",
            rows[1]!.ToJsonString());
        Assert.Equal("""{"threshold":0.7,"precision":0,"recall":0,"f1":0,"fp_percent_of_truth":0,"predicted":0,"predicted_near_truth":0,"truth":9,"truth_near_prediction":0}""",
            rows[2]!.ToJsonString());
    }

    [Fact]
    public void EachSimulationIsRecordedByItsFolderNameAndInstrument()
    {
        // When the result is made into the card's record
        var sims = Result().ToJson(0.5)["simulations"]!;
        // Then each validation folder is named by its last component (also when given with a trailing separator)
        Assert.Equal("""[{"folder":"sim-a","instrument":"bessy-u41"},{"folder":"sim-b","instrument":"simulated"}]""", sims.ToJsonString());
    }
}
