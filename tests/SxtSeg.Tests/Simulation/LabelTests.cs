using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class LabelTests
{
    private const double D = 10;

    [Fact]
    public void MembraneShellIsExactlyTheVoxelsWithinTheHalfWidthOfTheSphere()
    {
        // Given a vesicle of radius 167 nm off the grid, half-width 1.25 voxels
        var p = PhantomTestKit.Small();
        var c = new V3(313.3, 318.1, 322.7);
        var o = new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, 167), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, mem, cls, inst) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        // Then a voxel is labelled exactly when its centre is within 12.5 nm of the sphere surface
        int labelled = 0;
        for (int z = 0; z < 64; z++)
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    double d = (new V3(x * D, y * D, z * D) - c).Length - 167;
                    if (Math.Abs(Math.Abs(d) - 12.5) < 1e-3) continue;
                    bool expected = Math.Abs(d) <= 12.5;
                    Assert.True(expected == (mem[z, y, x] == 1), $"voxel ({x},{y},{z}) at distance {d:0.###} nm");
                    if (expected) labelled++;
                    if (Math.Abs(d) < 1e-3) continue;
                    Assert.True(d < 0 ? cls[z, y, x] == (byte)SimClass.Vesicle : cls[z, y, x] is (byte)SimClass.Ice or (byte)SimClass.Vacuum, $"class at ({x},{y},{z}), d={d}");
                    Assert.True((d < 0 ? 1 : 0) == inst[z, y, x], $"instance at ({x},{y},{z}), d={d}");
                }
        // and the shell holds ≈ area × 2.5 voxels
        Assert.InRange(labelled, 0.9 * 4 * Math.PI * 16.7 * 16.7 * 2.5, 1.1 * 4 * Math.PI * 16.7 * 16.7 * 2.5);
    }

    [Fact]
    public void MitochondrionGetsOuterAndInnerMembranes()
    {
        // Given a straight mitochondrion of radius 150 nm with membranes 20 nm apart
        var p = PhantomTestKit.Small();
        var t = new TubeShape(new[] { new V3(150, 321, 322), new V3(480, 321, 322) }, 150);
        var o = new SimObject(SimClass.Mitochondrion, "mitochondrion", t, 0.35) { MembraneOffsetsNm = new[] { 0.0, -20 } };
        var (_, mem, _, _) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        // Then along a line through the middle (x = 32, y = 32), voxels are labelled where they lie within
        // 12.5 nm of radius 150 or radius 130 from the axis, and nowhere else
        for (int z = 0; z < 64; z++)
        {
            double rho = Math.Sqrt(Math.Pow(320 - 321, 2) + Math.Pow(z * D - 322, 2));
            bool expected = Math.Abs(rho - 150) <= 12.5 || Math.Abs(rho - 130) <= 12.5;
            Assert.True(expected == (mem[z, 32, 32] == 1), $"z={z}, ρ={rho:0.0}");
        }
    }

    [Fact]
    public void NuclearEnvelopeHasTwoMembranesJoinedAroundAPore()
    {
        // Given a spherical nucleus (r = 250 nm) with one pore of radius 50 nm at its top, envelope gap 30 nm
        var p = PhantomTestKit.Small() with { NuclearEnvelopeGapNm = 30 };
        var c = new V3(321, 318, 300);
        var pores = new NuclearPores(50);
        pores.Add(c + new V3(0, 0, 250), V3.UnitZ);
        var o = new SimObject(SimClass.Nucleus, "nucleus", new EllipsoidShape(c, V3.UnitX, V3.UnitY, 250, 250, 250), 0.25)
        {
            Content = ContentKind.Nucleoplasm, DenseLac = 0.35, MembraneOffsetsNm = new[] { 0.0, -30 }, Pores = pores,
        };
        var (_, mem, _, _) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        // Then at the bottom (far from the pore) both membranes are labelled and the middle of the lumen is not
        // (column x = 32, y = 32: surface at z = 30.0 nm... i.e. 5 nm above voxel 5, inner membrane at z = 8.0)
        int x = 32, y = 32;
        double Dist(int z) => (new V3(x * D, y * D, z * D) - c).Length - 250;
        for (int z = 0; z < 20; z++)
        {
            double d = Dist(z);
            bool expected = Math.Abs(d) <= 12.5 || Math.Abs(d + 30) <= 12.5;
            Assert.True(expected == (mem[z, y, x] == 1), $"bottom z={z}, d={d:0.0}");
        }
        // and at the pore (column through its axis, x = 32.1 ≈ axis) the envelope is open: the top surface voxel is not labelled,
        Assert.Equal(0, mem[55, y, x]);
        // while the rim of the pore, 50–65 nm from the axis at the envelope's mid-depth, is
        int labelledRim = 0;
        for (int dx = -8; dx <= 8; dx++)
            for (int z = 53; z <= 55; z++)
            {
                double lateral = Math.Sqrt(Math.Pow((x + dx) * D - c.X, 2) + Math.Pow(y * D - c.Y, 2));
                if (lateral > 45 && lateral < 70 && mem[z, y, x + dx] == 1) labelledRim++;
            }
        Assert.True(labelledRim >= 2, $"{labelledRim} rim voxels labelled");
    }

    [Fact]
    public void GoldBeadsAreNotMembranes()
    {
        var p = PhantomTestKit.Small();
        var o = new SimObject(SimClass.GoldBead, "gold fiducial", new SphereShape(new V3(320, 320, 320), 75), 23.5) { Content = ContentKind.Constant };
        var (lac, mem, cls, _) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        Assert.Equal(0, PhantomTestKit.Count(mem, (byte)1));
        Assert.Equal((byte)SimClass.GoldBead, cls[32, 32, 32]);
        Assert.Equal(23.5f, lac[32, 32, 32]);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void ShellThicknessFollowsTheOption(double halfWidth)
    {
        // Given a large flat-ish sphere surface, when labelled with half-width w
        var p = PhantomTestKit.Small(shell: halfWidth);
        var c = new V3(318.4, 321.7, 316.2);
        var o = new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, 250), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, mem, _, _) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        // Then the labelled volume ≈ area × 2w voxels
        double expected = 4 * Math.PI * 25 * 25 * 2 * halfWidth;
        long n = PhantomTestKit.Count(mem, (byte)1);
        Assert.True(Math.Abs(n / expected - 1) < 0.06, $"{n} labelled, expected ≈ {expected:0}");
    }
}
