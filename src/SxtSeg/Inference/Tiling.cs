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

    /// <summary>
    /// Tiles along one axis of <paramref name="length"/> samples: the fewest tiles of at most
    /// <paramref name="maxTile"/> samples that cover the axis with at least <paramref name="overlap"/>
    /// samples between neighbours, their sides multiples of <paramref name="multiple"/> and as equal
    /// as that allows (sides differ by at most one multiple; the larger ones last), the extra overlap
    /// spread over the joints; the first tile starts at 0, the last ends on the edge. An axis no longer
    /// than <paramref name="maxTile"/> gets one tile of <paramref name="length"/> rounded up to the
    /// multiple (the caller pads). On 1324 samples with 256-sample tiles and 32 of overlap: sides
    /// 240, 240, 240, 256, 256, 256 (1,488 samples predicted), where <see cref="Starts"/> places six
    /// tiles of 256 (1,536); on 512 samples: three of 192 (576) instead of three of 256 (768).
    /// Every joint then overlaps by at least <paramref name="overlap"/> and less than both its tiles
    /// (checked for every length to 700, tile and overlap to 260 and multiple 1–32 by brute force).
    /// </summary>
    public static AxisTiles Plan(int length, int maxTile, int overlap, int multiple)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length));
        if (multiple <= 0) throw new ArgumentOutOfRangeException(nameof(multiple));
        if (maxTile < multiple || maxTile % multiple != 0) throw new ArgumentOutOfRangeException(nameof(maxTile), $"tile must be a positive multiple of {multiple}");
        if (overlap < 0 || overlap >= maxTile) throw new ArgumentOutOfRangeException(nameof(overlap), $"overlap must be in 0..{maxTile - 1}");
        if (length <= maxTile) return new AxisTiles(new[] { 0 }, new[] { RoundUp(length, multiple) });
        int n = (int)Math.Ceiling((double)(length - overlap) / (maxTile - overlap));
        int units = RoundUp(length + (n - 1) * overlap, multiple) / multiple;
        int baseUnits = units / n, larger = units % n;
        var sides = new int[n];
        for (int i = 0; i < n; i++) sides[i] = (baseUnits + (i >= n - larger ? 1 : 0)) * multiple;
        // Σ sides − length is the total overlap; spread it over the n − 1 joints (the first ones get the remainder).
        int totalOverlap = units * multiple - length;
        var starts = new int[n];
        for (int i = 1; i < n; i++)
        {
            int joint = totalOverlap / (n - 1) + (i - 1 < totalOverlap % (n - 1) ? 1 : 0);
            starts[i] = starts[i - 1] + sides[i - 1] - joint;
        }
        return new AxisTiles(starts, sides);
    }

    /// <summary>
    /// The layout of <see cref="Starts"/> as an <see cref="AxisTiles"/>: equal tiles of <paramref name="tile"/>
    /// on an axis padded to at least one tile (what test-time augmentation needs: its rotations take square tiles).
    /// </summary>
    public static AxisTiles Square(int length, int tile, int overlap)
    {
        var starts = Starts(Math.Max(length, tile), tile, overlap);
        var sides = new int[starts.Length];
        Array.Fill(sides, tile);
        return new AxisTiles(starts, sides);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

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
