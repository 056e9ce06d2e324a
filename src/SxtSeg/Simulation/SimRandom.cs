using System.Numerics;
using System.Runtime.CompilerServices;

namespace SxtSeg.Simulation;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) with the draws the
/// simulator needs. Independent streams are derived by name with <see cref="Fork(string)"/>, so adding a
/// draw in one stage never shifts the numbers of another: same seed, same phantom, same bytes.
/// Not thread-safe: give each partition its own instance.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public SimRandom(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = Hashing.SplitMix(ref x);
        _s1 = Hashing.SplitMix(ref x);
        _s2 = Hashing.SplitMix(ref x);
        _s3 = Hashing.SplitMix(ref x);
    }

    /// <summary>The seed this generator started from.</summary>
    public ulong Seed { get; }

    /// <summary>An independent generator for the named purpose (depends only on this seed and the name).</summary>
    public SimRandom Fork(string name) => new(Hashing.Combine(Seed, Hashing.Of(name)));

    /// <summary>An independent generator for the named purpose and index.</summary>
    public SimRandom Fork(string name, long index) => new(Hashing.Combine(Hashing.Combine(Seed, Hashing.Of(name)), (ulong)index));

    /// <summary>Next 64 random bits.</summary>
    public ulong NextULong()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [a, b).</summary>
    public double Uniform(double a, double b) => a + (b - a) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => n <= 1 ? 0 : (int)((NextULong() >> 33) % (ulong)n);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public double Gaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Normal deviate with mean and standard deviation.</summary>
    public double Gaussian(double mean, double sd) => mean + sd * Gaussian();

    /// <summary>Normal deviate clipped to [lo, hi].</summary>
    public double ClippedGaussian(double mean, double sd, double lo, double hi) => Math.Clamp(Gaussian(mean, sd), lo, hi);

    /// <summary>Log-normal deviate with the given median and log-space sigma, clipped to [lo, hi].</summary>
    public double LogNormal(double median, double sigmaLog, double lo, double hi)
        => Math.Clamp(median * Math.Exp(sigmaLog * Gaussian()), lo, hi);

    /// <summary>A uniformly distributed unit vector.</summary>
    public V3 UnitVector()
    {
        double z = Uniform(-1, 1), phi = Uniform(0, 2 * Math.PI), s = Math.Sqrt(1 - z * z);
        return new V3(s * Math.Cos(phi), s * Math.Sin(phi), z);
    }

    /// <summary>A unit vector with elevation (angle from the x–y plane) within ±<paramref name="maxElevationDeg"/>.</summary>
    public V3 FlatUnitVector(double maxElevationDeg)
    {
        double phi = Uniform(0, 2 * Math.PI);
        double sinMax = Math.Sin(maxElevationDeg * Math.PI / 180);
        double z = Uniform(-sinMax, sinMax), s = Math.Sqrt(1 - z * z);
        return new V3(s * Math.Cos(phi), s * Math.Sin(phi), z);
    }

    /// <summary>Poisson deviate with mean <paramref name="lambda"/>.</summary>
    public long Poisson(double lambda)
    {
        var r = new PixelRng(NextULong());
        return r.Poisson(lambda);
    }
}

/// <summary>
/// A tiny counter-based generator for per-pixel noise: seeded from a hash of (seed, indices) so
/// that every pixel's noise is the same whatever the thread schedule or partitioning.
/// </summary>
public struct PixelRng
{
    private ulong _state;

    /// <summary>Creates a stream from a 64-bit key (use <see cref="Hashing.Combine(ulong, ulong)"/> to build it).</summary>
    public PixelRng(ulong key) => _state = key;

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (Hashing.SplitMix(ref _state) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate.</summary>
    public double Gaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Standard normal deviate by inverting the normal CDF (Acklam's rational approximation, relative error &lt; 1.2e-9): one uniform, no trigonometry.</summary>
    public double FastGaussian() => SimMath.InverseNormal(NextDouble() * (1 - 2e-16) + 1e-16);

    /// <summary>
    /// Photon count: exact Poisson (inversion) for means below 64, above that the normal
    /// approximation λ + √λ·z (indistinguishable for imaging: skewness below 0.13).
    /// </summary>
    public double PhotonCount(double lambda)
    {
        if (!(lambda > 0)) return 0;
        if (lambda < 64) return Poisson(lambda);
        return Math.Max(0, lambda + Math.Sqrt(lambda) * FastGaussian());
    }

    /// <summary>
    /// Poisson deviate: inversion by sequential search below a mean of 30, Hörmann's PTRS
    /// transformed rejection above (both exact).
    /// </summary>
    public long Poisson(double lambda)
    {
        if (!(lambda > 0)) return 0;
        if (lambda < 30)
        {
            double p = Math.Exp(-lambda), s = p, u = NextDouble();
            long k = 0;
            while (u > s && k < 1000)
            {
                k++;
                p *= lambda / k;
                s += p;
            }
            return k;
        }
        double slam = Math.Sqrt(lambda), loglam = Math.Log(lambda);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double U = NextDouble() - 0.5, V = NextDouble();
            double us = 0.5 - Math.Abs(U);
            long k = (long)Math.Floor((2 * a / us + b) * U + lambda + 0.43);
            if (us >= 0.07 && V <= vr) return k;
            if (k < 0 || (us < 0.013 && V > us)) continue;
            if (Math.Log(V) + Math.Log(invalpha) - Math.Log(a / (us * us) + b) <= -lambda + k * loglam - SimMath.LogFactorial(k))
                return k;
        }
    }
}

/// <summary>Stable 64-bit hashing for seeds and counter-based streams.</summary>
public static class Hashing
{
    /// <summary>SplitMix64 step: advances <paramref name="x"/> and returns a well-mixed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Mixes two values into one (order matters).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong a, ulong b)
    {
        ulong x = a * 0x9E3779B97F4A7C15UL ^ (b + 0x632BE59BD9B4E019UL);
        return SplitMix(ref x);
    }

    /// <summary>Mixes four values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong a, ulong b, ulong c, ulong d) => Combine(Combine(Combine(a, b), c), d);

    /// <summary>FNV-1a hash of a string (stable across runs and platforms, unlike string.GetHashCode).</summary>
    public static ulong Of(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }
}

/// <summary>Small numerical helpers.</summary>
public static class SimMath
{
    private static readonly double[] SmallLogFactorials = BuildLogFactorials();

    private static double[] BuildLogFactorials()
    {
        var t = new double[32];
        for (int i = 1; i < t.Length; i++) t[i] = t[i - 1] + Math.Log(i);
        return t;
    }

    /// <summary>ln(k!) (table below 32, Stirling series above; relative error below 1e-12).</summary>
    public static double LogFactorial(long k)
    {
        if (k < 0) return double.NaN;
        if (k < SmallLogFactorials.Length) return SmallLogFactorials[k];
        double x = k + 1.0, ix = 1.0 / x, ix2 = ix * ix;
        return (x - 0.5) * Math.Log(x) - x + 0.918938533204672742 + ix * (1.0 / 12 - ix2 * (1.0 / 360 - ix2 / 1260));
    }

    /// <summary>Inverse of the standard normal CDF for p in (0, 1) (Acklam 2003; relative error below 1.2e-9).</summary>
    public static double InverseNormal(double p)
    {
        const double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02, a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
        const double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02, b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
        const double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00, c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
        const double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00, d4 = 3.754408661907416e+00;
        const double plow = 0.02425, phigh = 1 - plow;
        if (p < plow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        if (p > phigh)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        double r = p - 0.5, s = r * r;
        return (((((a1 * s + a2) * s + a3) * s + a4) * s + a5) * s + a6) * r / (((((b1 * s + b2) * s + b3) * s + b4) * s + b5) * s + 1);
    }

    /// <summary>Hermite smooth step of t clamped to [0, 1].</summary>
    public static double SmoothStep(double t)
    {
        t = Math.Clamp(t, 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Polynomial smooth maximum of a and b with blending width k (k ≤ 0: plain max).</summary>
    public static double SmoothMax(double a, double b, double k)
    {
        if (k <= 0) return Math.Max(a, b);
        double h = Math.Clamp(0.5 + 0.5 * (a - b) / k, 0, 1);
        return b + (a - b) * h + k * h * (1 - h);
    }

    /// <summary>The error function (Abramowitz–Stegun 7.1.26 refined; absolute error below 1.5e-7).</summary>
    public static double Erf(double x)
    {
        double s = Math.Sign(x);
        x = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return s * y;
    }

    /// <summary>Radermacher's missing-wedge elongation factor along z for a tilt range of ±<paramref name="maxTiltDeg"/>.</summary>
    public static double RadermacherElongation(double maxTiltDeg)
    {
        double a = maxTiltDeg * Math.PI / 180, sc = Math.Sin(a) * Math.Cos(a);
        return Math.Sqrt((a + sc) / (a - sc));
    }
}
