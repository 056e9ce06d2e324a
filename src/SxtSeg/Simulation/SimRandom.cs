using System.Numerics;

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
