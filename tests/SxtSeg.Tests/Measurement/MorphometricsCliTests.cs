using SxtSeg.Tests.Cli;
using SxtSeg.Cli;
using SxtSeg.Imaging;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>The components, measure, mesh and render commands, run in-process, including bad input.</summary>
public sealed class MorphometricsCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>A sphere (r = 100 nm), a rod and an object cut by the volume's edge, 0/255 like MIB/Fiji masks.</summary>
    private static Volume<byte> Scene(VoxelSize? voxel = null)
    {
        var v = new Volume<byte>(60, 50, 40, voxel ?? VoxelSize.Isotropic(10));
        for (int z = 0; z < 40; z++)
            for (int y = 0; y < 50; y++)
                for (int x = 0; x < 60; x++)
                {
                    double dx = x - 15.3, dy = y - 15.2, dz = z - 20.1;
                    if (dx * dx + dy * dy + dz * dz <= 100) v[z, y, x] = 255;
                    if (x >= 30 && x < 55 && Math.Pow(y - 35.2, 2) + Math.Pow(z - 20.3, 2) <= 6.5 * 6.5) v[z, y, x] = 255;
                    if (z < 4 && x > 40 && y < 10) v[z, y, x] = 255;
                }
        return v;
    }

    private static string[] DataLines(string csv) => File.ReadAllLines(csv).Where(l => !l.StartsWith('#')).Skip(1).ToArray();

    [Fact]
    public void MeasureWritesTablesWithUnitsProvenanceAndASummary()
    {
        // Given a 0/255 TIFF mask with its voxel size
        using var dir = new TempDir();
        string input = dir.File("mask.tif");
        VolumeIO.Write(input, Scene());
        // When
        var (code, stdout, err) = Run("measure", input, "--out", dir.File("m"));
        // Then
        Assert.True(code == 0, err);
        string objects = dir.File("m/objects.csv");
        var lines = File.ReadAllLines(objects);
        // A plain header first (no comment lines for Excel or read.csv); provenance in measure.json
        Assert.StartsWith("object_id,voxels,volume [nm^3]", lines[0]);
        foreach (string csv in new[] { "objects.csv", "slices.csv", "summary.csv" })
            Assert.DoesNotContain(File.ReadAllLines(dir.File("m/" + csv)), l => l.StartsWith('#'));
        var sidecar = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("m/measure.json")))!;
        Assert.Equal("sxtseg", (string)sidecar["provenance"]!["tool"]!);
        Assert.Contains("Taubin", (string)sidecar["method"]!);
        var rows = DataLines(objects);
        Assert.Equal(3, rows.Length);
        // The sphere (object 1: first in raster order? the corner object starts at z = 0) has its volume within 2 %
        double sphere = 4.0 / 3 * Math.PI * 100 * 100 * 100;
        Assert.Contains(rows, r => Math.Abs(double.Parse(r.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture) / sphere - 1) < 0.02);
        // One per-slice row for every slice of every object
        Assert.Equal(rows.Sum(r => int.Parse(r.Split(',')[26], System.Globalization.CultureInfo.InvariantCulture)), DataLines(dir.File("m/slices.csv")).Length);
        Assert.Contains("| Volume (nm³) |", File.ReadAllText(dir.File("m/summary.md")));
        Assert.Contains("Surface-to-volume ratio", stdout);
        // The console table: a 2D section (means per object over its slices), a 3D one, the count
        Assert.Contains("2D (per-object mean over slices)", stdout);
        Assert.Matches(@"│\s*3D\s*│", stdout);
        Assert.Contains("3 objects measured at", stdout);
        Assert.True(File.Exists(dir.File("m/measure.json")));
    }

    [Fact]
    public void ExcludeBorderLeavesOutTheObjectCutByTheFieldOfView()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        var (code, _, err) = Run("measure", input, "--out", dir.File("m"), "--exclude-border");
        Assert.True(code == 0, err);
        var rows = DataLines(dir.File("m/objects.csv"));
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Equal("0", r.Split(',')[16]));
    }

    [Fact]
    public void ObjectsRemovedBySizeAreCountedInTheSummaryAndSidecar()
    {
        // Given the scene's three objects (sphere ≈ 4,200 voxels, rod ≈ 3,300, corner block 4 × 9 × 19)
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        // When the size filter keeps only the sphere and the rod
        var (code, stdout, err) = Run("measure", input, "--out", dir.File("m"), "--min-voxels", "1000");
        // Then the corner block is counted as excluded by size, as the docs say, everywhere it is reported
        Assert.True(code == 0, err);
        Assert.Equal(2, DataLines(dir.File("m/objects.csv")).Length);
        Assert.Contains("2 objects measured at", stdout);
        Assert.Contains("1 excluded by size", stdout);
        Assert.Contains("1 excluded by size", File.ReadAllText(dir.File("m/summary.md")));
        var sidecar = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("m/measure.json")))!;
        Assert.Equal(1, (int)sidecar["excluded_by_size"]!);
    }

    [Fact]
    public void ComponentsWritesAnInstanceVolumeThatMeasuresTheSameWithInstances()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        var (code, _, err) = Run("components", input, "--out", dir.File("inst.mrc"), "--min-volume", "20000");
        Assert.True(code == 0, err);
        var inst = VolumeIO.Read<ushort>(dir.File("inst.mrc"));
        Assert.Equal(3, inst.Data.Max());
        Assert.Equal(10, inst.VoxelSize!.Value.X, 6);
        // Measured as an instance map, the same three objects come back
        (code, _, err) = Run("measure", dir.File("inst.mrc"), "--instances", "--out", dir.File("m"));
        Assert.True(code == 0, err);
        Assert.Equal(3, DataLines(dir.File("m/objects.csv")).Length);
        // Without --instances the three values are refused as non-binary
        (code, _, err) = Run("measure", dir.File("inst.mrc"), "--out", dir.File("m2"));
        Assert.Equal(2, code);
        Assert.Contains("not a binary label volume", err);
        Assert.Contains("--instances", err);
        Assert.False(Directory.Exists(dir.File("m2")));
    }

    [Fact]
    public void MeshWritesWatertightSurfacesOnePerObjectAndAPreview()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene(new VoxelSize(10, 10, 15)));
        var (code, _, err) = Run("mesh", input, "--out", dir.File("mesh"), "--format", "stl", "--per-object", "--decimate", "0.5", "--preview");
        Assert.True(code == 0, err);
        var perObject = Directory.GetFiles(dir.File("mesh/objects"), "*.stl").Order().ToArray();
        Assert.Equal(3, perObject.Length);
        foreach (var f in perObject)
        {
            var m = MeshReader.Read(f);
            Assert.True(MeshChecks.Analyze(new ObjectMesh(1, 1, m.Vertices, m.Triangles)).IsWatertight, f);
        }
        Assert.True(File.Exists(dir.File("mesh/meshes.stl")));
        Assert.Contains("\"triangles\"", File.ReadAllText(dir.File("mesh/mesh.json")));
        var (w, _, _, _) = Png.Decode(File.ReadAllBytes(dir.File("mesh/preview.png")));
        Assert.Equal(1600, w);
    }

    [Fact]
    public void MeshAreasDoNotDependOnTheOriginAndTheMeshSitsAtIt()
    {
        // Given a rod 3 × 3 voxels across and 60 long at 10 nm, at origin 0 and at (10⁶, 2·10⁶, 3·10⁶) nm
        using var dir = new TempDir();
        double AreaAt((double X, double Y, double Z) origin, string name)
        {
            var v = new Volume<byte>(70, 9, 9, VoxelSize.Isotropic(10)) { OriginNm = origin };
            for (int z = 3; z < 6; z++) for (int y = 3; y < 6; y++) for (int x = 5; x < 65; x++) v[z, y, x] = 1;
            VolumeIO.Write(dir.File(name + ".mrc"), v);
            var (code, _, err) = Run("mesh", dir.File(name + ".mrc"), "--out", dir.File(name));
            Assert.True(code == 0, err);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File(name + "/mesh.json")))!;
            return (double)json["objects"]![0]!["area_nm2"]!;
        }
        double near = AreaAt((0, 0, 0), "near"), far = AreaAt((1e6, 2e6, 3e6), "far");
        // Then the same area (before: +0.9 % far away), and the far mesh lies at the far origin
        Assert.Equal(near, far, near * 1e-5);
        var mesh = MeshReader.Read(dir.File("far/meshes.ply"));
        float minX = float.MaxValue;
        for (int i = 0; i < mesh.Vertices.Length; i += 3) minX = Math.Min(minX, mesh.Vertices[i]);
        Assert.InRange(minX, 1e6 + 40, 1e6 + 50); // the rod starts at voxel 5: 1e6 + 45 nm, smoothing moves it inwards
    }

    [Fact]
    public void RenderDrawsAVolumeOrAMeshFile()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        var (code, _, err) = Run("render", input, "--png", dir.File("a.png"), "--view", "30,35", "--view", "0,90", "--size", "320x240");
        Assert.True(code == 0, err);
        Assert.Equal((640, 240), Size(dir.File("a.png")));
        Assert.Equal(0, Run("mesh", input, "--out", dir.File("mesh")).Code);
        (code, _, err) = Run("render", dir.File("mesh/meshes.ply"), "--png", dir.File("b.png"), "--size", "200x150");
        Assert.True(code == 0, err);
        Assert.Equal((200, 150), Size(dir.File("b.png")));
    }

    private static (int, int) Size(string png)
    {
        var (w, h, _, _) = Png.Decode(File.ReadAllBytes(png));
        return (w, h);
    }

    [Fact]
    public void MissingVoxelSizeIsRequiredAndCanBeGiven()
    {
        // Given an MRC without a voxel size
        using var dir = new TempDir();
        var v = Scene();
        v.VoxelSize = null;
        string input = dir.File("novox.mrc");
        VolumeIO.Write(input, v);
        // When / Then: refused with a message naming the file and the option, nothing written
        var (code, _, err) = Run("measure", input, "--out", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("novox.mrc", err);
        Assert.Contains("--voxel-size", err);
        Assert.False(Directory.Exists(dir.File("m")));
        (code, _, err) = Run("mesh", input, "--out", dir.File("mesh"));
        Assert.Equal(2, code);
        Assert.Contains("novox.mrc", err);
        Assert.Contains("--voxel-size", err);
        Assert.False(Directory.Exists(dir.File("mesh")));
        // and accepted with --voxel-size
        (code, _, err) = Run("measure", input, "--out", dir.File("m"), "--voxel-size", "10");
        Assert.True(code == 0, err);
    }

    [Fact]
    public void AHeaderVoxelSizeNoCryoSxtTomogramHasIsMeasuredAtButWarnedOf()
    {
        // Given labels whose header states 1 µm per voxel (an ImageJ TIFF without a calibration)
        using var dir = new TempDir();
        var v = Scene();
        v.VoxelSize = VoxelSize.Isotropic(1000);
        string input = dir.File("uncal.mrc");
        VolumeIO.Write(input, v);
        // When measured, meshed or labelled as components: done at that size, with one warning naming the file, the size and the option
        foreach (var (command, outName) in new[] { ("measure", "m"), ("mesh", "mesh"), ("components", "c.mrc") })
        {
            var (code, _, err) = Run(command, input, "--out", dir.File(outName));
            Assert.True(code == 0, err);
            string warning = Assert.Single(err.Split('\n'), l => l.StartsWith("sxtseg: warning:", StringComparison.Ordinal) && l.Contains("cryo-SXT"));
            Assert.Contains("uncal.mrc", warning);
            Assert.Contains("1000 nm per voxel", warning);
            Assert.Contains("--voxel-size", warning);
        }
        Assert.Contains("voxel_size_warning", File.ReadAllText(dir.File("m/measure.json")));
        // Then a size the user gives, or a cryo-SXT header, gets no warning
        var (code2, _, err2) = Run("measure", input, "--out", dir.File("m2"), "--voxel-size", "10");
        Assert.True(code2 == 0, err2);
        Assert.DoesNotContain("cryo-SXT", err2);
        v.VoxelSize = VoxelSize.Isotropic(150);
        VolumeIO.Write(dir.File("edge.mrc"), v);
        var (code3, _, err3) = Run("measure", dir.File("edge.mrc"), "--out", dir.File("m3"));
        Assert.True(code3 == 0, err3);
        Assert.DoesNotContain("cryo-SXT", err3);
        // and a depth left at 1 µm under a calibrated pixel width is warned of too: volumes use it
        v.VoxelSize = new VoxelSize(10, 10, 1000);
        VolumeIO.Write(dir.File("deep.mrc"), v);
        var (code4, _, err4) = Run("measure", dir.File("deep.mrc"), "--out", dir.File("m4"));
        Assert.True(code4 == 0, err4);
        Assert.Contains("1000 nm per voxel along z", err4);
    }

    [Fact]
    public void EmptyVolumeGivesEmptyOutputsAndAMessage()
    {
        using var dir = new TempDir();
        string input = dir.File("empty.mrc");
        VolumeIO.Write(input, new Volume<byte>(20, 20, 10, VoxelSize.Isotropic(10)));
        var (code, stdout, err) = Run("measure", input, "--out", dir.File("m"));
        Assert.Equal(0, code);
        Assert.Contains("no objects", err);
        Assert.Empty(DataLines(dir.File("m/objects.csv")));
        Assert.Contains("–", stdout);
        (code, _, err) = Run("mesh", input, "--out", dir.File("mesh"));
        Assert.Equal(0, code);
        Assert.Contains("no objects", err);
        Assert.Empty(MeshReader.Read(dir.File("mesh/meshes.ply")).Triangles);
        (code, _, err) = Run("render", input, "--png", dir.File("e.png"), "--size", "100x80");
        Assert.Equal(0, code);
        Assert.Contains("nothing to render", err);
        (code, _, _) = Run("components", input, "--out", dir.File("c.tif"));
        Assert.Equal(0, code);
        Assert.Equal(0, VolumeIO.Read<ushort>(dir.File("c.tif")).Data.Max());
    }

    [Fact]
    public void ProbabilityMapsAreRefusedUnlessThresholded()
    {
        using var dir = new TempDir();
        var p = new Volume<float>(30, 30, 20, VoxelSize.Isotropic(10));
        for (int z = 5; z < 15; z++) for (int y = 5; y < 15; y++) for (int x = 5; x < 15; x++) p[z, y, x] = 0.8f;
        p[0, 0, 0] = 0.3f;
        string input = dir.File("prob.mrc");
        VolumeIO.Write(input, p);
        var (code, _, err) = Run("measure", input, "--out", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("non-integer", err);
        Assert.Contains("--above", err);
        Assert.False(Directory.Exists(dir.File("m")));
        (code, _, err) = Run("measure", input, "--out", dir.File("m"), "--threshold", "0.5");
        Assert.True(code == 0, err);
        var row = Assert.Single(DataLines(dir.File("m/objects.csv")));
        Assert.Equal("1000", row.Split(',')[1]);
    }

    [Fact]
    public void MeshTooLargeForTheLimitIsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        var (code, _, err) = Run("mesh", input, "--out", dir.File("mesh"), "--max-triangles", "50");
        Assert.Equal(2, code);
        Assert.Contains("alone has", err);
        Assert.False(Directory.Exists(dir.File("mesh")));
    }

    [Fact]
    public void ConflictingOrUnknownOptionsAreRefused()
    {
        using var dir = new TempDir();
        string input = dir.File("mask.mrc");
        VolumeIO.Write(input, Scene());
        CliRunner.Refused(new[] { "measure", input, "--out", dir.File("m"), "--instances", "--nonzero" }, "--instances", "--nonzero");
        CliRunner.Refused(new[] { "measure", input, "--out", dir.File("m"), "--fill-holes", "4d" }, "--fill-holes", "4d");
        CliRunner.Refused(new[] { "measure", input, "--out", dir.File("m"), "--connectivity", "8" }, "--connectivity", "8");
        CliRunner.Refused(new[] { "mesh", input, "--out", dir.File("m"), "--decimate", "1.5" }, "--decimate", "1.5");
        CliRunner.Refused(new[] { "mesh", input, "--out", dir.File("m"), "--smooth", "-1" }, "--smooth", "-1");
        CliRunner.Refused(new[] { "render", input, "--png", dir.File("x.png"), "--view", "10,100" }, "--view", "100");
        CliRunner.Refused(new[] { "measure", dir.File("missing.mrc"), "--out", dir.File("m") }, "missing.mrc");
        Assert.False(Directory.Exists(dir.File("m")));
    }

    [Fact]
    public void MoreThan65535ObjectsNeedUInt32TiffAndAreRefusedInMrc()
    {
        // Given 72 000 isolated voxels (every other position along x, y and z)
        using var dir = new TempDir();
        var v = new Volume<byte>(120, 120, 40, VoxelSize.Isotropic(10));
        for (int z = 0; z < 40; z += 2) for (int y = 0; y < 120; y += 2) for (int x = 0; x < 120; x += 2) v[z, y, x] = 1;
        string input = dir.File("dots.mrc");
        VolumeIO.Write(input, v);
        // When written as MRC: refused, nothing written
        var (code, _, err) = Run("components", input, "--out", dir.File("c.mrc"));
        Assert.Equal(2, code);
        Assert.Contains("write a .tif", err);
        Assert.False(File.Exists(dir.File("c.mrc")));
        // As TIFF: uint32 labels 1..72 000
        (code, _, err) = Run("components", input, "--out", dir.File("c.tif"));
        Assert.True(code == 0, err);
        using var r = VolumeIO.OpenRead(dir.File("c.tif"));
        Assert.Equal(VoxelType.UInt32, r.Info.Type);
        Assert.Equal(72000u, r.ReadVolume<uint>().Data.Max());
    }

    [Fact]
    public void HoleFillingTurnsAShellIntoASolidObject()
    {
        // Given a closed spherical shell (a vesicle membrane), 2 voxels thick
        using var dir = new TempDir();
        var v = new Volume<byte>(40, 40, 40, VoxelSize.Isotropic(10));
        for (int z = 0; z < 40; z++) for (int y = 0; y < 40; y++) for (int x = 0; x < 40; x++)
        {
            double r = Math.Sqrt(Math.Pow(x - 19.5, 2) + Math.Pow(y - 19.5, 2) + Math.Pow(z - 19.5, 2));
            if (r <= 15 && r > 13) v[z, y, x] = 1;
        }
        string input = dir.File("shell.mrc");
        VolumeIO.Write(input, v);
        // When measured with 3D hole filling
        var (code, _, err) = Run("measure", input, "--out", dir.File("m"), "--fill-holes", "3d");
        Assert.True(code == 0, err);
        // Then its volume is the full ball's
        double vol = double.Parse(Assert.Single(DataLines(dir.File("m/objects.csv"))).Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(vol / (4.0 / 3 * Math.PI * 150 * 150 * 150), 0.98, 1.02);
    }
}

public sealed class TruthComparisonTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SxtSeg.Cli.CliApp.Run(args, SxtSeg.Cli.CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void InstanceMeasurementsAreComparedWithTheSimulationTruth()
    {
        // Given an instance map with spheres of ids 5 (r 120 nm), 7 (r 80 nm, cut by the volume edge)
        // and 9 (r 100 nm, declared the parent of id 11), in the simulator's truth.json layout
        using var dir = new TempDir();
        var v = new Volume<ushort>(70, 40, 40, VoxelSize.Isotropic(10));
        void Ball(ushort id, double cx, double cy, double cz, double r)
        {
            for (int z = 0; z < 40; z++) for (int y = 0; y < 40; y++) for (int x = 0; x < 70; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r) v[z, y, x] = id;
        }
        Ball(5, 15.3, 20.2, 20.1, 12);
        Ball(7, 66, 10, 20, 8);
        Ball(9, 45.2, 22.4, 19.7, 10);
        VolumeIO.Write(dir.File("instances.mrc"), v);
        string Obj(int id, double r, bool cut, int? parent) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $$"""{"id": {{id}}, "class": "vesicle", "kind": "vesicle", "parent_id": {{(parent is null ? "null" : parent.ToString())}}, "volume_nm3": {{4.0 / 3 * Math.PI * r * r * r * 1000}}, "surface_area_nm2": {{4 * Math.PI * r * r * 100}}, "principal_axes_nm": [{{20 * r}}, {{20 * r}}, {{20 * r}}], "cut_by_fov": {{(cut ? "true" : "false")}}}""");
        File.WriteAllText(dir.File("truth.json"), $$"""{"format": "sxtseg-simulation-truth", "objects": [{{Obj(5, 12, false, null)}}, {{Obj(7, 8, true, null)}}, {{Obj(9, 10, false, null)}}, {{Obj(11, 3, false, 9)}}]}""");
        // When
        var (code, stdout, err) = Run("measure", dir.File("instances.mrc"), "--instances", "--truth", dir.File("truth.json"), "--out", dir.File("m"));
        // Then only object 5 is comparable; its volume, area and axes agree within 2 %
        Assert.True(code == 0, err);
        var rows = File.ReadAllLines(dir.File("m/truth_comparison.csv")).Where(l => !l.StartsWith('#')).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(4, rows.Count);
        var five = rows.Single(r => r[0] == "5");
        Assert.Equal("1", five[5]);
        foreach (int col in new[] { 8, 11, 14, 17, 20 })
            Assert.InRange(Math.Abs(double.Parse(five[col], System.Globalization.CultureInfo.InvariantCulture)), 0, 0.02);
        Assert.Equal("0", rows.Single(r => r[0] == "7")[5]);  // cut by the field of view
        Assert.Equal("0", rows.Single(r => r[0] == "9")[5]);  // encloses object 11
        Assert.Equal("", rows.Single(r => r[0] == "11")[7]);  // no voxels
        Assert.Contains("1 of 4 truth objects compared", stdout);
        Assert.True(File.Exists(dir.File("m/truth_comparison.md")));
    }

    [Fact]
    public void TruthWithoutInstancesIsRefusedSinceComponentNumbersAreNotTheSimulatorsIds()
    {
        // Given instance ids 2 (a 3³ cube in the first slices) and 1 (an 8³ cube after it): components
        // would be numbered 1 and 2 in raster order, the other way round
        using var dir = new TempDir();
        var v = new Volume<ushort>(20, 20, 20, VoxelSize.Isotropic(10));
        for (int z = 1; z < 4; z++) for (int y = 1; y < 4; y++) for (int x = 1; x < 4; x++) v[z, y, x] = 2;
        for (int z = 8; z < 16; z++) for (int y = 8; y < 16; y++) for (int x = 8; x < 16; x++) v[z, y, x] = 1;
        VolumeIO.Write(dir.File("i.mrc"), v);
        File.WriteAllText(dir.File("t.json"), """{"format": "sxtseg-simulation-truth", "objects": [{"id": 1, "volume_nm3": 512000, "surface_area_nm2": 38400}, {"id": 2, "volume_nm3": 27000, "surface_area_nm2": 5400}]}""");
        // When measured as components: refused, naming --instances, nothing written
        var (code, _, err) = Run("measure", dir.File("i.mrc"), "--nonzero", "--truth", dir.File("t.json"), "--out", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("--truth", err);
        Assert.Contains("--instances", err);
        Assert.False(Directory.Exists(dir.File("m")));
        // As instances, each truth object meets its own: volume errors 0
        var ok = Run("measure", dir.File("i.mrc"), "--instances", "--truth", dir.File("t.json"), "--out", dir.File("m"));
        Assert.True(ok.Code == 0, ok.Err);
        var rows = File.ReadAllLines(dir.File("m/truth_comparison.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var header = File.ReadAllLines(dir.File("m/truth_comparison.csv"))[0].Split(',');
        int col = Array.FindIndex(header, h => h.StartsWith("volume_error", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(0, double.Parse(r[col], System.Globalization.CultureInfo.InvariantCulture), 9));
    }

    [Fact]
    public void AFileThatIsNotATruthFileIsRefused()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("i.mrc"), new Volume<byte>(4, 4, 4, VoxelSize.Isotropic(10)));
        File.WriteAllText(dir.File("t.json"), "{\"hello\": 1}");
        var (code, _, err) = Run("measure", dir.File("i.mrc"), "--instances", "--truth", dir.File("t.json"), "--out", dir.File("m"));
        Assert.Equal(2, code);
        Assert.Contains("t.json", err);
        Assert.Contains("objects", err);
        Assert.False(Directory.Exists(dir.File("m")));
    }
}

public sealed class MorphometricsDeterminismTests
{
    [Fact]
    public void SameInputAndSeedGiveIdenticalFilesWhateverTheParallelism()
    {
        // Given one input, measured and meshed twice into different folders: once with the thread
        // pool as it starts (about one thread per core), once with 16 threads ready at once, so
        // that the parallel loops run many more bodies side by side in another order
        using var dir = new TempDir();
        var v = ConnectedComponentsTestsAccess.RandomBlobs();
        VolumeIO.Write(dir.File("in.mrc"), v);
        ThreadPool.GetMinThreads(out int workers, out int io);
        var widest = new Dictionary<string, int>();
        foreach (string run in new[] { "a", "b" })
        {
            // (other tests running in parallel may already have widened the pool: b asks for twice as many)
            if (run == "b") ThreadPool.SetMinThreads(Math.Max(workers, 4 * Math.Max(16, widest["a"])), io);
            try
            {
                widest[run] = Widest();
                // (on a loaded machine a loop may finish before the pool has started every thread it may: measure again)
                for (int i = 0; run == "b" && widest["b"] <= widest["a"] && i < 10; i++) widest["b"] = Math.Max(widest["b"], Widest());
                Assert.Equal(0, Run("measure", dir.File("in.mrc"), "--out", dir.File("m" + run), "--fill-holes", "3d"));
                Assert.Equal(0, Run("mesh", dir.File("in.mrc"), "--out", dir.File("s" + run), "--seed", "4", "--decimate", "0.7"));
            }
            finally
            {
                ThreadPool.SetMinThreads(workers, io);
            }
        }
        Assert.True(widest["b"] > widest["a"], $"loop bodies at once: {widest["a"]}, then {widest["b"]}");
        // Then byte-identical outputs (no clock, no schedule dependence)
        foreach (string f in new[] { "objects.csv", "slices.csv", "summary.md", "measure.json" })
            Assert.Equal(File.ReadAllBytes(dir.File("ma/" + f)), File.ReadAllBytes(dir.File("mb/" + f)));
        Assert.Equal(File.ReadAllBytes(dir.File("sa/meshes.ply")), File.ReadAllBytes(dir.File("sb/meshes.ply")));
    }

    /// <summary>How many bodies of a parallel loop (of short blocking bodies) run at once at most.</summary>
    private static int Widest()
    {
        int active = 0, most = 0;
        var gate = new object();
        // Bodies long enough (20 ms), and enough of them, for the loop to take up every thread the pool has
        // ready (with 64 it could end at 11 on a loaded CI machine before taking up the 64 threads asked for)
        Parallel.For(0, 256, _ =>
        {
            int now = Interlocked.Increment(ref active);
            lock (gate) most = Math.Max(most, now);
            Thread.Sleep(20);
            Interlocked.Decrement(ref active);
        });
        return most;
    }

    private static int Run(params string[] args) => SxtSeg.Cli.CliApp.Run(args, SxtSeg.Cli.CliContext.Plain(new StringWriter(), new StringWriter()));
}

internal static class ConnectedComponentsTestsAccess
{
    /// <summary>Blobs of random size and place (smoothed noise thresholded), 10 nm voxels.</summary>
    public static Volume<byte> RandomBlobs()
    {
        var rng = new Random(11);
        var v = new Volume<byte>(48, 40, 36, VoxelSize.Isotropic(10));
        var centres = Enumerable.Range(0, 25).Select(_ => (X: rng.NextDouble() * 48, Y: rng.NextDouble() * 40, Z: rng.NextDouble() * 36, R: 2 + rng.NextDouble() * 6)).ToArray();
        for (int z = 0; z < 36; z++)
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 48; x++)
                    foreach (var c in centres)
                        if ((x - c.X) * (x - c.X) + (y - c.Y) * (y - c.Y) + (z - c.Z) * (z - c.Z) <= c.R * c.R) { v[z, y, x] = 1; break; }
        return v;
    }
}
