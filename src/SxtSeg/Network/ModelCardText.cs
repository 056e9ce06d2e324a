using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>Plain-text renderings of a <see cref="ModelCard"/>'s fields for <c>sxtseg model info</c> (no JSON for people to read).</summary>
public static class ModelCardText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"9.8 nm", "9.8–30 nm (inputs outside are rescaled to the nearest end)" or "not stated".</summary>
    public static string VoxelSize(ModelCard card)
    {
        if (card.VoxelSizeRangeNm is { } r)
            return string.Create(Inv, $"{r.Min:0.###}–{r.Max:0.###} nm (inputs outside the range are rescaled to its nearest end)");
        return card.VoxelSizeNm is double v ? v.ToString("0.###", Inv) + " nm" : "not stated (inputs are never rescaled)";
    }

    /// <summary>"2.8–4.1 pixels per resolution element (…); segment --resolution NM resamples tomograms outside it" or "not stated".</summary>
    public static string Resolution(ModelCard card) => card.ResolutionPx is { } r
        ? r + "; segment --resolution NM resamples tomograms outside it to the median"
        : "not stated (segment --resolution has no effect)";

    /// <summary>"p > 0.30 (chosen on validation)", with how when <c>model calibrate</c> chose it, or the published rule.</summary>
    public static string Threshold(ModelCard card)
    {
        if (card.Threshold is not double t) return "membrane where p > 0.5 (tanh > 0, the published rule)";
        if (card.Metrics["calibration"] is JsonObject c && c["simulations"] is JsonArray sims && (double?)c["threshold"] == t)
        {
            var rows = c["rows"] as JsonArray;
            var row = rows?.OfType<JsonObject>().FirstOrDefault(r => (double?)r["threshold"] == t);
            string scores = row is null ? "" : string.Create(Inv, $": F1 {100 * (double)row["f1"]!:0.0} %, false positives {(double)row["fp_percent_of_truth"]!:0.0} % of the truth");
            return string.Create(Inv, $"membrane where p > {t:0.00} (chosen by model calibrate on {sims.Count} whole validation tomograms, visible membranes ±1 voxel{scores})");
        }
        return string.Create(Inv, $"membrane where p > {t:0.00} (chosen on the validation data)");
    }

    /// <summary>"7168 train / 768 validation" from a {"train": n, "test"|"validation": m} object; null when absent.</summary>
    public static string? Slices(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        var parts = new List<string>();
        foreach (var (k, v) in o)
            if (v is JsonValue) parts.Add($"{v.ToJsonString()} {k}");
        return parts.Count == 0 ? null : string.Join(" / ", parts);
    }

    /// <summary>
    /// One metric: numbers as numbers; a validation record ({best_f1, best_precision, best_recall,
    /// best_threshold, slices, tolerance, by_threshold[]}) as "F1 0.847 (P 0.860, R 0.834) at p > 0.30 on
    /// 768 slices; …; by threshold 0.2: 0.846, 0.3: 0.847, …"; anything else as compact JSON.
    /// </summary>
    public static string Metric(JsonNode value)
    {
        if (value is JsonValue) return value.ToJsonString(Readable);
        if (value is JsonObject o && o["best_f1"] is JsonValue)
        {
            var sb = new StringBuilder();
            sb.Append(Inv, $"F1 {(double)o["best_f1"]!:0.000}");
            if (o["best_precision"] is JsonValue p && o["best_recall"] is JsonValue r) sb.Append(Inv, $" (P {(double)p:0.000}, R {(double)r:0.000})");
            if (o["best_threshold"] is JsonValue t) sb.Append(Inv, $" at p > {(double)t:0.00}");
            if (o["slices"] is JsonValue n) sb.Append(Inv, $" on {(int)n} slices");
            if (o["tolerance"] is JsonValue tol) sb.Append("; ±").Append((string?)tol);
            if (o["by_threshold"] is JsonArray rows && rows.Count > 0)
            {
                var items = new List<string>();
                foreach (var row in rows)
                    if (row is JsonObject ro && ro["threshold"] is JsonValue th && ro["f1"] is JsonValue f)
                        items.Add(string.Create(Inv, $"{(double)th:0.0#}: {(double)f:0.000}"));
                if (items.Count > 0) sb.Append("; F1 by threshold ").Append(string.Join(", ", items));
            }
            return sb.ToString();
        }
        if (value is JsonObject c && c["threshold"] is JsonValue ct && c["rule"] is JsonValue rule && c["rows"] is JsonArray crow)
        {
            // model calibrate's record: the threshold, its rule and the chosen row's figures
            var sb = new StringBuilder();
            double chosen = (double)ct;
            sb.Append(Inv, $"threshold {chosen:0.0#}");
            if (c["previous_threshold"] is JsonValue prev) sb.Append(Inv, $" (was {(double)prev:0.0#})");
            sb.Append(": ").Append((string?)rule);
            if (c["simulations"] is JsonArray sims) sb.Append(Inv, $"; on {sims.Count} whole validation simulations");
            foreach (var row in crow)
                if (row is JsonObject ro && (double?)ro["threshold"] == chosen && ro["f1"] is JsonValue f && ro["precision"] is JsonValue p && ro["recall"] is JsonValue r)
                {
                    sb.Append(Inv, $"; there F1 {(double)f:0.000} (P {(double)p:0.000}, R {(double)r:0.000})");
                    if (ro["fp_percent_of_truth"] is JsonValue fp) sb.Append(Inv, $", false positives {(double)fp:0.0} % of the truth");
                }
            return sb.ToString();
        }
        return value.ToJsonString(Readable);
    }

    /// <summary>JSON as people read it: ±, ≤ and apostrophes as themselves, not \u escapes.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
