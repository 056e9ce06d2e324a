using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SxtSeg.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>A fact skipped when a Unix tool it needs is missing.</summary>
public sealed class FactWithToolAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="tool"/> is on the PATH.</summary>
    public FactWithToolAttribute(string tool)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
        if (!found || OperatingSystem.IsWindows()) Skip = $"needs '{tool}' (Unix)";
    }
}

/// <summary>A fact skipped when running as root (permissions do not stop root from reading).</summary>
public sealed class FactUnlessRootAttribute : FactAttribute
{
    /// <summary>Skips as root or on Windows.</summary>
    public FactUnlessRootAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") Skip = "permissions cannot be tested as root";
    }
}

/// <summary>
/// Issue 15 at the command line: special and unreadable inputs, bounded options, memory estimates,
/// NaN/Inf in JSON, refused or warned options, one-line errors, cancellation and stale partial files.
/// </summary>
public sealed class RobustnessTests
{
    /// <summary>Exit 2, exactly one line "sxtseg: error: ..." containing each part.</summary>
    internal static void AssertOneLineError(CliRunner.Result r, params string[] parts)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Err}");
        string[] lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.Err);
        Assert.StartsWith("sxtseg: error: ", lines[0]);
        foreach (string p in parts) Assert.True(lines[0].Contains(p, StringComparison.Ordinal), $"'{p}' not in: {lines[0]}");
    }

    /// <summary>Runs with a time limit, so that a hang fails the test instead of the suite.</summary>
    private static CliRunner.Result RunWithin(int seconds, params string[] args)
    {
        var task = Task.Run(() => CliRunner.Run(args));
        Assert.True(task.Wait(TimeSpan.FromSeconds(seconds)), $"sxtseg {string.Join(' ', args)} hung");
        return task.Result;
    }

    private static string Labels(TempDir dir, string name = "labels.mrc", int nx = 24, int ny = 20, int nz = 6)
    {
        var v = new Volume<byte>(nx, ny, nz, VoxelSize.Isotropic(10));
        for (int z = 1; z < nz - 1; z++)
            for (int y = 3; y < 9; y++)
                for (int x = 3; x < 9; x++) v[z, y, x] = 1;
        string path = dir.File(name);
        VolumeIO.Write(path, v);
        return path;
    }

    [FactWithTool("mkfifo")]
    public void AFifoIsRefusedByEveryCommandWithoutHangingOrStaging()
    {
        using var dir = new TempDir();
        foreach (string name in new[] { "pipe.mrc", "pipe.tif" })
        {
            string fifo = dir.File(name);
            Process.Start("mkfifo", fifo).WaitForExit();
            Assert.Equal(PathKind.Fifo, InputPaths.KindOf(fifo));
            var before = dir.Contents();
            // When every command is given the FIFO (the defect: all of them hung, measure after making its staging folder)
            AssertOneLineError(RunWithin(30, "info", fifo), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "convert", fifo, dir.File("o.tif")), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "measure", fifo, "--out", dir.File("m"), "--voxel-size", "10"), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "components", fifo, "--out", dir.File("c.tif")), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "slice", fifo, "--png", dir.File("s.png")), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "segment", fifo, "--out", dir.File("seg")), fifo, "named pipe");
            AssertOneLineError(RunWithin(30, "measure", Labels(dir), "--instances", "--out", dir.File("m"), "--truth", fifo), fifo, "named pipe");
            File.Delete(dir.File("labels.mrc"));
            // Then nothing was written
            Assert.Equal(before, dir.Contents());
        }
    }

    [FactWithTool("mkfifo")]
    public void AFifoAmongTheSlicesOfAFolderIsNamed()
    {
        using var dir = new TempDir();
        string folder = dir.File("stack");
        Directory.CreateDirectory(folder);
        VolumeIO.Write(Path.Combine(folder, "s1.tif"), new Volume<byte>(8, 8, 1));
        Process.Start("mkfifo", Path.Combine(folder, "s2.tif")).WaitForExit();
        AssertOneLineError(RunWithin(30, "info", folder), Path.Combine(folder, "s2.tif"), "named pipe");
    }

    [FactUnlessRoot]
    public void AnUnreadableFolderIsAnInputErrorNotAnInternalError()
    {
        using var dir = new TempDir();
        string folder = dir.File("locked");
        Directory.CreateDirectory(folder);
        VolumeIO.Write(Path.Combine(folder, "s1.tif"), new Volume<byte>(8, 8, 1));
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(folder, UnixFileMode.None);
        try
        {
            AssertOneLineError(CliRunner.Run("info", folder), folder, "cannot be read");
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData("--tile: must be 16..2048, got 8192", "segment", "t.mrc", "--out", "o", "--tile", "8192")]
    [InlineData("--tile: must be 16..2048, got 100000", "segment", "t.mrc", "--out", "o", "--tile", "100000")]
    [InlineData("--batch: must be 1..64, got 1000", "segment", "t.mrc", "--out", "o", "--batch", "1000")]
    [InlineData("--tta: must be one of 1, 2, 4, 8, got 3", "segment", "t.mrc", "--out", "o", "--tta", "3")]
    [InlineData("--block-mb: must be 1..65536, got 10000000", "segment", "t.mrc", "--out", "o", "--block-mb", "10000000")]
    [InlineData("--close: must be 0..50, got 1000000", "measure", "l.mrc", "--out", "o", "--close", "1000000")]
    [InlineData("--dilate: must be 0..50, got 1000000", "measure", "l.mrc", "--out", "o", "--dilate", "1000000")]
    [InlineData("--smooth: must be 0..1000, got 100000000", "measure", "l.mrc", "--out", "o", "--smooth", "100000000")]
    [InlineData("--split-touching: must be a number in [(0..1000000]", "measure", "l.mrc", "--out", "o", "--split-touching", "nan")]
    [InlineData("--size", "render", "l.mrc", "--png", "o.png", "--size", "100000x100000")]
    [InlineData("--tolerance: must be 0..10, got 1000", "evaluate", "--pred", "p.mrc", "--truth", "t.mrc", "--tolerance", "1000")]
    [InlineData("--threshold: must be a finite number, got NaN", "components", "l.mrc", "--out", "c.tif", "--threshold", "nan")]
    [InlineData("--alpha: must be a number in [0..1], got 5", "slice", "l.mrc", "--png", "o.png", "--alpha", "5")]
    public void UnboundedOptionValuesAreRefusedBeforeAnyWork(string problem, params string[] args)
    {
        using var dir = new TempDir();
        // Given paths inside a fresh folder (files need not exist: the options are checked first)
        var full = args.Select(a => a.Contains('.') && !a.StartsWith('-') && !char.IsDigit(a[0]) ? dir.File(a) : a).ToArray();
        var sw = Stopwatch.StartNew();
        // When / Then: one line at once, nothing written
        AssertOneLineError(CliRunner.Run(full), problem);
        Assert.Empty(dir.Contents());
    }

    [Fact]
    public void BoundsAreStatedInTheHelp()
    {
        var r = CliRunner.Run("segment", "--help");
        Assert.Contains("[16..2048]", r.Out);
        Assert.Contains("[1..64]", r.Out);
        Assert.Contains(VoxelSize.RangeText, r.Out);
        var m = CliRunner.Run("measure", "--help");
        Assert.Contains("[0..50]", m.Out);
        Assert.Contains("[0..1000]", m.Out);
    }

    [Fact]
    public void MorphologyStepsNeedingMoreMemoryThanAvailableAreRefusedWithTheEstimate()
    {
        using var dir = new TempDir();
        string labels = Labels(dir, nx: 400, ny: 300, nz: 3);
        using (MemoryBudget.Limit(50_000_000))
        {
            // 200 steps × 5 slices × 120 000 voxels = 120 MB against a 50 MB budget
            var r = CliRunner.Run("measure", labels, "--out", dir.File("m"), "--close", "50", "--erode", "50", "--dilate", "50");
            AssertOneLineError(r, "not enough memory", "120 MB", "50 MB", "--close");
        }
        Assert.False(Directory.Exists(dir.File("m")));
        Assert.Single(dir.Contents());
    }

    [Fact]
    public void SegmentTilesNeedingMoreMemoryThanAvailableAreRefusedBeforeTheModelLoads()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), new Volume<float>(32, 32, 3, VoxelSize.Isotropic(10)));
        using (MemoryBudget.Limit(1_000_000_000))
        {
            var r = CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("o"), "--tile", "2048", "--tile-batch", "64", "--workers", "2");
            AssertOneLineError(r, "not enough memory", "--tile 2048", "lower --tile, --tile-batch, --workers");
        }
        Assert.Single(dir.Contents());
    }

    [Fact]
    public void HeaderSliceTooLargeForMemoryIsRefusedAtOpen()
    {
        using var dir = new TempDir();
        // Given a header claiming 40000 × 40000 × 1 uint8 (1.6 GB) with the data present as a sparse file
        string path = dir.File("huge.mrc");
        var h = MrcTests.HandMadeMrc(40000, 40000, 1, 0, Array.Empty<byte>(), false);
        using (var f = File.Create(path))
        {
            f.Write(h);
            f.SetLength(1024 + 40000L * 40000);
        }
        using (MemoryBudget.Limit(1_000_000_000))
            AssertOneLineError(CliRunner.Run("info", path), path, "not enough memory");
    }

    [Fact]
    public void AllNaNAndInfinityDataGiveValidJson()
    {
        using var dir = new TempDir();
        var v = new Volume<float>(4, 3, 2, VoxelSize.Isotropic(10));
        Array.Fill(v.Data, float.NaN);
        v.Data[5] = float.PositiveInfinity;
        VolumeIO.Write(dir.File("nan.mrc"), v);
        // When (the defect: info --json crashed on NaN statistics)
        var r = CliRunner.Run("info", dir.File("nan.mrc"), "--json");
        // Then
        Assert.True(r.ExitCode == 0, r.Err);
        var stats = JsonNode.Parse(r.Out)!["statistics"]!;
        Assert.Null(stats["min"]);
        Assert.Null(stats["mean"]);
        Assert.Equal(23, (long)stats["nan"]!);
        Assert.Equal(1, (long)stats["inf"]!);
    }

    [Fact]
    public void NaNOriginInAnMrcHeaderIsRefused()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(10)));
        byte[] b = File.ReadAllBytes(dir.File("ok.mrc"));
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(196), float.NaN);
        File.WriteAllBytes(dir.File("nan-origin.mrc"), b);
        AssertOneLineError(CliRunner.Run("info", dir.File("nan-origin.mrc"), "--json"), dir.File("nan-origin.mrc"), "non-finite origin");
    }

    [Theory]
    [InlineData("nan,1,1")]
    [InlineData("1,inf,1")]
    public void NonFiniteAxisWeightsAreRefusedAtOnce(string weights)
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), new Volume<float>(32, 32, 3, VoxelSize.Isotropic(10)));
        AssertOneLineError(CliRunner.Run("segment", dir.File("t.mrc"), "--out", dir.File("o"), "--fuse-axes", "--axis-weights", weights), "--axis-weights", "finite");
        Assert.Single(dir.Contents());
    }

    [Fact]
    public void ImplausibleVoxelSizesAreRefusedWithTheAcceptedRange()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(10)));
        // --voxel-size 1e300 wrote cella = Inf
        AssertOneLineError(CliRunner.Run("convert", dir.File("ok.mrc"), dir.File("o.mrc"), "--voxel-size", "1e300"), "--voxel-size", VoxelSize.RangeText);
        AssertOneLineError(CliRunner.Run("measure", dir.File("ok.mrc"), "--out", dir.File("m"), "--voxel-size", "0.001"), "--voxel-size", VoxelSize.RangeText);
        // cella.x = 3e38 Å gave volumes of 9e39 nm³
        byte[] b = File.ReadAllBytes(dir.File("ok.mrc"));
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(40), 3e38f);
        File.WriteAllBytes(dir.File("cella.mrc"), b);
        AssertOneLineError(CliRunner.Run("measure", dir.File("cella.mrc"), "--out", dir.File("m")), dir.File("cella.mrc"), VoxelSize.RangeText);
        Assert.Equal(new[] { "cella.mrc", "ok.mrc" }, dir.Contents());
    }

    [Fact]
    public void ImodDefaultPixelOfOneAngstromIsStillAccepted()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("a.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(0.1)));
        using var r = VolumeIO.OpenRead(dir.File("a.mrc"));
        Assert.Equal(0.1, r.Info.VoxelSize!.Value.X, 6);
    }

    [Theory]
    [InlineData("--compression", "o.mrc", "--compression", "lzw")]
    [InlineData("--range: is used only with --scale range", "o.tif", "--range", "0:1", "--scale", "none")]
    [InlineData("--range: is used only with --scale range", "o.tif", "--range", "0:1")]
    [InlineData("--range", "o.tif", "--range", "-inf:inf", "--scale", "range")]
    public void ConvertOptionsThatWouldBeIgnoredAreRefused(string problem, string output, params string[] options)
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(10)));
        AssertOneLineError(CliRunner.Run(new[] { "convert", dir.File("ok.mrc"), dir.File(output) }.Concat(options).ToArray()), problem);
        Assert.Single(dir.Contents());
    }

    [Fact]
    public void SimulateRefusesAnUnlistedReconstructionName()
    {
        using var dir = new TempDir();
        AssertOneLineError(CliRunner.Run("simulate", dir.File("sim"), "--recon", "fbp"), "--recon", "unknown reconstruction 'fbp'");
        AssertOneLineError(CliRunner.Run("simulate", dir.File("sim"), "--iterations", "5"), "--iterations", "sirt");
        Assert.Empty(dir.Contents());
    }

    [Fact]
    public void SliceWarnsAboutOverlayOptionsWithoutLabels()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("ok.mrc"), VolumeFixtures.Pattern<float>());
        var r = CliRunner.Run("slice", dir.File("ok.mrc"), "--png", dir.File("s.png"), "--alpha", "0.3");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("sxtseg: warning: --alpha applies only with --labels; ignored", r.Err.Trim());
    }

    [Theory]
    [InlineData("info", "a.mrc", "--bogus")]
    [InlineData("segment", "t.mrc", "--out", "o", "--tile", "abc")]
    [InlineData("measure")]
    public void OptionParseErrorsTakeOneLine(params string[] args)
    {
        var r = CliRunner.Run(args);
        AssertOneLineError(r, $"(see 'sxtseg {args[0]} --help')");
    }

    [Fact]
    public void ANonJsonTruthFileIsOneLineNotAnEcho()
    {
        using var dir = new TempDir();
        string labels = Labels(dir);
        File.WriteAllLines(dir.File("notes.txt"), Enumerable.Range(0, 60).Select(i => $"line {i} of something that is not JSON"));
        var r = CliRunner.Run("measure", labels, "--instances", "--out", dir.File("m"), "--truth", dir.File("notes.txt"));
        AssertOneLineError(r, dir.File("notes.txt"), "not valid JSON");
        Assert.True(r.Err.Length < 600, r.Err);
        Assert.DoesNotContain("line 30", r.Err);
    }

    [Fact]
    public void CancelledRunsPrintOneLineExit130AndLeaveNothing()
    {
        using var dir = new TempDir();
        string labels = Labels(dir);
        var before = dir.Contents();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        foreach (var args in new[]
        {
            new[] { "convert", labels, dir.File("o.tif") },
            new[] { "measure", labels, "--out", dir.File("m") },
            new[] { "components", labels, "--out", dir.File("c.mrc") },
        })
        {
            var o = new StringWriter();
            var e = new StringWriter();
            var ctx = CliContext.Plain(o, e);
            ctx = new CliContext(ctx.Out, ctx.Err, false) { Cancellation = cts.Token, CancelExitCode = 143 };
            int code = CliApp.Run(args, ctx);
            Assert.Equal(143, code);
            Assert.Equal("sxtseg: cancelled", e.ToString().Trim());
            Assert.Equal(before, dir.Contents());
        }
    }

    [Fact]
    public void StalePartialFilesOfDeadProcessesAreSweptByTheNextRun()
    {
        using var dir = new TempDir();
        string labels = Labels(dir);
        const int dead = 999_999_999; // above any pid_max
        string host = PartialFiles.Host;
        string guid() => Guid.NewGuid().ToString("N");
        string staleFile = dir.File($".o.tif.{dead}@{host}.{guid()}.partial");
        string staleFolder = dir.File($".m.{dead}@{host}.{guid()}.partial");
        string live = dir.File($".o.tif.{Environment.ProcessId}@{host}.{guid()}.partial");
        string otherHost = dir.File($".o.tif.{dead}@another-node.{guid()}.partial");
        string notOurs = dir.File(".o.tif.partial");
        File.WriteAllText(staleFile, "left by kill -9");
        Directory.CreateDirectory(staleFolder);
        File.WriteAllText(Path.Combine(staleFolder, "objects.csv"), "x");
        foreach (string f in new[] { live, otherHost, notOurs }) File.WriteAllText(f, "keep");
        // When the next runs write into the same folder
        Assert.Equal(0, CliRunner.Run("convert", labels, dir.File("o.tif")).ExitCode);
        Assert.Equal(0, CliRunner.Run("measure", labels, "--out", dir.File("m")).ExitCode);
        // Then the dead process's partials are gone and nothing else was touched
        Assert.False(File.Exists(staleFile));
        Assert.False(Directory.Exists(staleFolder));
        foreach (string f in new[] { live, otherHost, notOurs }) Assert.True(File.Exists(f), f);
    }
}
