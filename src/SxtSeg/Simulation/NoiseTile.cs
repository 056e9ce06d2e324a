using System.Runtime.CompilerServices;

namespace SxtSeg.Simulation;

/// <summary>
/// A periodic 3D noise tile (64³, zero mean, unit variance) for sub-resolution texture: white
/// noise blurred with two Gaussian widths and mixed, so one sample carries fine grain and coarser
/// clumps. Sampled with trilinear interpolation and wrap-around; deterministic from the seed.
/// </summary>
public sealed class NoiseTile
{
    /// <summary>Edge length of the tile in cells.</summary>
    public const int Size = 64;

    private const int Mask = Size - 1;
    private readonly float[] _v = new float[Size * Size * Size];

    /// <summary>Builds the tile from <paramref name="rng"/>.</summary>
    public NoiseTile(SimRandom rng)
    {
        var white = new float[_v.Length];
        for (int i = 0; i < white.Length; i++) white[i] = (float)rng.Gaussian();
        var fine = Blur(white, 1.0);
        var coarse = Blur(white, 3.0);
        Normalize(fine);
        Normalize(coarse);
        for (int i = 0; i < _v.Length; i++) _v[i] = 0.8f * fine[i] + 0.6f * coarse[i];
        Normalize(_v);
    }

    private static void Normalize(float[] a)
    {
        double s = 0, s2 = 0;
        foreach (float v in a) { s += v; s2 += (double)v * v; }
        double mean = s / a.Length, sd = Math.Sqrt(Math.Max(s2 / a.Length - mean * mean, 1e-20));
        for (int i = 0; i < a.Length; i++) a[i] = (float)((a[i] - mean) / sd);
    }

    private static float[] Blur(float[] src, double sigma)
    {
        int r = (int)Math.Ceiling(3 * sigma);
        var k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = (float)Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= (float)sum;
        var a = (float[])src.Clone();
        var b = new float[src.Length];
        for (int axis = 0; axis < 3; axis++)
        {
            int stride = axis == 0 ? 1 : axis == 1 ? Size : Size * Size;
            for (int idx = 0; idx < a.Length; idx++)
            {
                int coord = (idx / stride) & Mask, baseIdx = idx - coord * stride;
                float acc = 0;
                for (int t = -r; t <= r; t++) acc += k[t + r] * a[baseIdx + ((coord + t) & Mask) * stride];
                b[idx] = acc;
            }
            (a, b) = (b, a);
        }
        return a;
    }

    /// <summary>Trilinear sample at tile coordinates (u, v, w), wrapping periodically.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Sample(double u, double v, double w)
    {
        double fu = Math.Floor(u), fv = Math.Floor(v), fw = Math.Floor(w);
        int i = (int)(long)fu & Mask, j = (int)(long)fv & Mask, k = (int)(long)fw & Mask;
        float tu = (float)(u - fu), tv = (float)(v - fv), tw = (float)(w - fw);
        int i1 = (i + 1) & Mask, j1 = (j + 1) & Mask, k1 = (k + 1) & Mask;
        int r00 = (k * Size + j) * Size, r01 = (k * Size + j1) * Size, r10 = (k1 * Size + j) * Size, r11 = (k1 * Size + j1) * Size;
        var a = _v;
        float c00 = a[r00 + i] + tu * (a[r00 + i1] - a[r00 + i]);
        float c01 = a[r01 + i] + tu * (a[r01 + i1] - a[r01 + i]);
        float c10 = a[r10 + i] + tu * (a[r10 + i1] - a[r10 + i]);
        float c11 = a[r11 + i] + tu * (a[r11 + i1] - a[r11 + i]);
        float c0 = c00 + tv * (c01 - c00), c1 = c10 + tv * (c11 - c10);
        return c0 + tw * (c1 - c0);
    }
}
