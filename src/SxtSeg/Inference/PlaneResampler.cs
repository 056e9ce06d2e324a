namespace SxtSeg.Inference;

/// <summary>Bilinear resampling of 2D planes (used to bring a tomogram to the model's voxel size and back).</summary>
public static class PlaneResampler
{
    /// <summary>
    /// Resamples <paramref name="src"/> (<paramref name="w"/> × <paramref name="h"/>) to
    /// <paramref name="w2"/> × <paramref name="h2"/> with pixel centres aligned (corner-free mapping).
    /// </summary>
    public static void Bilinear(ReadOnlySpan<float> src, int w, int h, Span<float> dst, int w2, int h2)
    {
        double sx = (double)w / w2, sy = (double)h / h2;
        for (int y = 0; y < h2; y++)
        {
            double fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, h - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, h - 1);
            float ty = (float)(fy - y0);
            for (int x = 0; x < w2; x++)
            {
                double fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, w - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, w - 1);
                float tx = (float)(fx - x0);
                float a = src[y0 * w + x0] + (src[y0 * w + x1] - src[y0 * w + x0]) * tx;
                float b = src[y1 * w + x0] + (src[y1 * w + x1] - src[y1 * w + x0]) * tx;
                dst[y * w2 + x] = a + (b - a) * ty;
            }
        }
    }

    /// <summary>Size of a plane of <paramref name="n"/> pixels after scaling by <paramref name="scale"/> (at least 1).</summary>
    public static int Scaled(int n, double scale) => Math.Max(1, (int)Math.Round(n * scale));
}
