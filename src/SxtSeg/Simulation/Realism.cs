namespace SxtSeg.Simulation;

/// <summary>
/// Image statistics for comparing simulated and real slices: per-slice z-scoring, the two-sample
/// Kolmogorov–Smirnov distance of the z-scored intensities, and the slope of the radially averaged
/// power spectrum on log–log axes.
/// </summary>
public static class Realism
{
    /// <summary>Default frequency band (cycles/pixel) for the spectrum slope: structures of 4 to 50 pixels.</summary>
    public const double SlopeLow = 0.02, SlopeHigh = 0.25;

    /// <summary>Values z-scored (zero mean, unit standard deviation) over the finite entries; non-finite entries are dropped.</summary>
    public static double[] ZScore(ReadOnlySpan<float> values)
    {
        double s = 0, s2 = 0;
        int n = 0;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            s += v; s2 += (double)v * v; n++;
        }
        if (n == 0) return Array.Empty<double>();
        double mean = s / n, sd = Math.Sqrt(Math.Max(s2 / n - mean * mean, 1e-30));
        var z = new double[n];
        int i = 0;
        foreach (float v in values)
            if (float.IsFinite(v)) z[i++] = (v - mean) / sd;
        return z;
    }

    /// <summary>Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs (0 = identical, 1 = disjoint).</summary>
    public static double KolmogorovSmirnov(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0) return 1;
        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v) i++;
            while (j < y.Length && y[j] <= v) j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        return d;
    }

    /// <summary>
    /// Radially averaged power spectrum of the central square (the largest power of two that fits)
    /// of an nx × ny slice, z-scored and Hann-windowed; <paramref name="bins"/> linear frequency bins.
    /// </summary>
    public static RadialSpectrum PowerSpectrum(ReadOnlySpan<float> slice, int nx, int ny, int bins = 64)
    {
        int n = 1;
        while (n * 2 <= Math.Min(nx, ny)) n *= 2;
        int x0 = (nx - n) / 2, y0 = (ny - n) / 2;
        var crop = new float[n * n];
        for (int y = 0; y < n; y++) slice.Slice((y0 + y) * nx + x0, n).CopyTo(crop.AsSpan(y * n, n));
        var z = ZScore(crop);
        if (z.Length != crop.Length) throw new ArgumentException("the slice holds non-finite values", nameof(slice));
        var re = new double[n * n];
        var im = new double[n * n];
        for (int y = 0; y < n; y++)
        {
            double wy = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (y + 0.5) / n);
            for (int x = 0; x < n; x++) re[y * n + x] = z[y * n + x] * wy * (0.5 - 0.5 * Math.Cos(2 * Math.PI * (x + 0.5) / n));
        }
        var fft = new Fft(n);
        var cr = new double[n];
        var ci = new double[n];
        for (int y = 0; y < n; y++) fft.Forward(re.AsSpan(y * n, n), im.AsSpan(y * n, n));
        for (int x = 0; x < n; x++)
        {
            for (int y = 0; y < n; y++) { cr[y] = re[y * n + x]; ci[y] = im[y * n + x]; }
            fft.Forward(cr, ci);
            for (int y = 0; y < n; y++) { re[y * n + x] = cr[y]; im[y * n + x] = ci[y]; }
        }
        var sum = new double[bins];
        var count = new int[bins];
        for (int y = 0; y < n; y++)
        {
            double fy = (y <= n / 2 ? y : y - n) / (double)n;
            for (int x = 0; x < n; x++)
            {
                double fx = (x <= n / 2 ? x : x - n) / (double)n;
                double f = Math.Sqrt(fx * fx + fy * fy);
                int b = (int)(f / 0.5 * bins);
                if (b >= bins || (x == 0 && y == 0)) continue;
                double pw = re[y * n + x] * re[y * n + x] + im[y * n + x] * im[y * n + x];
                sum[b] += pw;
                count[b]++;
            }
        }
        var freq = new List<double>();
        var power = new List<double>();
        for (int b = 0; b < bins; b++)
        {
            if (count[b] == 0) continue;
            freq.Add((b + 0.5) * 0.5 / bins);
            power.Add(sum[b] / count[b] / ((double)n * n));
        }
        return new RadialSpectrum(freq.ToArray(), power.ToArray());
    }

    /// <summary>Least-squares slope of log P against log f over [<paramref name="fLow"/>, <paramref name="fHigh"/>] cycles/pixel.</summary>
    public static double SpectrumSlope(RadialSpectrum s, double fLow = SlopeLow, double fHigh = SlopeHigh)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i < s.Frequency.Length; i++)
        {
            double f = s.Frequency[i];
            if (f < fLow || f > fHigh || !(s.Power[i] > 0)) continue;
            double lx = Math.Log(f), ly = Math.Log(s.Power[i]);
            sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly; n++;
        }
        if (n < 2) return double.NaN;
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
