using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>
/// The input normalisation a model was trained with. Deep-SXT z-scores every slice: subtract the
/// mean and divide by the standard deviation (only subtract when the deviation is at most
/// <see cref="MinStd"/>). SxtSeg takes the statistics over the slice's real image area
/// (<see cref="ImageArea"/>; the whole slice when it has no padding frame) and applies them to the
/// whole slice; non-finite pixels become 0 (the mean). The authors also min–max scaled each
/// tomogram to [0, 1] first, which a z-score makes irrelevant except for the <see cref="MinStd"/>
/// threshold.
/// </summary>
public sealed record SliceNormalization
{
    /// <summary>The method name recorded in model files.</summary>
    public const string ZScorePerSlice = "zscore-per-slice";

    /// <summary>The normalisation used by every SxtSeg model so far.</summary>
    public static SliceNormalization Default { get; } = new();

    /// <summary>Method name.</summary>
    public string Method { get; init; } = ZScorePerSlice;

    /// <summary>Standard deviations at or below this only subtract the mean.</summary>
    public double MinStd { get; init; } = 1e-3;

    /// <summary>
    /// Normalises an <paramref name="nx"/> × <paramref name="ny"/> slice in place and returns the
    /// mean and standard deviation used.
    /// </summary>
    public (double Mean, double Std) Apply(Span<float> slice, int nx, int ny)
    {
        var area = ImageArea.Find(slice, nx, ny);
        if (area.IsEmpty) area = new ImageArea(0, 0, nx, ny); // a flat slice: its own constant is the mean
        var (mean, std) = Statistics(slice, nx, area);
        float m = (float)mean;
        float inv = std > MinStd ? (float)(1.0 / std) : 1f;
        for (int i = 0; i < slice.Length; i++)
        {
            float v = slice[i];
            slice[i] = float.IsFinite(v) ? (v - m) * inv : 0f;
        }
        return (mean, std);
    }

    /// <summary>Mean and (population) standard deviation of the finite pixels inside <paramref name="area"/>.</summary>
    public static (double Mean, double Std) Statistics(ReadOnlySpan<float> slice, int nx, ImageArea area)
    {
        if (area.IsEmpty) return (0, 0);
        // Two passes in double: exact enough for 10^7 pixels and free of cancellation.
        double sum = 0;
        long n = 0;
        for (int y = area.Y0; y < area.Y0 + area.Height; y++)
            foreach (float v in slice.Slice(y * nx + area.X0, area.Width))
                if (float.IsFinite(v)) { sum += v; n++; }
        if (n == 0) return (0, 0);
        double mean = sum / n, ss = 0;
        for (int y = area.Y0; y < area.Y0 + area.Height; y++)
            foreach (float v in slice.Slice(y * nx + area.X0, area.Width))
                if (float.IsFinite(v)) { double d = v - mean; ss += d * d; }
        return (mean, Math.Sqrt(ss / n));
    }

    /// <summary>As JSON for the model card.</summary>
    public JsonObject ToJson() => new()
    {
        ["method"] = Method,
        ["statistics_region"] = "real-image-area",
        ["min_std"] = MinStd,
        ["non_finite"] = "set to 0 after normalising",
    };

    /// <summary>Reads the JSON written by <see cref="ToJson"/>; unknown methods are refused.</summary>
    public static SliceNormalization FromJson(JsonNode? node, string path)
    {
        if (node is not JsonObject o) throw new InvalidInputException(path, "model card has no normalisation");
        string method = (string?)o["method"] ?? "";
        if (method != ZScorePerSlice) throw new InvalidInputException(path, $"model uses normalisation '{method}', which this version of sxtseg does not know");
        return new SliceNormalization { Method = method, MinStd = (double?)o["min_std"] ?? 1e-3 };
    }
}
