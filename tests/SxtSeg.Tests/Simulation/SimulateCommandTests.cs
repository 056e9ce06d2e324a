using System.Text.Json;
using SxtSeg.Imaging;
using SxtSeg.Simulation;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Simulation;

public sealed class SimulateCommandTests
{
    private static readonly string[] Small = { "--size", "48x40x32", "--seed", "4", "--tilt=-60:60:4" };

    private static void AssertRejected(string problem, params string[] args)
    {
        // Given an empty folder, when simulate is run with a bad option
        using var dir = new TempDir();
        string output = dir.File("out");
        var r = CliRunner.Run(new[] { "simulate", output }.Concat(args).ToArray());
        // Then: exit 2, one line naming the problem, no stack trace, nothing written
        Assert.Equal(2, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("sxtseg: error: ", lines[0]);
        Assert.Contains(problem, lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.Empty(dir.Contents());
    }

    [Theory]
    [InlineData("--size: 0×10×10 is impossible", "--size", "0x10x10")]
    [InlineData("--size: 8×64×64 is impossible", "--size", "8x64x64")]
    [InlineData("is not a size", "--size", "64x64")]
    [InlineData("too large", "--size", "100000x64x64")]
    [InlineData("goes beyond ±90°", "--tilt=-95:60:1")]
    [InlineData("goes beyond ±90°", "--tilt=-60:91:1")]
    [InlineData("must be larger than the first", "--tilt=60:-60:1")]
    [InlineData("tilt step", "--tilt=-60:60:0")]
    [InlineData("is not MIN:MAX:STEP", "--tilt=sixty")]
    [InlineData("cannot be imaged beyond ±80°", "--tilt=-88:88:2")]
    [InlineData("voxel size must be a positive number of nm, got 0", "--voxel-size", "0")]
    [InlineData("voxel size must be a positive number of nm, got -3", "--voxel-size=-3")]
    [InlineData("is not a number of nm", "--voxel-size", "ten")]
    [InlineData("unknown profile 'esrf-id21'", "--profile", "esrf-id21")]
    [InlineData("unknown parameter 'wobble'", "--set", "wobble=3")]
    [InlineData("unknown reconstruction 'art'", "--recon", "art")]
    [InlineData("shell half-width", "--shell", "0")]
    public void BadOptionsFailCleanlyAndWriteNothing(string problem, params string[] args) => AssertRejected(problem, args);

    /// <summary>The library's setting keys (a property, Size, Tilt, Set, Set NAME) reach the user as the options they came from.</summary>
    [Theory]
    [InlineData("--set membrane-contrast: must be 0–50, got 60", "--set", "membrane-contrast=60")]
    [InlineData("--set photons: 'abc' is not a number", "--set", "photons=abc")]
    [InlineData("--set: 'photons' is not name=value", "--set", "photons")]
    [InlineData("--set: organelle volume fractions add up to more than 0.6 of the cytoplasm", "--set", "er-fraction=0.4", "--set", "mitochondria-fraction=0.4")]
    [InlineData("--iterations: SIRT iterations must be 1–1000, got 0", "--recon", "sirt", "--iterations", "0")]
    [InlineData("--voxel-size: 600 nm is outside the range the simulator supports (1–500 nm)", "--voxel-size", "600")]
    [InlineData("--tilt: tilt step 0° must be positive and at most the range", "--tilt=-60:60:0")]
    [InlineData("--size: '64x64' is not a size; give voxels as X×Y×Z, e.g. 512x512x256", "--size", "64x64")]
    [InlineData("--filter: unknown filter 'box' (use ramp, hamming, hann, shepp-logan or cosine)", "--filter", "box")]
    public void SettingErrorsNameTheOption(string message, params string[] args)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(new[] { "simulate", dir.File("out") }.Concat(args).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: " + message, r.Err.Trim());
    }

    [Fact]
    public void UnwritableOutputFailsCleanlyAndWritesNothing()
    {
        // Given a file where the output folder's parent should be
        using var dir = new TempDir();
        File.WriteAllText(dir.File("blocker"), "x");
        var before = dir.Contents();
        // When
        var r = CliRunner.Run(new[] { "simulate", Path.Combine(dir.File("blocker"), "out") }.Concat(Small).ToArray());
        // Then
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot write here", r.Err);
        Assert.Equal(before, dir.Contents());
    }

    [Fact]
    public void MissingOutputFolderIsReported()
    {
        var r = CliRunner.Run("simulate", "--size", "32x32x32");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("give the output folder", r.Err);
    }

    [Fact]
    public void WritesTheWholeFolderReproducibly()
    {
        // Given two runs with the same seed
        using var dir = new TempDir();
        var a = CliRunner.Run(new[] { "simulate", dir.File("a"), "--tilt-series" }.Concat(Small).ToArray());
        var b = CliRunner.Run(new[] { "simulate", dir.File("b"), "--tilt-series" }.Concat(Small).ToArray());
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(0, b.ExitCode);
        // Then every contracted file exists, with the same bytes in both folders
        string[] files = { "tomogram.mrc", "membranes.mrc", "ignore.mrc", "membranes.tif", "classes.mrc", "instances.mrc", "tiltseries.mrc", "tiltseries.tlt", "truth.json", "preview.png" };
        foreach (var f in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("a"), f)), File.ReadAllBytes(Path.Combine(dir.File("b"), f)));
        Assert.Equal(files.OrderBy(f => f, StringComparer.Ordinal), Directory.GetFiles(dir.File("a")).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
        // and the files have the contracted types and sizes
        string A(string f) => Path.Combine(dir.File("a"), f);
        using (var t = VolumeIO.OpenRead(A("tomogram.mrc")))
        {
            Assert.Equal((48, 40, 32, VoxelType.Float32), (t.Info.Nx, t.Info.Ny, t.Info.Nz, t.Info.Type));
            Assert.Equal(9.8, t.Info.VoxelSize!.Value.X, 4);
        }
        var mem = VolumeIO.Read<byte>(A("membranes.mrc"));
        Assert.Equal(VoxelType.UInt8, VolumeIO.OpenRead(A("membranes.mrc")).Info.Type);
        Assert.All(mem.Data, v => Assert.True(v <= 1));
        var tif = VolumeIO.Read<byte>(A("membranes.tif"));
        for (int i = 0; i < mem.Data.Length; i++) Assert.Equal(mem.Data[i] * 255, tif.Data[i]);
        using (var inst = VolumeIO.OpenRead(A("instances.mrc"))) Assert.Equal(VoxelType.UInt16, inst.Info.Type);
        using (var ts = VolumeIO.OpenRead(A("tiltseries.mrc"))) Assert.Equal(31, ts.Info.Nz);
        Assert.Equal(31, File.ReadAllLines(A("tiltseries.tlt")).Length);
        var (w, h, ch, px) = Png.Decode(File.ReadAllBytes(A("preview.png")));
        Assert.Equal((2 * 48 + 4, 40), (w, h));
        // the slice and its overlay 4 black pixels apart
        for (int y = 0; y < h; y++)
            for (int x = 48; x < 52; x++)
                for (int c = 0; c < ch; c++) Assert.Equal(0, px[(y * w + x) * ch + c]);
        // truth.json: objects with ids matching the instance map, parameters and provenance without a clock
        using var doc = JsonDocument.Parse(File.ReadAllText(A("truth.json")));
        var root = doc.RootElement;
        Assert.Equal("simulate", root.GetProperty("provenance").GetProperty("command").GetString());
        Assert.Equal(4, root.GetProperty("parameters").GetProperty("seed").GetDouble());
        Assert.Equal("bessy-u41", root.GetProperty("instrument").GetProperty("name").GetString());
        var ids = root.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetInt32()).ToHashSet();
        var instances = VolumeIO.Read<ushort>(A("instances.mrc"));
        Assert.All(instances.Data.Where(v => v != 0).Distinct(), id => Assert.Contains((int)id, ids));
        foreach (var o in root.GetProperty("objects").EnumerateArray())
        {
            Assert.True(o.GetProperty("volume_nm3").GetDouble() > 0);
            Assert.Equal(3, o.GetProperty("principal_axes_nm").GetArrayLength());
            Assert.Equal(3, o.GetProperty("centre_nm").GetArrayLength());
            o.GetProperty("cut_by_fov").GetBoolean();
        }
        Assert.Equal(SimClasses.All.Count, root.GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public void ListsEveryParameter()
    {
        var r = CliRunner.Run("simulate", "--profile", "alba-mistral", "--list-parameters");
        Assert.Equal(0, r.ExitCode);
        foreach (var p in SimulationParameterTable.All) Assert.Contains(p.Name, r.Out);
        Assert.Contains("alba-mistral", r.Out);
    }

    [Fact]
    public void TheCleanTwinIsTheSameTomogramWithoutNoise()
    {
        // Given a small simulation made with --clean, the same made without it, and the same settings
        // simulated on their own without noise (photons 0: ideal transmission; flicker 0)
        using var dir = new TempDir();
        string[] settings = { "--profile", "bessy-u41", "--size", "40x48x24", "--tilt=-60:60:5", "--seed", "8" };
        var withTwin = CliRunner.Run(new[] { "simulate", dir.File("twin"), "--clean" }.Concat(settings).ToArray());
        var plain = CliRunner.Run(new[] { "simulate", dir.File("plain") }.Concat(settings).ToArray());
        Assert.Equal(0, withTwin.ExitCode);
        var quiet = CliRunner.Run(new[] { "simulate", dir.File("quiet"), "--set", "photons=0", "--set", "flicker=0" }.Concat(settings).ToArray());
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, quiet.ExitCode);
        // Then clean.mrc is the noise-free tomogram voxel for voxel, tomogram.mrc is the one made without --clean,
        // the two differ by the noise, and truth.json records the twin
        var clean = VolumeIO.Read<float>(Path.Combine(dir.File("twin"), "clean.mrc"));
        var noisy = VolumeIO.Read<float>(Path.Combine(dir.File("twin"), "tomogram.mrc"));
        Assert.Equal(VolumeIO.Read<float>(Path.Combine(dir.File("quiet"), "tomogram.mrc")).Data, clean.Data);
        Assert.Equal(VolumeIO.Read<float>(Path.Combine(dir.File("plain"), "tomogram.mrc")).Data, noisy.Data);
        Assert.Equal(noisy.VoxelSize, clean.VoxelSize);
        double sq = 0;
        for (int i = 0; i < clean.Data.Length; i++) sq += (noisy.Data[i] - clean.Data[i]) * (double)(noisy.Data[i] - clean.Data[i]);
        Assert.True(sq > 0, "the twin equals the noisy tomogram");
        Assert.False(File.Exists(Path.Combine(dir.File("plain"), "clean.mrc")));
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("twin"), "truth.json")));
        Assert.Equal("true", truth.RootElement.GetProperty("provenance").GetProperty("parameters").GetProperty("clean-twin").GetString());
        // And the twin's header states how it was made (flicker 0; the MRC header's ten labels end before
        // the photons), the tomogram's its own flicker
        string Tokens(string file)
        {
            using var r = VolumeIO.OpenRead(Path.Combine(dir.File("twin"), file));
            return " " + string.Join(" ", r.Info.Labels) + " ";
        }
        Assert.Contains(" flicker=0 ", Tokens("clean.mrc"), StringComparison.Ordinal);
        Assert.Contains(" simulate:clean ", Tokens("clean.mrc"), StringComparison.Ordinal);
        Assert.DoesNotContain(" flicker=0 ", Tokens("tomogram.mrc"), StringComparison.Ordinal);
        // When the folder is simulated again without --clean, the old twin does not stay beside the new tomogram
        var again = CliRunner.Run(new[] { "simulate", dir.File("twin") }.Concat(settings).ToArray());
        Assert.Equal(0, again.ExitCode);
        Assert.False(File.Exists(Path.Combine(dir.File("twin"), "clean.mrc")), "a stale clean.mrc was left");
    }

    [Fact]
    public void TheCleanTwinIsRefusedInMemory()
    {
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 32, Ny = 32, Nz = 16, CleanTwin = true };
        var e = Assert.Throws<InvalidOptionException>(() => Simulator.Simulate(p));
        Assert.Contains("clean.mrc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InMemoryResultSavesTheSameFolderAsTheStreamingCommand()
    {
        // Given the library API used for training-data generation, and the command line with the same settings
        var p = SimulationParameters.FromProfile("diamond-b24") with { Nx = 40, Ny = 72, Nz = 24, TiltStepDeg = 5, Seed = 8 };
        var result = Simulator.Simulate(p);
        using var dir = new TempDir();
        var cli = CliRunner.Run("simulate", dir.File("cli"), "--profile", "diamond-b24", "--size", "40x72x24", "--tilt=-60:60:5", "--seed", "8");
        Assert.Equal(0, cli.ExitCode);
        // and a folder holding an earlier simulation's optional files and a file of the user's
        Directory.CreateDirectory(dir.File("sim"));
        foreach (string stale in new[] { "clean.mrc", "tiltseries.mrc", "tiltseries.tlt", "notes.txt" }) File.WriteAllText(Path.Combine(dir.File("sim"), stale), "old");
        // When the in-memory result is saved into it
        result.Save(dir.File("sim"), new Provenance("simulate"));
        // Then the tomogram on disk is the one in memory, and every file equals the streamed one
        var t = VolumeIO.Read<float>(Path.Combine(dir.File("sim"), "tomogram.mrc"));
        Assert.Equal(result.Tomogram.Data, t.Data);
        // the earlier optional files are gone, the user's file is kept
        Assert.Equal(new[] { "notes.txt" }, new[] { "clean.mrc", "tiltseries.mrc", "tiltseries.tlt", "notes.txt" }.Where(f => File.Exists(Path.Combine(dir.File("sim"), f))));
        foreach (var f in Directory.GetFiles(dir.File("cli")).Select(Path.GetFileName))
            Assert.True(File.ReadAllBytes(Path.Combine(dir.File("cli"), f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir.File("sim"), f!))), $"{f} differs");
    }

    [Fact]
    public void BlockWrittenMrcEqualsSliceWrittenMrc()
    {
        // Given a small float volume with a NaN, written slice by slice (MrcWriter) and in row blocks
        var v = new Volume<float>(5, 7, 3, VoxelSize.Isotropic(12));
        var r = new SimRandom(2);
        for (int i = 0; i < v.Data.Length; i++) v.Data[i] = (float)r.Gaussian();
        v.Data[17] = float.NaN;
        using var dir = new TempDir();
        var prov = new Provenance("t").Set("a", 1);
        VolumeIO.Write(dir.File("slices.mrc"), v, prov);
        using (var w = new MrcBlockWriter<float>(dir.File("blocks.mrc"), v.Info, prov))
        {
            foreach (var (y0, n) in new[] { (0, 3), (3, 4) })
            {
                var block = new float[3 * n * 5];
                for (int z = 0; z < 3; z++) v.Data.AsSpan((z * 7 + y0) * 5, n * 5).CopyTo(block.AsSpan(z * n * 5));
                w.WriteRows(y0, n, block);
            }
            w.Commit();
        }
        // Then the files are byte-identical (header statistics included)
        Assert.Equal(File.ReadAllBytes(dir.File("slices.mrc")), File.ReadAllBytes(dir.File("blocks.mrc")));
    }
}
