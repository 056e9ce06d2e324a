using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Parts of the filopodium analysis on volumes of a few voxels, with hand-computed answers: the
/// geodesic distance that finds the tip and traces the centre line, and the regrowth of a
/// protrusion's surface within the cell's thin parts. Milliseconds each, so that a mutation run
/// can afford them (the scene tests take seconds).
/// </summary>
public sealed class FilopodiumAnalyzerPartsTests
{
    private static Volume<byte> Full(int nx, int ny, int nz)
    {
        var v = new Volume<byte>(nx, ny, nz);
        Array.Fill(v.Data, (byte)1);
        return v;
    }

    private static bool[] Seed(Volume<byte> v, int x, int y, int z)
    {
        var s = new bool[v.Data.Length];
        s[(z * v.Ny + y) * v.Nx + x] = true;
        return s;
    }

    [Fact]
    public void GeodesicStepsHaveTheirEuclideanLengthsInAnisotropicVoxels()
    {
        // Given a full 6 × 5 × 4 block of 10 × 12 × 15 nm voxels, seeded at its corner
        var v = new VoxelSize(10, 12, 15);
        var m = Full(6, 5, 4);
        var d = FilopodiumAnalyzer.Geodesic(m, Seed(m, 0, 0, 0), v);
        float At(int x, int y, int z) => d[(z * m.Ny + y) * m.Nx + x];
        // Then straight runs cost their voxel size per step
        Assert.Equal(0f, At(0, 0, 0));
        Assert.Equal(50f, At(5, 0, 0), 3);
        Assert.Equal(48f, At(0, 4, 0), 3);
        Assert.Equal(45f, At(0, 0, 3), 3);
        // a face diagonal √(10² + 12²) = 15.620 per step, a body diagonal √(10² + 12² + 15²) = 21.656
        Assert.Equal(3 * Math.Sqrt(244), At(3, 3, 0), 3);
        Assert.Equal(3 * Math.Sqrt(469), At(3, 3, 3), 3);
        // and a mixed move takes the cheapest combination: (4, 1, 0) = one diagonal + three x steps
        Assert.Equal(Math.Sqrt(244) + 30, At(4, 1, 0), 3);
    }

    [Fact]
    public void GeodesicDistanceGoesAroundAWallAndNeverThroughTheBackground()
    {
        // Given a 5 × 5 slice with a wall at x = 2 open only at y = 4, 1 nm voxels, seeded at (0, 0)
        var m = Full(5, 5, 1);
        for (int y = 0; y < 4; y++) m[0, y, 2] = 0;
        var d = FilopodiumAnalyzer.Geodesic(m, Seed(m, 0, 0, 0), VoxelSize.Isotropic(1));
        // Then (4, 0) is reached through the opening: 2 diagonals + 2 steps up to (2, 4), the same down
        Assert.Equal(4 * Math.Sqrt(2) + 4, d[4], 4);
        // the wall itself is never reached
        Assert.True(float.IsPositiveInfinity(d[2]));
        // and a voxel cut off from the seed stays unreached
        var cut = Full(5, 5, 1);
        for (int y = 0; y < 5; y++) cut[0, y, 2] = 0;
        var dc = FilopodiumAnalyzer.Geodesic(cut, Seed(cut, 0, 0, 0), VoxelSize.Isotropic(1));
        Assert.True(float.IsPositiveInfinity(dc[4]));
        Assert.Equal(1f, dc[1], 4);
    }

    [Fact]
    public void SeveralSeedsGiveTheDistanceToTheNearest()
    {
        var m = Full(9, 1, 1);
        var seeds = new bool[9];
        seeds[0] = seeds[8] = true;
        var d = FilopodiumAnalyzer.Geodesic(m, seeds, VoxelSize.Isotropic(2));
        Assert.Equal(new float[] { 0, 2, 4, 6, 8, 6, 4, 2, 0 }, d);
    }

    private static ProtrusionCrop Crop(Volume<byte> protrusion, Volume<byte> thin, Volume<byte> protrusions)
        => new(new VoxelBox(0, 0, 0, protrusion.Nx - 1, protrusion.Ny - 1, protrusion.Nz - 1), protrusion, new Volume<byte>(protrusion.Nx, protrusion.Ny, protrusion.Nz), thin, protrusions, null);

    [Fact]
    public void RegrowthIsTwoCubeDilationsWithinTheThinPartsAndAwayFromOtherProtrusions()
    {
        // Given a one-voxel protrusion at the centre of a 9³ crop
        var k = new Volume<byte>(9, 9, 9);
        k[4, 4, 4] = 1;
        // When everything is thin and there are no other protrusions
        var grown = FilopodiumAnalyzer.Regrow(Crop(k, Full(9, 9, 9), new Volume<byte>(9, 9, 9)));
        // Then it grows to the 5 × 5 × 5 cube around it (two 26-neighbour steps)
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 9; x++)
                {
                    bool inCube = Math.Abs(x - 4) <= 2 && Math.Abs(y - 4) <= 2 && Math.Abs(z - 4) <= 2;
                    Assert.True((inCube ? 1 : 0) == grown[z, y, x], $"({x}, {y}, {z})");
                }

        // When only the slice z = 4 is thin and another protrusion fills x ≥ 6
        var thin = new Volume<byte>(9, 9, 9);
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 9; x++) thin[4, y, x] = 1;
        var others = new Volume<byte>(9, 9, 9);
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 6; x < 9; x++) others[z, y, x] = 1;
        others[4, 4, 4] = 1; // the protrusion's own voxel, as in the mask of all protrusions
        var kept = FilopodiumAnalyzer.Regrow(Crop(k, thin, others));
        // Then it grows within that slice, up to x = 5
        long count = 0;
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 9; x++)
                {
                    bool expected = z == 4 && Math.Abs(y - 4) <= 2 && x >= 2 && x <= 5;
                    Assert.True((expected ? 1 : 0) == kept[z, y, x], $"({x}, {y}, {z})");
                    count += kept[z, y, x];
                }
        Assert.Equal(20, count);
    }
}
