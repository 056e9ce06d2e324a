namespace SxtSeg.Morphology;

/// <summary>
/// One dilation of a 2-D mask by the pixel and its four edge neighbours (outside the image is
/// background), shared by the cell mask's margin and the skeleton-recall tube.
/// </summary>
internal static class CrossDilation
{
    /// <summary>
    /// Writes the dilation of <paramref name="src"/> (w × h, non-zero = foreground) to <paramref name="dst"/>:
    /// a foreground pixel keeps its value, a background pixel with a foreground edge neighbour becomes 1, any
    /// other becomes 0. <paramref name="dst"/> must not overlap <paramref name="src"/>.
    /// </summary>
    public static void Dilate(ReadOnlySpan<byte> src, Span<byte> dst, int w, int h)
    {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                if (src[i] != 0) { dst[i] = src[i]; continue; }
                bool on = (x > 0 && src[i - 1] != 0) || (x < w - 1 && src[i + 1] != 0)
                    || (y > 0 && src[i - w] != 0) || (y < h - 1 && src[i + w] != 0);
                dst[i] = on ? (byte)1 : (byte)0;
            }
    }
}
