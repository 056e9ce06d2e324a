using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>`sxtseg segment` and `sxtseg merge` end to end with a tiny (untrained) network.</summary>
[Collection(TorchCollection.Name)]
public sealed class SegmentCommandTests
{
    private static string TinyModel(TempDir dir)
    {
        using var net = DeepSxtNet.Create(2, 7);
        string path = dir.File("tiny.sxtmodel");
        ModelFile.Save(path, net, new ModelCard(2) { VoxelSizeNm = 10 });
        return path;
    }

    private static void Tomogram(string path, bool nan = false, double voxelNm = 10)
    {
        var v = new Volume<float>(48, 40, 6, VoxelSize.Isotropic(voxelNm));
        var rng = new Random(2);
        for (int i = 0; i < v.Length; i++) v.Data[i] = (float)rng.NextDouble();
        if (nan) v[4, 1, 1] = float.NaN;
        VolumeIO.Write(path, v);
    }

    [Theory]
    // the tiny model was trained at 10 nm: 25 nm slices are enlarged 25 / 10 = 2.5 ×, 4 nm slices shrunk to 4 / 10 = 0.4 × (10 / 4 = 2.5 × coarser pixels)
    [InlineData(25.0, "enlarged to 2.5 × in x and y for the network (2.5 × finer pixels; voxel size outside the model's range)")]
    [InlineData(4.0, "shrunk to 0.4 × in x and y for the network (2.5 × coarser pixels; voxel size outside the model's range)")]
    public void TheSummarySaysWhichWayTheSlicesWereResampled(double voxelNm, string expected)
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Tomogram(dir.File("t.mrc"), voxelNm: voxelNm);
        var r = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("out"), "--model", model, "--tile", "32", "--overlap", "8", "--workers", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        var row = r.Out.Replace("\r", "").Split('\n').Single(l => l.Contains("resampled", StringComparison.Ordinal));
        Assert.Equal(expected, row.Split('│', StringSplitOptions.RemoveEmptyEntries)[1].Trim());
    }

    [Fact]
    public void SegmentWritesEveryOutputAndIsDeterministicWithTwoWorkers()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Tomogram(dir.File("t.mrc"));
        // When
        var a = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("a"), "--model", model, "--tile", "32", "--overlap", "8", "--workers", "2", "--probabilities", "uint8");
        var b = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("b"), "--model", model, "--tile", "32", "--overlap", "8", "--workers", "1", "--probabilities", "uint8");
        // Then
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Equal(0, b.ExitCode);
        foreach (string f in new[] { "labels.tif", "labels.mrc", "probabilities.mrc", "segment.json", "overlay.png" })
            Assert.True(File.Exists(Path.Combine(dir.File("a"), f)), f);
        Assert.Equal(VolumeIO.Read<byte>(dir.File("a/probabilities.mrc")).Data, VolumeIO.Read<byte>(dir.File("b/probabilities.mrc")).Data);
        Assert.Equal(VolumeIO.Read<byte>(dir.File("a/labels.mrc")).Data, VolumeIO.Read<byte>(dir.File("b/labels.mrc")).Data);
        using var r = VolumeIO.OpenRead(dir.File("a/labels.tif"));
        Assert.Equal((48, 40, 6, VoxelType.UInt8), (r.Info.Nx, r.Info.Ny, r.Info.Nz, r.Info.Type));
        Assert.Equal(10, r.Info.VoxelSize!.Value.X, 6);
        Assert.Contains("segment", ((TiffReader)r).Description);
    }

    [Fact]
    public void SegmentJsonRecordsThePrecisionAndDevice()
    {
        // Given a tomogram segmented in bf16 (which changes the probabilities)
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Tomogram(dir.File("t.mrc"));
        var r = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("a"), "--model", model, "--tile", "32", "--workers", "1", "--precision", "bf16");
        Assert.True(r.ExitCode == 0, r.Err);
        // Then segment.json's provenance says so (docs/segmentation.md: "every option")
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("a/segment.json")))!;
        var parameters = json["provenance"]!["parameters"]!;
        Assert.Equal("bf16", (string)parameters["precision"]!);
        Assert.Equal("cpu", (string)parameters["device"]!);
    }

    [Fact]
    public void SlurmArrayVariablesChooseTheShardAndMergeFinishes()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Tomogram(dir.File("t.mrc"));
        var whole = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("whole"), "--model", model, "--tile", "32", "--workers", "1");
        Assert.Equal(0, whole.ExitCode);
        try
        {
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_COUNT", "2");
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_MIN", "1");
            foreach (string id in new[] { "1", "2" })
            {
                Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", id);
                var s = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("shards"), "--model", model, "--tile", "32", "--workers", "1");
                Assert.True(s.ExitCode == 0, s.Err);
            }
        }
        finally
        {
            foreach (string v in new[] { "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN" }) Environment.SetEnvironmentVariable(v, null);
        }
        Assert.True(File.Exists(dir.File("shards/shard-0000-of-0002.mrc")));
        Assert.True(File.Exists(dir.File("shards/shard-0001-of-0002.mrc")));
        var m = CliRunner.Run("merge", dir.File("shards"));
        Assert.True(m.ExitCode == 0, m.Err);
        Assert.Equal(VolumeIO.Read<byte>(dir.File("whole/labels.mrc")).Data, VolumeIO.Read<byte>(dir.File("shards/labels.mrc")).Data);
    }

    [Fact]
    public void BadInputsExitTwoWithoutOutputs()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Tomogram(dir.File("t.mrc"));
        Tomogram(dir.File("nan.mrc"), nan: true);
        File.WriteAllBytes(dir.File("corrupt.sxtmodel"), File.ReadAllBytes(model)[..200]);
        var before = dir.Contents();
        void Bad(string expect, params string[] args)
        {
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
            Assert.Contains(expect, r.Err);
            Assert.Equal(before, dir.Contents());
        }
        Bad("not found", "segment", dir.File("t.mrc"), "--out", dir.File("o"), "--model", dir.File("missing.sxtmodel"));
        Bad("corrupt.sxtmodel", "segment", dir.File("t.mrc"), "--out", dir.File("o"), "--model", dir.File("corrupt.sxtmodel"));
        Bad("contains NaN", "segment", dir.File("nan.mrc"), "--out", dir.File("o"), "--model", model, "--tile", "32");
        Bad("out of range", "segment", dir.File("t.mrc"), "--out", dir.File("o"), "--model", model, "--shard", "5/2");
        Bad("--tile", "segment", dir.File("t.mrc"), "--out", dir.File("o"), "--model", model, "--tile", "30");
        Bad("shard-*-of-*.json", "merge", dir.Path);
    }
}
