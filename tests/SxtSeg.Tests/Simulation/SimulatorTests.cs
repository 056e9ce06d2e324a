using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

/// <summary>One small simulated tomogram shared by the tests of this class.</summary>
public sealed class SimulatedCellFixture
{
    public SimulatedCellFixture()
    {
        Parameters = SimulationParameters.FromProfile("bessy-u41") with { Nx = 96, Ny = 96, Nz = 96, Seed = 3, ViewOffset = 0.9 };
        Result = Simulator.Simulate(Parameters);
    }

    public SimulationParameters Parameters { get; }

    public SimulationResult Result { get; }
}

public sealed class SimulatorTests : IClassFixture<SimulatedCellFixture>
{
    private readonly SimulationResult _r;

    public SimulatorTests(SimulatedCellFixture f) => _r = f.Result;

    [Fact]
    public void TheFieldOfViewHoldsACellWithOrganelles()
    {
        var kinds = _r.Objects.Select(o => o.Class).ToHashSet();
        Assert.Contains(SimClass.Cytoplasm, kinds);
        Assert.True(_r.Objects.Count >= 5, $"{_r.Objects.Count} objects");
        Assert.True(PhantomTestKit.Count(_r.Classes, (byte)SimClass.Cytoplasm) > 1000);
        Assert.True(PhantomTestKit.Count(_r.Membranes, (byte)1) > 1000);
        // organelles: membrane-bounded compartments with voxels in the field of view
        var organelles = new[] { SimClass.Mitochondrion, SimClass.EndoplasmicReticulum, SimClass.Vesicle, SimClass.Endosome, SimClass.LipidDroplet };
        Assert.True(organelles.Sum(c => PhantomTestKit.Count(_r.Classes, (byte)c)) > 500, "no organelle voxels");
        Assert.True(_r.Objects.Count(o => organelles.Contains(o.Class)) >= 2, "fewer than two organelles");
    }

    [Fact]
    public void InstanceIdsMatchTheTruthAndTheClassMap()
    {
        var byId = _r.Objects.ToDictionary(o => o.Id);
        var seen = new HashSet<int>();
        for (long i = 0; i < _r.Instances.Length; i++)
        {
            int id = _r.Instances.Data[i];
            if (id == 0)
            {
                Assert.True(_r.Classes.Data[i] is (byte)SimClass.Ice or (byte)SimClass.Vacuum or (byte)SimClass.Glass);
                continue;
            }
            Assert.True(byId.TryGetValue(id, out var o), $"instance {id} not in truth");
            Assert.Equal((byte)o!.Class, _r.Classes.Data[i]);
            seen.Add(id);
        }
        Assert.True(seen.Count >= _r.Objects.Count / 2, $"{seen.Count} of {_r.Objects.Count} objects have voxels");
    }

    [Fact]
    public void EveryMembraneBoundedInterfaceIsLabelled()
    {
        // Wherever the class changes along x between ice/cytoplasm and a membrane-bounded compartment, one of the two voxels is membrane.
        var c = _r.Classes;
        int checkedPairs = 0;
        for (int z = 0; z < c.Nz; z++)
            for (int y = 0; y < c.Ny; y++)
                for (int x = 0; x + 1 < c.Nx; x++)
                {
                    var a = (SimClass)c[z, y, x];
                    var b = (SimClass)c[z, y, x + 1];
                    if (a == b || !Bounded(a, b)) continue;
                    checkedPairs++;
                    Assert.True(_r.Membranes[z, y, x] == 1 || _r.Membranes[z, y, x + 1] == 1, $"{a}|{b} at ({x},{y},{z}) unlabelled");
                }
        Assert.True(checkedPairs > 100);
    }

    private static bool Bounded(SimClass a, SimClass b)
    {
        static bool Outer(SimClass s) => s is SimClass.Ice or SimClass.Vacuum;
        static bool Organelle(SimClass s) => s is SimClass.Mitochondrion or SimClass.EndoplasmicReticulum or SimClass.Vesicle or SimClass.Endosome or SimClass.LipidDroplet;
        if (Outer(a) && (b is SimClass.Cytoplasm or SimClass.Filopodium)) return true;
        if (Outer(b) && (a is SimClass.Cytoplasm or SimClass.Filopodium)) return true;
        return (a == SimClass.Cytoplasm && Organelle(b)) || (b == SimClass.Cytoplasm && Organelle(a));
    }

    [Fact]
    public void TruthMeasuresAgreeWithTheVoxelisedObjects()
    {
        // Uncut spheres and tubes large enough to count (≥ 400 voxels), without children: voxel count within 8 % of the analytic volume
        double voxel = Math.Pow(_r.Parameters.VoxelSizeNm, 3);
        var counts = new Dictionary<int, long>();
        foreach (ushort id in _r.Instances.Data) if (id != 0) counts[id] = counts.GetValueOrDefault(id) + 1;
        var parents = _r.Objects.Where(o => o.ParentId != 0).Select(o => o.ParentId).ToHashSet();
        int compared = 0;
        foreach (var o in _r.Objects)
        {
            Assert.True(o.VolumeNm3 > 0 && o.SurfaceAreaNm2 > 0);
            Assert.True(o.AxisLengthsNm[0] >= o.AxisLengthsNm[1] && o.AxisLengthsNm[1] >= o.AxisLengthsNm[2]);
            if (o.CutByFieldOfView || parents.Contains(o.Id) || o.Class is SimClass.Filopodium or SimClass.Cytoplasm or SimClass.GoldBead) continue;
            if (o.VolumeNm3 / voxel < 400) continue;
            double v = counts.GetValueOrDefault(o.Id) * voxel;
            Assert.True(Math.Abs(v / o.VolumeNm3 - 1) < 0.08, $"object {o.Id} ({o.Kind}): voxelised {v:E3} vs truth {o.VolumeNm3:E3}");
            compared++;
        }
        Assert.True(compared >= 1, "no object to compare");
    }

    [Fact]
    public void ReconstructionResemblesTheSpecimen()
    {
        // The reconstruction correlates with the true LAC of the phantom inside the ice (noise, PSF and the
        // missing wedge blur it, but it must clearly follow it), and gold is far above cytoplasm.
        var ph = _r.Phantom;
        var renderer = new PhantomRenderer(ph);
        var row = new PhantomRow(ph);
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long n = 0;
        for (int y = 0; y < ph.Ny; y += 3)
        {
            renderer.RenderRow(y, row, false);
            for (int z = 0; z < ph.Nz; z++)
            {
                if (z * ph.VoxelNm < ph.SlabLoNm || z * ph.VoxelNm > ph.SlabHiNm) continue;
                for (int x = 0; x < ph.Nx; x++)
                {
                    double t = Math.Min(row.Lac[z * ph.Width + x + ph.MarginX], 1.0), v = _r.Tomogram[z, y, x];
                    sx += t; sy += v; sxx += t * t; syy += v * v; sxy += t * v; n++;
                }
            }
        }
        double cov = sxy / n - sx / n * (sy / n), corr = cov / Math.Sqrt((sxx / n - Math.Pow(sx / n, 2)) * (syy / n - Math.Pow(sy / n, 2)));
        Assert.True(corr > 0.25, $"correlation {corr:0.000}");
        Assert.All(_r.Tomogram.Data, v => Assert.True(float.IsFinite(v)));
        // and the mitochondria (0.35/µm) stand clearly above the cytoplasm (0.27/µm) they sit in (the
        // ice beside the cell is not compared: the missing wedge smears the cell's mass over it)
        double Mean(SimClass c)
        {
            double sum = 0;
            long count = 0;
            for (long i = 0; i < _r.Classes.Length; i++)
                if (_r.Classes.Data[i] == (byte)c && _r.Membranes.Data[i] == 0) { sum += _r.Tomogram.Data[i]; count++; }
            Assert.True(count > 200, $"only {count} voxels of {c}");
            return sum / count;
        }
        double cytoplasm = Mean(SimClass.Cytoplasm), mito = Mean(SimClass.Mitochondrion);
        Assert.True(mito > 1.2 * cytoplasm, $"cytoplasm {cytoplasm:0.000}, mitochondria {mito:0.000}");
    }

    [Fact]
    public void SameSeedGivesIdenticalVoxelsAndAnotherSeedDoesNot()
    {
        var p = SimulationParameters.FromProfile("alba-mistral") with { Nx = 40, Ny = 24, Nz = 32, Seed = 9, TiltStepDeg = 3 };
        var a = Simulator.Simulate(p);
        var b = Simulator.Simulate(p);
        var c = Simulator.Simulate(p with { Seed = 10 });
        Assert.Equal(a.Tomogram.Data, b.Tomogram.Data);
        Assert.Equal(a.Membranes.Data, b.Membranes.Data);
        Assert.Equal(a.Instances.Data, b.Instances.Data);
        Assert.Equal(a.TruthJson(new Provenance("t")), b.TruthJson(new Provenance("t")));
        Assert.NotEqual(a.Tomogram.Data, c.Tomogram.Data);
    }

    [Fact]
    public void AFullFieldIsCutIntoDepthBandsOfAtMostHalfTheDepthOfFocus()
    {
        // Given BESSY's optics (Δr 25 nm at 517 eV: λ = 1239.84 / 517 = 2.3981 nm, NA = λ / 50 nm,
        // DOF = λ / NA² = 1042.5 nm) and a field as wide as the paper's, 1324 px of 9.8 nm
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 1324, Ny = 8, Nz = 32, Seed = 5 };
        var acq = new Acquisition(p, p.Nx, p.Ny, Phantom.Build(p));
        Assert.Equal(1042.5, p.DepthOfFocusNm, 0.1);
        // Then at 65° the beam crosses ≥ 1324 · sin 65° · 9.8 nm = 11,759 nm = 22.6 half-DOFs: ≥ 23 bands
        int last = acq.Actual.Length - 1;
        Assert.True(acq.Bands[last].Count >= 23, $"{acq.Bands[last].Count} bands at {acq.Actual[last]:F1}°");
        double sigma0 = 0.437 * 25 / 9.8, nearest = double.MaxValue;
        for (int a = 0; a < acq.Actual.Length; a++)
            Assert.True(acq.Bands[a].Step * 9.8 <= 1042.5 / 2 + 1e-6, $"band of {acq.Bands[a].Step * 9.8:F0} nm at {acq.Actual[a]:F1}°");
        // and the band nearest the focus is at most a quarter DOF from it: σ ≤ σ0 √(1 + (2 · ¼)²) = 1.118 σ0
        // (with 6 bands of 2 µm it was 1 µm away: 2.24 σ0)
        foreach (double s in acq.BandSigmaPx[last]) nearest = Math.Min(nearest, s);
        Assert.InRange(nearest, sigma0 * 0.999, sigma0 * 1.119);
    }

    [Fact]
    public void OutputDoesNotDependOnTheSlabPartitionWhenThePsfOutgrowsThePhantomMargin()
    {
        // Given a tomogram focused 8 µm away from the specimen (σ ≈ 1.1 px · √(1 + (2 · 8 / 1.04)²)
        // ≈ 17 px, so the PSF's 3.5 σ far outgrows the phantom's 31-row margin along y) with a
        // detector blur of 2 px (radius 8), without photon noise (whose integer counts would hide
        // small differences), simulated in slabs of 16 rows and of 64 rows
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 200, Ny = 64, Nz = 64, Seed = 1, TiltStepDeg = 5, FocusOffsetNm = 8000, DetectorBlurPx = 2 };
        p = p.NoiseFreeTwin() with { KeepTiltSeries = true };
        var ph = Phantom.Build(p);
        var a = Simulator.Simulate(ph, null, default, 16);
        var b = Simulator.Simulate(ph, null, default, 64);
        double maxSigma = a.Acquisition.BandSigmaPx.Max(s => s.Max());
        Assert.True(3.5 * maxSigma > ph.HaloY, $"the premise: the PSF (σ {maxSigma:F1} px) outgrows the {ph.HaloY}-row margin");
        // Then every voxel and every detector pixel is identical
        Assert.Equal(a.TiltSeries!.Data, b.TiltSeries!.Data);
        Assert.Equal(a.Tomogram.Data, b.Tomogram.Data);
        // And so where the halo is limited to 40 rows (3.5 σ ≈ 64 rows would be needed), so the
        // PSF along y is cut to the halo less the detector blur's radius (before that cut, rows
        // beside a slab's edge differed)
        var ac = Simulator.Simulate(ph, null, default, 16, maxHaloRows: 40);
        var bc = Simulator.Simulate(ph, null, default, 64, maxHaloRows: 40);
        Assert.Equal(ac.TiltSeries!.Data, bc.TiltSeries!.Data);
        Assert.Equal(ac.Tomogram.Data, bc.Tomogram.Data);
    }

    [Fact]
    public void ADefocusedBeadIsBlurredAsFarAlongTheTiltAxisAsAcrossIt()
    {
        // Given one gold bead (radius 30 nm) at the centre of an empty 128 × 128 field at 10 nm,
        // imaged at −1°, 0° and 1° with the focus 8 µm away (σ ≈ 1.1 px · √(1 + (2 · 8 / 1.04)²)
        // ≈ 17 px, so the PSF reaches 3.5 σ ≈ 60 px, beyond the phantom's 30-row margin), without
        // noise, shifts, jitter, flat-field pattern or detector blur
        var p = PhantomTestKit.Small(128, 128, 32) with
        {
            FocusOffsetNm = 8000, TiltMinDeg = -1, TiltMaxDeg = 1, TiltStepDeg = 1, Photons = 0, Flicker = 0, ReadNoise = 0,
            ShiftPx = 0, AngleJitterDeg = 0, FlatFieldVariation = 0, FlatFieldDriftPx = 0, DetectorBlurPx = 0, KeepTiltSeries = true,
        };
        var bead = new SimObject(SimClass.GoldBead, "gold fiducial", new SphereShape(new V3(640, 640, 160), 30), p.GoldLac) { Content = ContentKind.Constant };
        var ph = Phantom.Create(p, new[] { bead });
        var r = Simulator.Simulate(ph);
        double sigma = r.Acquisition.BandSigmaPx[1].Max();
        Assert.True(3.5 * sigma > ph.HaloY + 10, "the premise: the PSF reaches beyond the phantom's margin");
        Assert.True(Acquisition.Kernel(sigma, 0, int.MaxValue).Length / 2 < 64, "the premise: across the axis the PSF is not cut at half the detector either");
        // When the 0° projection's attenuation −ln T is read 40 px from the bead along x (across
        // the tilt axis) and along y (the tilt axis), and 60 px away as the background
        var t = r.TiltSeries!;
        double At(int x, int y) => -Math.Log(t[1, y, x]);
        double background = At(4, 4), alongX = At(64 + 40, 64) - background, alongY = At(64, 64 + 40) - background;
        // Then the Gaussian PSF spreads the bead equally both ways: 40 px ≈ 2.4 σ still holds a
        // clear share of it (when the PSF along y stopped at the margin, nothing reached 40 px)
        Assert.True(alongX > 1e-5, $"attenuation 40 px across the axis {alongX}");
        Assert.InRange(alongY / alongX, 0.99, 1.01);
    }

    [Theory]
    // budget 1000 B, halo 10 rows of 20 B each side: 600 B left for rows of 20 + 5 B → 24 rows
    [InlineData(1000, 10, 8, 20, 5, 24)]
    // 23 rows would fit: rounded down to a multiple of the 8 lanes → 16
    [InlineData(975, 10, 8, 20, 5, 16)]
    // the halo alone fills the budget: one batch of lanes
    [InlineData(400, 10, 8, 20, 5, 8)]
    [InlineData(300, 10, 8, 20, 5, 8)]
    // a large budget is capped at 128 rows
    [InlineData(1_000_000, 10, 8, 20, 5, 128)]
    public void TheSlabHeightCountsTheHaloRowsInTheMemoryBudget(long budget, int halo, int lanes, long rasterised, long output, int expected)
        => Assert.Equal(expected, Simulator.SlabRowsFor(budget, halo, lanes, rasterised, output));

    [Fact]
    public void OutputDoesNotDependOnTheSlabPartition()
    {
        // Given the same phantom simulated in slabs of 16 rows and of 96 rows (several
        // batches), with several depth-of-focus bands per projection
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 200, Ny = 100, Nz = 64, Seed = 1, TiltStepDeg = 2, KeepTiltSeries = true };
        var ph = Phantom.Build(p);
        var a = Simulator.Simulate(ph, null, default, 16);
        var b = Simulator.Simulate(ph, null, default, 96);
        Assert.True(a.Acquisition.BandCount >= 3);
        // Then every voxel is identical
        Assert.Equal(a.Tomogram.Data, b.Tomogram.Data);
        Assert.Equal(a.TiltSeries!.Data, b.TiltSeries!.Data);
        Assert.Equal(a.Membranes.Data, b.Membranes.Data);
        Assert.Equal(a.Instances.Data, b.Instances.Data);
    }

    [Fact]
    public void CapillaryGeometryHasNoMissingWedgeAndAGlassWall()
    {
        // ALS XM-2: a suspended cell in a capillary, full ±90° rotation
        var p = SimulationParameters.FromProfile("als-xm2") with { Nx = 64, Ny = 24, Nz = 64, TiltStepDeg = 6, Seed = 2, CellRadiusNm = 600 };
        var r = Simulator.Simulate(p);
        Assert.Equal(0, r.Phantom.MarginX);
        // no missing wedge: the tilts span the full ±90° (step 6°)
        Assert.Equal(-90, r.Acquisition.Nominal.Min());
        Assert.True(r.Acquisition.Nominal.Max() >= 84, $"tilts end at {r.Acquisition.Nominal.Max()}°");
        Assert.Equal(31, r.Acquisition.Nominal.Length);
        Assert.True(PhantomTestKit.Count(r.Classes, (byte)SimClass.Glass) > 0);
        Assert.True(PhantomTestKit.Count(r.Classes, (byte)SimClass.Cytoplasm) > 0);
        Assert.Contains(r.Objects, o => o.Kind == "suspended cell");
    }
}
