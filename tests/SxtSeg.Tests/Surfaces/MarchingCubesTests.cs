using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Measurement;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Surfaces;

public sealed class MarchingCubesTests
{
    [Fact]
    public void TablesAreGeneratedConsistently()
    {
        // No triangulation diagonal lies in a cube face; a lone corner cuts off 1/48 of the cube; full cube is 1.
        Assert.Equal(0, MarchingCubesTables.FaceDiagonals);
        Assert.Equal(1.0 / 48, MarchingCubesTables.InsideVolume[1], 12);
        Assert.Equal(1.0, MarchingCubesTables.InsideVolume[255], 12);
        Assert.Empty(MarchingCubesTables.Triangles[0]);
        Assert.Empty(MarchingCubesTables.Triangles[255]);
        // A configuration and its complement share their surface when no face is ambiguous: volumes add to 1.
        // With ambiguous faces both sides are separated there, so together they hold less than the cube.
        for (int c = 0; c < 256; c++)
        {
            double sum = MarchingCubesTables.InsideVolume[c] + MarchingCubesTables.InsideVolume[255 - c];
            if (HasAmbiguousFace(c)) Assert.True(sum < 1, $"config {c}: {sum}");
            else Assert.Equal(1, sum, 12);
        }
    }

    private static bool HasAmbiguousFace(int c)
    {
        for (int axis = 0; axis < 3; axis++)
            for (int side = 0; side < 2; side++)
            {
                var corners = Enumerable.Range(0, 8).Where(i => (i >> axis & 1) == side).ToArray();
                // Diagonal pairs on the face differ in both of the other two bits.
                int inside = corners.Count(i => (c >> i & 1) == 1);
                if (inside != 2) continue;
                var ins = corners.Where(i => (c >> i & 1) == 1).ToArray();
                if (System.Numerics.BitOperations.PopCount((uint)(ins[0] ^ ins[1])) == 2) return true;
            }
        return false;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryObjectOfARandomLabelVolumeIsWatertight(int seed)
    {
        // Given random labels 0..3 (every cube configuration, including the ambiguous ones, occurs)
        var rng = new Random(seed);
        var labels = new Volume<uint>(14, 12, 10, new VoxelSize(10, 11, 13));
        for (long i = 0; i < labels.Length; i++) labels.Data[i] = (uint)rng.Next(0, 5) switch { 4 => 0, var v => v };
        labels.Data[0] = 1; // objects touching the border are closed too
        // When
        var set = MarchingCubes.Extract(LabelStreams.FromVolume(labels, 3));
        // Then each object's mesh is closed, consistently oriented and has no degenerate triangles
        Assert.Equal(3, set.Objects.Count);
        foreach (var mesh in set.Objects)
        {
            var report = MeshChecks.Analyze(mesh);
            Assert.True(report.IsWatertight, $"object {mesh.Label}: {report}");
            // and encloses exactly the sum of its cubes' inside volumes (positive: normals point outwards)
            Assert.Equal(ExpectedInsideVolume(labels, (uint)mesh.Label), mesh.EnclosedVolume(), 6);
        }
    }

    private static double ExpectedInsideVolume(Volume<uint> labels, uint lab)
    {
        double sum = 0;
        for (int z = -1; z < labels.Nz; z++)
            for (int y = -1; y < labels.Ny; y++)
                for (int x = -1; x < labels.Nx; x++)
                {
                    int c = 0;
                    for (int i = 0; i < 8; i++)
                    {
                        int xx = x + (i & 1), yy = y + (i >> 1 & 1), zz = z + (i >> 2 & 1);
                        if (labels.Contains(zz, yy, xx) && labels[zz, yy, xx] == lab) c |= 1 << i;
                    }
                    sum += MarchingCubesTables.InsideVolume[c];
                }
        return sum * labels.VoxelSize!.Value.Volume;
    }

    [Fact]
    public void SphereMeshIsOneClosedSurfaceEnclosingTheVoxelVolume()
    {
        // Given a sphere of radius 12 voxels
        var m = AnalyticShapes.Ellipsoid(120, 120, 120, VoxelSize.Isotropic(10), AnalyticShapes.Rotation(0, 0, 0), (0.2, 0.3, 0.1));
        long voxels = m.Data.Count(b => b != 0);
        // When
        var mesh = MarchingCubes.ExtractMask(m);
        var report = MeshChecks.Analyze(mesh);
        // Then watertight, sphere topology (Euler characteristic 2), enclosed volume within 1 % of the voxel volume
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(2, report.EulerCharacteristic);
        Assert.InRange(mesh.EnclosedVolume() / (voxels * 1000.0), 0.99, 1.01);
        // Vertices sit in nm, centred where the voxels are
        var (min, max) = mesh.Bounds();
        Assert.InRange(max.X - min.X, 235, 250);
    }

    [Fact]
    public void TorusHasGenusOne()
    {
        // Given a torus (R = 10, r = 4 voxels)
        var m = AnalyticShapes.Voxelise(VoxelSize.Isotropic(1), 30, AnalyticShapes.Rotation(0, 0, 0), (u, w, t) =>
        {
            double q = Math.Sqrt(u * u + w * w) - 10;
            return q * q + t * t <= 16;
        });
        // When
        var report = MeshChecks.Analyze(MarchingCubes.ExtractMask(m));
        // Then V − E + F = 0
        Assert.True(report.IsWatertight);
        Assert.Equal(0, report.EulerCharacteristic);
    }

    [Fact]
    public void TouchingObjectsGetSeparateClosedSurfaces()
    {
        // Given two boxes sharing a face, labelled 1 and 2, the second cut by the volume border
        var labels = new Volume<uint>(12, 6, 6, VoxelSize.Isotropic(5));
        for (int z = 1; z < 5; z++) for (int y = 1; y < 5; y++) for (int x = 1; x < 12; x++) labels[z, y, x] = x < 6 ? 1u : 2u;
        // When
        var set = MarchingCubes.Extract(LabelStreams.FromVolume(labels, 2));
        // Then both are closed; volumes are 5·4·4 and 6·4·4 voxels minus the cut corners and edges
        Assert.Equal(2, set.Objects.Count);
        foreach (var mesh in set.Objects) Assert.True(MeshChecks.Analyze(mesh).IsWatertight);
        Assert.Equal(ExpectedInsideVolume(labels, 1), set.Objects[0].EnclosedVolume(), 6);
        Assert.Equal(ExpectedInsideVolume(labels, 2), set.Objects[1].EnclosedVolume(), 6);
    }

    [Fact]
    public void AnisotropicVoxelsScaleTheMesh()
    {
        // Given a 10 × 10 × 10 voxel cube with voxels of 5 × 10 × 20 nm
        var m = new Volume<byte>(14, 14, 14, new VoxelSize(5, 10, 20));
        for (int z = 2; z < 12; z++) for (int y = 2; y < 12; y++) for (int x = 2; x < 12; x++) m[z, y, x] = 1;
        // When
        var (min, max) = MarchingCubes.ExtractMask(m).Bounds();
        // Then the mesh spans 10 voxels (face to face) in nm along each axis
        Assert.Equal(50, max.X - min.X, 3);
        Assert.Equal(100, max.Y - min.Y, 3);
        Assert.Equal(200, max.Z - min.Z, 3);
    }

    [Fact]
    public void TaubinSmoothingKeepsTopologyAndVolume()
    {
        var m = AnalyticShapes.Ellipsoid(150, 100, 80, VoxelSize.Isotropic(10), AnalyticShapes.Rotation(20, 30, 0));
        var mesh = MarchingCubes.ExtractMask(m);
        double before = mesh.EnclosedVolume(), areaBefore = mesh.Area();
        MeshSmoothing.Taubin(mesh, 10);
        Assert.True(MeshChecks.Analyze(mesh).IsWatertight);
        Assert.InRange(mesh.EnclosedVolume() / before, 0.99, 1.01);
        // The staircase is gone: area drops towards the smooth ellipsoid's
        Assert.True(mesh.Area() < 0.97 * areaBefore);
        Assert.InRange(mesh.Area() / AnalyticShapes.EllipsoidArea(150, 100, 80), 0.97, 1.03);
    }

    [Fact]
    public void EmptyVolumeGivesNoMeshes()
    {
        var set = MarchingCubes.Extract(LabelStreams.FromVolume(new Volume<uint>(5, 5, 5, VoxelSize.Isotropic(1)), 0));
        Assert.Empty(set.Objects);
        Assert.Equal(0, set.TriangleCount);
    }
}
