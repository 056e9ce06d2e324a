using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Objects too small or thin to have a surface at their voxel size get no surface measures (empty
/// cells, surface_resolved = 0) instead of values off by a factor; sphericity never exceeds 1.
/// </summary>
public sealed class SurfaceResolutionTests
{
    private static IReadOnlyList<ObjectMeasurement> MeasureAll(Volume<uint> labels, int smoothing = 10)
        => ObjectMeasurer.Measure(LabelStreams.FromVolume(labels, 6), new MeasureOptions { SurfaceSmoothing = smoothing }).Objects;

    /// <summary>Objects 1–6 of a 10-nm volume: a single voxel, a one-voxel line of 40, a 2 × 2 × 2 block, a slab 24 × 24 × 2, balls of radius 5 and 2 voxels.</summary>
    private static Volume<uint> Scene()
    {
        var v = new Volume<uint>(64, 40, 20, VoxelSize.Isotropic(10));
        v[2, 2, 2] = 1;
        for (int x = 10; x < 50; x++) v[2, 6, x] = 2;
        for (int z = 5; z < 7; z++) for (int y = 2; y < 4; y++) for (int x = 56; x < 58; x++) v[z, y, x] = 3;
        for (int z = 10; z < 12; z++) for (int y = 12; y < 36; y++) for (int x = 2; x < 26; x++) v[z, y, x] = 4;
        for (int z = 0; z < 20; z++) for (int y = 0; y < 40; y++) for (int x = 0; x < 64; x++)
        {
            if ((x - 45.3) * (x - 45.3) + (y - 25.2) * (y - 25.2) + (z - 10.1) * (z - 10.1) <= 25) v[z, y, x] = 5;
            if ((x - 10.3) * (x - 10.3) + (y - 20.2) * (y - 20.2) + (z - 15.1) * (z - 15.1) <= 4) v[z, y, x] = 6;
        }
        return v;
    }

    [Theory]
    [InlineData(10)]
    [InlineData(0)]
    public void ASingleVoxelAndAOneVoxelLineHaveNoSurfaceMeasures(int smoothing)
    {
        // A single voxel's marching-cubes surface is an octahedron of half-diagonal half a voxel: it
        // encloses 1/6 of the voxel even unsmoothed; a one-voxel line's cross-section is a diamond of
        // half a voxel's area. Both are below 0.85 with or without smoothing.
        var o = MeasureAll(Scene(), smoothing);
        foreach (int i in new[] { 0, 1 })
        {
            Assert.False(o[i].SurfaceResolved, $"object {i + 1}");
            Assert.True(double.IsNaN(o[i].SurfaceAreaNm2) && double.IsNaN(o[i].MeshVolumeNm3) && double.IsNaN(o[i].Sphericity) && double.IsNaN(o[i].SurfaceToVolumePerUm));
            Assert.True(double.IsNaN(o[i].MajorExtentNm) && double.IsNaN(o[i].SecondExtentNm) && double.IsNaN(o[i].ThirdExtentNm));
        }
        // The voxel measures stay: volume and the equivalent ellipsoid of one 10-nm voxel, 2·√(5 · 100/12)
        Assert.Equal(1000, o[0].VolumeNm3);
        Assert.Equal(2 * Math.Sqrt(5 * 100 / 12.0), o[0].MajorAxisNm, 9);
        Assert.Equal(40_000, o[1].VolumeNm3);
        // The unsmoothed octahedron of the single voxel encloses exactly 1/6 of it: 166.7 of 1000 nm³
        if (smoothing == 0) Assert.Equal(1000 / 6.0, MeshVolumeOf(Scene(), 1), 6);
    }

    private static double MeshVolumeOf(Volume<uint> labels, int label)
    {
        var mesh = SxtSeg.Surfaces.MarchingCubes.Extract(LabelStreams.FromVolume(labels, 6)).Objects[label - 1];
        return mesh.EnclosedVolume();
    }

    [Fact]
    public void AFlatSlabTwoVoxelsThickAndABallOfRadiusFiveVoxelsHaveTheirSurfaces()
    {
        var o = MeasureAll(Scene());
        // The slab's faces are flat (smoothing moves only its rim): area about 2 × 240² nm² plus the rim
        Assert.True(o[3].SurfaceResolved);
        Assert.InRange(o[3].SurfaceAreaNm2, 2 * 240.0 * 240, 2 * 240.0 * 240 + 4 * 240 * 20);
        // The ball: area within 3 % of the sphere of its voxel volume, sphericity just under 1
        Assert.True(o[4].SurfaceResolved);
        double v = o[4].VolumeNm3, sphere = Math.Cbrt(36 * Math.PI * v * v);
        Assert.InRange(o[4].SurfaceAreaNm2 / sphere, 0.97, 1.03);
        Assert.InRange(o[4].Sphericity, 0.95, 1.0);
    }

    [Fact]
    public void SphericityNeverExceedsOne()
    {
        // Before: a single voxel 592, a 2 × 2 × 2 block 1.67, a ball of radius 2 voxels 1.055 (voxel
        // volume against a surface that encloses 0.87 of it)
        var all = MeasureAll(Scene());
        Assert.True(all[5].SurfaceResolved, "ball of radius 2 voxels");
        foreach (var m in all)
            if (m.SurfaceResolved) Assert.InRange(m.Sphericity, 0, 1);
    }

    [Fact]
    public void TheSummaryCountsOnlyResolvedSurfacesAndSaysHowManyAreLeftOut()
    {
        var labels = Scene();
        var result = ObjectMeasurer.Measure(LabelStreams.FromVolume(labels, 6));
        int resolved = result.Objects.Count(o => o.SurfaceResolved);
        var rows = MeasurementTables.Summary(result).Where(r => r.Section == "3D").ToDictionary(r => r.Measure);
        Assert.Equal(6, rows["Volume"].Stats.N);
        Assert.Equal(resolved, rows["Surface area"].Stats.N);
        Assert.Equal(resolved, rows["Sphericity"].Stats.N);
        Assert.Contains($"leave out {6 - resolved} objects too small or thin", MeasurementTables.SummaryMarkdown(result, "t"));
        // objects.csv: empty surface cells and surface_resolved 0 for the single voxel
        var lines = MeasurementTables.ObjectsCsv(result).Split('\n');
        var header = lines[0].Split(',');
        var first = lines[1].Split(',');
        Assert.Equal("", first[Array.IndexOf(header, "surface_area [nm^2]")]);
        Assert.Equal("", first[Array.IndexOf(header, "sphericity")]);
        Assert.Equal("1000", first[Array.IndexOf(header, "volume [nm^3]")]);
        Assert.Equal("0", first[Array.IndexOf(header, "surface_resolved")]);
        Assert.Equal("1", lines[5].Split(',')[Array.IndexOf(header, "surface_resolved")]);
    }
}

/// <summary>Surface measures do not depend on the volume's origin (float32 vertices far from zero lose precision).</summary>
public sealed class SurfaceOriginTests
{
    [Fact]
    public void AThinRodMeasuresTheSameAtAnOriginOfAMillionNanometres()
    {
        // Given a rod of 3 × 3 voxels across and 60 long at 10 nm, at origin 0 and at (10⁶, 2·10⁶, 3·10⁶) nm
        ObjectMeasurement At((double X, double Y, double Z) origin)
        {
            var v = new Volume<byte>(70, 9, 9, VoxelSize.Isotropic(10)) { OriginNm = origin };
            for (int z = 3; z < 6; z++) for (int y = 3; y < 6; y++) for (int x = 5; x < 65; x++) v[z, y, x] = 1;
            return Assert.Single(ObjectMeasurer.Measure(ConnectedComponents.Analyze(MaskStreams.FromVolume(v))).Objects);
        }
        var near = At((0, 0, 0));
        var far = At((1e6, 2e6, 3e6));
        // Then the same area, enclosed volume and extents (before: +1.7 % area, +3.5 % mesh volume far away)
        Assert.True(near.SurfaceResolved && far.SurfaceResolved);
        Assert.Equal(near.SurfaceAreaNm2, far.SurfaceAreaNm2, near.SurfaceAreaNm2 * 1e-6);
        Assert.Equal(near.MeshVolumeNm3, far.MeshVolumeNm3, near.MeshVolumeNm3 * 1e-6);
        Assert.Equal(near.MajorExtentNm, far.MajorExtentNm, 1e-3);
        // and the centroid keeps the origin
        Assert.Equal(1e6 + 34.5 * 10, far.Centroid.X, 6);
    }
}
