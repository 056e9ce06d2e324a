using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>Measurements of voxelised analytic shapes against their exact values (the tolerances).</summary>
public sealed class AnalyticMeasurementTests
{
    private static ObjectMeasurement MeasureSingle(Volume<byte> mask, List<SliceMeasurement>? slices = null)
    {
        var labeling = ConnectedComponents.Analyze(MaskStreams.FromVolume(mask));
        Assert.Equal(1, labeling.ObjectCount);
        var result = ObjectMeasurer.Measure(labeling, sliceSink: slices is null ? null : slices.Add);
        return Assert.Single(result.Objects);
    }

    private static void Within(double expected, double actual, double relative, string what)
        => Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: expected {expected:G5} ± {relative:P0}, got {actual:G5} ({(actual / expected - 1):P2})");

    [Theory]
    [InlineData(150, 10, 10, 10)]
    [InlineData(120, 8, 8, 12)]
    public void SphereVolumeAreaAndAxesMatchTheAnalyticValues(double r, double vx, double vy, double vz)
    {
        // Given a voxelised sphere
        var vs = new VoxelSize(vx, vy, vz);
        var m = AnalyticShapes.Ellipsoid(r, r, r, vs, AnalyticShapes.Rotation(0, 0, 0), (0.3, 0.2, 0.1));
        // When
        var o = MeasureSingle(m);
        // Then
        Within(AnalyticShapes.EllipsoidVolume(r, r, r), o.VolumeNm3, 0.02, "volume");
        Within(4 * Math.PI * r * r, o.SurfaceAreaNm2, 0.05, "area");
        Within(o.VolumeNm3, o.MeshVolumeNm3, 0.02, "mesh volume vs voxel volume");
        foreach (double axis in new[] { o.MajorAxisNm, o.SecondAxisNm, o.ThirdAxisNm, o.MajorExtentNm, o.SecondExtentNm, o.ThirdExtentNm })
            Within(2 * r, axis, 0.05, "axis");
        Within(1, o.Sphericity, 0.05, "sphericity");
        Within(3 / r * 1000, o.SurfaceToVolumePerUm, 0.06, "surface to volume (1/µm)");
        Assert.False(o.TouchesBorder);
    }

    [Theory]
    [InlineData(0, 0, 0, 10)]
    [InlineData(30, 20, 40, 10)]
    [InlineData(65, -35, 10, 15)]
    public void RotatedEllipsoidHasItsAxes(double yaw, double pitch, double roll, double vz)
    {
        // Given an ellipsoid with semi-axes 250, 150, 100 nm, rotated, at 10 × 10 × vz nm voxels
        double a = 250, b = 150, c = 100;
        var m = AnalyticShapes.Ellipsoid(a, b, c, new VoxelSize(10, 10, vz), AnalyticShapes.Rotation(yaw, pitch, roll), (0.25, 0.4, 0.15));
        // When
        var o = MeasureSingle(m);
        // Then volume within 2 %, mesh area within 5 %, axes within 5 % under both definitions
        Within(AnalyticShapes.EllipsoidVolume(a, b, c), o.VolumeNm3, 0.02, "volume");
        Within(AnalyticShapes.EllipsoidArea(a, b, c), o.SurfaceAreaNm2, 0.05, "area");
        Within(2 * a, o.MajorAxisNm, 0.05, "ellipsoid major");
        Within(2 * b, o.SecondAxisNm, 0.05, "ellipsoid second");
        Within(2 * c, o.ThirdAxisNm, 0.05, "ellipsoid third");
        Within(2 * a, o.MajorExtentNm, 0.05, "major extent");
        Within(2 * b, o.SecondExtentNm, 0.05, "second extent");
        Within(2 * c, o.ThirdExtentNm, 0.05, "third extent");
        // The major direction is the rotated u axis (up to sign)
        var r = AnalyticShapes.Rotation(yaw, pitch, roll);
        double dot = Math.Abs(o.MajorDirection.X * r[0, 0] + o.MajorDirection.Y * r[1, 0] + o.MajorDirection.Z * r[2, 0]);
        Assert.True(dot > 0.995, $"major direction off by {Math.Acos(dot) * 180 / Math.PI:F1}°");
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 90, 0)]
    [InlineData(35, 25, 0)]
    [InlineData(-50, 60, 30)]
    [InlineData(10, 45, 0)]
    public void FilopodiumLikeRodOf130By1000NanometresAt10NanometreVoxels(double yaw, double pitch, double roll)
    {
        // Given a rod 130 nm across and 1 µm long (flat ends), rotated, at 10 nm voxels
        double radius = 65, length = 1000;
        var m = AnalyticShapes.Cylinder(radius, length, VoxelSize.Isotropic(10), AnalyticShapes.Rotation(yaw, pitch, roll), (0.3, 0.1, 0.45));
        // When
        var o = MeasureSingle(m);
        // Then volume within 2 %, area within 5 %
        Within(AnalyticShapes.CylinderVolume(radius, length), o.VolumeNm3, 0.02, "volume");
        Within(AnalyticShapes.CylinderArea(radius, length), o.SurfaceAreaNm2, 0.05, "area");
        // The equivalent ellipsoid has the rod's second moments: λ = L²/12 along, r²/4 across
        Within(2 * Math.Sqrt(5 * length * length / 12), o.MajorAxisNm, 0.05, "ellipsoid major");
        Within(2 * Math.Sqrt(5 * radius * radius / 4), o.SecondAxisNm, 0.05, "ellipsoid second");
        Within(2 * Math.Sqrt(5 * radius * radius / 4), o.ThirdAxisNm, 0.05, "ellipsoid third");
        // Extents along the principal axes (MIB's definition) are the rod's length and diameter. The
        // diameter extent is the widest of ~100 digitised 13-voxel cross-sections along the rod, so it
        // runs high (mean +3 %, up to +5.7 % over random orientations; docs/morphometrics.md): 7 % here.
        Within(length, o.MajorExtentNm, 0.05, "length");
        Within(2 * radius, o.SecondExtentNm, 0.07, "diameter (second extent)");
        Within(2 * radius, o.ThirdExtentNm, 0.07, "diameter (third extent)");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(1.2)]
    public void ShearedDiscIsMeasuredAsItsEllipse(double shear)
    {
        // Given a prism of 4 slices whose cross-section is a disc of radius 200 nm sheared by x' = x + s·y
        double r = 200;
        var vs = VoxelSize.Isotropic(10);
        int n = 110;
        var m = new Volume<byte>(n, n, 6, vs);
        for (int z = 1; z < 5; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                {
                    double px = (x - n / 2.0 + 0.3) * vs.X, py = (y - n / 2.0 + 0.2) * vs.Y;
                    double ux = px - shear * py, uy = py; // pre-image under the shear
                    if (ux * ux + uy * uy <= r * r) m[z, y, x] = 1;
                }
        // The ellipse's semi-axes are r times the singular values of [[1, s], [0, 1]]
        double tr = 2 + shear * shear, det = 1;
        double s1 = Math.Sqrt((tr + Math.Sqrt(tr * tr - 4 * det)) / 2), s2 = Math.Sqrt((tr - Math.Sqrt(tr * tr - 4 * det)) / 2);
        double major = 2 * r * s1, minor = 2 * r * s2, ecc = Math.Sqrt(1 - s2 * s2 / (s1 * s1));
        double ha = r * s1, hb = r * s2, hh = (ha - hb) * (ha - hb) / ((ha + hb) * (ha + hb));
        double perimeter = Math.PI * (ha + hb) * (1 + 3 * hh / (10 + Math.Sqrt(4 - 3 * hh))); // Ramanujan
        // When
        var slices = new List<SliceMeasurement>();
        var o = MeasureSingle(m, slices);
        // Then every slice, and the per-object means, match the ellipse
        Assert.Equal(4, slices.Count);
        Assert.Equal(4, o.Slices);
        foreach (var s in slices)
        {
            Within(Math.PI * r * r, s.AreaNm2, 0.02, "area");
            Within(major, s.FirstAxisNm, 0.05, "first axis (equivalent ellipse)");
            Within(minor, s.SecondAxisNm, 0.05, "second axis (equivalent ellipse)");
            Within(major, s.FirstExtentNm, 0.05, "first extent");
            Within(minor, s.SecondExtentNm, 0.05, "second extent");
            if (shear > 0) Within(ecc, s.Eccentricity, 0.05, "eccentricity");
            else Assert.InRange(s.Eccentricity, 0, 0.1);
            Within(perimeter, s.PerimeterNm, 0.03, "perimeter");
        }
        Within(major, o.FirstAxis2D.Mean, 0.05, "mean first axis");
        Assert.Equal(0, o.FirstAxis2D.Sd, 6);
    }

    [Fact]
    public void SmallDiscPerimeterIsCloseToTheCircumference()
    {
        // A filopodium cross-section: disc of 130 nm diameter at 10 nm pixels (radius 6.5 pixels)
        var m = new Volume<byte>(20, 20, 1, VoxelSize.Isotropic(10));
        for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++) if ((x - 9.7) * (x - 9.7) + (y - 9.4) * (y - 9.4) <= 6.5 * 6.5) m[0, y, x] = 1;
        var slices = new List<SliceMeasurement>();
        MeasureSingle(m, slices);
        var s = Assert.Single(slices);
        Within(Math.PI * 130, s.PerimeterNm, 0.05, "perimeter");
        Within(130, s.FirstAxisNm, 0.05, "first axis");
        Within(130, s.SecondAxisNm, 0.05, "second axis");
        Within(130, s.FirstExtentNm, 0.05, "first extent");
        Within(130, s.SecondExtentNm, 0.05, "second extent");
    }
}

public sealed class BandedSurfaceTests
{
    [Fact]
    public void BandByBandMeasurementEqualsSmoothingTheWholeMesh()
    {
        // Given a wavy tube spanning 260 slices (several bands of 64 layers plus margins), at anisotropic voxels
        var vs = new VoxelSize(10, 10, 12);
        var m = new Volume<byte>(40, 40, 260, vs);
        for (int z = 3; z < 257; z++)
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                {
                    double cx = 20 + 8 * Math.Sin(z / 20.0), cy = 20 + 6 * Math.Cos(z / 31.0);
                    double r = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                    if (r <= 9 && r > 5) m[z, y, x] = 1;
                }
        var labeling = ConnectedComponents.Analyze(MaskStreams.FromVolume(m));
        // When measured streaming, and by smoothing the complete mesh
        var o = Assert.Single(ObjectMeasurer.Measure(labeling).Objects);
        var mesh = SxtSeg.Surfaces.MarchingCubes.ExtractMask(m);
        SxtSeg.Surfaces.MeshSmoothing.Taubin(mesh, 10);
        // Then the same area and enclosed volume (up to float32 rounding of the whole mesh), and the same major extent
        Assert.Equal(mesh.Area(), o.SurfaceAreaNm2, mesh.Area() * 1e-6);
        Assert.Equal(mesh.EnclosedVolume(), o.MeshVolumeNm3, Math.Abs(mesh.EnclosedVolume()) * 1e-6);
        double min = double.MaxValue, max = double.MinValue;
        for (int i = 0; i < mesh.Vertices.Length; i += 3)
        {
            double p = mesh.Vertices[i] * o.MajorDirection.X + mesh.Vertices[i + 1] * o.MajorDirection.Y + mesh.Vertices[i + 2] * o.MajorDirection.Z;
            min = Math.Min(min, p);
            max = Math.Max(max, p);
        }
        Assert.Equal(max - min, o.MajorExtentNm, 1e-3);
    }
}
