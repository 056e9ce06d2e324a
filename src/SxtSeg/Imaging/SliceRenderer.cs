namespace SxtSeg.Imaging;

/// <summary>
/// Turns a float slice into display pixels: percentile contrast stretch to 8-bit grey, optional
/// label overlay blended in a colour.
/// </summary>
public static class SliceRenderer
{
    /// <summary>
    /// Value at percentiles <paramref name="lowPct"/> and <paramref name="highPct"/> of the finite
    /// values (from a strided sample of at most 2^20 values, exact for smaller slices).
    /// </summary>
    public static (float Low, float High) Percentiles(ReadOnlySpan<float> values, double lowPct, double highPct)
    {
        var sample = SortedSample(values);
        if (sample.Count == 0) return (0, 0);
        return (Quantile(sample, lowPct / 100), Quantile(sample, highPct / 100));
    }

    /// <summary>The finite values of an evenly strided sample of at most 2^20 of them (all of a smaller input), sorted.</summary>
    public static List<float> SortedSample(ReadOnlySpan<float> values)
    {
        int stride = Math.Max(1, values.Length / (1 << 20));
        var sample = new List<float>(values.Length / stride + 1);
        for (int i = 0; i < values.Length; i += stride)
            if (float.IsFinite(values[i])) sample.Add(values[i]);
        sample.Sort();
        return sample;
    }

    /// <summary>Linear-interpolated quantile of sorted values (q in [0, 1]).</summary>
    public static float Quantile(IReadOnlyList<float> sorted, double q)
    {
        double pos = Math.Clamp(q, 0, 1) * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        int j = Math.Min(i + 1, sorted.Count - 1);
        return (float)(sorted[i] + (sorted[j] - sorted[i]) * (pos - i));
    }

    /// <summary>Maps values linearly so that [low, high] spans 0..255 (clamped; NaN → 0).</summary>
    public static byte[] ToGray(ReadOnlySpan<float> values, float low, float high)
    {
        var g = new byte[values.Length];
        float scale = high > low ? 255f / (high - low) : 0f;
        for (int i = 0; i < values.Length; i++)
        {
            float v = (values[i] - low) * scale;
            g[i] = float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(v + 0.5f, 0f, 255f);
        }
        return g;
    }

    /// <summary>Grey pixels with the percentile stretch (default 0.5 % .. 99.5 %).</summary>
    public static byte[] ToGray(ReadOnlySpan<float> values, double lowPct = 0.5, double highPct = 99.5)
    {
        var (lo, hi) = Percentiles(values, lowPct, highPct);
        return ToGray(values, lo, hi);
    }

    /// <summary>
    /// RGB pixels: grey background with <paramref name="mask"/> (non-zero = label) blended in
    /// <paramref name="color"/> at opacity <paramref name="alpha"/> (0..1).
    /// </summary>
    public static byte[] Overlay(ReadOnlySpan<byte> gray, ReadOnlySpan<byte> mask, Rgb color, float alpha = 0.6f)
    {
        var rgb = new byte[gray.Length * 3];
        float a = Math.Clamp(alpha, 0f, 1f);
        for (int i = 0; i < gray.Length; i++)
        {
            byte g = gray[i];
            if (!mask.IsEmpty && mask[i] != 0)
            {
                rgb[3 * i] = (byte)(g * (1 - a) + color.R * a + 0.5f);
                rgb[3 * i + 1] = (byte)(g * (1 - a) + color.G * a + 0.5f);
                rgb[3 * i + 2] = (byte)(g * (1 - a) + color.B * a + 0.5f);
            }
            else
            {
                rgb[3 * i] = g; rgb[3 * i + 1] = g; rgb[3 * i + 2] = g;
            }
        }
        return rgb;
    }

    /// <summary>Grey to RGB without overlay.</summary>
    public static byte[] GrayToRgb(ReadOnlySpan<byte> gray) => Overlay(gray, ReadOnlySpan<byte>.Empty, Rgb.Red, 0);

    /// <summary>
    /// RGB images of <paramref name="w"/> × <paramref name="h"/> side by side, left to right, with a white
    /// gap of <paramref name="gap"/> pixels between them; the result is <see cref="SideBySideWidth"/> × h.
    /// </summary>
    public static byte[] SideBySide(int w, int h, int gap, params byte[][] panels) => SideBySide(w, h, gap, 255, panels);

    /// <summary>As <see cref="SideBySide(int, int, int, byte[][])"/> with a gap of grey level <paramref name="fill"/> (0 black, 255 white).</summary>
    public static byte[] SideBySide(int w, int h, int gap, byte fill, params byte[][] panels)
    {
        int W = SideBySideWidth(w, gap, panels.Length);
        var c = new byte[W * h * 3];
        Array.Fill(c, fill);
        for (int p = 0; p < panels.Length; p++)
            for (int y = 0; y < h; y++)
                Buffer.BlockCopy(panels[p], y * w * 3, c, (y * W + p * (w + gap)) * 3, w * 3);
        return c;
    }

    /// <summary>The width of <paramref name="panels"/> images of width <paramref name="w"/> side by side, <paramref name="gap"/> pixels apart: n·w + (n − 1)·gap.</summary>
    public static int SideBySideWidth(int w, int gap, int panels) => panels * w + (panels - 1) * gap;
}
