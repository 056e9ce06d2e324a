using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class ShapeTests
{
    private const double Voxel = 10;

    private static long Voxels(Shape shape, int n = 64)
    {
        var p = PhantomTestKit.Small(n, n, n);
        var o = new SimObject(SimClass.Vesicle, "test", shape, 0.3) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, _, _, inst) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        return PhantomTestKit.Count(inst, (ushort)1);
    }

    [Fact]
    public void VoxelisedSphereHasTheVolumeOfFourThirdsPiRCubed()
    {
        // Given a ball of radius 203 nm off the voxel grid
        var s = new SphereShape(new V3(317, 322, 309), 203);
        // When voxelised at 10 nm
        double v = Voxels(s) * Voxel * Voxel * Voxel;
        // Then its volume is 4/3 π r³ within 1 %, and the truth says exactly that
        double exact = 4.0 / 3 * Math.PI * Math.Pow(203, 3);
        Assert.Equal(exact, s.Volume, 6);
        Assert.True(Math.Abs(v / exact - 1) < 0.01, $"voxelised {v:E4} vs {exact:E4}");
        Assert.Equal(4 * Math.PI * 203 * 203, s.SurfaceArea, 6);
        Assert.All(Moments.AxisLengths(s.Moments.Covariance), a => Assert.Equal(406, a, 6));
    }

    [Fact]
    public void PartialVolumeLacIntegratesToTheSphereVolume()
    {
        // Given a ball of LAC 0.3 above ice 0.104 (texture off)
        var p = PhantomTestKit.Small();
        var s = new SphereShape(new V3(317, 322, 309), 151);
        var o = new SimObject(SimClass.Vesicle, "test", s, 0.3);
        var ph = Phantom.Create(p, new[] { o });
        var (lac, _, _, _) = PhantomTestKit.Rasterise(ph);
        // When the absorption in excess of the ice slab is summed
        double excess = 0;
        for (int z = 0; z < lac.Nz; z++)
            foreach (float v in lac.Slice(z)) excess += v - ph.SlabProfile[z];
        // Then it equals (μ − μ_ice)·V within 1 %
        double expected = (0.3 - p.IceLac) * s.Volume / (Voxel * Voxel * Voxel);
        Assert.True(Math.Abs(excess / expected - 1) < 0.01, $"{excess} vs {expected}");
    }

    [Fact]
    public void EllipsoidMeasuresAreExact()
    {
        // Given an ellipsoid 250 × 180 × 120 nm tilted in space
        var e = new EllipsoidShape(new V3(320, 320, 320), new V3(1, 1, 0.3), new V3(-1, 1, 0), 250, 180, 120);
        // Then volume 4/3 πabc, axes 2a 2b 2c, and the area of a sphere when a = b = c; voxelised volume within 1.5 %
        Assert.Equal(4.0 / 3 * Math.PI * 250 * 180 * 120, e.Volume, 3);
        var axes = Moments.AxisLengths(e.Moments.Covariance);
        Assert.Equal(500, axes[0], 6);
        Assert.Equal(360, axes[1], 6);
        Assert.Equal(240, axes[2], 6);
        Assert.Equal(4 * Math.PI * 100 * 100, EllipsoidShape.ComputeArea(100, 100, 100), 4);
        // Oblate spheroid a = b = 2, c = 1: S = 2πa² + π c²/e · ln((1 + e)/(1 − e)), e = √(1 − c²/a²)
        double ecc = Math.Sqrt(1 - 0.25);
        Assert.Equal(2 * Math.PI * 4 + Math.PI / ecc * Math.Log((1 + ecc) / (1 - ecc)), EllipsoidShape.ComputeArea(2, 2, 1), 6);
        double v = Voxels(e) * Voxel * Voxel * Voxel;
        Assert.True(Math.Abs(v / e.Volume - 1) < 0.015, $"voxelised {v:E4} vs {e.Volume:E4}");
    }

    [Fact]
    public void CurvedTubeVolumeFollowsTheTubeFormula()
    {
        // Given a tube of radius 61.3 nm along a quarter circle of radius 300 nm (fine polyline, off the voxel grid)
        var pts = new List<V3>();
        for (int i = 0; i <= 60; i++)
        {
            double a = Math.PI / 2 * i / 60;
            pts.Add(new V3(171.3 + 300 * Math.Cos(a), 168.9 + 300 * Math.Sin(a), 323.7));
        }
        var t = new TubeShape(pts, 61.3);
        // Then length ≈ πR/2, V = πr²L + 4/3 πr³, A = 2πrL + 4πr², and the voxelised volume agrees within 1.5 %
        Assert.Equal(Math.PI * 300 / 2, t.Length, 0);
        double r = 61.3;
        Assert.Equal(Math.PI * r * r * t.Length + 4.0 / 3 * Math.PI * r * r * r, t.Volume, 3);
        Assert.Equal(2 * Math.PI * r * t.Length + 4 * Math.PI * r * r, t.SurfaceArea, 3);
        double v = Voxels(t) * Voxel * Voxel * Voxel;
        Assert.True(Math.Abs(v / t.Volume - 1) < 0.015, $"voxelised {v:E4} vs {t.Volume:E4}");
    }

    [Fact]
    public void StraightCapsuleAxesMatchItsMoments()
    {
        // Given a capsule: cylinder of length 400 and radius 50 with two hemispherical caps
        var t = new TubeShape(new[] { new V3(120, 320, 320), new V3(520, 320, 320) }, 50);
        var m = t.Moments;
        // Then the centroid is the midpoint and the long-axis variance equals the analytic value
        double cyl = Math.PI * 2500 * 400, caps = 4.0 / 3 * Math.PI * 125000;
        // ∫x² over the cylinder (about its centre) + two hemispheres at ±200 (∫(200 + s)² over a hemisphere: s along the axis)
        double hemi = caps / 2;
        double ix = cyl * 400 * 400 / 12 + 2 * (hemi * 200 * 200 + 2 * 200 * hemi * 3 * 50 / 8 + hemi * 2500 / 5);
        Assert.Equal(320, m.Centroid.X, 6);
        Assert.Equal(ix / (cyl + caps), m.Covariance[0, 0], 3);
        Assert.Equal(cyl + caps, t.Volume, 3);
    }

    [Fact]
    public void SheetFollowsSteinersFormula()
    {
        // Given a flat cisterna: disk of radius 200 nm swept by 30 nm, tilted
        var d = new DiskShape(new V3(320, 320, 320), new V3(0.2, 0.1, 1), 200, 30);
        // Then V = 2πR²r + π²Rr² + 4/3 πr³ and the voxelised volume agrees within 2 %
        double exact = 2 * Math.PI * 200 * 200 * 30 + Math.PI * Math.PI * 200 * 900 + 4.0 / 3 * Math.PI * 27000;
        Assert.Equal(exact, d.Volume, 3);
        Assert.Equal(2 * Math.PI * 40000 + 2 * Math.PI * Math.PI * 200 * 30 + 4 * Math.PI * 900, d.SurfaceArea, 3);
        double v = Voxels(d) * Voxel * Voxel * Voxel;
        Assert.True(Math.Abs(v / exact - 1) < 0.02, $"voxelised {v:E4} vs {exact:E4}");
        // The covariance's smallest axis is the thickness direction
        var axes = Moments.AxisLengths(d.Moments.Covariance);
        Assert.True(axes[2] < 80 && axes[0] > 300);
    }

    [Fact]
    public void SegmentDistanceAndEigenRoutinesAreRight()
    {
        // Crossing segments one unit apart; parallel offset segments
        Assert.Equal(1, GeometryMath.SegmentSegmentDistance(new V3(-1, 0, 0), new V3(1, 0, 0), new V3(0, -1, 1), new V3(0, 1, 1)), 9);
        Assert.Equal(2, GeometryMath.SegmentSegmentDistance(new V3(0, 0, 0), new V3(1, 0, 0), new V3(3, 0, 0), new V3(5, 0, 0)), 9);
        var ev = SymmetricEigen.Symmetric3(2, 1, 0, 2, 0, 5).Values;
        Assert.Equal(new[] { 5.0, 3.0, 1.0 }, ev.Select(v => Math.Round(v, 9)).ToArray());
    }
}

/// <summary>The adherent cell's bounding box holds its whole undulating top.</summary>
public sealed class CellBoundsTests
{
    [Fact]
    public void NoPointAboveTheBoundingBoxIsInsideTheCell()
    {
        // Given 40 cells (thin periphery, body 2 µm) and a grid of points 1 nm above each one's box
        int inside = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var cell = new AdherentCellShape(0, 0, 100, 8000, new SimRandom((ulong)seed), 300, 2000, 2500, 1500);
            double z = cell.Bounds.Max.Z + 1;
            for (double x = -9000; x <= 9000; x += 150)
                for (double y = -9000; y <= 9000; y += 150)
                    if (cell.Distance(new V3(x, y, z)) < 0) inside++;
        }
        // Then none is inside (the box used to assume |undulation| ≤ 1 × its amplitude, cutting tall tops flat)
        Assert.Equal(0, inside);
    }
}
