namespace SxtSeg.Simulation;

/// <summary>
/// Texture features of image patches for the domain classifier (<see cref="DomainClassifier"/>):
/// intensity quantiles, Gaussian-derivative gradient and Laplacian statistics at three scales,
/// Hessian ridge (line) filter responses for bright and dark lines at three scales, and the power in
/// octave bands of the patch spectrum. Images are first turned to dense = bright and mapped so that
/// the 1st and 99th in-cell percentiles become 0 and 1, so the features do not depend on the units,
/// the polarity or how much ice, glass or vacuum the field holds.
/// </summary>
public static class RealismFeatures
{
    private static readonly double[] GradScales = { 1, 2, 4 };
    private static readonly double[] RidgeScales = { 1, 1.5, 2.5 };

    /// <summary>Scales (pixels, Gaussian σ) of the ridge filter features.</summary>
    public static IReadOnlyList<double> RidgeSigmas => RidgeScales;

    /// <summary>Feature names, in the order of the vectors of <see cref="Extract"/>.</summary>
    public static IReadOnlyList<string> Names(RealismOptions o)
    {
        var n = new List<string> { "q05", "q25", "q50", "q75", "q95", "std" };
        foreach (double s in GradScales) { n.Add($"grad{s}.mean"); n.Add($"grad{s}.q90"); }
        foreach (double s in GradScales) { n.Add($"log{s}.mean"); n.Add($"log{s}.std"); }
        foreach (double s in RidgeScales)
        {
            n.Add($"ridge{s}.bright.mean"); n.Add($"ridge{s}.bright.q90"); n.Add($"ridge{s}.bright.q99");
            n.Add($"ridge{s}.dark.mean"); n.Add($"ridge{s}.dark.q90");
        }
        for (int k = 1; k < o.Patch / 2; k *= 2) n.Add($"spectrum.{k}-{2 * k}");
        return n;
    }

    /// <summary>
    /// The image with dense = bright, mapped so that the in-mask percentiles
    /// <paramref name="lowPct"/> and <paramref name="highPct"/> become 0 and 1.
    /// </summary>
    public static float[] Normalise(ReadOnlySpan<float> pixels, ReadOnlySpan<byte> mask, bool denseIsLow, double lowPct = 1, double highPct = 99)
    {
        var inCell = new List<float>(pixels.Length);
        for (int i = 0; i < pixels.Length; i++)
            if ((mask.IsEmpty || mask[i] != 0) && float.IsFinite(pixels[i])) inCell.Add(denseIsLow ? -pixels[i] : pixels[i]);
        if (inCell.Count == 0) throw new ArgumentException("the mask selects no finite pixel", nameof(mask));
        inCell.Sort();
        float lo = Imaging.SliceRenderer.Quantile(inCell, lowPct / 100), hi = Imaging.SliceRenderer.Quantile(inCell, highPct / 100);
        float scale = hi > lo ? 1f / (hi - lo) : 1f;
        var o = new float[pixels.Length];
        for (int i = 0; i < o.Length; i++)
        {
            float v = denseIsLow ? -pixels[i] : pixels[i];
            o[i] = float.IsFinite(v) ? (v - lo) * scale : 0f;
        }
        return o;
    }

    /// <summary>Gaussian blur of σ pixels (separable, mirrored at the edges).</summary>
    public static float[] Gaussian(ReadOnlySpan<float> img, int nx, int ny, double sigma)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3.5 * sigma));
        var k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = (float)Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= (float)sum;
        var tmp = new float[nx * ny];
        var src = img.ToArray();
        Parallel.For(0, ny, y =>
        {
            int o = y * nx;
            for (int x = 0; x < nx; x++)
            {
                float acc = 0;
                for (int j = -r; j <= r; j++) acc += k[j + r] * src[o + Mirror(x + j, nx)];
                tmp[o + x] = acc;
            }
        });
        var dst = new float[nx * ny];
        Parallel.For(0, ny, y =>
        {
            for (int x = 0; x < nx; x++)
            {
                float acc = 0;
                for (int j = -r; j <= r; j++) acc += k[j + r] * tmp[Mirror(y + j, ny) * nx + x];
                dst[y * nx + x] = acc;
            }
        });
        return dst;
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }

    /// <summary>
    /// Second derivatives (xx, yy, xy) of the image blurred by σ, by central differences, scaled by σ²
    /// (scale-normalised, so a line's response does not depend on σ when σ matches its width).
    /// </summary>
    public static (float[] Dxx, float[] Dyy, float[] Dxy) Hessian(ReadOnlySpan<float> img, int nx, int ny, double sigma)
    {
        var g = Gaussian(img, nx, ny, sigma);
        var xx = new float[nx * ny];
        var yy = new float[nx * ny];
        var xy = new float[nx * ny];
        float s2 = (float)(sigma * sigma);
        Parallel.For(0, ny, y =>
        {
            int ym = Math.Max(y - 1, 0), yp = Math.Min(y + 1, ny - 1);
            for (int x = 0; x < nx; x++)
            {
                int xm = Math.Max(x - 1, 0), xp = Math.Min(x + 1, nx - 1);
                float c = g[y * nx + x];
                xx[y * nx + x] = s2 * (g[y * nx + xp] - 2 * c + g[y * nx + xm]);
                yy[y * nx + x] = s2 * (g[yp * nx + x] - 2 * c + g[ym * nx + x]);
                xy[y * nx + x] = s2 * 0.25f * (g[yp * nx + xp] - g[yp * nx + xm] - g[ym * nx + xp] + g[ym * nx + xm]);
            }
        });
        return (xx, yy, xy);
    }

    /// <summary>
    /// Ridge (line) filter: with the scale-normalised Hessian eigenvalues λ1 ≤ λ2 at σ, a bright line
    /// responds max(0, −λ1 − |λ2|) and a dark line max(0, λ2 − |λ1|): strong across a line, zero
    /// along it, and suppressed for round blobs (both eigenvalues alike).
    /// </summary>
    public static (float[] Bright, float[] Dark) Ridges(ReadOnlySpan<float> img, int nx, int ny, double sigma)
    {
        var (xx, yy, xy) = Hessian(img, nx, ny, sigma);
        var bright = new float[nx * ny];
        var dark = new float[nx * ny];
        for (int i = 0; i < bright.Length; i++)
        {
            float m = 0.5f * (xx[i] + yy[i]), d = MathF.Sqrt(0.25f * (xx[i] - yy[i]) * (xx[i] - yy[i]) + xy[i] * xy[i]);
            float l1 = m - d, l2 = m + d;
            bright[i] = MathF.Max(0, -l1 - MathF.Abs(l2));
            dark[i] = MathF.Max(0, l2 - MathF.Abs(l1));
        }
        return (bright, dark);
    }

    /// <summary>Gradient magnitude of the image blurred by σ, scaled by σ.</summary>
    public static float[] GradientMagnitude(ReadOnlySpan<float> img, int nx, int ny, double sigma)
    {
        var g = Gaussian(img, nx, ny, sigma);
        var m = new float[nx * ny];
        float s = (float)sigma;
        Parallel.For(0, ny, y =>
        {
            int ym = Math.Max(y - 1, 0), yp = Math.Min(y + 1, ny - 1);
            for (int x = 0; x < nx; x++)
            {
                int xm = Math.Max(x - 1, 0), xp = Math.Min(x + 1, nx - 1);
                float gx = 0.5f * (g[y * nx + xp] - g[y * nx + xm]), gy = 0.5f * (g[yp * nx + x] - g[ym * nx + x]);
                m[y * nx + x] = s * MathF.Sqrt(gx * gx + gy * gy);
            }
        });
        return m;
    }

    /// <summary>Patch origins (x, y) whose patch lies at least <see cref="RealismOptions.MinCellFraction"/> inside the mask.</summary>
    public static List<(int X, int Y)> PatchOrigins(int nx, int ny, ReadOnlySpan<byte> mask, RealismOptions o)
    {
        var list = new List<(int, int)>();
        int p = o.Patch;
        // Summed-area table of the mask.
        var sat = new int[(nx + 1) * (ny + 1)];
        for (int y = 0; y < ny; y++)
        {
            int row = 0;
            for (int x = 0; x < nx; x++)
            {
                row += mask.IsEmpty || mask[y * nx + x] != 0 ? 1 : 0;
                sat[(y + 1) * (nx + 1) + x + 1] = sat[y * (nx + 1) + x + 1] + row;
            }
        }
        int need = (int)Math.Ceiling(o.MinCellFraction * p * p);
        for (int y = 0; y + p <= ny; y += o.Stride)
            for (int x = 0; x + p <= nx; x += o.Stride)
            {
                int s = sat[(y + p) * (nx + 1) + x + p] - sat[y * (nx + 1) + x + p] - sat[(y + p) * (nx + 1) + x] + sat[y * (nx + 1) + x];
                if (s >= need) list.Add((x, y));
            }
        return list;
    }

    /// <summary>Normalises <paramref name="image"/> and returns one feature vector per in-cell patch.</summary>
    public static List<double[]> Extract(RealismImage image, RealismOptions o)
    {
        o.Validate();
        var norm = Normalise(image.Pixels, image.Mask, image.DenseIsLow, o.LowPercentile, o.HighPercentile);
        return ExtractNormalised(norm, image.Nx, image.Ny, image.Mask, o);
    }

    /// <summary>One feature vector per in-cell patch of an image already normalised with <see cref="Normalise"/>.</summary>
    public static List<double[]> ExtractNormalised(float[] norm, int nx, int ny, ReadOnlySpan<byte> mask, RealismOptions o)
    {
        var origins = PatchOrigins(nx, ny, mask, o);
        var maps = new List<float[]>();
        foreach (double s in GradScales) maps.Add(GradientMagnitude(norm, nx, ny, s));
        var logs = new List<float[]>();
        foreach (double s in GradScales)
        {
            var (xx, yy, _) = Hessian(norm, nx, ny, s);
            for (int i = 0; i < xx.Length; i++) xx[i] += yy[i];
            logs.Add(xx);
        }
        var ridges = new List<(float[] B, float[] D)>();
        foreach (double s in RidgeScales) ridges.Add(Ridges(norm, nx, ny, s));
        int p = o.Patch, nf = Names(o).Count;
        var result = new double[origins.Count][];
        var fft = new Fft(p);
        Parallel.For(0, origins.Count, () => (new float[p * p], new double[p * p], new double[p * p], new double[p], new double[p]), (i, _, buf) =>
        {
            var (vals, re, im, cr, ci) = buf;
            var (x0, y0) = origins[i];
            var f = new double[nf];
            int n = 0;
            Copy(norm, nx, x0, y0, p, vals);
            Array.Sort(vals);
            f[n++] = Q(vals, 0.05); f[n++] = Q(vals, 0.25); f[n++] = Q(vals, 0.5); f[n++] = Q(vals, 0.75); f[n++] = Q(vals, 0.95);
            f[n++] = Std(vals);
            foreach (var m in maps)
            {
                Copy(m, nx, x0, y0, p, vals);
                f[n++] = Mean(vals);
                Array.Sort(vals);
                f[n++] = Q(vals, 0.9);
            }
            foreach (var m in logs)
            {
                Copy(m, nx, x0, y0, p, vals);
                f[n++] = Mean(vals);
                f[n++] = Std(vals);
            }
            foreach (var (b, d) in ridges)
            {
                Copy(b, nx, x0, y0, p, vals);
                f[n++] = Mean(vals);
                Array.Sort(vals);
                f[n++] = Q(vals, 0.9);
                f[n++] = Q(vals, 0.99);
                Copy(d, nx, x0, y0, p, vals);
                f[n++] = Mean(vals);
                Array.Sort(vals);
                f[n++] = Q(vals, 0.9);
            }
            Copy(norm, nx, x0, y0, p, vals);
            foreach (double v in Spectrum(vals, p, fft, re, im, cr, ci)) f[n++] = v;
            result[i] = f;
            return buf;
        }, _ => { });
        return result.ToList();
    }

    /// <summary>
    /// Log10 of the fraction of the (mean-removed, Hann-windowed) patch's power in each octave band
    /// [k, 2k) cycles per patch, k = 1, 2, 4, ….
    /// </summary>
    private static IEnumerable<double> Spectrum(float[] vals, int p, Fft fft, double[] re, double[] im, double[] cr, double[] ci)
    {
        double mean = 0;
        foreach (float v in vals) mean += v;
        mean /= vals.Length;
        for (int y = 0; y < p; y++)
        {
            double wy = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (y + 0.5) / p);
            for (int x = 0; x < p; x++)
            {
                re[y * p + x] = (vals[y * p + x] - mean) * wy * (0.5 - 0.5 * Math.Cos(2 * Math.PI * (x + 0.5) / p));
                im[y * p + x] = 0;
            }
        }
        for (int y = 0; y < p; y++) fft.Forward(re.AsSpan(y * p, p), im.AsSpan(y * p, p));
        for (int x = 0; x < p; x++)
        {
            for (int y = 0; y < p; y++) { cr[y] = re[y * p + x]; ci[y] = im[y * p + x]; }
            fft.Forward(cr, ci);
            for (int y = 0; y < p; y++) { re[y * p + x] = cr[y]; im[y * p + x] = ci[y]; }
        }
        int bands = 0;
        for (int k = 1; k < p / 2; k *= 2) bands++;
        var power = new double[bands];
        double total = 0;
        for (int y = 0; y < p; y++)
        {
            int fy = y <= p / 2 ? y : y - p;
            for (int x = 0; x < p; x++)
            {
                int fx = x <= p / 2 ? x : x - p;
                double f = Math.Sqrt(fx * fx + fy * fy);
                if (f < 1) continue;
                double pw = re[y * p + x] * re[y * p + x] + im[y * p + x] * im[y * p + x];
                total += pw;
                int b = Math.Min(bands - 1, (int)Math.Floor(Math.Log2(f)));
                power[b] += pw;
            }
        }
        for (int b = 0; b < bands; b++) power[b] = Math.Log10(Math.Max(power[b] / Math.Max(total, 1e-30), 1e-12));
        return power;
    }

    private static void Copy(float[] src, int nx, int x0, int y0, int p, float[] dst)
    {
        for (int y = 0; y < p; y++) Array.Copy(src, (y0 + y) * nx + x0, dst, y * p, p);
    }

    private static double Q(float[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int i = (int)pos;
        int j = Math.Min(i + 1, sorted.Length - 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
    }

    private static double Mean(float[] v)
    {
        double s = 0;
        foreach (float x in v) s += x;
        return s / v.Length;
    }

    private static double Std(float[] v)
    {
        double m = Mean(v), s = 0;
        foreach (float x in v) s += (x - m) * (x - m);
        return Math.Sqrt(s / v.Length);
    }
}
