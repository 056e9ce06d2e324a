using SxtSeg.Imaging;

namespace SxtSeg.Surfaces;

/// <summary>
/// One random colour per object, like the paper's renders. Hues step by the golden angle from a
/// seeded random start (so objects with nearby ids, which are usually neighbours, get distinct
/// hues), with a seeded random jitter of hue, saturation and value kept in a range that shades well.
/// The colour of an object depends only on (seed, id), not on which other objects are present.
/// </summary>
public static class MeshColors
{
    /// <summary>The colour of object <paramref name="objectId"/> under <paramref name="seed"/>.</summary>
    public static Rgb ForObject(uint objectId, int seed)
    {
        ulong start = Mix((ulong)(uint)seed);
        ulong h = Mix(((ulong)(uint)seed << 32) | objectId);
        const double goldenFraction = 0.6180339887498949;
        double hue = (start & 0xFFFFFF) / (double)0x1000000 + objectId * goldenFraction + 0.04 * ((h & 0xFFFF) / 65535.0 - 0.5);
        double sat = 0.50 + 0.35 * ((h >> 24 & 0xFFFF) / 65535.0);
        double val = 0.78 + 0.20 * ((h >> 40 & 0xFFFF) / 65535.0);
        return FromHsv(hue, sat, val);
    }

    /// <summary>HSV (all in [0, 1]) to 8-bit RGB.</summary>
    public static Rgb FromHsv(double h, double s, double v)
    {
        h = (h - Math.Floor(h)) * 6;
        int i = (int)h;
        double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        var (r, g, b) = i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        return new Rgb(ToByte(r), ToByte(g), ToByte(b));
    }

    private static byte ToByte(double x) => (byte)Math.Clamp((int)Math.Round(x * 255), 0, 255);

    /// <summary>SplitMix64 finaliser.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
