using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;
using Xunit.Abstractions;

namespace SxtSeg.Tests.Interop;

/// <summary>Every kind of file SxtSeg writes, read by mrcfile, tifffile, Python's csv and meshio: same values, units and geometry.</summary>
public sealed class ReferenceReaderTests
{
    private readonly ITestOutputHelper _out;

    public ReferenceReaderTests(ITestOutputHelper output) => _out = output;

    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int i = 0; i < count * height * width; i++) probabilities[i] = Math.Clamp(tiles[i], 0f, 1f);
        }
    }

    private static SegmentationModel Model()
        => new(new ITilePredictor[] { new Pointwise() }, (_, _, _) => { }, "test-model", VoxelSize.Isotropic(10), "pointwise");

    private static SegmentOptions Opts => new() { Tiles = new TileOptions { TileSize = 32, Overlap = 8 }, Polarity = Polarity.DenseBright };

    private void Check(ReferenceReaders.Manifest m)
    {
        var (code, output) = m.Check();
        _out.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Contains($"ALL OK ({m.Count} files)", output);
    }

    [ReferenceReadersFact]
    public void SegmentMergeComponentsConvertAndMeasureOutputsReadAlikeInThePythonReaders()
    {
        using var dir = new TempDir();
        var t = Inference.SegmentOutputFilesTests.Ramp();
        VolumeIO.Write(dir.File("t.mrc"), t);
        using var model = Model();
        foreach (var p in new[] { ProbabilityOutput.Float32, ProbabilityOutput.Float16, ProbabilityOutput.Byte })
            Segmenter.Run(dir.File("t.mrc"), dir.File("seg-" + p.Name()), model, Opts with { Probabilities = p }, new Provenance("segment"));
        foreach (int i in new[] { 0, 1 })
            Segmenter.Run(dir.File("t.mrc"), dir.File("shards"), model, Opts with { Shard = (i, 2) }, new Provenance("segment"));
        var m = new ReferenceReaders.Manifest(dir.File("expected"));
        // shards before the merge: the stored bytes 0..255 as uint16
        var q = t.Data.Select(v => (double)Inference.SegmentOutputFilesTests.Q(v)).ToArray();
        int half = 2 * 37 * 29;
        m.Mrc(dir.File("shards/shard-0000-of-0002.mrc"), q[..half]).Mrc(dir.File("shards/shard-0001-of-0002.mrc"), q[half..]);
        Segmenter.Merge(dir.File("shards"), new Provenance("merge"));
        // hand-computed values: labels q > 127.5 (p > 0.5), probabilities q/255 in float32 and float16, round(127 q/255) in bytes
        var labels = q.Select(x => x > 127.5 ? 1.0 : 0.0).ToArray();
        foreach (string folder in new[] { "seg-float32", "seg-float16", "seg-byte", "shards" })
        {
            m.Mrc(dir.File(folder + "/labels.mrc"), labels);
            m.Tiff(dir.File(folder + "/labels.tif"), labels.Select(x => 255 * x).ToArray());
        }
        m.Mrc(dir.File("seg-float32/probabilities.mrc"), q.Select(x => x / 255).ToArray(), tolerance: 1e-6);
        m.Mrc(dir.File("seg-float16/probabilities.mrc"), q.Select(x => x / 255).ToArray(), tolerance: 5e-4);
        m.Mrc(dir.File("seg-byte/probabilities.mrc"), q.Select(x => Math.Round(127 * x / 255, MidpointRounding.AwayFromZero)).ToArray());
        // components (uint16), every convert type in MRC and TIFF, a uint8 TIFF of 0..255 into MRC
        Assert.Equal(0, CliRunner.Run("components", dir.File("seg-byte/labels.mrc"), "--out", dir.File("inst.mrc")).ExitCode);
        var bytes = new Volume<byte>(16, 9, 3, VoxelSize.Isotropic(13)) { OriginNm = (5, 6, 7) };
        for (int i = 0; i < bytes.Length; i++) bytes.Data[i] = (byte)(i * 37 % 256);
        VolumeIO.Write(dir.File("u8.tif"), bytes);
        Assert.Equal(0, CliRunner.Run("convert", dir.File("u8.tif"), dir.File("u8.mrc")).ExitCode);
        m.Mrc(dir.File("u8.mrc"), bytes.Data.Select(b => (double)b).ToArray());
        foreach (string type in new[] { "uint8", "int8", "int16", "uint16", "float32", "float16" })
            foreach (string ext in new[] { ".mrc", ".tif" })
                Assert.Equal(0, CliRunner.Run("convert", dir.File("t.mrc"), dir.File($"conv-{type}{ext}"), "--type", type).ExitCode);
        // measurement and evaluation tables
        Assert.Equal(0, CliRunner.Run("measure", dir.File("inst.mrc"), "--instances", "--out", dir.File("measure")).ExitCode);
        Assert.Equal(0, CliRunner.Run("evaluate", "--pred", dir.File("seg-byte/labels.mrc"), "--truth", dir.File("shards/labels.mrc"), "--out", dir.File("eval")).ExitCode);
        m.Csv(dir.File("measure/objects.csv"), "object_id", "voxels", "volume [nm^3]").Csv(dir.File("measure/summary.csv"), "mean", "sd", "n");
        m.Folder(dir.Path, meshes: false);
        // When / Then
        Check(m);
        Assert.Contains(dir.File("conv-float16.mrc"), m.Paths);
        Assert.Contains(dir.File("eval/per-slice.csv"), m.Paths);
    }

    [ReferenceReadersFact("numpy", "meshio")]
    public void MeshesReadInMeshioClosedInsideTheVolumeInNmAndInAngstrom()
    {
        using var dir = new TempDir();
        // Given a sphere and a box in a 30 × 24 × 20 volume of 8 nm voxels placed at (400, 800, 1200) nm
        var v = new Volume<byte>(30, 24, 20, VoxelSize.Isotropic(8)) { OriginNm = (400, 800, 1200) };
        for (int z = 0; z < 20; z++)
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 30; x++)
                {
                    double dx = x - 10, dy = y - 12, dz = z - 10;
                    if (dx * dx + dy * dy + dz * dz <= 36) v[z, y, x] = 1;
                    if (x >= 20 && x < 26 && y >= 4 && y < 9 && z >= 3 && z < 15) v[z, y, x] = 1;
                }
        VolumeIO.Write(dir.File("m.mrc"), v);
        var m = new ReferenceReaders.Manifest(dir.File("expected"));
        var extent = (new[] { 400.0, 800, 1200 }, new[] { 400.0 + 30 * 8, 800 + 24 * 8, 1200 + 20 * 8 });
        foreach (string format in new[] { "ply", "stl", "obj" })
            foreach (string units in new[] { "nm", "angstrom" })
            {
                string o = dir.File($"mesh-{format}-{units}");
                var r = CliRunner.Run("mesh", dir.File("m.mrc"), "--out", o, "--format", format, "--units", units, "--per-object");
                Assert.True(r.ExitCode == 0, r.Err);
                m.Mesh(Path.Combine(o, "meshes." + format), extent);
                foreach (string f in Directory.GetFiles(Path.Combine(o, "objects"))) m.Mesh(f, extent);
            }
        // When / Then
        Check(m);
        // and the Å file holds 10× the nm coordinates
        var nm = MeshReader.Read(dir.File("mesh-ply-nm/meshes.ply")).Vertices;
        var a = File.ReadAllText(dir.File("mesh-obj-angstrom/meshes.obj"));
        Assert.Contains("# units angstrom", a);
        Assert.Equal(MeshUnits.Angstrom, MeshReader.StatedUnits(dir.File("mesh-stl-angstrom/meshes.stl")));
        Assert.InRange(nm.Where((_, i) => i % 3 == 0).Min(), 400, 400 + 30 * 8);
    }
}
