using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Common;

/// <summary>Output folders that replace their own stale files, and provenance that names final paths, not staging ones.</summary>
public sealed class OutputsAndProvenanceTests
{
    [Fact]
    public void CommitRemovesOwnedFilesThisRunDidNotWriteAndNothingElse()
    {
        using var dir = new TempDir();
        string o = dir.File("o");
        Directory.CreateDirectory(Path.Combine(o, "objects"));
        foreach (string f in new[] { "a.csv", "b.csv", "keep.txt", "objects/object_1.ply", "objects/object_2.ply" })
            File.WriteAllText(Path.Combine(o, f), "old");
        // When a new run owning *.csv and objects/object_*.ply writes only a.csv
        using (var folder = OutputFolder.Create(o).Owns("*.csv", "objects/object_*.ply"))
        {
            File.WriteAllText(folder.File("a.csv"), "new");
            Assert.Equal(new[] { "b.csv", Path.Combine("objects", "object_1.ply"), Path.Combine("objects", "object_2.ply") }, folder.StaleFiles());
            folder.Commit();
        }
        // Then
        Assert.Equal("new", File.ReadAllText(Path.Combine(o, "a.csv")));
        Assert.False(File.Exists(Path.Combine(o, "b.csv")));
        Assert.False(Directory.Exists(Path.Combine(o, "objects")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(o, "keep.txt")));
    }

    [Fact]
    public void AFailedRunRemovesNothing()
    {
        using var dir = new TempDir();
        string o = dir.File("o");
        Directory.CreateDirectory(o);
        File.WriteAllText(Path.Combine(o, "b.csv"), "old");
        using (var folder = OutputFolder.Create(o).Owns("*.csv"))
            File.WriteAllText(folder.File("a.csv"), "new"); // disposed without commit
        Assert.Equal(new[] { "b.csv" }, Directory.GetFiles(o).Select(Path.GetFileName));
    }

    [Fact]
    public void ProvenanceRecordsStagedPathsWhereTheyWillBe()
    {
        using var dir = new TempDir();
        using var folder = OutputFolder.Create(dir.File("result"));
        string staged = Path.Combine(folder.StagingPath, "simulation", "tomogram.mrc");
        // When
        var p = new Provenance("segment").Relocate(folder.StagingPath, folder.Path).AddInput(staged).Set("labels", Path.Combine(folder.StagingPath, "x.mrc"));
        var d = p.Derive("measure");
        // Then
        string json = p.ToJson() + d.ToJson() + string.Join("\n", p.ToLines(10, 400));
        Assert.DoesNotContain(".partial", json);
        Assert.Equal(Path.Combine(dir.File("result"), "simulation", "tomogram.mrc"), (string)p.ToJsonObject()["inputs"]![0]!);
        Assert.Equal(Path.Combine(dir.File("result"), "x.mrc"), p.Recorded(Path.Combine(folder.StagingPath, "x.mrc")));
        // paths elsewhere, and a sibling whose name only starts like the staging folder, are left as they are
        Assert.Equal("/data/cell01.rec", p.Recorded("/data/cell01.rec"));
        Assert.Equal(folder.StagingPath + "x/y", p.Recorded(folder.StagingPath + "x/y"));
    }
}
