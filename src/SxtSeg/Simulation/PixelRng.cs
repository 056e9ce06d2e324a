using System.Runtime.CompilerServices;

namespace SxtSeg.Simulation;

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
