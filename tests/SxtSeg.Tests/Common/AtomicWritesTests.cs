using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Common;

/// <summary>
/// The write guarantees every output rests on: a file or folder appears whole or not at all, with
/// the bytes given, and nothing of a run that stopped is left behind — by this process, or (swept by
/// the next run) by a process that was killed. Written against Stryker's survivors in src/SxtSeg/Common.
/// </summary>
public sealed class AtomicWritesTests
{
    /// <summary>Hidden partial names in the folder (and below).</summary>
    private static string[] Partials(string folder)
        => Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Where(n => n!.EndsWith(".partial", StringComparison.Ordinal)).ToArray()!;

    /// <summary>A partial name of this host for a process id that cannot be alive (above the kernel's pid_max).</summary>
    private static string DeadPartial(string finalName)
    {
        long pidMax = long.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string mine = PartialFiles.NameFor(finalName);
        return mine.Replace($".{Environment.ProcessId}@", $".{pidMax + 1}@", StringComparison.Ordinal);
    }

    [Fact]
    public void AFileHoldsExactlyTheBytesAndTextWithoutAByteOrderMark()
    {
        using var dir = new TempDir();
        // into folders that do not exist yet
        string bin = dir.File("new/deeper/a.bin"), txt = dir.File("new/b.txt");
        AtomicFile.WriteAllBytes(bin, new byte[] { 0, 1, 2, 255 });
        AtomicFile.WriteAllText(txt, "é\n");
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, File.ReadAllBytes(bin));
        Assert.Equal(new byte[] { 0xC3, 0xA9, 0x0A }, File.ReadAllBytes(txt));
        Assert.Empty(Partials(dir.Path));
    }

    [Fact]
    public void AFileNamedAsAFolderIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("taken"));
        var e = Assert.Throws<OutputException>(() => AtomicFile.Create(dir.File("taken")));
        Assert.Equal($"{dir.File("taken")}: is a folder, expected a file name", e.Message);
        Assert.Empty(Partials(dir.Path));
    }

    [LinuxFact]
    public void TheRootIsNotAnOutputFolderAndCheckingAFolderLeavesNothingInIt()
    {
        // "/" trimmed of its slash was "", which GetFullPath refuses with an ArgumentException (a crash, not a message)
        foreach (string root in new[] { "/", "//" })
            Assert.Equal($"{root}: is the root of the file system; give a folder below it", Assert.Throws<OutputException>(() => OutputFolder.RequireUsable(root)).Message);
        // the writability probes (of the folder above and of an existing destination) are gone afterwards
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("out"));
        Assert.Equal(dir.File("out"), OutputFolder.RequireUsable(dir.File("out") + "/"));
        Assert.Equal(new[] { "out" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));
    }

    [Fact]
    public void AnOutputBelowAFileIsRefusedWithWhatCouldNotBeMade()
    {
        // (a folder that cannot be made: its would-be parent is a file; works even as root)
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plain"), "x");
        string file = Path.Combine(dir.File("plain"), "sub", "a.txt");
        var e = Assert.Throws<OutputException>(() => AtomicFile.Create(file));
        Assert.StartsWith($"{file}: cannot create folder {Path.Combine(dir.File("plain"), "sub")} (", e.Message);
        string folder = Path.Combine(dir.File("plain"), "out");
        var f = Assert.Throws<OutputException>(() => OutputFolder.Create(folder));
        Assert.StartsWith($"{folder}: cannot write here (", f.Message);
        Assert.Equal(new[] { "plain" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AFileNotCommittedLeavesTheOldOneAndNoPartial()
    {
        using var dir = new TempDir();
        string f = dir.File("a.txt");
        File.WriteAllText(f, "old");
        using (var a = AtomicFile.Create(f))
        {
            a.Stream.Write("new"u8);
            Assert.Single(Partials(dir.Path));
        }
        Assert.Equal("old", File.ReadAllText(f));
        Assert.Empty(Partials(dir.Path));
    }

    [LinuxFact]
    public void TheNextWriteSweepsOnlyThePartialsOfDeadProcessesOfThisHost()
    {
        using var dir = new TempDir();
        string dead = DeadPartial("a.mrc"), deadFolder = DeadPartial("seg");
        string live = PartialFiles.NameFor("b.mrc");
        string otherHost = dead.Replace($"@{PartialFiles.Host}.", "@another-host.", StringComparison.Ordinal);
        // a live process that is not this one: pid 1 always exists
        string liveOther = live.Replace($".{Environment.ProcessId}@", ".1@", StringComparison.Ordinal);
        string notOurs = ".notes.partial";
        foreach (string n in new[] { dead, live, liveOther, otherHost, notOurs }) File.WriteAllText(dir.File(n), "x");
        Directory.CreateDirectory(dir.File(deadFolder + "/inner"));
        File.WriteAllText(dir.File(deadFolder + "/inner/labels.mrc"), "x");
        Assert.True(PartialFiles.IsPartialName(dead) && PartialFiles.IsPartialName(otherHost) && !PartialFiles.IsPartialName(notOurs));
        // the library call says how many it removed: the dead file and the dead folder with its contents
        Assert.Equal(2, PartialFiles.SweepStale(dir.Path));
        Assert.Equal(new[] { notOurs, otherHost, live, liveOther }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // and every writer sweeps the folder it writes into
        File.WriteAllText(dir.File(dead), "x");
        AtomicFile.WriteAllText(dir.File("c.txt"), "c");
        Assert.False(File.Exists(dir.File(dead)));
        File.WriteAllText(dir.File(dead), "x");
        using (var o = OutputFolder.Create(dir.File("out"))) { }
        Assert.False(File.Exists(dir.File(dead)));
    }

    [Theory]
    [InlineData("node-7", "node-7")]
    [InlineData("lab.example.org", "lab-example-org")]
    [InlineData("Büro_2", "B-ro-2")]
    [InlineData("", "host")]
    public void AMachineNameIsWrittenWithLettersDigitsAndDashesOnly(string machine, string written)
    {
        Assert.Equal(written, PartialFiles.SafeHost(machine));
        Assert.Matches("^[A-Za-z0-9-]+$", PartialFiles.Host);
    }

    [Fact]
    public void AFolderAppearsWholeAndItsStagingGoesEitherWay()
    {
        using var dir = new TempDir();
        string done = dir.File("parent/done"), dropped = dir.File("parent/dropped");
        using (var o = OutputFolder.Create(done))
        {
            Directory.CreateDirectory(o.File("objects"));
            File.WriteAllText(o.File("objects/object_1.ply"), "1");
            File.WriteAllText(o.File("labels.mrc"), "l");
            o.Commit();
        }
        Assert.Equal("1", File.ReadAllText(Path.Combine(done, "objects/object_1.ply")));
        Assert.Equal("l", File.ReadAllText(Path.Combine(done, "labels.mrc")));
        using (var o = OutputFolder.Create(dropped))
        {
            // a run that stops half-way, with files in a subfolder of its staging folder
            Directory.CreateDirectory(o.File("objects"));
            File.WriteAllText(o.File("objects/object_1.ply"), "1");
        }
        Assert.False(Directory.Exists(dropped));
        Assert.Equal(new[] { "done" }, Directory.GetFileSystemEntries(dir.File("parent")).Select(Path.GetFileName));
    }

    [Fact]
    public void OwnedPatternsMatchWholeNamesWithStarAndQuestionMark()
    {
        using var dir = new TempDir();
        string o = dir.File("o");
        Directory.CreateDirectory(Path.Combine(o, "objects"));
        foreach (string f in new[] { "a.csv", "a.csv.bak", "shard-1.json", "shard-12.json", "objects/object_1.ply", "objects/old_object_1.ply" })
            File.WriteAllText(Path.Combine(o, f), "old");
        using var folder = OutputFolder.Create(o).Owns("*.csv", "shard-?.json", "objects/object_*.ply");
        Assert.Equal(new[] { "a.csv", Path.Combine("objects", "object_1.ply"), "shard-1.json" }, folder.StaleFiles());
    }

    [Theory]
    [InlineData("obj*/object_1.ply")]
    [InlineData("obj?/object_1.ply")]
    public void WildcardsInAFolderOfAnOwnedPatternAreAProgrammingError(string pattern)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("o"));
        using var folder = OutputFolder.Create(dir.File("o")).Owns(pattern);
        Assert.Throws<ArgumentException>(() => folder.StaleFiles());
    }
}
