using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>
/// The input normalisation a model was trained with. Deep-SXT z-scores every slice: subtract the
/// mean and divide by the standard deviation, except for (nearly) flat slices, which are only
/// shifted. The authors min–max scaled each tomogram to [0, 1] and called a slice flat when its
/// std was ≤ 1e-3; SxtSeg uses the scale-free form of that rule, std ≤ <see cref="FlatStdFraction"/>
/// × (max − min) of the slice, so raw data in any unit (linear absorption coefficients of order
/// 1e-3 µm⁻¹, 16-bit counts...) is treated alike. Statistics come from the slice's real image area
/// (<see cref="ImageArea"/>; the whole slice when it has no padding frame) and are applied to the
/// whole slice; non-finite pixels become 0 (the mean).
/// </summary>
public sealed record SliceNormalization
{
    /// <summary>The method name recorded in model files.</summary>
    public const string ZScorePerSlice = "zscore-per-slice";

    /// <summary>
    /// Robust per-slice standardisation: subtract the median and divide by 1.4826 × the median
    /// absolute deviation (the standard deviation for Gaussian data), both from a regular sample of
    /// the slice's real image area and re-estimated twice without the samples beyond 4 robust SDs.
    /// Unlike the z-score it does not depend on how much vacuum or capillary glass, or how many gold
    /// beads, the field of view holds (as long as the specimen fills more than half of it).
    /// </summary>
    public const string RobustPerSlice = "robust-per-slice";

    /// <summary>The robust normalisation (models trained with the SxtSeg recipe).</summary>
    public static SliceNormalization Robust { get; } = new() { Method = RobustPerSlice };

    /// <summary>Largest number of pixels sampled for the robust statistics (a regular grid over the area).</summary>
    public const int RobustSamples = 1 << 16;

    /// <summary>The normalisation used by every SxtSeg model so far.</summary>
    public static SliceNormalization Default { get; } = new();

    /// <summary>Method name.</summary>
    public string Method { get; init; } = ZScorePerSlice;

    /// <summary>A slice whose std is at most this fraction of its value range is flat (only the mean is subtracted).</summary>
    public double FlatStdFraction { get; init; } = 1e-3;

    /// <summary>Statistics of an <paramref name="nx"/> × <paramref name="ny"/> slice (its real image area).</summary>
    public SliceStatistics Measure(ReadOnlySpan<float> slice, int nx, int ny)
    {
        var area = ImageArea.Find(slice, nx, ny);
        if (area.IsEmpty) area = new ImageArea(0, 0, nx, ny); // a flat slice: its own constant is the mean
        return Measure(slice, nx, area);
    }

    /// <summary>Statistics of the finite pixels inside <paramref name="area"/>.</summary>
    public SliceStatistics Measure(ReadOnlySpan<float> slice, int nx, ImageArea area)
    {
        if (area.IsEmpty) return new SliceStatistics(0, 0, 0, 0, true);
        return Method == RobustPerSlice ? MeasureRobust(slice, nx, area) : Measure(slice, nx, area, zscore: true);
    }

    private SliceStatistics Measure(ReadOnlySpan<float> slice, int nx, ImageArea area, bool zscore)
    {
        // Two passes in double: exact enough for 10^7 pixels and free of cancellation.
        double sum = 0, lo = double.MaxValue, hi = double.MinValue;
        long n = 0;
        for (int y = area.Y0; y < area.Y0 + area.Height; y++)
            foreach (float v in slice.Slice(y * nx + area.X0, area.Width))
                if (float.IsFinite(v))
                {
                    sum += v;
                    n++;
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
        if (n == 0) return new SliceStatistics(0, 0, 0, 0, true);
        double mean = sum / n, ss = 0;
        for (int y = area.Y0; y < area.Y0 + area.Height; y++)
            foreach (float v in slice.Slice(y * nx + area.X0, area.Width))
                if (float.IsFinite(v)) { double d = v - mean; ss += d * d; }
        double std = Math.Sqrt(ss / n);
        bool flat = !(std > FlatStdFraction * (hi - lo)) || std == 0;
        return new SliceStatistics(mean, std, lo, hi, flat);
    }

    /// <summary>
    /// Median and 1.4826·MAD of a regular sample (at most <see cref="RobustSamples"/> finite pixels) of
    /// the area; the slice is flat when that scale is at most <see cref="FlatStdFraction"/> of the
    /// value range (then the plain standard deviation is tried before giving up).
    /// </summary>
    private SliceStatistics MeasureRobust(ReadOnlySpan<float> slice, int nx, ImageArea area)
    {
        long pixels = (long)area.Width * area.Height;
        int step = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(pixels / (double)RobustSamples)));
        var sample = new float[((area.Height + step - 1) / step) * ((area.Width + step - 1) / step)];
        int n = 0;
        float lo = float.MaxValue, hi = float.MinValue;
        for (int y = area.Y0 + step / 2; y < area.Y0 + area.Height; y += step)
            for (int x = area.X0 + step / 2; x < area.X0 + area.Width; x += step)
            {
                float v = slice[y * nx + x];
                if (!float.IsFinite(v)) continue;
                sample[n++] = v;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        if (n == 0) return new SliceStatistics(0, 0, 0, 0, true);
        var s = sample.AsSpan(0, n);
        var dev = new float[n];
        double median = 0, scale = 0;
        // Median and 1.4826·MAD, then again on the samples within ClipSigmas of the first estimate (twice):
        // vacuum, capillary glass and gold beads lie tens of robust SDs away and drop out, while the
        // compartments of a cell stay; without the clipping, 30 % of vacuum inflates the MAD about 1.6×.
        for (int pass = 0; pass < 3; pass++)
        {
            if (pass > 0)
            {
                double lim = ClipSigmas * scale;
                int kept = 0;
                for (int i = 0; i < s.Length; i++) if (Math.Abs(s[i] - median) <= lim) s[kept++] = s[i];
                if (kept < 16 || kept == s.Length) break;
                s = s[..kept];
            }
            median = Median(s);
            var d = dev.AsSpan(0, s.Length);
            for (int i = 0; i < s.Length; i++) d[i] = Math.Abs(s[i] - (float)median);
            scale = 1.4826 * Median(d);
            if (!(scale > 0)) break;
        }
        if (!(scale > FlatStdFraction * (hi - lo)))
        {
            // Quantised or mostly constant data: fall back to the standard deviation of the area.
            var z = Measure(slice, nx, area, zscore: true);
            return z with { Mean = median, Min = lo, Max = hi };
        }
        return new SliceStatistics(median, scale, lo, hi, false);
    }

    /// <summary>Samples farther than this many robust SDs from the median are left out of the next estimate.</summary>
    public const double ClipSigmas = 4;

    /// <summary>Median of the values (reorders them).</summary>
    private static double Median(Span<float> v)
    {
        v.Sort();
        int m = v.Length / 2;
        return v.Length % 2 == 1 ? v[m] : 0.5 * ((double)v[m - 1] + v[m]);
    }

    /// <summary>Normalises an <paramref name="nx"/> × <paramref name="ny"/> slice in place and returns the statistics used.</summary>
    public SliceStatistics Apply(Span<float> slice, int nx, int ny)
    {
        var st = Measure(slice, nx, ny);
        st.Apply(slice);
        return st;
    }

    /// <summary>As JSON for the model card.</summary>
    public JsonObject ToJson() => new()
    {
        ["method"] = Method,
        ["statistics_region"] = "real-image-area",
        ["statistics"] = Method == RobustPerSlice ? "median and 1.4826·MAD of a regular sample of at most 65536 pixels, re-estimated twice within 4 robust SDs" : "mean and standard deviation",
        ["flat_std_fraction_of_range"] = FlatStdFraction,
        ["non_finite"] = "set to 0 after normalising",
    };

    /// <summary>Reads the JSON written by <see cref="ToJson"/>; unknown methods are refused.</summary>
    public static SliceNormalization FromJson(JsonNode? node, string path)
    {
        if (node is not JsonObject o) throw new InvalidInputException(path, "model card has no normalisation");
        string method = (string?)o["method"] ?? "";
        if (method != ZScorePerSlice && method != RobustPerSlice) throw new InvalidInputException(path, $"model uses normalisation '{method}', which this version of sxtseg does not know");
        return new SliceNormalization { Method = method, FlatStdFraction = (double?)o["flat_std_fraction_of_range"] ?? 1e-3 };
    }
}
