namespace SxtSeg.Imaging;

/// <summary>Global and local intensity thresholds (Otsu; adaptive local mean), used for cell masks and baselines.</summary>
public static class Thresholds
{
    /// <summary>
    /// Otsu's threshold of the finite values (256-bin histogram over their range): the level that
    /// maximises the between-class variance. Returns the upper edge of the lower class.
    /// </summary>
    public static float Otsu(ReadOnlySpan<float> values, int bins = 256)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in values)
            if (float.IsFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
        return OtsuInRange(values, lo, hi, bins);
    }

    /// <summary>
    /// Otsu's threshold after clamping the values to their [<paramref name="lowFraction"/>,
    /// <paramref name="highFraction"/>] quantiles (nearest-below order statistics of
    /// <see cref="SliceRenderer.SortedSample"/>), so that a few extreme voxels (gold beads, which
    /// absorb a hundred times more than a cell) cannot take one of the two classes for themselves.
    /// NaN when no value is finite.
    /// </summary>
    public static float OtsuClipped(ReadOnlySpan<float> values, double lowFraction = 0.01, double highFraction = 0.99, int bins = 256)
    {
        var sample = SliceRenderer.SortedSample(values);
        if (sample.Count == 0) return float.NaN;
        float lo = sample[(int)Math.Clamp(lowFraction * (sample.Count - 1), 0, sample.Count - 1)];
        float hi = sample[(int)Math.Clamp(highFraction * (sample.Count - 1), 0, sample.Count - 1)];
        return OtsuInRange(values, lo, hi, bins);
    }

    /// <summary>Otsu on a histogram of the finite values over [lo, hi] (values outside go to the end bins).</summary>
    private static float OtsuInRange(ReadOnlySpan<float> values, float lo, float hi, int bins)
    {
        if (!(hi > lo)) return lo;
        var hist = new long[bins];
        float scale = bins / (hi - lo);
        foreach (float v in values)
            if (float.IsFinite(v)) hist[Math.Clamp((int)((v - lo) * scale), 0, bins - 1)]++;
        int k = OtsuBin(hist);
        return lo + (k + 1) / scale;
    }

    /// <summary>Otsu on a histogram: the last bin of the lower class.</summary>
    public static int OtsuBin(ReadOnlySpan<long> hist)
    {
        double total = 0, sumAll = 0;
        for (int i = 0; i < hist.Length; i++) { total += hist[i]; sumAll += (double)i * hist[i]; }
        double w0 = 0, sum0 = 0, best = -1;
        int bestK = 0;
        for (int k = 0; k < hist.Length - 1; k++)
        {
            w0 += hist[k];
            sum0 += (double)k * hist[k];
            double w1 = total - w0;
            if (w0 == 0 || w1 == 0) continue;
            double m0 = sum0 / w0, m1 = (sumAll - sum0) / w1;
            double between = w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) { best = between; bestK = k; }
        }
        return bestK;
    }

    /// <summary>
    /// Local (adaptive) mean threshold of a 2D image: pixel is foreground when it exceeds the mean of
    /// its (2r+1)² neighbourhood by more than <paramref name="offset"/> (box filter by integral image,
    /// edges use the part of the window inside the image).
    /// </summary>
    public static void AdaptiveMean(float[] image, int width, int height, int radius, float offset, byte[] mask)
    {
        var integral = new double[(width + 1) * (height + 1)];
        int w1 = width + 1;
        for (int y = 0; y < height; y++)
        {
            double row = 0;
            for (int x = 0; x < width; x++)
            {
                float v = image[y * width + x];
                row += float.IsFinite(v) ? v : 0;
                integral[(y + 1) * w1 + x + 1] = integral[y * w1 + x + 1] + row;
            }
        }
        Parallel.For(0, height, y =>
        {
            int y0 = Math.Max(0, y - radius), y1 = Math.Min(height, y + radius + 1);
            for (int x = 0; x < width; x++)
            {
                int x0 = Math.Max(0, x - radius), x1 = Math.Min(width, x + radius + 1);
                double sum = integral[y1 * w1 + x1] - integral[y0 * w1 + x1] - integral[y1 * w1 + x0] + integral[y0 * w1 + x0];
                double mean = sum / ((y1 - y0) * (x1 - x0));
                mask[y * width + x] = image[y * width + x] > mean + offset ? (byte)1 : (byte)0;
            }
        });
    }
}
