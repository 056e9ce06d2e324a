using System.CommandLine;
using SxtSeg.Cli;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>Commands a biologist reads right: one vocabulary, grouped help with examples, --quiet, --log, a sane first ETA.</summary>
public sealed class LabToolsCliTests
{
    private static IEnumerable<Command> AllCommands(Command c)
    {
        foreach (var s in c.Subcommands)
        {
            yield return s;
            foreach (var d in AllCommands(s)) yield return d;
        }
    }

    private static string PathOf(Command c)
    {
        var names = new List<string>();
        for (Symbol? s = c; s is Command k && s is not RootCommand; s = k.Parents.FirstOrDefault()) names.Insert(0, k.Name);
        return string.Join(' ', names);
    }

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        var root = CliApp.BuildRoot(CliContext.Plain(TextWriter.Null, TextWriter.Null));
        foreach (var c in AllCommands(root)) data.Add(PathOf(c));
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void EveryHelpHasUsageExamplesAndEveryOptionButNoOldNames(string path)
    {
        // When
        var r = CliRunner.Run(path.Split(' ').Append("--help").ToArray());
        // Then
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith($"Usage: sxtseg {path}", r.Out);
        Assert.Contains("\nExamples:\n  sxtseg ", r.Out);
        Assert.Contains("--quiet", r.Out);
        Assert.Contains("--log <file>", r.Out);
        var root = CliApp.BuildRoot(CliContext.Plain(TextWriter.Null, TextWriter.Null));
        var command = AllCommands(root).Single(c => PathOf(c) == path);
        foreach (var o in command.Options.Where(o => !o.Hidden && o is not System.CommandLine.Help.HelpOption))
            Assert.Contains(o.Name, r.Out);
        foreach (string old in new[] { "--crop ", "--batch ", "--threshold " })
            if (path is "segment" or "evaluate" or "components" or "measure" or "mesh" or "render")
                Assert.True(!r.Out.Contains(old, StringComparison.Ordinal) || (path == "segment" && old == "--threshold "), $"{path} --help shows {old}");
    }

    [Fact]
    public void SegmentHelpPutsEverydayOptionsFirstAndExpertOnesApart()
    {
        var r = CliRunner.Run("segment", "--help");
        string help = r.Out;
        int options = help.IndexOf("\nOptions:\n", StringComparison.Ordinal), expert = help.IndexOf("\nExpert options", StringComparison.Ordinal);
        Assert.True(options > 0 && expert > options, help);
        foreach (string everyday in new[] { "--out", "--voxel-size", "--polarity", "--threshold", "--probabilities", "--slices" })
            Assert.InRange(help.IndexOf("  " + everyday, StringComparison.Ordinal), options, expert);
        foreach (string technical in new[] { "--tile ", "--tile-batch", "--overlap", "--blend", "--axis-weights", "--clear-border", "--shard", "--task" })
            Assert.True(help.IndexOf("  " + technical, StringComparison.Ordinal) > expert, technical);
    }

    [Fact]
    public void RenamedOptionsKeepTheirOldNamesWithAWarning()
    {
        var root = CliApp.BuildRoot(CliContext.Plain(TextWriter.Null, TextWriter.Null));
        var segment = root.Subcommands.Single(c => c.Name == "segment");
        // Given the old names
        var parse = root.Parse(new[] { "segment", "t.mrc", "--out", "o", "--crop", "3", "--batch", "2" });
        Assert.Empty(parse.Errors);
        Assert.Equal(3, parse.GetValue((Option<int>)segment.Options.Single(o => o.Name == "--clear-border")));
        Assert.Equal(2, parse.GetValue((Option<int>)segment.Options.Single(o => o.Name == "--tile-batch")));
        // When a command runs with one, it says the new name
        using var dir = new TempDir();
        var v = new Volume<byte>(6, 5, 4, VoxelSize.Isotropic(10));
        v[1, 2, 2] = 200; v[2, 2, 2] = 200; v[2, 3, 4] = 90;
        VolumeIO.Write(dir.File("p.tif"), v);
        var a = CliRunner.Run("components", dir.File("p.tif"), "--threshold", "100", "--out", dir.File("a.mrc"));
        var b = CliRunner.Run("components", dir.File("p.tif"), "--above", "100", "--out", dir.File("b.mrc"));
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.Contains("--threshold is now called --above", a.Err);
        Assert.DoesNotContain("now called", b.Err);
        Assert.Equal(File.ReadAllBytes(dir.File("a.mrc")), File.ReadAllBytes(dir.File("b.mrc")));
        Assert.Equal(2, VolumeIO.Read<ushort>(dir.File("b.mrc")).Data.Count(x => x != 0)); // only the two voxels above 100
    }

    [Fact]
    public void SmoothingDefaultsAreTheSameInMeshMeasureAndRender()
    {
        var root = CliApp.BuildRoot(CliContext.Plain(TextWriter.Null, TextWriter.Null));
        var defaults = new[] { "mesh", "measure", "render" }
            .Select(n => root.Subcommands.Single(c => c.Name == n).Options.Single(o => o.Name == "--smooth").GetDefaultValue()).Distinct().ToList();
        Assert.Single(defaults);
    }

    [Fact]
    public void SliceRangesMeanTheSameSlicesInSegmentAndTrain()
    {
        // "10-19" is slices 10 to 19 in both commands
        Assert.Equal((10, 10), SegmentOptions.ParseSlices("10-19"));
        Assert.Equal(Enumerable.Range(10, 10).ToArray(), SxtSeg.Training.TrainingInputs.ParseSlices("10-19"));
        // one slice, and the older Python-style A:B (B excluded) still reads as before
        Assert.Equal((7, 1), SegmentOptions.ParseSlices("7"));
        Assert.Equal((10, 10), SegmentOptions.ParseSlices("10:20"));
        Assert.Throws<InvalidOptionException>(() => SegmentOptions.ParseSlices("20-10"));
        Assert.Throws<InvalidOptionException>(() => SegmentOptions.ParseSlices("1,2,3"));
    }

    [Fact]
    public void MaxVolumeDropsObjectsAboveIt()
    {
        using var dir = new TempDir();
        // Given two cubes of 8 and 27 voxels of 10 nm (8e3 and 27e3 nm³ per voxel volume 1e3)
        var v = new Volume<byte>(12, 6, 6, VoxelSize.Isotropic(10));
        for (int z = 1; z < 3; z++) for (int y = 1; y < 3; y++) for (int x = 1; x < 3; x++) v[z, y, x] = 1;
        for (int z = 1; z < 4; z++) for (int y = 1; y < 4; y++) for (int x = 6; x < 9; x++) v[z, y, x] = 1;
        VolumeIO.Write(dir.File("m.mrc"), v);
        // When objects above 10 000 nm³ are removed
        var r = CliRunner.Run("components", dir.File("m.mrc"), "--max-volume", "1e4", "--out", dir.File("o.mrc"));
        // Then only the small cube is left
        Assert.True(r.ExitCode == 0, r.Err);
        var o = VolumeIO.Read<ushort>(dir.File("o.mrc"));
        Assert.Equal(8, o.Data.Count(x => x != 0));
        Assert.Equal(1, o[1, 1, 1]);
    }

    [Fact]
    public void TheFirstEtaIsMeasuredAfterTheSlowFirstUnit()
    {
        // Given a stage of 100 slices whose first slice takes 2.4 s (loading) and the others 0.01 s each
        double now = 0;
        var err = new StringWriter();
        var p = new CliProgress.PlainProgress(err, () => now);
        p.Report(new ProgressUpdate("segmenting", 0, 100, "slices"));
        now = 2.4;
        p.Report(new ProgressUpdate("segmenting", 1, 100, "slices"));
        for (int i = 2; i <= 60; i++)
        {
            now += 0.01;
            p.Report(new ProgressUpdate("segmenting", i, 100, "slices"));
        }
        // Then the first estimate (as soon as a second slice is done) is at 100 slices/s, not at one slice per 2.4 s
        string first = err.ToString().Split('\n').First(l => l.Contains("ETA"));
        Assert.Contains("[segmenting] 2/100", first);
        Assert.Contains("ETA 00:00:01", first);
        Assert.DoesNotContain("00:04", err.ToString());
    }

    [Fact]
    public void QuietHidesProgressAndLogKeepsItAll()
    {
        using var dir = new TempDir();
        double now = 0;
        void Work(IProgress<ProgressUpdate> p)
        {
            for (int i = 0; i <= 10; i++)
            {
                now = i * 3;
                p.Report(new ProgressUpdate("stage", i, 10, "slices"));
            }
        }
        // Given: progress printed (plain lines) when not quiet
        var loud = new StringWriter();
        var ctx = CliContext.Plain(new StringWriter(), loud);
        ctx.Clock = () => now;
        CliProgress.Run(ctx, Work);
        Assert.Contains("[stage] 10/10 slices", loud.ToString());
        // When quiet, with a log: nothing on the console, everything in the log
        var quietErr = new StringWriter();
        var q = CliContext.Plain(new StringWriter(), quietErr);
        q.Clock = () => now;
        q.Quiet = true;
        q.AttachLog(dir.File("run.log"), new[] { "segment", "t.mrc" });
        CliProgress.Run(q, Work);
        q.Warn("something to know");
        q.CloseLog();
        Assert.Equal("sxtseg: warning: something to know" + Environment.NewLine, quietErr.ToString());
        string log = File.ReadAllText(dir.File("run.log"));
        Assert.Contains("sxtseg segment t.mrc", log);
        Assert.Contains("[stage] 10/10 slices", log);
        Assert.Contains("sxtseg: warning: something to know", log);
    }

    [Fact]
    public void LogOptionCopiesACommandsOutputIntoTheFile()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("v.mrc"), new Volume<float>(8, 6, 3, VoxelSize.Isotropic(12)));
        var r = CliRunner.Run("info", dir.File("v.mrc"), "--log", dir.File("logs/info.log"), "-q");
        Assert.True(r.ExitCode == 0, r.Err);
        string log = File.ReadAllText(dir.File("logs/info.log"));
        Assert.Contains("sxtseg info", log);
        Assert.Contains("12 nm", log);
        Assert.Contains("12 nm", r.Out);
        var bad = CliRunner.Run("info", dir.File("v.mrc"), "--log", dir.File("v.mrc/x.log"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("cannot write the log", bad.Err);
    }
}

/// <summary>The cluster docs show the job scripts the SLURM bench submits, as they are.</summary>
public sealed class ClusterDocsTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SxtSeg.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void ClusterDocShowsEveryJobScriptVerbatimAndTheyCallRealOptions()
    {
        string root = RepoRoot();
        string doc = File.ReadAllText(Path.Combine(root, "docs", "cluster.md"));
        var scripts = Directory.GetFiles(Path.Combine(root, "docs", "cluster"), "*.sbatch");
        Assert.Equal(3, scripts.Length);
        foreach (string f in scripts)
        {
            string text = File.ReadAllText(f).TrimEnd();
            Assert.True(doc.Contains(text, StringComparison.Ordinal), $"{Path.GetFileName(f)} is not shown as it is in docs/cluster.md");
            Assert.StartsWith("#!/bin/bash\n#SBATCH", text);
        }
        // every sxtseg command line in the scripts parses
        var cli = CliApp.BuildRoot(CliContext.Plain(TextWriter.Null, TextWriter.Null));
        foreach (var (args, path) in new[]
        {
            (new[] { "segment", "/data/cell01.rec", "--out", "/scratch/o", "--workers", "1" }, "segment-shards"),
            (new[] { "segment", "/data/beamtime/*.rec", "--out", "/scratch/o", "--workers", "1" }, "segment-batch"),
            (new[] { "merge", "/scratch/o" }, "merge"),
        })
        {
            Assert.Empty(cli.Parse(args).Errors);
            Assert.Contains("sxtseg " + args[0], File.ReadAllText(Path.Combine(root, "docs", "cluster", path + ".sbatch")));
        }
    }
}
