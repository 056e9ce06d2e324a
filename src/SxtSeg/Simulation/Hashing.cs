using System.Runtime.CompilerServices;

namespace SxtSeg.Simulation;

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
