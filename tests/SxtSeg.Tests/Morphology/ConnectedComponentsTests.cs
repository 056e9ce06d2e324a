using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

public sealed class ConnectedComponentsTests
{
    /// <summary>Reference labelling by breadth-first flood fill, labels in raster order of first voxel.</summary>
    internal static (int[] Labels, int Count) FloodFill(Volume<byte> m, Connectivity c)
    {
        var labels = new int[m.Length];
        int count = 0;
        var queue = new Queue<(int Z, int Y, int X)>();
        for (int z = 0; z < m.Nz; z++)
            for (int y = 0; y < m.Ny; y++)
                for (int x = 0; x < m.Nx; x++)
                {
                    if (m[z, y, x] == 0 || labels[m.Index(z, y, x)] != 0) continue;
                    count++;
                    labels[m.Index(z, y, x)] = count;
                    queue.Enqueue((z, y, x));
                    while (queue.Count > 0)
                    {
                        var (qz, qy, qx) = queue.Dequeue();
                        for (int dz = -1; dz <= 1; dz++)
                            for (int dy = -1; dy <= 1; dy++)
                                for (int dx = -1; dx <= 1; dx++)
                                {
                                    int d = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                                    if (d == 0 || (c == Connectivity.Six && d > 1) || (c == Connectivity.Eighteen && d > 2)) continue;
                                    int nz = qz + dz, ny = qy + dy, nx = qx + dx;
                                    if (!m.Contains(nz, ny, nx) || m[nz, ny, nx] == 0) continue;
                                    long i = m.Index(nz, ny, nx);
                                    if (labels[i] != 0) continue;
                                    labels[i] = count;
                                    queue.Enqueue((nz, ny, nx));
                                }
                    }
                }
        return (labels, count);
    }

    internal static Volume<byte> Random(int nx, int ny, int nz, double density, int seed)
    {
        var rng = new Random(seed);
        var v = new Volume<byte>(nx, ny, nz, VoxelSize.Isotropic(10));
        for (long i = 0; i < v.Length; i++) v.Data[i] = rng.NextDouble() < density ? (byte)1 : (byte)0;
        return v;
    }

    [Theory]
    [InlineData(Connectivity.Six, 0.3)]
    [InlineData(Connectivity.Six, 0.5)]
    [InlineData(Connectivity.Eighteen, 0.2)]
    [InlineData(Connectivity.Eighteen, 0.35)]
    [InlineData(Connectivity.TwentySix, 0.1)]
    [InlineData(Connectivity.TwentySix, 0.25)]
    public void LabelsMatchAFloodFillOnRandomVolumes(Connectivity connectivity, double density)
    {
        // Given a random volume deeper than one slab (slab boundaries are crossed)
        var m = Random(23, 17, 150, density, seed: (int)connectivity * 1000 + (int)(density * 100));
        // When
        var (labels, count) = ConnectedComponents.Label(m, new ComponentOptions { Connectivity = connectivity });
        var (expected, expectedCount) = FloodFill(m, connectivity);
        // Then the same labels, numbered in the same raster order
        Assert.Equal(expectedCount, count);
        for (long i = 0; i < m.Length; i++) Assert.Equal(expected[i], (int)labels.Data[i]);
    }

    [Fact]
    public void SizeFilterRemovesSmallObjectsAndRenumbers()
    {
        // Given three objects of 1, 8 and 27 voxels
        var m = new Volume<byte>(20, 10, 10, VoxelSize.Isotropic(5));
        m[1, 1, 1] = 1;
        for (int z = 3; z < 5; z++) for (int y = 3; y < 5; y++) for (int x = 3; x < 5; x++) m[z, y, x] = 1;
        for (int z = 5; z < 8; z++) for (int y = 5; y < 8; y++) for (int x = 12; x < 15; x++) m[z, y, x] = 1;
        // When objects under 8 voxels go
        var labeling = ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MinVoxels = 8 });
        var labels = labeling.ToVolume();
        // Then two objects remain, numbered 1 and 2 in raster order
        Assert.Equal(2, labeling.ObjectCount);
        Assert.Equal(new long[] { 8, 27 }, labeling.VoxelCounts);
        Assert.Equal(1, labeling.RemovedObjects);
        Assert.Equal(0u, labels[1, 1, 1]);
        Assert.Equal(1u, labels[3, 3, 3]);
        Assert.Equal(2u, labels[6, 6, 13]);
        Assert.Equal(new VoxelBox(12, 5, 5, 14, 7, 7), labeling.Bounds[1]);
    }

    [Fact]
    public void MinimumVolumeInCubicNanometresBecomesVoxels()
    {
        // 10 nm voxels hold 1000 nm³: 2500 nm³ needs 3 voxels
        Assert.Equal(3, ComponentOptions.VoxelsForVolume(2500, VoxelSize.Isotropic(10)));
        Assert.Equal(2, ComponentOptions.VoxelsForVolume(2000, VoxelSize.Isotropic(10)));
    }

    [Fact]
    public void EmptyMaskHasNoObjects()
    {
        var m = new Volume<byte>(8, 8, 8, VoxelSize.Isotropic(10));
        var (labels, count) = ConnectedComponents.Label(m);
        Assert.Equal(0, count);
        Assert.All(labels.Data, v => Assert.Equal(0u, v));
    }

    [Fact]
    public void SpiralJoinedOnlyAcrossManySlabsIsOneObject()
    {
        // Given a thin line winding up through 200 slices (1 voxel per slice, diagonal steps)
        var m = new Volume<byte>(5, 5, 200, VoxelSize.Isotropic(1));
        int[] xs = { 1, 2, 3, 3, 3, 2, 1, 1 }, ys = { 1, 1, 1, 2, 3, 3, 3, 2 };
        for (int z = 0; z < 200; z++) m[z, ys[z % 8], xs[z % 8]] = 1;
        // Then 26- and 18-connectivity see one object, 6-connectivity sees 200
        Assert.Equal(1, ConnectedComponents.Label(m, new ComponentOptions { Connectivity = Connectivity.TwentySix }).Count);
        Assert.Equal(1, ConnectedComponents.Label(m, new ComponentOptions { Connectivity = Connectivity.Eighteen }).Count);
        Assert.Equal(200, ConnectedComponents.Label(m, new ComponentOptions { Connectivity = Connectivity.Six }).Count);
    }
}
