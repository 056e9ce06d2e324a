using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// The library names a bad setting by its key (a property name, or a constant such as
/// <c>LabelSourceOptions.ModeKey</c>); every command shows the option the user typed instead, word for word.
/// </summary>
public sealed class LibrarySettingErrorTests
{
    [Theory]
    // components, measure, mesh and render read their labels through the same options (ObjectOptions)
    [InlineData("--instances/--nonzero/--select/--above: choose at most one way to read the labels", "components", "L", "--out", "c.tif", "--instances", "--nonzero")]
    [InlineData("--instances: hole filling, closing, erosion and dilation apply to binary masks; leave them out with --instances", "measure", "L", "--out", "o", "--instances", "--close", "2")]
    [InlineData("--connectivity: '4' is not a connectivity (use 6, 18 or 26)", "measure", "L", "--out", "o", "--connectivity", "4")]
    [InlineData("--max-volume: must not be below the minimum object size", "components", "L", "--out", "c.tif", "--min-voxels", "3", "--max-volume", "2500")]
    [InlineData("--voxel-size: 'abc' is not a voxel size in nm (use 10 or 10,10,12)", "render", "L", "--png", "o.png", "--voxel-size", "abc")]
    [InlineData("--format: 'vrml' is not a mesh format (use ply, stl or obj)", "mesh", "L", "--out", "o", "--format", "vrml")]
    [InlineData("--units: 'inch' is not a length unit (use nm or angstrom)", "mesh", "L", "--out", "o", "--units", "inch")]
    [InlineData("--view: '30' is not a view (use AZIMUTH,ELEVATION in degrees, elevation within −90..90, e.g. 30,35)", "render", "L", "--png", "o.png", "--view", "30")]
    [InlineData("--type: unknown voxel type 'double' (use uint8, int8, int16, uint16, uint32, float32 or float16)", "convert", "L", "o.mrc", "--type", "double")]
    [InlineData("--range: is used only with --scale range (the scale is none); add --scale range or leave --range out", "convert", "L", "o.tif", "--range", "0:1", "--scale", "none")]
    [InlineData("--min-diameter: must be below --max-diameter (400 ≥ 250 nm)", "filopodia", "L", "--out", "o", "--min-diameter", "400")]
    [InlineData("--cell-mask-margin: must be a non-negative number of nm", "filopodia", "L", "--out", "o", "--cell-mask-margin", "NaN")]
    [InlineData("--color: 'mauve' is not a colour (use red, green, blue, yellow, cyan, magenta or #rrggbb)", "slice", "L", "--png", "o.png", "--labels", "L", "--color", "mauve")]
    [InlineData("--model: the image-decoder metrics need the tomogram (--tomogram)", "evaluate", "--pred", "L", "--truth", "L", "--model", "L")]
    [InlineData("--voxel-size: voxel size must be a positive number of nm, got '0'", "demo", "--out", "o", "--voxel-size", "0", "--filopodium-model", "none")]
    public void LibrarySettingErrorsNameTheOption(string message, params string[] args)
    {
        using var dir = new TempDir();
        // Given a small binary label volume with a voxel size ("L"; other file names are in a fresh folder)
        VolumeIO.Write(dir.File("l.mrc"), new Volume<byte>(16, 16, 4, VoxelSize.Isotropic(10)));
        var full = args.Select(a => a == "L" ? dir.File("l.mrc") : a.Contains('.') && !a.StartsWith('-') && !char.IsDigit(a[0]) || a == "o" ? dir.File(a) : a).ToArray();
        // When
        var r = CliRunner.Run(full);
        // Then one line, the option as typed
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: " + message, r.Err.Trim());
    }

    [Theory]
    // segment: SegmentOptions, its parsers and Segmenter throw keys (Polarity, Probabilities, Slices, Shard, TileOptions.Overlap, CropBorder)
    [InlineData("--polarity: 'sideways' is not auto, dense-bright or dense-dark", "--polarity", "sideways")]
    [InlineData("--probabilities: unknown 'double' (none, float32, float16, byte)", "--probabilities", "double")]
    [InlineData("--slices: '5-2' is not a slice range A-B (z from 0, both ends included, A ≤ B)", "--slices", "5-2")]
    [InlineData("--shard: shard 4/4 is out of range (use I/N with 0 ≤ I < N)", "--shard", "4/4")]
    [InlineData("--shard: multi-axis fusion needs the whole tomogram; run it without --shard", "--shard", "0/2", "--fuse-axes")]
    [InlineData("--overlap: must be 0..63 (below the tile size), got 64", "--tile", "64", "--overlap", "64")]
    [InlineData("--clear-border: cropping 3 voxels leaves nothing of 4 slices", "--clear-border", "3")]
    public void SegmentNamesTheOption(string message, params string[] args)
    {
        using var dir = new TempDir();
        // Given a small tomogram of 4 slices at 10 nm and a tiny model for 10 nm
        string model = FourSlicesAndATinyModel(dir);
        // When
        var r = CliRunner.Run(new[] { "segment", dir.File("t.mrc"), "--model", model, "--out", dir.File("o"), "--workers", "1" }.Concat(args).ToArray());
        // Then one line, the option as typed
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("sxtseg: error: " + message, r.Err.Trim());
    }

    /// <summary>Writes t.mrc, a 16 × 16 × 4 tomogram (z 0-3) at 10 nm, and a tiny model for 10 nm into <paramref name="dir"/>; returns the model's path.</summary>
    private static string FourSlicesAndATinyModel(TempDir dir)
    {
        var tomo = new Volume<float>(16, 16, 4, VoxelSize.Isotropic(10));
        for (int i = 0; i < tomo.Data.Length; i++) tomo.Data[i] = i % 7;
        VolumeIO.Write(dir.File("t.mrc"), tomo);
        return TinyModels.Write(dir, "m.sxtmodel");
    }

    [Fact]
    public void SlicesBeyondTheTomogramAreNamedAsTyped()
    {
        using var dir = new TempDir();
        // Given a tomogram of 4 slices (z 0-3) and a tiny model
        string model = FourSlicesAndATinyModel(dir);
        // When slices 2-5 (both ends included, as documented) are asked for
        var r = CliRunner.Run("segment", dir.File("t.mrc"), "--model", model, "--out", dir.File("o"), "--workers", "1", "--slices", "2-5");
        // Then the range is echoed in the A-B form the user typed, not the old exclusive A:B (2:6)
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"sxtseg: error: --slices: 2-5 goes beyond the 4 slices (0-3) of {dir.File("t.mrc")}", r.Err.Trim());
        Assert.False(Directory.Exists(dir.File("o")));
    }

    [Fact]
    public void ARangeWrittenAColonBIsReadAsBeforeWithANoteInSegmentAndEvaluate()
    {
        using var dir = new TempDir();
        string model = FourSlicesAndATinyModel(dir);
        // 1:3 is slices 1 and 2 (3 excluded), and the user is told so
        var r = CliRunner.Run("segment", dir.File("t.mrc"), "--model", model, "--out", dir.File("o"), "--workers", "1", "--slices", "1:3", "-q");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("sxtseg: warning: --slices 1:3: A:B is read as before (B excluded)", r.Err);
        Assert.Equal(2, VolumeIO.OpenRead(dir.File("o/labels.mrc")).Info.Nz);
        var truth = new Volume<byte>(16, 16, 4, VoxelSize.Isotropic(10));
        VolumeIO.Write(dir.File("truth.mrc"), truth);
        var e = CliRunner.Run("evaluate", "--pred", dir.File("o/labels.mrc"), "--truth", dir.File("truth.mrc"), "--truth-slices", "1:3", "--no-objects", "--out", dir.File("ev"));
        Assert.True(e.ExitCode == 0, e.Err);
        Assert.Contains("sxtseg: warning: --truth-slices 1:3: A:B is read as before (B excluded)", e.Err);
        Assert.Equal(new[] { 1, 3 }, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("ev/evaluation.json")))!["truth_slices"]!.AsArray().Select(n => (int)n!));
    }

    [Fact]
    public void ModelInfoNamesThePresetOption()
    {
        var r = CliRunner.Run("model", "info", "--preset", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"sxtseg: error: --preset: unknown preset 'nope' (use {string.Join(", ", NetworkPreset.All.Select(p => p.Name))})", r.Err.Trim());
    }
}
