using SxtSeg.Morphology;

namespace SxtSeg.Training;

/// <summary>
/// The target of the skeleton-recall term (<c>--skeleton-recall W</c>, Kirchhoff et al., ECCV 2024):
/// the 2-D skeleton of each crop's membrane label (Zhang–Suen thinning, 8-connected, outside the crop
/// counts as background), widened into a tube by two dilations with the 4-neighbour cross and cut back
/// to the label itself, then restricted to weighted pixels. Computed on the CPU per batch from the
/// labels, so it costs no network time and needs no differentiable skeleton.
/// </summary>
public static class TubedSkeleton
{
    /// <summary>
    /// Thins <paramref name="mask"/> (h × w, non-zero = foreground) in place to its Zhang–Suen
    /// skeleton: both sub-iterations repeated until nothing changes. Pixels on the crop's border see
    /// background beyond it. <paramref name="scratch"/> holds h × w bytes of work space.
    /// </summary>
    public static void Thin(Span<byte> mask, int h, int w, Span<byte> scratch)
    {
        if (h < 1 || w < 1 || mask.Length != h * w) throw new ArgumentException($"expected {h} × {w} pixels, got {mask.Length}", nameof(mask));
        if (scratch.Length < h * w) throw new ArgumentException("scratch is smaller than the mask", nameof(scratch));
        for (int i = 0; i < mask.Length; i++) mask[i] = mask[i] != 0 ? (byte)1 : (byte)0;
        var del = scratch[..(h * w)];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int pass = 0; pass < 2; pass++)
            {
                del.Clear();
                bool any = false;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        if (mask[y * w + x] == 0) continue;
                        int p2 = At(mask, h, w, y - 1, x), p3 = At(mask, h, w, y - 1, x + 1), p4 = At(mask, h, w, y, x + 1);
                        int p5 = At(mask, h, w, y + 1, x + 1), p6 = At(mask, h, w, y + 1, x), p7 = At(mask, h, w, y + 1, x - 1);
                        int p8 = At(mask, h, w, y, x - 1), p9 = At(mask, h, w, y - 1, x - 1);
                        int b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
                        if (b < 2 || b > 6) continue;
                        int a = (p2 == 0 && p3 == 1 ? 1 : 0) + (p3 == 0 && p4 == 1 ? 1 : 0) + (p4 == 0 && p5 == 1 ? 1 : 0)
                              + (p5 == 0 && p6 == 1 ? 1 : 0) + (p6 == 0 && p7 == 1 ? 1 : 0) + (p7 == 0 && p8 == 1 ? 1 : 0)
                              + (p8 == 0 && p9 == 1 ? 1 : 0) + (p9 == 0 && p2 == 1 ? 1 : 0);
                        if (a != 1) continue;
                        bool ok = pass == 0
                            ? p2 * p4 * p6 == 0 && p4 * p6 * p8 == 0
                            : p2 * p4 * p8 == 0 && p2 * p6 * p8 == 0;
                        if (!ok) continue;
                        del[y * w + x] = 1;
                        any = true;
                    }
                if (!any) continue;
                for (int i = 0; i < del.Length; i++) if (del[i] != 0) mask[i] = 0;
                changed = true;
            }
        }
    }

    private static int At(ReadOnlySpan<byte> m, int h, int w, int y, int x)
        => (uint)y < (uint)h && (uint)x < (uint)w ? m[y * w + x] : 0;

    /// <summary>
    /// The skeleton-recall target of a batch of <paramref name="count"/> crops of
    /// <paramref name="size"/>²: for each crop, the skeleton of its label (non-zero
    /// <paramref name="targets"/>) dilated twice by the 4-neighbour cross, kept where the label is
    /// and the weight is non-zero; written to <paramref name="result"/> as 0/1.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> targets, ReadOnlySpan<byte> weights, int count, int size, Span<byte> result)
    {
        int n = size * size;
        if (count < 1 || size < 1 || targets.Length != count * n || weights.Length != count * n || result.Length != count * n)
            throw new ArgumentException($"expected {count} × {size}² values in targets, weights and result");
        var skel = new byte[n];
        var scratch = new byte[n];
        var grown = new byte[n];
        for (int c = 0; c < count; c++)
        {
            var t = targets.Slice(c * n, n);
            t.CopyTo(skel);
            Thin(skel, size, size, scratch);
            CrossDilation.Dilate(skel, grown, size, size);
            CrossDilation.Dilate(grown, skel, size, size);
            var wt = weights.Slice(c * n, n);
            var r = result.Slice(c * n, n);
            for (int i = 0; i < n; i++) r[i] = skel[i] != 0 && t[i] != 0 && wt[i] != 0 ? (byte)1 : (byte)0;
        }
    }
}
