namespace SxtSeg.Inference;

/// <summary>
/// The 8 symmetries of a square tile (4 rotations × optional flip), for test-time augmentation.
/// Transform k maps a tile to its variant; <see cref="Inverse"/> maps a prediction back.
/// </summary>
public static class Dihedral
{
    /// <summary>Index of the source pixel for output (y, x) of transform k on an n × n tile.</summary>
    private static int Source(int k, int n, int y, int x)
    {
        // Output(y, x) = Input(src): optional flip of x, then k rotations by 90°.
        int rot = k & 3;
        bool flip = (k & 4) != 0;
        int sy = y, sx = x;
        for (int r = 0; r < rot; r++) (sy, sx) = (sx, n - 1 - sy);
        if (flip) sx = n - 1 - sx;
        return sy * n + sx;
    }

    /// <summary>Applies transform <paramref name="k"/> (0..7) to a square tile.</summary>
    public static void Apply(int k, int n, ReadOnlySpan<float> input, Span<float> output)
    {
        if (k == 0) { input[..(n * n)].CopyTo(output); return; }
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                output[y * n + x] = input[Source(k, n, y, x)];
    }

    /// <summary>Undoes transform <paramref name="k"/>: Inverse(k, Apply(k, t)) = t.</summary>
    public static void Inverse(int k, int n, ReadOnlySpan<float> input, Span<float> output)
    {
        if (k == 0) { input[..(n * n)].CopyTo(output); return; }
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                output[Source(k, n, y, x)] = input[y * n + x];
    }
}
