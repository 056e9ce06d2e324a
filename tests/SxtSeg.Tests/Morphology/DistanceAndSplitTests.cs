using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

public sealed class DistanceAndSplitTests
{
    [Fact]
    public void DistanceTransformMatchesBruteForceWithAnisotropicVoxels()
    {
        // Given a random mask and voxels of 10 × 12 × 30 nm
        var m = ConnectedComponentsTests.Random(13, 11, 9, 0.85, seed: 3);
        var vs = new VoxelSize(10, 12, 30);
        // When
        var d = DistanceTransform.Euclidean(m, vs);
        // Then every foreground voxel holds the distance to the nearest background voxel centre
        for (int z = 0; z < m.Nz; z++)
            for (int y = 0; y < m.Ny; y++)
                for (int x = 0; x < m.Nx; x++)
                {
                    double best = double.PositiveInfinity;
                    if (m[z, y, x] == 0) best = 0;
                    else
                        for (int z2 = 0; z2 < m.Nz; z2++)
                            for (int y2 = 0; y2 < m.Ny; y2++)
                                for (int x2 = 0; x2 < m.Nx; x2++)
                                    if (m[z2, y2, x2] == 0)
                                    {
                                        double dx = (x - x2) * vs.X, dy = (y - y2) * vs.Y, dz = (z - z2) * vs.Z;
                                        best = Math.Min(best, Math.Sqrt(dx * dx + dy * dy + dz * dz));
                                    }
                    Assert.Equal(best, d[z, y, x], 3);
                }
    }

    private static Volume<byte> TwoSpheres(double r, double separation)
    {
        int n = (int)(2 * r + separation + 6);
        var m = new Volume<byte>(n, (int)(2 * r + 6), (int)(2 * r + 6), VoxelSize.Isotropic(10));
        double cy = m.Ny / 2.0, cz = m.Nz / 2.0, c1 = r + 3, c2 = r + 3 + separation;
        for (int z = 0; z < m.Nz; z++)
            for (int y = 0; y < m.Ny; y++)
                for (int x = 0; x < m.Nx; x++)
                {
                    double a = (x - c1) * (x - c1) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                    double b = (x - c2) * (x - c2) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                    if (a <= r * r || b <= r * r) m[z, y, x] = 1;
                }
        return m;
    }

    [Fact]
    public void TwoTouchingSpheresAreSeparatedAtTheirNeck()
    {
        // Given two overlapping spheres of radius 100 nm, centres 160 nm apart: neck radius 60 nm, depth 40 nm
        var m = TwoSpheres(10, 16);
        var (joined, n) = ConnectedComponents.Label(m);
        Assert.Equal(1, n);
        // When split with a 20 nm depth
        var (split, count, _) = TouchingObjects.Split(joined, n, 20);
        // Then two pieces of equal size, divided at the plane midway between the centres
        Assert.Equal(2, count);
        long a = split.Data.Count(v => v == 1), b = split.Data.Count(v => v == 2);
        Assert.Equal(m.Data.Count(v => v != 0), a + b);
        Assert.InRange(Math.Abs(a - b), 0, a / 20);
        int midX = (int)Math.Round(13 + 8.0);
        Assert.NotEqual(split[m.Nz / 2, m.Ny / 2, midX - 3], split[m.Nz / 2, m.Ny / 2, midX + 3]);
    }

    [Fact]
    public void ShallowNeckIsNotSplitWhenTheDepthIsBelowTheThreshold()
    {
        // Given spheres 80 nm apart (neck radius ≈ 92 nm, depth ≈ 8 nm)
        var m = TwoSpheres(10, 8);
        var (joined, n) = ConnectedComponents.Label(m);
        // When the required depth is 30 nm
        var (_, count, _) = TouchingObjects.Split(joined, n, 30);
        // Then it stays one object
        Assert.Equal(1, count);
    }

    [Fact]
    public void SeparateObjectsKeepTheirOrder()
    {
        // Given a single sphere and then a pair of touching spheres
        var pair = TwoSpheres(8, 13);
        var m = new Volume<byte>(pair.Nx + 25, pair.Ny, pair.Nz, VoxelSize.Isotropic(10));
        for (int z = 0; z < pair.Nz; z++) for (int y = 0; y < pair.Ny; y++) for (int x = 0; x < pair.Nx; x++) m[z, y, x + 25] = pair[z, y, x];
        for (int z = 5; z < 10; z++) for (int y = 5; y < 10; y++) for (int x = 2; x < 7; x++) m[z, y, x] = 1;
        var (joined, n) = ConnectedComponents.Label(m);
        Assert.Equal(2, n);
        // When
        var (split, count, _) = TouchingObjects.Split(joined, n, 20);
        // Then the pair (first in raster order: it reaches lower z) becomes 1 and 2, the cube 3
        Assert.Equal(2u, joined[7, 7, 4]);
        Assert.Equal(3, count);
        Assert.Equal(3u, split[7, 7, 4]);
        Assert.Equal(new uint[] { 1, 2 }, split.Data.Where(v => v is 1 or 2).Distinct().Order().ToArray());
    }
}
