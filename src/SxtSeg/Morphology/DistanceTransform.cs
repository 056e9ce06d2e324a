using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// Exact Euclidean distance transform with anisotropic voxels (Felzenszwalb and Huttenlocher's
/// lower envelope of parabolas, applied along x, then y, then z). Each foreground voxel gets the
/// distance in nm from its centre to the nearest background voxel centre; background voxels get 0.
/// Voxels outside the volume are not background (as scipy's <c>distance_transform_edt</c>).
/// </summary>
public static class DistanceTransform
{
    /// <summary>Distances in nm for a mask (non-zero = foreground).</summary>
    public static Volume<float> Euclidean(Volume<byte> mask, VoxelSize voxel)
    {
        var d2 = SquaredEuclidean(mask, voxel);
        var result = new Volume<float>(mask.Nx, mask.Ny, mask.Nz, mask.VoxelSize) { OriginNm = mask.OriginNm };
        Parallel.For(0, mask.Nz, z =>
        {
            var src = d2.AsSpan((int)((long)z * mask.SliceLength), mask.SliceLength);
            var dst = result.Slice(z);
            for (int i = 0; i < src.Length; i++) dst[i] = double.IsPositiveInfinity(src[i]) ? float.PositiveInfinity : (float)Math.Sqrt(src[i]);
        });
        return result;
    }

    /// <summary>Squared distances in nm² (infinity where a component has no background at all).</summary>
    internal static double[] SquaredEuclidean(Volume<byte> mask, VoxelSize voxel)
    {
        int nx = mask.Nx, ny = mask.Ny, nz = mask.Nz;
        var d = new double[mask.Length];
        for (long i = 0; i < d.LongLength; i++) d[i] = mask.Data[i] != 0 ? double.PositiveInfinity : 0;
        // Along x: rows.
        Parallel.For(0, nz * ny, () => new Scratch(Math.Max(nx, Math.Max(ny, nz))), (row, _, s) =>
        {
            Transform(d, (long)row * nx, 1, nx, voxel.X, s);
            return s;
        }, _ => { });
        Parallel.For(0, nz * nx, () => new Scratch(Math.Max(nx, Math.Max(ny, nz))), (col, _, s) =>
        {
            int z = col / nx, x = col % nx;
            Transform(d, (long)z * ny * nx + x, nx, ny, voxel.Y, s);
            return s;
        }, _ => { });
        if (nz > 1)
            Parallel.For(0, ny * nx, () => new Scratch(Math.Max(nx, Math.Max(ny, nz))), (col, _, s) =>
            {
                Transform(d, col, (long)nx * ny, nz, voxel.Z, s);
                return s;
            }, _ => { });
        return d;
    }

    private sealed class Scratch
    {
        public Scratch(int n)
        {
            F = new double[n];
            V = new int[n];
            Zs = new double[n + 1];
        }

        public double[] F { get; }
        public int[] V { get; }
        public double[] Zs { get; }
    }

    /// <summary>1D squared distance transform of the line starting at <paramref name="start"/> with the given stride.</summary>
    private static void Transform(double[] d, long start, long stride, int n, double spacing, Scratch s)
    {
        var f = s.F;
        bool any = false;
        for (int i = 0; i < n; i++)
        {
            f[i] = d[start + i * stride];
            if (!double.IsPositiveInfinity(f[i])) any = true;
        }
        if (!any) return; // no finite source on this line: stays infinite
        double w2 = spacing * spacing;
        var v = s.V;
        var zs = s.Zs;
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            double fq = f[q] + w2 * q * q;
            while (k >= 0)
            {
                int p = v[k];
                double sIntersect = (fq - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
                if (sIntersect <= zs[k]) k--;
                else
                {
                    k++;
                    v[k] = q;
                    zs[k] = sIntersect;
                    break;
                }
            }
            if (k < 0)
            {
                k = 0;
                v[0] = q;
                zs[0] = double.NegativeInfinity;
            }
        }
        zs[k + 1] = double.PositiveInfinity;
        int j = 0;
        for (int q = 0; q < n; q++)
        {
            while (zs[j + 1] < q) j++;
            int p = v[j];
            double dq = q - p;
            d[start + q * stride] = w2 * dq * dq + f[p];
        }
    }
}
