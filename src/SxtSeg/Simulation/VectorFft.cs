using System.Numerics;

namespace SxtSeg.Simulation;

/// <summary>
/// The same radix-2 FFT applied to <see cref="Vector{T}.Count"/> independent float signals at once
/// (one per SIMD lane): the butterflies are vector operations. Used to filter a batch of sinogram
/// rows stored lane-interleaved. Immutable after construction; safe to share across threads.
/// </summary>
public sealed class VectorFft
{
    private readonly float[] _cos, _sin;
    private readonly int[] _rev;

    /// <summary>Prepares transforms of length <paramref name="n"/> (a power of two, at least 2).</summary>
    public VectorFft(int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), $"FFT length must be a power of two ≥ 2, got {n}");
        N = n;
        _cos = new float[n / 2];
        _sin = new float[n / 2];
        for (int i = 0; i < n / 2; i++)
        {
            double a = -2 * Math.PI * i / n;
            _cos[i] = (float)Math.Cos(a);
            _sin[i] = (float)Math.Sin(a);
        }
        _rev = new int[n];
        int bits = BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _rev[i] = r;
        }
    }

    /// <summary>Transform length.</summary>
    public int N { get; }

    /// <summary>Forward transform (no scaling) in place.</summary>
    public void Forward(Span<Vector<float>> re, Span<Vector<float>> im) => Transform(re, im, 1f);

    /// <summary>Inverse transform, scaled by 1/N, in place.</summary>
    public void Inverse(Span<Vector<float>> re, Span<Vector<float>> im)
    {
        Transform(re, im, -1f);
        var s = new Vector<float>(1f / N);
        for (int i = 0; i < N; i++)
        {
            re[i] *= s;
            im[i] *= s;
        }
    }

    private void Transform(Span<Vector<float>> re, Span<Vector<float>> im, float sign)
    {
        int n = N;
        for (int i = 0; i < n; i++)
        {
            int j = _rev[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        for (int size = 2; size <= n; size <<= 1)
        {
            int half = size >> 1, step = n / size;
            for (int k = 0; k < half; k++)
            {
                var wr = new Vector<float>(_cos[k * step]);
                var wi = new Vector<float>(sign * _sin[k * step]);
                for (int start = 0; start < n; start += size)
                {
                    int a = start + k, b = a + half;
                    var tr = re[b] * wr - im[b] * wi;
                    var ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
