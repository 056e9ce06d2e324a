using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class ParameterTests
{
    [Theory]
    [InlineData("bessy-u41", 25, -65, 65, 1, 9.8)]
    [InlineData("alba-mistral", 40, -70, 68, 1, 13)]
    [InlineData("diamond-b24", 40, -60, 60, 1, 10)]
    [InlineData("als-xm2", 80, -90, 90, 2, 30)]
    public void ProfilesCarryTheirInstrument(string name, double zone, double lo, double hi, double step, double voxel)
    {
        var p = SimulationParameters.FromProfile(name);
        p.Validate();
        Assert.Equal((zone, lo, hi, step, voxel), (p.ZoneWidthNm, p.TiltMinDeg, p.TiltMaxDeg, p.TiltStepDeg, p.VoxelSizeNm));
        Assert.Equal(name, p.Profile);
    }

    [Fact]
    public void DiamondIsNoisierAndAlsHasNoWedge()
    {
        var d = SimulationParameters.FromProfile("diamond-b24");
        foreach (var other in new[] { "bessy-u41", "alba-mistral", "als-xm2" })
            Assert.True(d.Photons < SimulationParameters.FromProfile(other).Photons);
        Assert.Equal(SampleGeometry.Capillary, SimulationParameters.FromProfile("als-xm2").Geometry);
        Assert.Equal(91, SimulationParameters.FromProfile("als-xm2").TiltAngles().Length);
        Assert.Equal(139, SimulationParameters.FromProfile("alba-mistral").TiltAngles().Length);
    }

    [Fact]
    public void OpticsFollowTheZonePlate()
    {
        // 40 nm zone plate at 517 eV: resolution 48.8 nm, depth of focus λ/NA² ≈ 2.7 µm; 25 nm: ≈ 1 µm
        var p = SimulationParameters.FromProfile("alba-mistral");
        Assert.Equal(48.8, p.ResolutionNm, 6);
        Assert.InRange(p.DepthOfFocusNm, 2600, 2750);
        Assert.InRange(SimulationParameters.FromProfile("bessy-u41").DepthOfFocusNm, 1000, 1100);
    }

    [Theory]
    [InlineData("512x512x256", 512, 512, 256)]
    [InlineData("64×32×16", 64, 32, 16)]
    [InlineData(" 10 , 20 , 30 ", 10, 20, 30)]
    public void SizesParse(string text, int x, int y, int z) => Assert.Equal((x, y, z), SimulationParameters.ParseSize(text));

    [Theory]
    [InlineData("512x512")]
    [InlineData("ax2x3")]
    [InlineData("")]
    public void BadSizesAreRejected(string text) => Assert.Throws<InvalidOptionException>(() => SimulationParameters.ParseSize(text));

    [Fact]
    public void EveryParameterCanBeSetByNameAndRoundTrips()
    {
        var p = SimulationParameters.FromProfile("alba-mistral");
        foreach (var param in SimulationParameterTable.All)
        {
            // Given a value different from the current one
            string before = param.Get(p), value = OtherValue(param, p);
            Assert.NotEqual(before, value);
            // When it is set by name (with '_' for '-', as users type it)
            var q = SimulationParameterTable.Set(p, $"{param.Name.Replace('-', '_')} = {value}");
            // Then that parameter took it, and no other changed
            Assert.Equal(value, param.Get(q));
            foreach (var other in SimulationParameterTable.All.Where(o => o != param))
                Assert.True(other.Get(p) == other.Get(q), $"setting {param.Name} changed {other.Name}");
        }
        Assert.Equal(30, SimulationParameterTable.Set(p, "zone_width = 30").ZoneWidthNm);
        Assert.Equal(SimulationParameterTable.All.Count, SimulationParameterTable.All.Select(a => a.Name).Distinct().Count());
    }

    /// <summary>A valid value other than the current one: a number moved, a flag flipped, another name of a choice.</summary>
    private static string OtherValue(SimulationParameter param, SimulationParameters p)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string now = param.Get(p);
        if (now is "true" or "false") return now == "true" ? "false" : "true";
        if (long.TryParse(now, System.Globalization.NumberStyles.Integer, inv, out long l)) return (l + 3).ToString(inv);
        if (double.TryParse(now, System.Globalization.NumberStyles.Float, inv, out double d)) return (d * 1.5 + 0.25).ToString("R", inv);
        foreach (string choice in new[] { "random", "fixed", "capillary", "slab", "sirt", "wbp", "hann", "ramp", "custom-profile" })
        {
            if (choice == now) continue;
            try
            {
                if (param.Get(param.With(p, choice)) == choice) return choice;
            }
            catch (InvalidOptionException)
            {
                // not a value of this parameter
            }
        }
        throw new InvalidOperationException($"no other value known for {param.Name} = {now}");
    }

    [Theory]
    [InlineData("nonsense=1", "unknown parameter 'nonsense'")]
    [InlineData("photons=abc", "'abc' is not a number")]
    [InlineData("depth-of-focus=maybe", "is not true or false")]
    [InlineData("photons", "is not name=value")]
    public void BadAssignmentsAreRejected(string assignment, string message)
    {
        var e = Assert.Throws<InvalidOptionException>(() => SimulationParameterTable.Set(SimulationParameters.FromProfile("bessy-u41"), assignment));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("size", "every dimension needs at least 16 voxels")]
    [InlineData("voxel", "voxel size must be a positive number")]
    [InlineData("tilt", "goes beyond ±90°")]
    [InlineData("order", "must be larger than the first")]
    [InlineData("slab80", "cannot be imaged beyond ±80°")]
    [InlineData("ice", "does not fit")]
    [InlineData("shell", "shell half-width")]
    [InlineData("detector", "at most 4 px")]
    public void ValidateNamesTheProblem(string what, string message)
    {
        var p = SimulationParameters.FromProfile("bessy-u41");
        p = what switch
        {
            "size" => p with { Nx = 0 },
            "voxel" => p with { VoxelSizeNm = -1 },
            "tilt" => p with { TiltMinDeg = -95 },
            "order" => p with { TiltMinDeg = 30, TiltMaxDeg = 10 },
            "slab80" => p with { TiltMinDeg = -85, TiltMaxDeg = 85 },
            "ice" => p with { IceThicknessNm = 1e6 },
            "detector" => p with { DetectorBlurPx = 4.5 },
            _ => p with { ShellHalfWidthVoxels = 0 },
        };
        var e = Assert.Throws<InvalidOptionException>(() => p.Validate());
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void UnknownProfileIsRejected()
    {
        var e = Assert.Throws<InvalidOptionException>(() => SimulationParameters.FromProfile("esrf"));
        Assert.Contains("unknown profile 'esrf'", e.Message);
    }

    [Fact]
    public void ErrorsNameTheSettingNotTheCommandLineOption()
    {
        // Given bad parameters, when checked, then each error's key is the setting's name in the library (a property,
        // Size, Tilt, Set, or Set and the parameter's name): the command line maps it to its own option
        var p = SimulationParameters.FromProfile("bessy-u41");
        static string Key(Action check) => Assert.Throws<InvalidOptionException>(check).Option;
        Assert.Equal(nameof(SimulationParameters.ShellHalfWidthVoxels), Key((p with { ShellHalfWidthVoxels = 0 }).Validate));
        Assert.Equal(nameof(SimulationParameters.VoxelSizeNm), Key((p with { VoxelSizeNm = -1 }).Validate));
        Assert.Equal(nameof(SimulationParameters.SirtIterations), Key((p with { SirtIterations = 0 }).Validate));
        Assert.Equal(SimulationParameters.SizeKey, Key((p with { Nx = 0 }).Validate));
        Assert.Equal(SimulationParameters.TiltKey, Key((p with { TiltMinDeg = -95 }).Validate));
        Assert.Equal("Set membrane-contrast", Key((p with { MembraneContrast = 60 }).Validate));
        Assert.Equal(SimulationParameterTable.ParameterKey("photons"), Key(() => SimulationParameterTable.Set(p, "photons=abc")));
        Assert.Equal(SimulationParameterTable.SetKey, Key(() => SimulationParameterTable.Set(p, "wobble=3")));
        Assert.Equal(nameof(SimulationParameters.Profile), Key(() => SimulationParameters.FromProfile("esrf")));
        Assert.Equal(SimulationParameters.SizeKey, Key(() => SimulationParameters.ParseSize("64x64")));
        Assert.Equal(nameof(SimulationParameters.Reconstruction), Key(() => SimulationParameterTable.ParseMethod("art")));
        Assert.Equal(nameof(RealismOptions.Patch), Key(new RealismOptions(Patch: 12).Validate));
    }
}
