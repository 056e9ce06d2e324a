namespace SxtSeg.Simulation;

/// <summary>
/// The acquisition of one tilt series: nominal and actual (jittered) angles, residual shifts,
/// beam flicker, the illumination (flat-field) pattern and its drift, and the zone-plate point
/// spread function per depth band. Everything is drawn once from the seed.
/// </summary>
public sealed class Acquisition
{
    private readonly double[] _waveKu, _waveKv, _wavePhase, _waveAmp;
    private readonly double _ffAmp, _driftDirU, _driftDirV;
    private readonly ulong _noiseSeed;
    private readonly SimulationParameters _p;
    private readonly int _detectors, _rows;

    /// <summary>Draws the acquisition for <paramref name="p"/> with a detector of <paramref name="detectors"/> × <paramref name="rows"/> pixels.</summary>
    public Acquisition(SimulationParameters p, int detectors, int rows, Phantom phantom)
    {
        _p = p;
        _detectors = detectors;
        _rows = rows;
        var rng = new SimRandom((ulong)p.Seed).Fork("acquisition");
        _noiseSeed = rng.Fork("pixel-noise").NextULong();
        Nominal = p.TiltAngles();
        int n = Nominal.Length;
        Actual = new double[n];
        ShiftU = new double[n];
        ShiftV = new double[n];
        Gain = new double[n];
        var jr = rng.Fork("jitter");
        for (int a = 0; a < n; a++)
        {
            Actual[a] = Math.Clamp(Nominal[a] + p.AngleJitterDeg * jr.Gaussian(), -90, 90);
            ShiftU[a] = p.ShiftPx * jr.Gaussian();
            ShiftV[a] = p.ShiftPx * jr.Gaussian();
            Gain[a] = Math.Max(0.5, 1 + p.Flicker * jr.Gaussian());
        }
        var fr = rng.Fork("flat-field");
        int nw = 10;
        _waveKu = new double[nw]; _waveKv = new double[nw]; _wavePhase = new double[nw]; _waveAmp = new double[nw];
        double norm = 0;
        for (int i = 0; i < nw; i++)
        {
            double lambda = fr.Uniform(60, 400), dir = fr.Uniform(0, Math.PI);
            _waveKu[i] = 2 * Math.PI / lambda * Math.Cos(dir);
            _waveKv[i] = 2 * Math.PI / lambda * Math.Sin(dir);
            _wavePhase[i] = fr.Uniform(0, 2 * Math.PI);
            _waveAmp[i] = fr.Uniform(0.3, 1) * Math.Sqrt(lambda / 400);
            norm += _waveAmp[i] * _waveAmp[i] / 2;
        }
        for (int i = 0; i < nw; i++) _waveAmp[i] /= Math.Sqrt(norm);
        _ffAmp = p.FlatFieldVariation;
        double beta = fr.Uniform(0, 2 * Math.PI);
        _driftDirU = Math.Cos(beta);
        _driftDirV = Math.Sin(beta);

        // Point spread function: Gaussian with the Airy core's FWHM (≈ 1.03 Δr), widening away from
        // the focal plane as σ0 √(1 + (2Δz / DOF)²) (the geometric defocus blur far from focus).
        Sigma0Px = 0.437 * p.ZoneWidthNm / p.VoxelSizeNm;
        double dof = p.DepthOfFocusNm, d = p.VoxelSizeNm;
        Bands = new DepthBands[n];
        BandSigmaPx = new double[n][];
        double W = phantom.Width, H = phantom.Nz;
        double zlo, zhi;
        if (phantom.Geometry == SampleGeometry.Slab)
        {
            zlo = phantom.SlabLoNm / d - (H - 1) / 2;
            zhi = phantom.SlabHiNm / d - (H - 1) / 2;
        }
        else
        {
            zlo = -phantom.CapillaryOuterNm / d;
            zhi = phantom.CapillaryOuterNm / d;
        }
        double focus = p.FocusOffsetNm / d;
        for (int a = 0; a < n; a++)
        {
            double th = Actual[a] * Math.PI / 180, s = Math.Sin(th), c = Math.Cos(th);
            double tmin = double.MaxValue, tmax = double.MinValue;
            foreach (double X in new[] { -W / 2, W / 2 })
                foreach (double Z in new[] { zlo, zhi })
                {
                    double t = -X * s + Z * c;
                    tmin = Math.Min(tmin, t);
                    tmax = Math.Max(tmax, t);
                }
            if (phantom.Geometry == SampleGeometry.Capillary) { tmin = zlo; tmax = zhi; }
            double far = Math.Max(Math.Abs(tmin - focus), Math.Abs(tmax - focus)) * d;
            int k = 1;
            if (p.DepthOfFocus && Sigma(far, dof) > 1.1 * Sigma0Px)
                k = Math.Clamp((int)Math.Ceiling((tmax - tmin) * d / (0.5 * dof)), 2, MaxBands);
            double step = Math.Max((tmax - tmin) / k, 1e-3);
            Bands[a] = new DepthBands(tmin, step, k);
            BandSigmaPx[a] = new double[k];
            for (int b = 0; b < k; b++)
                BandSigmaPx[a][b] = p.DepthOfFocus ? Sigma((Bands[a].Centre(b) - focus) * d, dof) : Sigma0Px;
        }
        BandCount = Bands.Max(b => b.Count);
    }

    /// <summary>
    /// Most depth bands used at one angle: enough for bands of at most half the depth of focus across
    /// a full field (1324 px of 9.8 nm at ±65° needs 23 at BESSY's 1.04 µm); with the earlier 6 the
    /// blur of a full field rose in steps of 2 µm of defocus and the bands next to the focus were
    /// already 2.2× the in-focus width.
    /// </summary>
    public const int MaxBands = 24;

    private double Sigma(double defocusNm, double dof) => Sigma0Px * Math.Sqrt(1 + Math.Pow(2 * defocusNm / dof, 2));

    /// <summary>Nominal tilt angles (degrees), as written in the tilt file and used for reconstruction.</summary>
    public double[] Nominal { get; }

    /// <summary>Angles at which the projections were actually taken (nominal + jitter).</summary>
    public double[] Actual { get; }

    /// <summary>Residual shift of each projection across the tilt axis (pixels).</summary>
    public double[] ShiftU { get; }

    /// <summary>Residual shift of each projection along the tilt axis (pixels).</summary>
    public double[] ShiftV { get; }

    /// <summary>Uncorrected relative beam intensity of each projection.</summary>
    public double[] Gain { get; }

    /// <summary>In-focus PSF standard deviation (pixels).</summary>
    public double Sigma0Px { get; }

    /// <summary>Depth bands per angle.</summary>
    public DepthBands[] Bands { get; }

    /// <summary>PSF standard deviation per angle and band (pixels).</summary>
    public double[][] BandSigmaPx { get; }

    /// <summary>Largest band count.</summary>
    public int BandCount { get; }

    /// <summary>Seed of the per-pixel noise streams.</summary>
    public ulong NoiseSeed => _noiseSeed;

    private float[]? _pattern, _flat;
    private int _pm, _pw;

    /// <summary>Illumination pattern F(u, v) before drift (mean ≈ 1).</summary>
    private double Pattern(double u, double v)
    {
        double s = 0;
        for (int i = 0; i < _waveKu.Length; i++) s += _waveAmp[i] * Math.Cos(_waveKu[i] * u + _waveKv[i] * v + _wavePhase[i]);
        double ru = (u - _detectors / 2.0) / (_detectors / 2.0), rv = (v - _rows / 2.0) / (_rows / 2.0);
        double vignette = 1 - 0.5 * _ffAmp * (ru * ru + rv * rv) / 2;
        return Math.Max(0.05, vignette * (1 + 0.6 * _ffAmp * s));
    }

    /// <summary>Tabulates the illumination pattern (with room for the drift) and the measured, noisy flat-field image.</summary>
    private void Prepare()
    {
        if (_pattern is not null) return;
        lock (_waveKu)
        {
            if (_pattern is not null) return;
            _pm = (int)Math.Ceiling(_p.FlatFieldDriftPx) + 2;
            _pw = _detectors + 2 * _pm;
            int ph = _rows + 2 * _pm;
            var pat = new float[_pw * ph];
            for (int v = 0; v < ph; v++)
                for (int u = 0; u < _pw; u++)
                    pat[v * _pw + u] = _ffAmp > 0 ? (float)Pattern(u - _pm, v - _pm) : 1f;
            var flat = new float[_detectors * _rows];
            for (int v = 0; v < _rows; v++)
                for (int u = 0; u < _detectors; u++)
                {
                    double f0 = pat[(v + _pm) * _pw + u + _pm];
                    if (_p.Photons <= 0) { flat[v * _detectors + u] = 1; continue; }
                    double mean = _p.Photons * f0 * _p.FlatFrames;
                    var fr = new PixelRng(Hashing.Combine(_noiseSeed, 0xF1A7UL, (ulong)v, (ulong)u));
                    double counts = (fr.Poisson(mean) + _p.ReadNoise * Math.Sqrt(_p.FlatFrames) * fr.Gaussian()) / _p.FlatFrames;
                    flat[v * _detectors + u] = (float)Math.Max(counts, 1);
                }
            _flat = flat;
            _pattern = pat;
        }
    }

    /// <summary>Illumination at detector pixel (u, v) of projection <paramref name="a"/> (−1 = the flat-field image), mean ≈ 1.</summary>
    public double Illumination(int a, int u, int v)
    {
        Prepare();
        v = Math.Clamp(v, 0, _rows - 1);
        u = Math.Clamp(u, 0, _detectors - 1);
        double frac = a < 0 ? 0 : Nominal.Length > 1 ? (double)a / (Nominal.Length - 1) : 0;
        double x = u + _pm - _p.FlatFieldDriftPx * frac * _driftDirU, y = v + _pm - _p.FlatFieldDriftPx * frac * _driftDirV;
        int i = (int)Math.Floor(x), j = (int)Math.Floor(y);
        double tx = x - i, ty = y - j;
        var g = _pattern!;
        int o = j * _pw + i;
        double top = g[o] + tx * (g[o + 1] - g[o]), bot = g[o + _pw] + tx * (g[o + _pw + 1] - g[o + _pw]);
        return top + ty * (bot - top);
    }

    /// <summary>
    /// Normalised measured transmission for a true line integral <paramref name="p"/> at pixel
    /// (u, v) of projection <paramref name="a"/>: Poisson counts of I0·gain·illumination·e^(−p) plus
    /// read noise, divided by the (noisy, averaged) flat-field image. Noise-free when photons = 0.
    /// Counts are exact Poisson below a mean of 64 photons and normal (mean λ, variance λ) above.
    /// </summary>
    public double Transmission(int a, int u, int v, double p)
    {
        Prepare();
        double f = Illumination(a, u, v);
        double ideal = Gain[a] * f * Math.Exp(-p);
        double i0 = _p.Photons;
        if (i0 <= 0) return ideal / Illumination(-1, u, v);
        var rng = new PixelRng(Hashing.Combine(_noiseSeed, (ulong)a, (ulong)v, (ulong)u));
        double counts = rng.PhotonCount(i0 * ideal) + _p.ReadNoise * rng.FastGaussian();
        return counts / _flat![Math.Clamp(v, 0, _rows - 1) * _detectors + u];
    }

    /// <summary>The radius of <see cref="Kernel"/> before any truncation: ⌈3.5 σ + |shift|⌉ + 1 taps.</summary>
    public static int KernelRadius(double sigma, double shift) => (int)Math.Ceiling(3.5 * sigma + Math.Abs(shift)) + 1;

    /// <summary>
    /// 1D kernel for a blur of <paramref name="sigma"/> pixels combined with a shift of
    /// <paramref name="shift"/> pixels: weights of taps −radius..radius (pixel-integrated Gaussian,
    /// or linear interpolation when sigma is tiny), normalised to sum 1, truncated at <paramref name="maxRadius"/>.
    /// </summary>
    public static double[] Kernel(double sigma, double shift, int maxRadius)
    {
        int radius = Math.Min(maxRadius, KernelRadius(sigma, shift));
        var w = new double[2 * radius + 1];
        if (sigma < 0.25)
        {
            double f = Math.Floor(shift), t = shift - f;
            int i0 = (int)f + radius;
            if (i0 >= 0 && i0 < w.Length) w[i0] += 1 - t;
            if (i0 + 1 >= 0 && i0 + 1 < w.Length) w[i0 + 1] += t;
        }
        else
        {
            double k = 1 / (sigma * Math.Sqrt(2));
            for (int j = -radius; j <= radius; j++)
                w[j + radius] = 0.5 * (SimMath.Erf((j - shift + 0.5) * k) - SimMath.Erf((j - shift - 0.5) * k));
        }
        double sum = w.Sum();
        if (sum <= 0) { w[radius] = 1; sum = 1; }
        for (int i = 0; i < w.Length; i++) w[i] /= sum;
        return w;
    }
}
