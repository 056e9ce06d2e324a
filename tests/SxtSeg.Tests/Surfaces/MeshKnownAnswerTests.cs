using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Surfaces;

/// <summary>
/// Hand-made meshes with hand-computed answers for the mesh checks, Taubin smoothing and marching
/// cubes' placement (written from Stryker's survivors on src/SxtSeg/Surfaces, bench/RESULTS.md).
/// </summary>
public sealed class MeshKnownAnswerTests
{
    // A tetrahedron with outward (counter-clockwise seen from outside) triangles.
    private static readonly float[] TetraVertices = { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    private static readonly int[] TetraTriangles = { 0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3 };

    [Fact]
    public void AClosedTetrahedronIsWatertightWithSixEdgesAndEulerTwo()
    {
        var r = MeshChecks.Analyze(new ObjectMesh(1, 1, TetraVertices, TetraTriangles));
        Assert.Equal(new MeshReport(4, 6, 0, 0, 0, 0, 2), r);
        Assert.True(r.IsWatertight);
    }

    [Fact]
    public void AMissingTriangleLeavesThreeBoundaryEdges()
    {
        var r = MeshChecks.Analyze(new ObjectMesh(1, 1, TetraVertices, TetraTriangles[..9]));
        Assert.Equal(new MeshReport(3, 6, 3, 0, 0, 0, 1), r);
        Assert.False(r.IsWatertight);
    }

    [Fact]
    public void AFlippedTriangleMakesItsThreeEdgesInconsistent()
    {
        int[] t = (int[])TetraTriangles.Clone();
        (t[10], t[11]) = (t[11], t[10]); // 1, 3, 2 instead of 1, 2, 3
        var r = MeshChecks.Analyze(new ObjectMesh(1, 1, TetraVertices, t));
        Assert.Equal(new MeshReport(4, 6, 0, 0, 3, 0, 2), r);
        Assert.False(r.IsWatertight);
    }

    [Fact]
    public void AThirdTriangleOnAnEdgeMakesItNonManifold()
    {
        // two triangles on edge 0-1, and a third one on it: edge 0-1 has three triangles
        float[] v = { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1 };
        int[] t = { 0, 1, 2, 1, 0, 3, 0, 1, 4 };
        var r = MeshChecks.Analyze(new ObjectMesh(1, 1, v, t));
        Assert.Equal(1, r.NonManifoldEdges);
        Assert.Equal(6, r.BoundaryEdges); // the other two edges of each triangle
        Assert.Equal(0, r.InconsistentEdges);
        Assert.Equal(0, r.DegenerateTriangles);
    }

    [Fact]
    public void CollinearCornersAndARepeatedCornerAreDegenerate()
    {
        // (1,2,3), (2,4,7), (3,6,11) lie on one line; a thin but real triangle is not degenerate
        float[] v = { 1, 2, 3, 2, 4, 7, 3, 6, 11, 3, 6, 11.001f };
        Assert.Equal(1, MeshChecks.Analyze(new ObjectMesh(1, 1, v, new[] { 0, 1, 2 })).DegenerateTriangles);
        Assert.Equal(1, MeshChecks.Analyze(new ObjectMesh(1, 1, v, new[] { 0, 1, 1 })).DegenerateTriangles);
        Assert.Equal(0, MeshChecks.Analyze(new ObjectMesh(1, 1, v, new[] { 0, 1, 3 })).DegenerateTriangles);
    }

    // A regular octahedron (vertices on the axes, outward triangles) and one vertex in no triangle.
    private static ObjectMesh OctahedronAndAStrayVertex()
    {
        float[] v = { 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 5, 6, 7 };
        int[] t = { 0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5 };
        return new ObjectMesh(1, 1, v, t);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TaubinScalesAnOctahedronByOneMinusLambdaTimesOneMinusMuPerIteration(int iterations)
    {
        // Every vertex's four neighbours average to the centre, so a λ step scales by 1 − λ and a μ step
        // by 1 − μ: (1 − 0.5)(1 + 0.53) = 0.765 per iteration; the stray vertex has no neighbours and stays
        var mesh = OctahedronAndAStrayVertex();
        Assert.True(MeshChecks.Analyze(new ObjectMesh(1, 1, mesh.Vertices[..18], mesh.Triangles)).IsWatertight);
        MeshSmoothing.Taubin(mesh, iterations, 0.5, -0.53);
        double s = Math.Pow(0.765, iterations);
        float[] p = mesh.Vertices;
        Assert.Equal(s, p[0], 5);
        Assert.Equal(-s, p[3], 5);
        Assert.Equal(s, p[7], 5);
        Assert.Equal(-s, p[17], 5);
        Assert.Equal(0, p[1], 6);
        Assert.Equal(new float[] { 5, 6, 7 }, p[18..]);
    }

    [Fact]
    public void TaubinRefusesParametersOutsideItsRangeAndZeroIterationsChangeNothing()
    {
        var mesh = OctahedronAndAStrayVertex();
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(mesh, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(mesh, 1, 0, -0.53));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(mesh, 1, 1, -1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoothing.Taubin(mesh, 1, 0.5, -0.5)); // μ must be below −λ
        float[] before = (float[])mesh.Vertices.Clone();
        MeshSmoothing.Taubin(mesh, 0, 0, 0); // nothing to do: parameters not even looked at
        Assert.Equal(before, mesh.Vertices);
    }

    [Fact]
    public void AdjacencyOfCornersNumberedFromABaseListsEachNeighbourOnce()
    {
        // the tetrahedron's corners numbered from 100, as a band of a larger mesh numbers them
        int[] t = TetraTriangles.Select(c => c + 100).ToArray();
        var start = new int[5];
        var nb = new int[t.Length];
        MeshSmoothing.Adjacency(new MeshSmoothing.ArrayCorners(t), 0, t.Length, 100, 4, start, nb, new int[4]);
        Assert.Equal(new[] { 0, 3, 6, 9, 12 }, start);
        for (int v = 0; v < 4; v++)
            Assert.Equal(Enumerable.Range(0, 4).Where(o => o != v), nb[start[v]..start[v + 1]].Order());
    }

    [Fact]
    public void MarchingCubesPlacesTheSurfaceHalfAVoxelOutsideTheVoxelCentresFromTheOrigin()
    {
        // voxels 2..11 along each axis, voxel centres at origin + i·Δ: faces at origin + 1.5Δ and + 11.5Δ
        var m = new Volume<byte>(14, 14, 14, new VoxelSize(5, 10, 20)) { OriginNm = (100, 200, 300) };
        for (int z = 2; z < 12; z++) for (int y = 2; y < 12; y++) for (int x = 2; x < 12; x++) m[z, y, x] = 1;
        var (min, max) = MarchingCubes.ExtractMask(m).Bounds();
        Assert.Equal(100 + 1.5 * 5, min.X, 3);
        Assert.Equal(200 + 1.5 * 10, min.Y, 3);
        Assert.Equal(300 + 1.5 * 20, min.Z, 3);
        Assert.Equal(100 + 11.5 * 5, max.X, 3);
        Assert.Equal(200 + 11.5 * 10, max.Y, 3);
        Assert.Equal(300 + 11.5 * 20, max.Z, 3);
    }
}

/// <summary>
/// Quadric decimation of a finely tessellated, rotated cube: every collapse that keeps the vertices
/// on the cube's planes costs nothing, so decimation must end with the cube itself — its corners in
/// place, every vertex on a face, the volume and area of the cube exactly (up to float rounding).
/// </summary>
public sealed class MeshDecimationKnownAnswerTests
{
    private const double Side = 10;
    private static readonly double[,] R = Measurement.AnalyticShapes.Rotation(30, 20, 10);
    private static readonly (double X, double Y, double Z) Offset = (100, 200, 300);

    /// <summary>A cube of side 10 with each face cut into n × n squares of two triangles, outward, rotated by R and moved by Offset.</summary>
    private static ObjectMesh TessellatedCube(int n)
    {
        var index = new Dictionary<(int, int, int), int>();
        var vertices = new List<float>();
        var triangles = new List<int>();
        int Vertex(int i, int j, int k)
        {
            if (index.TryGetValue((i, j, k), out int v)) return v;
            var p = Place(i * Side / n - Side / 2, j * Side / n - Side / 2, k * Side / n - Side / 2);
            vertices.Add((float)p.X); vertices.Add((float)p.Y); vertices.Add((float)p.Z);
            return index[(i, j, k)] = index.Count;
        }
        int At(int axis, int s, int u, int v)
        {
            var c = new int[3];
            c[axis] = s; c[(axis + 1) % 3] = u; c[(axis + 2) % 3] = v;
            return Vertex(c[0], c[1], c[2]);
        }
        for (int axis = 0; axis < 3; axis++)
            foreach (int s in new[] { 0, n })
                for (int u = 0; u < n; u++)
                    for (int v = 0; v < n; v++)
                    {
                        // e_u × e_v = +e_axis: counter-clockwise in (u, v) faces +axis, outward on the far side.
                        int a = At(axis, s, u, v), b = At(axis, s, u + 1, v), c = At(axis, s, u + 1, v + 1), d = At(axis, s, u, v + 1);
                        if (s == n) triangles.AddRange(new[] { a, b, c, a, c, d });
                        else triangles.AddRange(new[] { a, c, b, a, d, c });
                    }
        return new ObjectMesh(1, 1, vertices.ToArray(), triangles.ToArray());
    }

    private static (double X, double Y, double Z) Place(double x, double y, double z)
        => (R[0, 0] * x + R[0, 1] * y + R[0, 2] * z + Offset.X,
            R[1, 0] * x + R[1, 1] * y + R[1, 2] * z + Offset.Y,
            R[2, 0] * x + R[2, 1] * y + R[2, 2] * z + Offset.Z);

    /// <summary>A vertex back in the cube's own frame: Rᵀ (p − Offset).</summary>
    private static (double X, double Y, double Z) Unplace(ObjectMesh m, int v)
    {
        double x = m.Vertices[v * 3] - Offset.X, y = m.Vertices[v * 3 + 1] - Offset.Y, z = m.Vertices[v * 3 + 2] - Offset.Z;
        return (R[0, 0] * x + R[1, 0] * y + R[2, 0] * z, R[0, 1] * x + R[1, 1] * y + R[2, 1] * z, R[0, 2] * x + R[1, 2] * y + R[2, 2] * z);
    }

    [Fact]
    public void TheTessellatedCubeIsAClosedCubeBeforeDecimation()
    {
        var m = TessellatedCube(6);
        Assert.Equal(12 * 36, m.TriangleCount);
        Assert.Equal(6 * 36 + 2, m.VertexCount); // 6 n² + 2 on a closed cube surface
        Assert.True(MeshChecks.Analyze(m).IsWatertight);
        Assert.Equal(1000, m.EnclosedVolume(), 0.01);
        Assert.Equal(600, m.Area(), 0.01);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.03)]
    public void DecimatingACubeKeepsTheCubeExactly(double keep)
    {
        // Given a cube of side 10 tessellated into 432 triangles, rotated and moved off the origin
        var m = TessellatedCube(6);
        int target = (int)Math.Round(432 * keep); // 43, 13
        // When decimated
        int left = MeshDecimation.Decimate(m, keep);
        // Then each collapse removed two triangles and it stopped at the target
        Assert.Equal(left, m.TriangleCount);
        Assert.InRange(left, target - 1, target);
        Assert.True(MeshChecks.Analyze(m).IsWatertight, MeshChecks.Analyze(m).ToString());
        // Every vertex is on the cube's surface: its largest coordinate in the cube's frame is ±5
        for (int v = 0; v < m.VertexCount; v++)
        {
            var (x, y, z) = Unplace(m, v);
            double inf = Math.Max(Math.Abs(x), Math.Max(Math.Abs(y), Math.Abs(z)));
            Assert.True(Math.Abs(inf - Side / 2) < 1e-3, $"vertex {v} at ({x:F4}, {y:F4}, {z:F4}) is off the cube");
            Assert.True(Math.Abs(x) <= Side / 2 + 1e-3 && Math.Abs(y) <= Side / 2 + 1e-3 && Math.Abs(z) <= Side / 2 + 1e-3);
        }
        // All eight corners survive, and volume and area are the cube's, outward
        foreach (int sx in new[] { -1, 1 })
            foreach (int sy in new[] { -1, 1 })
                foreach (int sz in new[] { -1, 1 })
                {
                    bool found = false;
                    for (int v = 0; v < m.VertexCount && !found; v++)
                    {
                        var (x, y, z) = Unplace(m, v);
                        found = Math.Abs(x - sx * Side / 2) < 1e-3 && Math.Abs(y - sy * Side / 2) < 1e-3 && Math.Abs(z - sz * Side / 2) < 1e-3;
                    }
                    Assert.True(found, $"corner ({sx}, {sy}, {sz}) lost");
                }
        Assert.Equal(1000, m.EnclosedVolume(), 0.01);
        Assert.Equal(600, m.Area(), 0.01);
    }

    [Fact]
    public void AFractionOutsideZeroToOneIsRefusedAndOneKeepsEverything()
    {
        var m = TessellatedCube(2);
        Assert.Throws<InvalidOptionException>(() => MeshDecimation.Decimate(m, 0));
        Assert.Throws<InvalidOptionException>(() => MeshDecimation.Decimate(m, 1.01));
        Assert.Throws<InvalidOptionException>(() => MeshDecimation.Decimate(m, double.NaN));
        var before = (float[])m.Vertices.Clone();
        Assert.Equal(48, MeshDecimation.Decimate(m, 1));
        Assert.Equal(before, m.Vertices);
    }
}
