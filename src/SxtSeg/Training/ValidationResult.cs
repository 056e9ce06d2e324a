using System.Text.Json.Nodes;

namespace SxtSeg.Training;

/// <summary>What one validation gave: the scores at every threshold tried, and the best.</summary>
public sealed record ValidationResult(IReadOnlyList<ThresholdScore> Scores, int Slices)
{
    /// <summary>The threshold with the highest F1 (ties: nearest 0.5).</summary>
    public ThresholdScore Best => Scores.OrderByDescending(s => s.F1).ThenBy(s => Math.Abs(s.Threshold - 0.5)).First();

    /// <summary>The score at 0.5.</summary>
    public ThresholdScore AtHalf => Scores.OrderBy(s => Math.Abs(s.Threshold - 0.5)).First();

    /// <summary>As JSON.</summary>
    public JsonObject ToJson()
    {
        var arr = new JsonArray();
        foreach (var s in Scores)
            arr.Add(new JsonObject { ["threshold"] = s.Threshold, ["precision"] = Num(s.Precision), ["recall"] = Num(s.Recall), ["f1"] = Num(s.F1) });
        var b = Best;
        return new JsonObject
        {
            ["tolerance"] = "1 pixel in the slice (4-neighbourhood), visible membranes only (ignored pixels not counted)",
            ["slices"] = Slices,
            ["best_threshold"] = b.Threshold,
            ["best_f1"] = Num(b.F1),
            ["best_precision"] = Num(b.Precision),
            ["best_recall"] = Num(b.Recall),
            ["by_threshold"] = arr,
        };
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 5)) : null;
}
