using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>Batches: which tomograms the arguments name, one bad tomogram not stopping the others, the table, array tasks.</summary>
public sealed class BatchSegmenterTests
{
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

    private static SegmentOptions Opts => new() { Tiles = new TileOptions { TileSize = 32, Overlap = 8 } };

    /// <summary>A 33 × 30 × 4 tomogram whose membrane fraction is known: voxels with x &lt; <paramref name="membraneColumns"/> are 0.9, the rest 0.1.</summary>
    private static void Tomogram(string path, int membraneColumns, double voxelNm = 10)
    {
        var v = new Volume<float>(33, 30, 4, VoxelSize.Isotropic(voxelNm));
        for (int z = 0; z < 4; z++)
            for (int y = 0; y < 30; y++)
                for (int x = 0; x < 33; x++) v[z, y, x] = x < membraneColumns ? 0.9f : 0.1f;
        VolumeIO.Write(path, v);
    }

    private static string[] Names(IEnumerable<BatchItem> items) => items.Select(i => i.Name).ToArray();

    [Fact]
    public void ArgumentsExpandToFilesFoldersAndPatterns()
    {
        using var dir = new TempDir();
        // Given: two MRC files, a folder of tomograms (an MRC and a TIFF stack), a folder of TIFF slices
        Directory.CreateDirectory(dir.File("many"));
        Directory.CreateDirectory(dir.File("slices"));
        Directory.CreateDirectory(dir.File("other"));
        Tomogram(dir.File("a.mrc"), 3);
        Tomogram(dir.File("b.rec"), 3);
        Tomogram(dir.File("many/c.mrc"), 3);
        Tomogram(dir.File("many/d.tif"), 3);
        File.WriteAllText(dir.File("many/notes.txt"), "not a tomogram");
        Tomogram(dir.File("other/a.mrc"), 3);
        for (int z = 0; z < 3; z++) VolumeIO.Write(dir.File($"slices/s{z}.tif"), new Volume<float>(8, 8, 1));
        // When / Then: one file, or one slice folder, is not a batch
        Assert.False(BatchInputs.Expand(new[] { dir.File("a.mrc") }).IsBatch);
        var (one, slicesBatch) = BatchInputs.Expand(new[] { dir.File("slices") });
        Assert.False(slicesBatch);
        Assert.Equal(new[] { "slices" }, Names(one));
        // a folder of tomograms is
        var (many, isBatch) = BatchInputs.Expand(new[] { dir.File("many") });
        Assert.True(isBatch);
        Assert.Equal(new[] { "c", "d" }, Names(many));
        // a pattern, in name order; a second "a" gets its own name; a pattern matching nothing is reported, not fatal
        var (all, _) = BatchInputs.Expand(new[] { Path.Combine(dir.Path, "*.[mr][re][c]"), dir.File("other/a.mrc"), dir.File("slices"), dir.File("none*.mrc"), dir.File("gone.mrc") });
        Assert.Equal(new[] { "a", "b", "a-2", "slices", "none_", "gone" }, Names(all));
        Assert.Null(all[0].Problem);
        Assert.Equal("matches no file", all[4].Problem);
        Assert.Equal("file not found", all[5].Problem);
        // a pattern in a folder part
        Assert.Equal(new[] { "c" }, Names(BatchInputs.Expand(new[] { Path.Combine(dir.Path, "m*", "*.mrc") }).Items));
    }

    [Fact]
    public void ABrokenTomogramIsRecordedAndTheOthersAreSegmented()
    {
        using var dir = new TempDir();
        // Given three tomograms with 3/33 and 11/33 of their voxels membrane, and a truncated one in between
        Tomogram(dir.File("a.mrc"), 3);
        File.WriteAllBytes(dir.File("broken.mrc"), File.ReadAllBytes(dir.File("a.mrc"))[..1500]);
        Tomogram(dir.File("c.mrc"), 11, voxelNm: 12);
        var (items, _) = BatchInputs.Expand(new[] { dir.File("a.mrc"), dir.File("broken.mrc"), dir.File("c.mrc") });
        using var model = Model();
        var seen = new List<string>();
        // When
        var s = BatchSegmenter.Run(items, dir.File("out"), model, Opts, i => new Provenance("segment").AddInput(i.Input), finished: r => seen.Add(r.Name));
        // Then every tomogram was tried, in order
        Assert.Equal(new[] { "a", "broken", "c" }, seen);
        Assert.Equal(new[] { "ok", "failed", "ok" }, s.Rows.Select(r => r.Status));
        Assert.Equal(1, s.Failed);
        Assert.Contains("truncated", s.Rows[1].Error);
        Assert.Equal(3.0 / 33, s.Rows[0].MembraneFraction!.Value, 9);
        Assert.Equal(11.0 / 33, s.Rows[2].MembraneFraction!.Value, 9);
        Assert.Equal(12, s.Rows[2].VoxelSize!.Value.X, 6);
        Assert.Equal(0.5, s.Rows[0].Threshold!.Value, 9);
        Assert.StartsWith("dense-bright", s.Rows[0].Polarity);
        Assert.True(File.Exists(dir.File("out/a/labels.mrc")));
        Assert.True(File.Exists(dir.File("out/c/labels.tif")));
        Assert.False(Directory.Exists(dir.File("out/broken")));
        // and the table holds one row per tomogram under a plain header
        var lines = File.ReadAllLines(dir.File("out/batch.csv"));
        Assert.Equal("input,name,status,seconds,voxel_size_nm,voxel_size_z_nm,polarity,threshold,membrane_fraction,membrane_voxels,output,error,warnings", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith(dir.File("broken.mrc") + ",broken,failed,", lines[2]);
        Assert.Contains(",0.333333,", lines[3]);
    }

    [Fact]
    public void ArrayTasksShareTheBatchAndCollectWritesTheWholeTable()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 3; i++) Tomogram(dir.File($"t{i}.mrc"), 2 + i);
        var (items, _) = BatchInputs.Expand(new[] { Path.Combine(dir.Path, "t*.mrc") });
        using var model = Model();
        // When task 1 of 2 runs alone, it takes only the second tomogram
        var first = BatchSegmenter.Run(items, dir.File("out"), model, Opts, i => new Provenance("segment"), task: (1, 2));
        Assert.Equal(1, first.Ran);
        Assert.Equal(new[] { "not run", "ok", "not run" }, first.Rows.Select(r => r.Status));
        // and once task 0 of 2 has run too, the collected table is complete
        BatchSegmenter.Run(items, dir.File("out"), model, Opts, i => new Provenance("segment"), task: (0, 2));
        var all = BatchSegmenter.Collect(dir.File("out"));
        Assert.Equal(new[] { "ok", "ok", "ok" }, all.Rows.Select(r => r.Status));
        for (int i = 0; i < 3; i++) Assert.Equal((2.0 + i) / 33, all.Rows[i].MembraneFraction!.Value, 9);
        Assert.Equal(4, File.ReadAllLines(dir.File("out/batch.csv")).Length);
        Assert.Equal(BatchSegmenter.TaskKey, Assert.Throws<InvalidOptionException>(() => BatchSegmenter.TaskShare(3, (2, 2)).ToList()).Option);
    }
}
