using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

/// <summary>The appearance of compartments: lighter lumens with dense membranes, cristae, microvilli, cells in a capillary.</summary>
public sealed class CompartmentTests
{
    private static SimulationParameters SmallAlba(long seed = 4) =>
        SimulationParameters.FromProfile("alba-mistral") with { Nx = 160, Ny = 160, Nz = 96, Seed = seed, ViewOffset = 0.4 };

    [Fact]
    public void WateryCompartmentImagesDarkerThanCytoplasmInsideABrighterMembrane()
    {
        // Given a ball of cytoplasm (0.27 /µm, r = 280 nm) holding a vacuole (0.13 /µm, r = 110 nm) whose membrane
        // adds 1.6 × 5 nm × (0.94 − 0.20) /µm, imaged noise-free at ±65° (10 nm voxels)
        var p = PhantomTestKit.Small() with { Photons = 0, TiltStepDeg = 2, ShiftPx = 0, AngleJitterDeg = 0, Flicker = 0, FlatFieldVariation = 0, DetectorBlurPx = 0 };
        var c = new V3(320, 320, 320);
        var cell = new SimObject(SimClass.Cytoplasm, "cell", new SphereShape(c, 280), 0.27) { MembraneOffsetsNm = new[] { 0.0 } };
        var vac = new SimObject(SimClass.Endosome, "vacuole", new SphereShape(c, 110), 0.13)
        {
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = 1.6 * 5 * (0.94 - 0.5 * (0.13 + 0.27)),
        };
        var r = Simulator.Simulate(Phantom.Create(p, new[] { cell, vac }));
        // When radial means are taken in the equatorial slice
        double Ring(double lo, double hi)
        {
            double s = 0;
            int n = 0;
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    double rho = Math.Sqrt(Math.Pow(x * 10 - 320, 2) + Math.Pow(y * 10 - 320, 2));
                    if (rho < lo || rho >= hi) continue;
                    s += r.Tomogram[32, y, x];
                    n++;
                }
            return s / n;
        }
        double lumen = Ring(0, 70), rim = Ring(100, 120), cytoplasm = Ring(160, 240);
        // Then the lumen is darker than the cytoplasm by most of the LAC difference, and the membrane is brighter than both
        Assert.True(cytoplasm - lumen > 0.08, $"lumen {lumen:0.000}, cytoplasm {cytoplasm:0.000}");
        Assert.True(rim > cytoplasm + 0.01, $"rim {rim:0.000}, cytoplasm {cytoplasm:0.000}");
    }

    [Fact]
    public void MostCompartmentsAreLighterThanCytoplasmAndMembranesFollowTheContrast()
    {
        // Given the default alba-mistral specimen built with membrane contrast 1 and 2.5 (same seed)
        var a = Phantom.Build(SmallAlba() with { MembraneContrast = 1 });
        var b = Phantom.Build(SmallAlba() with { MembraneContrast = 2.5 });
        var p = a.Parameters;
        var organelles = a.Objects.Where(o => o.Class is SimClass.Endosome or SimClass.EndoplasmicReticulum or SimClass.Vesicle && o.Parent < 0).ToList();
        Assert.True(organelles.Count > 20, $"{organelles.Count} organelles");
        // Then watery endosomes, ER and vesicles are lighter than the cytoplasm; dense lysosomes are the exception
        int lighter = organelles.Count(o => o.Lac < p.CytoplasmLac);
        Assert.True(lighter >= 0.7 * organelles.Count, $"{lighter} of {organelles.Count} lighter than cytoplasm");
        Assert.All(organelles.Where(o => o.Kind == "lysosome"), o => Assert.True(o.Lac > p.CytoplasmLac));
        // and each membrane's excess is contrast × 5 nm × (0.94 − mean of the two sides), by hand
        Assert.Equal(a.Objects.Count, b.Objects.Count);
        foreach (var o in organelles)
        {
            Assert.Equal(5 * (0.94 - 0.5 * (o.Lac + p.CytoplasmLac)), o.MembraneExcess, 9);
            Assert.Equal(2.5 * o.MembraneExcess, b.Objects[o.Index].MembraneExcess, 9);
        }
    }

    [Fact]
    public void CristaeModulateTheMatrixAlongTheAxisOnlyInsideTheInnerMembrane()
    {
        // Given a straight mitochondrion along x (r = 120 nm, membranes 20 nm apart, no membrane excess, no texture)
        // with cristae every 80 nm at amplitude 0.4
        var p = PhantomTestKit.Small(nx: 128, ny: 32, nz: 32);
        var tube = new TubeShape(new[] { new V3(80, 155, 155), new V3(1180, 155, 155) }, 120);
        var o = new SimObject(SimClass.Mitochondrion, "mitochondrion", tube, 0.35)
        {
            Content = ContentKind.Cristae, CristaeAmplitude = 0.4, CristaeSpacingNm = 80, MembraneOffsetsNm = new[] { 0.0, -20 },
        };
        var (lac, _, _, _) = PhantomTestKit.Rasterise(Phantom.Create(p, new[] { o }));
        var profile = new double[128];
        var count = new int[128];
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int z = 0; z < 32; z++)
            for (int y = 0; y < 32; y++)
                for (int x = 20; x < 108; x++)
                {
                    double d = Math.Sqrt(Math.Pow(y * 10 - 155, 2) + Math.Pow(z * 10 - 155, 2)) - 120;
                    float v = lac[z, y, x];
                    // Then between the membranes (5–15 nm inside) the matrix is unmodulated
                    if (d < -6 && d > -14) Assert.Equal(0.35, v, 5);
                    if (d > -45) continue;
                    profile[x] += v; count[x]++;
                    sum += v; sum2 += v * v; n++;
                }
        // and deeper inside it is modulated about its mean (mean kept within 6 % over these 11 periods, relative SD above 10 %)
        double mean = sum / n, sd = Math.Sqrt(sum2 / n - mean * mean);
        Assert.InRange(mean, 0.35 * 0.94, 0.35 * 1.06);
        Assert.True(sd / mean > 0.1, $"relative SD {sd / mean:0.000}");
        // with its strongest period along the axis between 60 and 110 nm
        int len = 88;
        double bestPower = 0, bestPeriod = 0;
        for (int k = 2; k <= len / 2; k++)
        {
            double re = 0, im = 0;
            for (int i = 0; i < len; i++)
            {
                double v = profile[20 + i] / count[20 + i] - mean;
                re += v * Math.Cos(2 * Math.PI * k * i / len);
                im += v * Math.Sin(2 * Math.PI * k * i / len);
            }
            if (re * re + im * im > bestPower) { bestPower = re * re + im * im; bestPeriod = 10.0 * len / k; }
        }
        Assert.InRange(bestPeriod, 60, 110);
    }

    [Fact]
    public void MicrovilliRiseFromTheTopOfAnAdherentCellIntoTheIce()
    {
        // Given a dense carpet of microvilli and no filopodia
        var ph = Phantom.Build(SmallAlba(7) with { MicrovilliPerSquareMicron = 6, FilopodiaPerMicron = 0 });
        var cell = ph.Objects.First(o => o.Class == SimClass.Cytoplasm);
        var villi = ph.Objects.Where(o => o.Kind == "microvillus").ToList();
        Assert.True(villi.Count >= 5, $"{villi.Count} microvilli");
        foreach (var v in villi)
        {
            // Then each is a protrusion of the cell whose truth starts on the cell surface and stays outside it, in the ice
            Assert.True(v.IsProtrusion && v.Parent == cell.Index && cell.Protrusions.Contains(v.Index));
            var t = (TubeShape)v.MeasuredShape;
            Assert.True(t.OpenBase);
            Assert.InRange(cell.Shape.Distance(t.Points[0]), -15, 15);
            var tip = t.Points[^1];
            Assert.True(t.Points.All(q => cell.Shape.Distance(q) >= -15) && cell.Shape.Distance(tip) > 0 && tip.Z + t.Radius < ph.SlabHiNm);
        }
    }

    [Fact]
    public void SuspendedCellsLieAlongTheCapillaryAndNearlyFillIt()
    {
        var p = SimulationParameters.FromProfile("als-xm2") with { Nx = 128, Ny = 96, Nz = 128, Seed = 2 };
        var ph = Phantom.Build(p);
        double rIn = ph.CapillaryInnerNm;
        var cells = ph.Objects.Where(o => o.Class == SimClass.Cytoplasm).ToList();
        Assert.NotEmpty(cells);
        foreach (var c in cells)
        {
            var e = (EllipsoidShape)c.Shape;
            // Long axis within 15° of the capillary axis y; lateral extent inside the ice, over 70 % of its radius one way
            // and over 40 % the other
            Assert.True(Math.Abs(e.E1.Y) >= Math.Cos(15 * Math.PI / 180) - 1e-9, $"long axis {e.E1}");
            double ex = Math.Max(e.Bounds.Max.X - ph.CapillaryXNm, ph.CapillaryXNm - e.Bounds.Min.X);
            double ez = Math.Max(e.Bounds.Max.Z - ph.CapillaryZNm, ph.CapillaryZNm - e.Bounds.Min.Z);
            Assert.True(Math.Max(ex, ez) > 0.7 * rIn && Math.Min(ex, ez) > 0.4 * rIn, $"extent {ex:0}, {ez:0} in a capillary of radius {rIn:0}");
            // no surface point (a dense random sample) reaches the glass
            var rng = new SimRandom(1);
            for (int k = 0; k < 5000; k++)
            {
                V3 u = rng.UnitVector();
                V3 q = e.ToWorld(new V3(e.A * u.X, e.B * u.Y, e.C * u.Z));
                Assert.True(Math.Sqrt(Math.Pow(q.X - ph.CapillaryXNm, 2) + Math.Pow(q.Z - ph.CapillaryZNm, 2)) < rIn, $"surface point {q} outside the ice");
            }
        }
    }
}
