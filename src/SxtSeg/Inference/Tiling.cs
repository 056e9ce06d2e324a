namespace SxtSeg.Inference;

/// <summary>Tile placement and blending weights for sliding-window prediction.</summary>
public static class Tiling
{
    /// <summary>
    /// Start positions of tiles of size <paramref name="tile"/> covering [0, <paramref name="length"/>)
    /// with at least <paramref name="overlap"/> samples of overlap; the last tile ends on the edge.
    /// A length shorter than the tile gives one tile at 0 (the caller pads).
    /// </summary>
    public static int[] Starts(int length, int tile, int overlap)
    {
        if (tile <= 0) throw new ArgumentOutOfRangeException(nameof(tile));
        if (overlap < 0 || overlap >= tile) throw new ArgumentOutOfRangeException(nameof(overlap), $"overlap must be in 0..{tile - 1}");
        if (length <= tile) return new[] { 0 };
        int stride = tile - overlap;
        int n = (int)Math.Ceiling((double)(length - tile) / stride) + 1;
        var s = new int[n];
        // Spread the tiles evenly so every overlap is at least the requested one.
        for (int i = 0; i < n; i++) s[i] = (int)Math.Round((double)i * (length - tile) / (n - 1));
        return s;
    }

    /// <summary>1D weights of a window of <paramref name="size"/> samples (never below 1e-3, so edges still count where only one tile covers).</summary>
    public static float[] Window1D(int size, BlendKind kind)
    {
        var w = new float[size];
        double c = (size - 1) / 2.0, sigma = size / 8.0;
        for (int i = 0; i < size; i++)
        {
            double v = kind switch
            {
                BlendKind.Gaussian => Math.Exp(-(i - c) * (i - c) / (2 * sigma * sigma)),
                BlendKind.Cosine => 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / size),
                _ => 1.0,
            };
            w[i] = (float)Math.Max(v, 1e-3);
        }
        return w;
    }

    /// <summary>2D separable window (height × width, row-major).</summary>
    public static float[] Window2D(int height, int width, BlendKind kind)
    {
        var wy = Window1D(height, kind);
        var wx = Window1D(width, kind);
        var w = new float[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                w[y * width + x] = wy[y] * wx[x];
        return w;
    }

    /// <summary>Reflect index <paramref name="i"/> into [0, n) (…2 1 0 1 2… at the edges, as numpy's "reflect").</summary>
    public static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
