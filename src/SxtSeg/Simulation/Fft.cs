namespace SxtSeg.Simulation;

/// <summary>
/// In-place complex radix-2 FFT of one power-of-two length with precomputed twiddles and
/// bit-reversal table. Instances are immutable after construction and safe to share across threads.
/// </summary>
public sealed class Fft
{
    private readonly double[] _cos, _sin;
    private readonly int[] _rev;

    /// <summary>Prepares transforms of length <paramref name="n"/> (a power of two, at least 2).</summary>
    public Fft(int n)
    {
        if (n < 2 || (n & (n - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(n), $"FFT length must be a power of two ≥ 2, got {n}");
        N = n;
        _cos = new double[n / 2];
        _sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++)
        {
            double a = -2 * Math.PI * i / n;
            _cos[i] = Math.Cos(a);
            _sin[i] = Math.Sin(a);
        }
        _rev = new int[n];
        int bits = System.Numerics.BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _rev[i] = r;
        }
    }

    /// <summary>Transform length.</summary>
    public int N { get; }

    /// <summary>Smallest power of two ≥ <paramref name="n"/>.</summary>
    public static int NextPowerOfTwo(int n)
    {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }

    /// <summary>Forward transform (e^{-2πikn/N}, no scaling) of re + i·im in place.</summary>
    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, false);

    /// <summary>Inverse transform (e^{+2πikn/N}, scaled by 1/N) in place.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        Transform(re, im, true);
        double s = 1.0 / N;
        for (int i = 0; i < N; i++)
        {
            re[i] *= s;
            im[i] *= s;
        }
    }

    private void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        int n = N;
        if (re.Length < n || im.Length < n) throw new ArgumentException("buffers shorter than the transform length");
        for (int i = 0; i < n; i++)
        {
            int j = _rev[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        double sign = inverse ? -1 : 1;
        for (int size = 2; size <= n; size <<= 1)
        {
            int half = size >> 1, step = n / size;
            for (int start = 0; start < n; start += size)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * step], wi = sign * _sin[k * step];
                    int a = start + k, b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
