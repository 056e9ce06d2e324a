using System.Text.Json.Nodes;

namespace SxtSeg.Evaluation;

/// <summary>The outcome: every threshold's scores, the chosen one and the rule that chose it.</summary>
/// <param name="Rows">One row per threshold, in the order tried.</param>
/// <param name="Chosen">Index of the chosen row.</param>
/// <param name="Rule">The rule, in words.</param>
/// <param name="Simulations">The validation folders with their instrument profiles.</param>
public sealed record ThresholdCalibrationResult(IReadOnlyList<ThresholdRow> Rows, int Chosen, string Rule, IReadOnlyList<(string Folder, string Instrument)> Simulations)
{
    /// <summary>The chosen threshold.</summary>
    public double Threshold => Rows[Chosen].Threshold;

    /// <summary>The record stored in the model card (<c>metrics.calibration</c>); each simulation is named by its folder's last component (a trailing separator ignored).</summary>
    public JsonObject ToJson(double? previousThreshold)
    {
        var rows = new JsonArray();
        foreach (var r in Rows)
            rows.Add(new JsonObject
            {
                ["threshold"] = r.Threshold, ["precision"] = Math.Round(r.Visible.Precision, 5), ["recall"] = Math.Round(r.Visible.Recall, 5),
                ["f1"] = Math.Round(r.Visible.F1, 5), ["fp_percent_of_truth"] = Math.Round(r.Visible.FalsePositivePercentOfTruth, 3),
                ["predicted"] = r.Visible.Predicted, ["predicted_near_truth"] = r.Visible.PredictedNearTruth,
                ["truth"] = r.Visible.Truth, ["truth_near_prediction"] = r.Visible.TruthNearPrediction,
            });
        var sims = new JsonArray();
        foreach (var (folder, instrument) in Simulations) sims.Add(new JsonObject { ["folder"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), ["instrument"] = instrument });
        return new JsonObject
        {
            ["threshold"] = Threshold, ["previous_threshold"] = previousThreshold, ["rule"] = Rule,
            ["scores"] = "visible membranes (the simulation's ignore.mrc), ±1 voxel = Euclidean distance ≤ 1 in 3D, pooled over the tomograms; each tomogram segmented as `sxtseg segment` does by default",
            ["simulations"] = sims, ["rows"] = rows, ["tool_version"] = ToolInfo.Version,
        };
    }
}
