using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

public sealed class BinaryMorphologyTests
{
    private static bool InNeighbourhood(int dz, int dy, int dx, Connectivity c)
    {
        int d = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
        return c switch { Connectivity.Six => d <= 1, Connectivity.Eighteen => d <= 2, _ => true };
    }

    /// <summary>Brute-force one step: erosion with outside = 1, dilation with outside = 0 (MATLAB's convention).</summary>
    private static Volume<byte> Reference(Volume<byte> m, Connectivity c, bool erode)
    {
        var o = new Volume<byte>(m.Nx, m.Ny, m.Nz);
        for (int z = 0; z < m.Nz; z++)
            for (int y = 0; y < m.Ny; y++)
                for (int x = 0; x < m.Nx; x++)
                {
                    bool acc = erode;
                    for (int dz = -1; dz <= 1; dz++)
                        for (int dy = -1; dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                            {
                                if (!InNeighbourhood(dz, dy, dx, c)) continue;
                                bool v = m.Contains(z + dz, y + dy, x + dx) ? m[z + dz, y + dy, x + dx] != 0 : erode;
                                acc = erode ? acc && v : acc || v;
                            }
                    o[z, y, x] = acc ? (byte)1 : (byte)0;
                }
        return o;
    }

    [Theory]
    [InlineData(Connectivity.Six, true)]
    [InlineData(Connectivity.Eighteen, true)]
    [InlineData(Connectivity.TwentySix, true)]
    [InlineData(Connectivity.Six, false)]
    [InlineData(Connectivity.Eighteen, false)]
    [InlineData(Connectivity.TwentySix, false)]
    public void TwoStepsMatchABruteForceReference(Connectivity c, bool erode)
    {
        // Given a random blobby volume (wider than one SIMD vector)
        var m = ConnectedComponentsTests.Random(70, 9, 7, erode ? 0.8 : 0.1, seed: 5);
        // When
        var got = erode ? BinaryMorphology.Erode(m, 2, c) : BinaryMorphology.Dilate(m, 2, c);
        // Then
        var want = Reference(Reference(m, c, erode), c, erode);
        Assert.Equal(want.Data, got.Data);
    }

    [Fact]
    public void ErodingASolidCubeByOneStepPeelsOneLayerAwayFromTheBorder()
    {
        // Given a 6³ cube inside a 10³ volume, and one touching the border
        var m = new Volume<byte>(10, 10, 10);
        for (int z = 2; z < 8; z++) for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) m[z, y, x] = 1;
        // When
        var e = BinaryMorphology.Erode(m, 1, Connectivity.Six);
        // Then a 4³ cube remains
        Assert.Equal(64, e.Data.Count(b => b != 0));
        Assert.Equal(1, e[2 + 1, 2 + 1, 2 + 1]);
        Assert.Equal(0, e[2, 2, 2]);
    }

    [Fact]
    public void FillHolesFillsAnEnclosedCavityButNotAnOpenOne()
    {
        // Given two hollow cubes: one closed, one with a hole punched through its wall
        var m = new Volume<byte>(30, 12, 12);
        void Shell(int x0)
        {
            for (int z = 2; z < 10; z++) for (int y = 2; y < 10; y++) for (int x = x0; x < x0 + 8; x++)
                if (z == 2 || z == 9 || y == 2 || y == 9 || x == x0 || x == x0 + 7) m[z, y, x] = 1;
        }
        Shell(2);
        Shell(18);
        m[5, 5, 18] = 0; // opening in the second shell's wall
        long before = m.Data.Count(b => b != 0);
        // When
        var f = BinaryMorphology.FillHoles(m);
        // Then the 6³ cavity of the closed shell is filled and the open one is not
        Assert.Equal(before + 216, f.Data.Count(b => b != 0));
        Assert.Equal(1, f[5, 5, 5]);
        Assert.Equal(0, f[5, 5, 21]);
    }

    [Fact]
    public void SliceHoleFillingFillsRingsInEachSlice()
    {
        // Given a tube along z (a ring in every slice), open at both ends
        var m = new Volume<byte>(12, 12, 5);
        for (int z = 0; z < 5; z++)
            for (int y = 0; y < 12; y++)
                for (int x = 0; x < 12; x++)
                {
                    double r = Math.Sqrt((x - 5.5) * (x - 5.5) + (y - 5.5) * (y - 5.5));
                    if (r >= 3 && r < 4.5) m[z, y, x] = 1;
                }
        // When: 3D filling leaves the tube open (its lumen reaches the top and bottom faces), 2D fills each ring
        var f3 = BinaryMorphology.FillHoles(m);
        var f2 = BinaryMorphology.FillSliceHoles(m);
        // Then
        Assert.Equal(m.Data, f3.Data);
        Assert.Equal(1, f2[2, 5, 5]);
        Assert.Equal(0, f2[2, 0, 0]);
    }

    [Fact]
    public void ClosingBridgesAOneVoxelGap()
    {
        // Given a rod broken by a one-voxel gap
        var m = new Volume<byte>(20, 7, 7);
        for (int x = 2; x < 18; x++) if (x != 10) for (int y = 2; y < 5; y++) for (int z = 2; z < 5; z++) m[z, y, x] = 1;
        Assert.Equal(2, ConnectedComponents.Label(m).Count);
        // When
        var c = BinaryMorphology.Close(m, 1);
        // Then one object
        Assert.Equal(1, ConnectedComponents.Label(c).Count);
        Assert.Equal(1, c[3, 3, 10]);
    }

    [Fact]
    public void RemoveSmallObjectsKeepsOnlyLargeOnes()
    {
        var m = new Volume<byte>(10, 10, 10);
        m[0, 0, 0] = 1;
        for (int x = 3; x < 9; x++) m[5, 5, x] = 1;
        var r = ConnectedComponents.RemoveSmallObjects(m, 2);
        Assert.Equal(0, r[0, 0, 0]);
        Assert.Equal(6, r.Data.Count(b => b != 0));
    }
}

public sealed class StreamingEquivalenceTests
{
    [Fact]
    public void StreamedFileChainEqualsInMemoryOperations()
    {
        // Given a 0/255 mask on disk, deeper than one slab
        using var dir = new SxtSeg.Tests.Infrastructure.TempDir();
        var m = ConnectedComponentsTests.Random(37, 29, 140, 0.45, seed: 21);
        for (long i = 0; i < m.Length; i++) m.Data[i] *= 255;
        string path = dir.File("mask.mrc");
        VolumeIO.Write(path, m);
        // When processed streaming from the file
        using var file = MaskStreams.FromReader(VolumeIO.OpenRead(path), ForegroundRule.Binary);
        var streamed = ConnectedComponents.Analyze(file.Close(1).FillHoles().Erode(1).RemoveSmallObjects(3), new ComponentOptions { MinVoxels = 3 }).ToVolume();
        // and in memory
        var mem = BinaryMorphology.Close(m, 1);
        mem = BinaryMorphology.FillHoles(mem);
        mem = BinaryMorphology.Erode(mem, 1);
        mem = ConnectedComponents.RemoveSmallObjects(mem, 3);
        var (expected, _) = ConnectedComponents.Label(mem, new ComponentOptions { MinVoxels = 3 });
        // Then identical labels
        Assert.Equal(expected.Data, streamed.Data);
        Assert.Equal(255, file.ForegroundValue);
    }
}
