using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>`sxtseg segment A B DIR 'glob*' --out OUT` and the batch's array tasks, with a tiny (untrained) network.</summary>
[Collection(TorchCollection.Name)]
public sealed class BatchCommandTests
{
    private static string TinyModel(TempDir dir)
    {
        using var net = DeepSxtNet.Create(2, 7);
        string path = dir.File("tiny.sxtmodel");
        ModelFile.Save(path, net, new ModelCard(2) { VoxelSizeNm = 10 });
        return path;
    }

    private static void Tomogram(string path, int seed)
    {
        var v = new Volume<float>(40, 36, 5, VoxelSize.Isotropic(10));
        var rng = new Random(seed);
        for (int i = 0; i < v.Length; i++) v.Data[i] = (float)rng.NextDouble();
        VolumeIO.Write(path, v);
    }

    [Fact]
    public void ThreeTomogramsOneBrokenRunWithOneCommand()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Directory.CreateDirectory(dir.File("more"));
        Tomogram(dir.File("cell01.mrc"), 1);
        Tomogram(dir.File("more/cell02.rec"), 2);
        File.WriteAllBytes(dir.File("more/cell03.rec"), File.ReadAllBytes(dir.File("cell01.mrc"))[..2000]);
        // When
        var r = CliRunner.Run("segment", dir.File("cell01.mrc"), Path.Combine(dir.Path, "more", "*.rec"), "--out", dir.File("out"),
            "--model", model, "--tile", "32", "--workers", "1", "--polarity", "dense-bright");
        // Then the good ones are segmented, the broken one is reported, and the exit code says some failed
        Assert.True(r.ExitCode == 3, r.Err + r.Out);
        Assert.True(File.Exists(dir.File("out/cell01/labels.mrc")));
        Assert.True(File.Exists(dir.File("out/cell02/labels.tif")));
        Assert.Contains("[3/3] cell03: FAILED", r.Err);
        Assert.Contains("truncated", r.Out);
        Assert.Contains("2 of 3 tomograms segmented, 1 failed", r.Out);
        var rows = File.ReadAllLines(dir.File("out/batch.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(new[] { "ok", "ok", "failed" }, rows.Select(x => x[2]));
        Assert.Equal("10", rows[0][4]);
        Assert.Equal("dense-bright (given)", rows[0][6]);
    }

    [Fact]
    public void ArrayTasksEachTakeTheirTomogramsAndMergeCollectsTheTable()
    {
        using var dir = new TempDir();
        string model = TinyModel(dir);
        Directory.CreateDirectory(dir.File("in"));
        for (int i = 0; i < 3; i++) Tomogram(dir.File($"in/t{i}.mrc"), i);
        string[] common = { "segment", dir.File("in"), "--out", dir.File("out"), "--model", model, "--tile", "32", "--workers", "1" };
        // When tasks 0 and 1 of 2 run (as SLURM array tasks would)
        var a = CliRunner.Run(common.Concat(new[] { "--task", "1/2" }).ToArray());
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Contains("task 1/2 takes 1 of them", a.Err);
        Assert.False(Directory.Exists(dir.File("out/t0")));
        var before = CliRunner.Run("merge", dir.File("out"));
        Assert.Equal(3, before.ExitCode); // not all have run yet
        var b = CliRunner.Run(common.Concat(new[] { "--task", "0/2" }).ToArray());
        Assert.True(b.ExitCode == 0, b.Err);
        // Then merge writes the whole table
        var m = CliRunner.Run("merge", dir.File("out"));
        Assert.True(m.ExitCode == 0, m.Err + m.Out);
        Assert.Contains("3 of 3 tomograms segmented", m.Out);
        Assert.Equal(4, File.ReadAllLines(dir.File("out/batch.csv")).Length);
        // and a shard of a batch is refused
        var bad = CliRunner.Run(common.Concat(new[] { "--shard", "0/2" }).ToArray());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--task", bad.Err);
    }
}
