namespace SxtSeg.Network;

/// <summary>
/// The rectangle of a slice that holds real image data: the slice minus border rows and columns
/// that are padding (every value identical, or not finite), as reconstructions and exported crops
/// often have. Training crops are drawn inside it and normalisation statistics come from it.
/// </summary>
/// <param name="X0">First column.</param>
/// <param name="Y0">First row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct ImageArea(int X0, int Y0, int Width, int Height)
{
    /// <summary>True when the area holds no pixel (an all-padding slice).</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>Finds the real image area of an <paramref name="nx"/> × <paramref name="ny"/> slice (row-major).</summary>
    public static ImageArea Find(ReadOnlySpan<float> slice, int nx, int ny)
    {
        if (slice.Length != (long)nx * ny) throw new ArgumentException($"slice holds {slice.Length} values, expected {nx} × {ny}", nameof(slice));
        int top = 0, bottom = ny - 1, left = 0, right = nx - 1;
        while (top <= bottom && RowIsPadding(slice, nx, top, left, right)) top++;
        while (bottom >= top && RowIsPadding(slice, nx, bottom, left, right)) bottom--;
        while (left <= right && ColumnIsPadding(slice, nx, left, top, bottom)) left++;
        while (right >= left && ColumnIsPadding(slice, nx, right, top, bottom)) right--;
        if (top > bottom || left > right) return new ImageArea(0, 0, 0, 0);
        return new ImageArea(left, top, right - left + 1, bottom - top + 1);
    }

    private static bool RowIsPadding(ReadOnlySpan<float> s, int nx, int y, int x0, int x1)
    {
        var row = s.Slice(y * nx + x0, x1 - x0 + 1);
        float first = float.NaN;
        foreach (float v in row)
        {
            if (!float.IsFinite(v)) continue;
            if (float.IsNaN(first)) first = v;
            else if (v != first) return false;
        }
        return true;
    }

    private static bool ColumnIsPadding(ReadOnlySpan<float> s, int nx, int x, int y0, int y1)
    {
        float first = float.NaN;
        for (int y = y0; y <= y1; y++)
        {
            float v = s[y * nx + x];
            if (!float.IsFinite(v)) continue;
            if (float.IsNaN(first)) first = v;
            else if (v != first) return false;
        }
        return true;
    }
}
