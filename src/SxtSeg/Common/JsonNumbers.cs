using System.Text.Json.Nodes;

namespace SxtSeg;

/// <summary>
/// Numbers for JSON outputs. JSON has no NaN or infinity (System.Text.Json refuses to write them), so
/// a non-finite value is written as null: statistics of an all-NaN volume, an undefined ratio.
/// </summary>
public static class JsonNumbers
{
    /// <summary>The value, or null when it is NaN or infinite.</summary>
    public static JsonNode? Of(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
