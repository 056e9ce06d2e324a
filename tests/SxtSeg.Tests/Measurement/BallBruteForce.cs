using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Brute-force references for the streamed ball morphology, on small volumes of 10 × 12 × 15 nm
/// voxels: random blobs, and erosion or dilation by a Euclidean ball checked against every voxel.
/// </summary>
internal static class BallBruteForce
{
    /// <summary>The voxel size of these volumes (nm).</summary>
    public static readonly VoxelSize Voxel = new(10, 12, 15);

    private static double Dist2(int x, int y, int z, double cx, double cy, double cz)
        => Math.Pow((x - cx) * 10, 2) + Math.Pow((y - cy) * 12, 2) + Math.Pow((z - cz) * 15, 2);

    /// <summary><paramref name="count"/> balls at random voxels, radius uniform in [<paramref name="minNm"/>, <paramref name="minNm"/> + <paramref name="spanNm"/>] nm.</summary>
    public static Volume<byte> Blobs(int nx, int ny, int nz, int seed, int count, double minNm, double spanNm)
    {
        var rng = new Random(seed);
        var v = new Volume<byte>(nx, ny, nz, Voxel);
        for (int k = 0; k < count; k++)
        {
            double cx = rng.Next(nx), cy = rng.Next(ny), cz = rng.Next(nz), rad = minNm + rng.NextDouble() * spanNm;
            for (int z = 0; z < nz; z++)
                for (int y = 0; y < ny; y++)
                    for (int x = 0; x < nx; x++)
                        if (Dist2(x, y, z, cx, cy, cz) <= rad * rad) v[z, y, x] = 1;
        }
        return v;
    }

    /// <summary>Erosion keeps voxels with no background voxel of the volume within r (nm); dilation marks voxels within r of a foreground voxel.</summary>
    public static Volume<byte> Step(Volume<byte> v, double r, bool erode)
    {
        var o = new Volume<byte>(v.Nx, v.Ny, v.Nz, Voxel);
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                {
                    bool hit = false;
                    for (int zz = 0; zz < v.Nz && !hit; zz++)
                        for (int yy = 0; yy < v.Ny && !hit; yy++)
                            for (int xx = 0; xx < v.Nx && !hit; xx++)
                                if ((v[zz, yy, xx] != 0) != erode && Dist2(x, y, z, xx, yy, zz) <= r * r) hit = true;
                    o[z, y, x] = (byte)(erode ? (hit ? 0 : 1) : (hit ? 1 : 0));
                }
        return o;
    }
}
