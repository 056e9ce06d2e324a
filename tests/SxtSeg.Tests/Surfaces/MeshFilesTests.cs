using System.Text;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Measurement;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Surfaces;

public sealed class MeshFilesTests
{
    private static MeshSet TwoObjects()
    {
        var labels = new Volume<uint>(20, 10, 10, VoxelSize.Isotropic(10));
        for (int z = 2; z < 8; z++) for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) labels[z, y, x] = 1;
        for (int z = 3; z < 6; z++) for (int y = 3; y < 6; y++) for (int x = 11; x < 17; x++) labels[z, y, x] = 2;
        return MarchingCubes.Extract(LabelStreams.FromVolume(labels, 2));
    }

    [Theory]
    [InlineData(MeshFormat.Ply)]
    [InlineData(MeshFormat.Stl)]
    [InlineData(MeshFormat.Obj)]
    public void MeshesRoundTripThroughEachFormat(MeshFormat format)
    {
        // Given two objects
        var set = TwoObjects();
        using var dir = new TempDir();
        string path = dir.File("m" + format.Extension());
        // When written and read back
        var files = MeshWriter.WriteCombined(path, set.Objects, format, new MeshWriteOptions { Seed = 7, Provenance = new Provenance("mesh").Set("voxel_size", "10") });
        var back = MeshReader.Read(path);
        // Then one file, same triangle count, same total area, per-object colours preserved, still watertight
        Assert.Equal(new[] { path }, files);
        Assert.Equal(set.TriangleCount, back.Triangles.Length / 3);
        var mesh = new ObjectMesh(1, 1, back.Vertices, back.Triangles);
        Assert.Equal(set.Objects.Sum(o => o.Area()), mesh.Area(), 1);
        Assert.True(MeshChecks.Analyze(mesh).IsWatertight);
        Assert.NotNull(back.Colors);
        var c1 = MeshColors.ForObject(1, 7);
        int v0 = back.Triangles[0];
        // STL stores 5 bits per channel
        int tol = format == MeshFormat.Stl ? 8 : 1;
        Assert.InRange(Math.Abs(back.Colors![v0 * 3] - c1.R), 0, tol);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));
    }

    [Fact]
    public void PlyHeaderCarriesProvenanceAndColourProperties()
    {
        var set = TwoObjects();
        using var dir = new TempDir();
        string path = dir.File("m.ply");
        MeshWriter.WriteCombined(path, set.Objects, MeshFormat.Ply, new MeshWriteOptions { Provenance = new Provenance("mesh").Set("smooth", 10) });
        string head = Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 600));
        Assert.StartsWith("ply\nformat binary_little_endian 1.0\ncomment {\"tool\":\"sxtseg\"", head);
        Assert.Contains("property uchar red", head);
        Assert.Contains($"element face {set.TriangleCount}", head);
    }

    [Fact]
    public void ColoursDependOnlyOnSeedAndObjectId()
    {
        Assert.Equal(MeshColors.ForObject(5, 1), MeshColors.ForObject(5, 1));
        Assert.NotEqual(MeshColors.ForObject(5, 1), MeshColors.ForObject(5, 2));
        Assert.NotEqual(MeshColors.ForObject(5, 1), MeshColors.ForObject(6, 1));
    }

    [Fact]
    public void TooManyTrianglesForOneFileAreSplitIntoPartsOfWholeObjects()
    {
        // Given two objects and a limit that fits either but not both
        var set = TwoObjects();
        long limit = Math.Max(set.Objects[0].TriangleCount, set.Objects[1].TriangleCount);
        using var dir = new TempDir();
        // When
        var files = MeshWriter.WriteCombined(dir.File("m.stl"), set.Objects, MeshFormat.Stl, new MeshWriteOptions { MaxTrianglesPerFile = limit });
        // Then two parts, each an object
        Assert.Equal(new[] { "m.part01.stl", "m.part02.stl" }, files.Select(Path.GetFileName));
        Assert.Equal(set.Objects[0].TriangleCount, MeshReader.Read(files[0]).Triangles.Length / 3);
        Assert.False(File.Exists(dir.File("m.stl")));
    }

    [Fact]
    public void AnObjectTooLargeForOneFileIsRefusedWithAMessage()
    {
        var set = TwoObjects();
        using var dir = new TempDir();
        var e = Assert.Throws<OutputException>(() => MeshWriter.WriteCombined(dir.File("m.ply"), set.Objects, MeshFormat.Ply, new MeshWriteOptions { MaxTrianglesPerFile = 10 }));
        Assert.Contains("alone has", e.Message);
        Assert.Contains("--decimate", e.Message);
        Assert.Empty(dir.Contents());
    }

    [Fact]
    public void FormatLimitsAreTheIndexWidths()
    {
        Assert.Equal(uint.MaxValue, MeshFormat.Stl.MaxTriangles());
        Assert.Equal(int.MaxValue, MeshFormat.Ply.MaxVertices());
    }

    [Fact]
    public void CorruptMeshFileIsReportedWithItsName()
    {
        using var dir = new TempDir();
        string p = dir.File("bad.ply");
        File.WriteAllText(p, "ply\nformat binary_little_endian 1.0\nelement vertex 10\nproperty float x\nend_header\n\u0001");
        var e = Assert.Throws<InvalidInputException>(() => MeshReader.Read(p));
        Assert.Contains("bad.ply", e.Message);
    }

    [Fact]
    public void DecimationHalvesTrianglesAndKeepsTheSurfaceClosedAndInPlace()
    {
        // Given a smoothed ellipsoid mesh
        var mesh = MarchingCubes.ExtractMask(AnalyticShapes.Ellipsoid(200, 150, 120, VoxelSize.Isotropic(10), AnalyticShapes.Rotation(10, 20, 30)));
        MeshSmoothing.Taubin(mesh, 10);
        int before = mesh.TriangleCount;
        double volume = mesh.EnclosedVolume(), area = mesh.Area();
        // When
        int after = MeshDecimation.Decimate(mesh, 0.25);
        // Then about a quarter of the triangles, still watertight, volume and area within 1 %
        Assert.InRange(after, (int)(0.24 * before), (int)(0.26 * before));
        Assert.Equal(after, mesh.TriangleCount);
        var report = MeshChecks.Analyze(mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(2, report.EulerCharacteristic);
        Assert.InRange(mesh.EnclosedVolume() / volume, 0.99, 1.01);
        Assert.InRange(mesh.Area() / area, 0.99, 1.01);
    }
}

/// <summary>Mesh coordinates in Å for ChimeraX and IMOD (--units angstrom).</summary>
public sealed class MeshUnitsTests
{
    private static ObjectMesh Cube()
    {
        var labels = new Volume<uint>(12, 10, 9, VoxelSize.Isotropic(10)) { OriginNm = (1000, 2000, 3000) };
        for (int z = 2; z < 6; z++) for (int y = 2; y < 6; y++) for (int x = 3; x < 8; x++) labels[z, y, x] = 1;
        return MarchingCubes.Extract(LabelStreams.FromVolume(labels, 1)).Objects[0];
    }

    /// <summary>The first vertex as stored in the file, read by hand from its bytes or text.</summary>
    private static float[] FirstVertex(string path, MeshFormat format)
    {
        byte[] b = File.ReadAllBytes(path);
        switch (format)
        {
            case MeshFormat.Ply:
                int at = Encoding.ASCII.GetString(b).IndexOf("end_header\n", StringComparison.Ordinal) + "end_header\n".Length;
                return new[] { BitConverter.ToSingle(b, at), BitConverter.ToSingle(b, at + 4), BitConverter.ToSingle(b, at + 8) };
            case MeshFormat.Stl:
                return new[] { BitConverter.ToSingle(b, 96), BitConverter.ToSingle(b, 100), BitConverter.ToSingle(b, 104) };
            default:
                string line = File.ReadLines(path).First(l => l.StartsWith("v ", StringComparison.Ordinal));
                return line.Split(' ').Skip(1).Take(3).Select(t => float.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
    }

    [Theory]
    [InlineData(MeshFormat.Ply)]
    [InlineData(MeshFormat.Stl)]
    [InlineData(MeshFormat.Obj)]
    public void AngstromFilesHoldTenTimesTheNanometreCoordinatesAndReadBackInNm(MeshFormat format)
    {
        using var dir = new TempDir();
        var cube = Cube();
        string nm = dir.File("nm" + format.Extension()), a = dir.File("a" + format.Extension());
        MeshWriter.WriteFile(nm, new[] { cube }, format);
        MeshWriter.WriteFile(a, new[] { cube }, format, new MeshWriteOptions { Units = MeshUnits.Angstrom });
        // Then the stored numbers are in Å (10 per nm), the cube sits at its origin of 1000, 2000, 3000 nm, and the file says so
        var vn = FirstVertex(nm, format);
        var va = FirstVertex(a, format);
        for (int k = 0; k < 3; k++) Assert.Equal(10 * vn[k], va[k], 2);
        Assert.InRange(vn[0], 1000, 1000 + 12 * 10);
        Assert.InRange(vn[2], 3000, 3000 + 9 * 10);
        Assert.Equal(MeshUnits.Angstrom, MeshReader.StatedUnits(a));
        Assert.Equal(MeshUnits.Nanometre, MeshReader.StatedUnits(nm));
        // read back (render's scale bar is in nm) both give the same nm coordinates
        var backNm = MeshReader.Read(nm).Vertices;
        var backA = MeshReader.Read(a).Vertices;
        for (int i = 0; i < backNm.Length; i++) Assert.Equal(backNm[i], backA[i], 2);
        Assert.Equal(MeshUnits.Angstrom, MeshUnitNames.Parse("Å"));
        Assert.Throws<InvalidOptionException>(() => MeshUnitNames.Parse("inch"));
    }
}
