using System.Text.Json.Nodes;
using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

/// <summary>Appearance randomisation: seeded, within its documented ranges, recorded in truth.json.</summary>
public sealed class AppearanceTests
{
    private static SimulationParameters Random(string profile, long seed) =>
        SimulationParameters.FromProfile(profile) with { Appearance = AppearanceMode.Random, Seed = seed };

    [Fact]
    public void FixedAppearanceIsUsedAsGiven()
    {
        var p = SimulationParameters.FromProfile("alba-mistral");
        Assert.Same(p, AppearanceRandomiser.Resolve(p));
        Assert.Equal(AppearanceMode.Fixed, p.Appearance);
    }

    [Fact]
    public void DrawsAreSeededDrawnOnceAndKeepTheInstrumentGrid()
    {
        var a = AppearanceRandomiser.Resolve(Random("alba-mistral", 5));
        Assert.Equal(a, AppearanceRandomiser.Resolve(Random("alba-mistral", 5)));
        Assert.Same(a, AppearanceRandomiser.Resolve(a));
        Assert.True(a.AppearanceDrawn);
        Assert.NotEqual(a.Photons, AppearanceRandomiser.Resolve(Random("alba-mistral", 6)).Photons);
        Assert.Equal((13.0, 1.0, SampleGeometry.Slab), (a.VoxelSizeNm, a.TiltStepDeg, a.Geometry));
        a.Validate();
    }

    [Fact]
    public void DrawnValuesLieInTheirRangesAndCoverLighterAndDenserCompartments()
    {
        int sirt = 0, lighterEndosomes = 0, denserEndosomes = 0, lighterEr = 0, denserEr = 0;
        // alba-mistral: 2000 photons, 40 nm zone plate, detector blur 1 px, WBP cut-off 0.2 cycles/px
        for (int seed = 1; seed <= 300; seed++)
        {
            var q = AppearanceRandomiser.Resolve(Random("alba-mistral", seed));
            double c = q.CytoplasmLac;
            Assert.InRange(c, 0.22, 0.32);
            Assert.InRange(q.NucleoplasmLac / c, 0.80, 1.05);
            Assert.InRange(q.HeterochromatinLac / q.NucleoplasmLac, 1.15, 1.6);
            Assert.InRange(q.NucleolusLac / c, 1.15, 1.8);
            Assert.InRange(q.MitochondriaLac / c, 0.95, 1.4);
            Assert.InRange(q.EndosomeLac / c, 0.45, 1.15);
            Assert.InRange(q.ErLac / c, 0.55, 1.1);
            Assert.InRange(q.VesicleLac / c, 0.5, 1.15);
            Assert.InRange(q.LipidDropletLac, 0.45, 0.9);
            Assert.InRange(q.MembraneContrast, 0.6, 2.5);
            Assert.InRange(q.TextureStrength, 0.4, 1.6);
            Assert.InRange(q.Photons, 2000 * 0.4, 2000 * 2.5);
            Assert.InRange(q.ZoneWidthNm, 40 * 0.85, 40 * 1.2);
            Assert.InRange(q.DetectorBlurPx, 1.0 * 0.7, 1.0 * 1.5);
            Assert.InRange(-q.TiltMinDeg, 55, 72);
            Assert.InRange(q.TiltMaxDeg, 55, 72);
            Assert.Equal(Math.Round(q.TiltMaxDeg), q.TiltMaxDeg);
            if (q.Reconstruction == ReconstructionMethod.Sirt)
            {
                sirt++;
                Assert.InRange(q.SirtIterations, 10, 25);
            }
            else
            {
                Assert.InRange(q.FilterCutoff, 0.2 * 0.8, 0.2 * 1.4);
            }
            if (q.EndosomeLac < c) lighterEndosomes++; else denserEndosomes++;
            if (q.ErLac < c) lighterEr++; else denserEr++;
        }
        // SIRT about one time in ten; watery endosomes lighter than cytoplasm in (1 − 0.45)/0.7 ≈ 79 % of draws
        Assert.InRange(sirt, 15, 50);
        Assert.InRange(lighterEndosomes / 300.0, 0.70, 0.87);
        Assert.True(denserEndosomes > 0 && denserEr > 0 && lighterEr > denserEr);
    }

    [Fact]
    public void CapillaryKeepsItsFullRotation()
    {
        var q = AppearanceRandomiser.Resolve(Random("als-xm2", 3));
        Assert.Equal((-90.0, 90.0), (q.TiltMinDeg, q.TiltMaxDeg));
        Assert.DoesNotContain(AppearanceRandomiser.Ranges(q), r => r.Parameter.StartsWith("tilt", StringComparison.Ordinal));
    }

    [Fact]
    public void TruthJsonRecordsTheDrawnValuesThatWereSimulated()
    {
        // Given a tiny random-appearance simulation
        var p = Random("alba-mistral", 11) with { Nx = 32, Ny = 16, Nz = 32, TiltStepDeg = 4 };
        var r = Simulator.Simulate(p);
        var truth = JsonNode.Parse(r.TruthJson(new Provenance("test")))!;
        var drawn = truth["appearance"]!["drawn"]!;
        var q = AppearanceRandomiser.Resolve(p);
        // Then the drawn block, the parameters block and the simulation agree with the draw
        Assert.Equal("random", (string)truth["appearance"]!["mode"]!);
        Assert.Equal(q.Photons, (double)drawn["photons"]!, 9);
        Assert.Equal(q.Photons, (double)truth["parameters"]!["photons"]!, 9);
        Assert.Equal(q.MembraneContrast, (double)drawn["membrane-contrast"]!, 9);
        Assert.Equal(q.TiltMinDeg, r.Acquisition.Nominal[0], 9);
        Assert.Equal(q, r.Parameters);
        Assert.NotNull(truth["appearance"]!["ranges"]!["photons"]);
        // and a fixed simulation says so
        var f = Simulator.Simulate(p with { Appearance = AppearanceMode.Fixed });
        Assert.Equal("fixed", (string)JsonNode.Parse(f.TruthJson(new Provenance("test")))!["appearance"]!["mode"]!);
    }

    [Theory]
    [InlineData("appearance=random", AppearanceMode.Random)]
    [InlineData("appearance=Fixed", AppearanceMode.Fixed)]
    public void AppearanceIsAParameter(string assignment, AppearanceMode mode)
        => Assert.Equal(mode, SimulationParameterTable.Set(SimulationParameters.FromProfile("bessy-u41"), assignment).Appearance);

    [Fact]
    public void UnknownAppearanceIsRejected()
    {
        var e = Assert.Throws<InvalidOptionException>(() => SimulationParameterTable.Set(SimulationParameters.FromProfile("bessy-u41"), "appearance=wild"));
        Assert.Contains("not fixed, random or random-errors", e.Message);
    }

    [Fact]
    public void RandomErrorsKeepsTheRandomLookAndDrawsTheAcquisitionErrorsAroundTheProfile()
    {
        // Given the same seed with appearance=random and appearance=random-errors
        var profile = SimulationParameters.FromProfile("alba-mistral");
        var plain = AppearanceRandomiser.Resolve(profile with { Appearance = AppearanceMode.Random, Seed = 7 });
        var errors = AppearanceRandomiser.Resolve(SimulationParameterTable.Set(profile with { Seed = 7 }, "appearance=random-errors"));
        // Then the look (contrasts, photons, optics, reconstruction) is the same draw
        Assert.Equal(plain with { Appearance = AppearanceMode.RandomErrors, ShiftPx = errors.ShiftPx, AngleJitterDeg = errors.AngleJitterDeg, Flicker = errors.Flicker, ReadNoise = errors.ReadNoise, FlatFieldDriftPx = errors.FlatFieldDriftPx }, errors);
        // and each error is the profile's (alba: shift 0.6 px, flicker 0.012, drift 0.8 px) times 0.5–2.5, not all the same factor
        var factors = new[] { errors.ShiftPx / 0.6, errors.AngleJitterDeg / profile.AngleJitterDeg, errors.Flicker / 0.012, errors.ReadNoise / profile.ReadNoise, errors.FlatFieldDriftPx / 0.8 };
        foreach (double f in factors) Assert.InRange(f, 0.5, 2.5);
        Assert.True(factors.Max() - factors.Min() > 0.05);
        // while plain random keeps the profile's errors
        Assert.Equal((0.6, 0.012, 0.8), (plain.ShiftPx, plain.Flicker, plain.FlatFieldDriftPx));
        // and over many seeds the factors fill the range (log-uniform: about half below √(0.5·2.5) ≈ 1.118)
        int below = 0, n = 200;
        for (int seed = 0; seed < n; seed++)
            if (AppearanceRandomiser.Resolve(profile with { Appearance = AppearanceMode.RandomErrors, Seed = seed }).ShiftPx / 0.6 < Math.Sqrt(0.5 * 2.5)) below++;
        Assert.InRange(below, 70, 130);
    }

    [Fact]
    public void RandomErrorsAreRecordedInTruthJson()
    {
        var p = SimulationParameters.FromProfile("bessy-u41") with { Appearance = AppearanceMode.RandomErrors, Seed = 3, Nx = 32, Ny = 16, Nz = 32, TiltStepDeg = 4 };
        var r = Simulator.Simulate(p);
        var truth = JsonNode.Parse(r.TruthJson(new Provenance("test")))!;
        Assert.Equal("random-errors", (string)truth["appearance"]!["mode"]!);
        Assert.Equal(r.Parameters.ShiftPx, (double)truth["appearance"]!["drawn"]!["shift"]!, 9);
        Assert.Equal(r.Parameters.FlatFieldDriftPx, (double)truth["appearance"]!["drawn"]!["flat-field-drift"]!, 9);
        Assert.Contains("0.5–2.5", (string)truth["appearance"]!["ranges"]!["read-noise"]!);
        Assert.Equal("random-errors", (string)truth["parameters"]!["appearance"]!);
    }
}
