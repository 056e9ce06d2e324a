using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Simulation;
using SxtSeg.Tests.Cli;
using SxtSeg.Volumes;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Filopodia detection and measurement against known answers: straight rods of known radius and
/// length on a synthetic cell edge (membrane labels as the simulator draws them), the streamed ball
/// morphology against brute force, the mid-membrane cell surface, and a small simulation's truth.
/// </summary>
public sealed class FilopodiaTests
{
    private const double Nm = 10; // voxel size of the synthetic scenes

    private static void Within(double expected, double actual, double relative, string what)
        => Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: expected {expected:G5} ± {relative:P0}, got {actual:G5} ({actual / expected - 1:P2})");

    /// <summary>Three rods (radius 65, 50 and 80 nm; square and slanted by 25° and 20°) on a 460 nm high cell edge.</summary>
    internal static FilopodiaScene ThreeRods()
    {
        static FilopodiaScene.Rod Rod(double y, double deg, double elevDeg, double length, double radius)
        {
            double t = deg * Math.PI / 180, e = elevDeg * Math.PI / 180;
            // axis 0.3 voxel off the voxel grid, so no membrane surface runs exactly through voxel centres
            return new FilopodiaScene.Rod(y, 15 + radius + 3.3, -Math.Cos(t) * Math.Cos(e), Math.Sin(t) * Math.Cos(e), Math.Sin(e), length, radius);
        }
        return new FilopodiaScene(180, 170, 80, 120, 15, 46, new[]
        {
            Rod(35, 0, 0, 70, 6.5),
            Rod(85, -25, 4, 55, 5),
            Rod(130, 20, 2, 60, 8),
        }, Nm);
    }

    [Fact]
    public void RodsOnACellEdgeAreFoundCutAtTheirBaseAndMeasured()
    {
        // Given hollow membrane tubes opening into a cell body, as in membrane labels
        var scene = ThreeRods();
        // When
        var result = FilopodiaAnalysis.Run(scene.Membranes(), VoxelSize.Isotropic(Nm));
        // Then every rod is found once, whole, and measured as a filopodium from its base to its tip
        Assert.Equal(3, result.Counts.Found);
        Assert.Equal(3, result.Counts.InSummary);
        foreach (var rod in scene.Rods)
        {
            // the detection whose base is at the rod's exit from the cell wall
            var f = AssertRodMeasured(scene, result, rod);
            Assert.False(f.CutByFieldOfView);
        }
    }

    [Fact]
    public void AFilopodiumMeasuresTheSameAtAnOriginOfAMillionNanometres()
    {
        // Given the first rod's scene at origin 0 and at (10⁶, 2·10⁶, 3·10⁶) nm (float32 vertices lose
        // a sixteenth of a nm there)
        var scene = ThreeRods();
        var near = scene.Membranes();
        var far = near.Clone();
        far.OriginNm = (1e6, 2e6, 3e6);
        var a = FilopodiaAnalysis.Run(near, VoxelSize.Isotropic(Nm)).Filopodia.OrderBy(f => f.BaseNm.Y).ToList();
        var b = FilopodiaAnalysis.Run(far, VoxelSize.Isotropic(Nm)).Filopodia.OrderBy(f => f.BaseNm.Y).ToList();
        // Then the same membrane, base and closed areas, and lengths (positions move with the origin)
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].SurfaceAreaNm2, b[i].SurfaceAreaNm2, a[i].SurfaceAreaNm2 * 1e-6);
            Assert.Equal(a[i].BaseAreaNm2, b[i].BaseAreaNm2, a[i].BaseAreaNm2 * 1e-6 + 1e-6);
            Assert.Equal(a[i].Measures.SurfaceAreaNm2, b[i].Measures.SurfaceAreaNm2, a[i].Measures.SurfaceAreaNm2 * 1e-6);
            Assert.Equal(a[i].LengthNm, b[i].LengthNm, 1e-3);
        }
    }

    /// <summary>
    /// The one detection based at <paramref name="rod"/>'s exit from the cell wall, with the rod's volume (5 %), membrane
    /// area without the base (6 %), length (4 %), base area (45 %) and tip (within 2 voxels).
    /// </summary>
    internal static Filopodium AssertRodMeasured(FilopodiaScene scene, FilopodiaResult result, FilopodiaScene.Rod rod)
    {
        var f = Assert.Single(result.Filopodia, x => Math.Abs(x.BaseNm.Y / Nm - rod.Y) < 4);
        Assert.InRange(f.BaseNm.X / Nm, scene.EdgeX - 3, scene.EdgeX + 1);
        Within(rod.Volume * Nm * Nm * Nm, f.VolumeNm3, 0.05, "volume");
        Within(rod.Area * Nm * Nm, f.SurfaceAreaNm2, 0.06, "membrane area (base left out)");
        Within(rod.TotalLength * Nm, f.LengthNm, 0.04, "length base to tip");
        Within(Math.PI * rod.Radius * rod.Radius * Nm * Nm, f.BaseAreaNm2, 0.45, "base area");
        var tip = (X: scene.EdgeX + rod.Dx * rod.TotalLength, Y: rod.Y + rod.Dy * rod.TotalLength, Z: rod.Z + rod.Dz * rod.TotalLength);
        double tipError = Math.Sqrt(Math.Pow(f.TipNm.X / Nm - tip.X, 2) + Math.Pow(f.TipNm.Y / Nm - tip.Y, 2) + Math.Pow(f.TipNm.Z / Nm - tip.Z, 2));
        Assert.True(tipError < 2, $"tip {tipError:F1} voxels from the rod's tip");
        return f;
    }

    [Fact]
    public void TheSecondAxisOfAFlatRodsCrossSectionsIsItsWidthPerSlice()
    {
        // Given a horizontal rod (radius r = 6.5 voxels) whose xy cross-sections are strips of width 2√(r² − h²)
        var scene = ThreeRods();
        var rod = scene.Rods[0];
        // When
        var f = FilopodiaAnalysis.Run(scene.Membranes(), VoxelSize.Isotropic(Nm)).Filopodia.Single(x => Math.Abs(x.BaseNm.Y / Nm - rod.Y) < 4);
        // Then the per-slice equivalent-ellipse minor axis of a strip of width w is 2w/√3 (regionprops), averaged over the slices
        var expected = new List<double>();
        for (int z = 0; z < scene.Nz; z++)
        {
            double h = z - rod.Z;
            if (Math.Abs(h) < rod.Radius) expected.Add(2 / Math.Sqrt(3) * 2 * Math.Sqrt(rod.Radius * rod.Radius - h * h) * Nm);
        }
        Within(expected.Average(), f.Measures.SecondAxis2D.Mean, 0.06, "mean 2D second axis");
        Assert.Equal(expected.Count, f.Slices.Count);
    }

    [Fact]
    public void CutStubbyAndLooseProtrusionsAreReportedButNotSummarised()
    {
        // Given a rod running out of the volume, a stub shorter than 200 nm, and a hollow capsule floating in the ice
        var rods = new[]
        {
            new FilopodiaScene.Rod(30, 22, -1, 0, 0, 130, 6),   // reaches x = 0: cut by the field of view
            new FilopodiaScene.Rod(75, 22, -1, 0, 0, 8, 6),     // 80 nm + tip: too short
            new FilopodiaScene.Rod(120, 22, -1, 0, 0, 60, 6),   // a proper filopodium
        };
        var scene = new FilopodiaScene(150, 170, 70, 100, 15, 40, rods, Nm);
        var membranes = scene.Membranes();
        AddHollowCapsule(membranes, (20, 150, 40), (70, 150, 40), 6);
        // When
        var result = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm));
        // Then
        var c = result.Counts;
        Assert.Equal(2, c.Found);
        Assert.Equal(1, c.CutByFieldOfView);
        Assert.Equal(1, c.InSummary);
        Assert.True(c.TooShort >= 1, $"too short: {c.TooShort}");
        Assert.True(c.Detached >= 1, $"detached: {c.Detached}");
        var cut = Assert.Single(result.Filopodia, f => f.CutByFieldOfView);
        Assert.False(cut.InSummary);
        Assert.Equal(0, cut.Box.X0);
        var kept = Assert.Single(result.InSummary);
        Assert.InRange(kept.BaseNm.Y / Nm, 116, 124);
        // and the summary counts only the one in it
        Assert.All(FilopodiaOutputs.Summary(result), r => Assert.True(r.Stats.N <= 1));
        // with the option, the cut one joins the summary
        var all = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm), new FilopodiaOptions { ExcludeCutByFieldOfView = false });
        Assert.Equal(2, all.Counts.InSummary);
    }

    private static void AddHollowCapsule(Volume<byte> v, (double X, double Y, double Z) a, (double X, double Y, double Z) b, double r)
    {
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                {
                    double ux = b.X - a.X, uy = b.Y - a.Y, uz = b.Z - a.Z;
                    double t = Math.Clamp(((x - a.X) * ux + (y - a.Y) * uy + (z - a.Z) * uz) / (ux * ux + uy * uy + uz * uz), 0, 1);
                    double d = Math.Sqrt(Math.Pow(x - a.X - t * ux, 2) + Math.Pow(y - a.Y - t * uy, 2) + Math.Pow(z - a.Z - t * uz, 2)) - r;
                    if (Math.Abs(d) <= 1.25) v[z, y, x] = 1;
                }
    }

    [Fact]
    public void NearAGoldBeadAFilopodiumIsLeftOutOfTheSummary()
    {
        // Given the three rods and a gold bead touching the tip of the first
        var scene = ThreeRods();
        var rod = scene.Rods[0];
        var beads = new Volume<byte>(scene.Nx, scene.Ny, scene.Nz);
        double bx = scene.EdgeX - rod.TotalLength - 5, by = rod.Y, bz = rod.Z;
        for (int z = 0; z < scene.Nz; z++)
            for (int y = 0; y < scene.Ny; y++)
                for (int x = 0; x < scene.Nx; x++)
                    if ((x - bx) * (x - bx) + (y - by) * (y - by) + (z - bz) * (z - bz) <= 16) beads[z, y, x] = 1;
        // When
        var result = FilopodiaAnalysis.Run(MaskStreams.FromVolume(scene.Membranes()), VoxelSize.Isotropic(Nm), extras: new FilopodiaExtras { Beads = MaskStreams.FromVolume(beads) });
        // Then
        Assert.Equal(1, result.Counts.NearBead);
        var near = Assert.Single(result.Filopodia, f => f.NearBead);
        Assert.InRange(near.BaseNm.Y / Nm, rod.Y - 4, rod.Y + 4);
        Assert.Equal(2, result.Counts.InSummary);
    }

    [Fact]
    public void GoldInTheTomogramMarksTheFilopodiumNextToIt()
    {
        // Given the three rods and a tomogram of faint noise with one gold bead (far brighter) at the first rod's tip
        var scene = ThreeRods();
        var rod = scene.Rods[0];
        var tomo = new Volume<float>(scene.Nx, scene.Ny, scene.Nz, VoxelSize.Isotropic(Nm));
        var rng = new Random(2);
        for (int i = 0; i < tomo.Data.Length; i++) tomo.Data[i] = (float)(0.1 + 0.02 * rng.NextDouble());
        double bx = scene.EdgeX - rod.TotalLength - 5;
        for (int z = 0; z < scene.Nz; z++)
            for (int y = 0; y < scene.Ny; y++)
                for (int x = 0; x < scene.Nx; x++)
                    if ((x - bx) * (x - bx) + (y - rod.Y) * (y - rod.Y) + (z - rod.Z) * (z - rod.Z) <= 16) tomo[z, y, x] = 20;
        string path = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-tomo-{Guid.NewGuid():N}.mrc");
        try
        {
            VolumeIO.Write(path, tomo);
            using var reader = VolumeIO.OpenRead(path);
            // When
            var result = FilopodiaAnalysis.Run(MaskStreams.FromVolume(scene.Membranes()), VoxelSize.Isotropic(Nm), extras: new FilopodiaExtras { Tomogram = reader });
            // Then the filopodium at the bead, and only that one, is left out
            var near = Assert.Single(result.Filopodia, f => f.NearBead);
            Assert.InRange(near.BaseNm.Y / Nm, rod.Y - 4, rod.Y + 4);
            Assert.Equal(2, result.Counts.InSummary);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(true, 4.0)]
    [InlineData(false, 4.0)]
    [InlineData(true, 2.6)]
    public void BallErosionAndDilationMatchBruteForce(bool erode, double radiusVoxels)
    {
        // Given a random blob volume with anisotropic voxels
        var voxel = BallBruteForce.Voxel;
        double r = radiusVoxels * 10;
        var v = BallBruteForce.Blobs(22, 18, 14, seed: 5, count: 8, minNm: 20, spanNm: 50);
        // When
        var got = new BallStepStream(MaskStreams.FromVolume(v), voxel, r, erode).ToVolume();
        // Then: erosion keeps voxels with no background (inside the volume) within r; dilation adds voxels within r of foreground
        var expected = BallBruteForce.Step(v, r, erode);
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                    Assert.True(expected[z, y, x] == got[z, y, x], $"voxel ({x}, {y}, {z}): expected {expected[z, y, x]}");
    }

    [Fact]
    public void TheSolidCellEndsAtTheMiddleOfItsMembraneLabels()
    {
        // Given a flat cell between a 2-voxel bottom membrane (z 4–5) and a 3-voxel top membrane (z 20–22), cut by the volume's sides
        // When
        var solid = SolidOfAFlatCell(30, z => z is 4 or 5 or >= 20 and <= 22);
        // Then the cell runs from the inner voxel of the 2-voxel band to the middle voxel of the 3-voxel band
        AssertSolidFromTo(solid, 5, 21);
    }

    /// <summary>The solid cell (<see cref="FilopodiaAnalysis.Masks"/>, no closing) of a 12 × 10 × <paramref name="nz"/> volume whose whole slices z with <paramref name="membrane"/>(z) are membrane.</summary>
    private static Volume<byte> SolidOfAFlatCell(int nz, Func<int, bool> membrane)
    {
        var m = new Volume<byte>(12, 10, nz, VoxelSize.Isotropic(Nm));
        for (int z = 0; z < m.Nz; z++)
            if (membrane(z))
                for (int y = 0; y < m.Ny; y++)
                    for (int x = 0; x < m.Nx; x++) m[z, y, x] = 1;
        var (cells, _) = FilopodiaAnalysis.Masks(MaskStreams.FromVolume(m), VoxelSize.Isotropic(Nm), new FilopodiaOptions { CloseSteps = 0 });
        return cells.ToVolume();
    }

    /// <summary>The solid cell's column at (6, 5) is inside exactly from slice <paramref name="from"/> to slice <paramref name="to"/>.</summary>
    private static void AssertSolidFromTo(Volume<byte> solid, int from, int to)
    {
        for (int z = 0; z < solid.Nz; z++)
            Assert.True((z >= from && z <= to ? 1 : 0) == solid[z, 5, 6], $"slice {z}: {solid[z, 5, 6]}");
    }

    [Fact]
    public void ImpossibleThresholdsAreRefused()
    {
        var m = new Volume<byte>(8, 8, 8, VoxelSize.Isotropic(Nm));
        Assert.Throws<InvalidOptionException>(() => FilopodiaAnalysis.Run(m, VoxelSize.Isotropic(Nm), new FilopodiaOptions { MinDiameterNm = 300, MaxDiameterNm = 250 }));
        Assert.Throws<InvalidOptionException>(() => FilopodiaAnalysis.Run(m, VoxelSize.Isotropic(Nm), new FilopodiaOptions { MinLengthNm = -1 }));
        Assert.Throws<InvalidOptionException>(() => FilopodiaAnalysis.Masks(MaskStreams.FromVolume(m), VoxelSize.Isotropic(Nm), new FilopodiaOptions { MinDiameterNm = 300, MaxDiameterNm = 250 }));
        var flat = Assert.Throws<InvalidOptionException>(() => FilopodiaAnalysis.Run(m, new VoxelSize(10, 10, 0)));
        Assert.Equal((nameof(FilopodiaRunRequest.VoxelSize), "the voxel size must be positive"), (flat.Option, flat.Problem));
    }

    [Fact]
    public void ASimulatedCellEdgeMatchesItsTruth()
    {
        // Given a small simulation of a cell edge with filopodia (seed never used for training; labels only matter, so few tilts)
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 256, Ny = 256, Nz = 160, Seed = 70032 };
        foreach (var s in new[] { "view-offset=1.0", "filopodia-per-micron=4", "tilt-min=-60", "tilt-max=60", "tilt-step=20" }) p = SimulationParameterTable.Set(p, s);
        var sim = Simulator.Simulate(p);
        string dir = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-{Guid.NewGuid():N}");
        try
        {
            sim.Save(dir, new Provenance("test"));
            // When
            var result = FilopodiaAnalysis.Run(sim.Membranes, VoxelSize.Isotropic(p.VoxelSizeNm));
            var accuracy = FilopodiaTruth.Compare(result, dir);
            // Then the targets on exact labels hold
            Assert.True(accuracy.TruthCount >= 4, $"only {accuracy.TruthCount} filopodia in the field of view");
            Assert.True(accuracy.Recall >= 0.95, $"recall {accuracy.Recall:P1}");
            Assert.True(accuracy.Precision >= 0.95, $"precision {accuracy.Precision:P1}");
            Assert.True(accuracy.MedianAbs(m => m.VolumeError) <= 0.05, $"volume {accuracy.MedianAbs(m => m.VolumeError):P1}");
            Assert.True(accuracy.MedianAbs(m => m.AreaError) <= 0.05, $"area {accuracy.MedianAbs(m => m.AreaError):P1}");
            for (int k = 0; k < 3; k++) Assert.True(accuracy.MedianAbs(m => m.AxisError(k)) <= 0.05, $"axis {k}");
            Assert.True(accuracy.MedianAbs(m => m.SecondAxis2DError) <= 0.05, "2D second axis");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void AHeaderVoxelSizeNoCryoSxtTomogramHasIsRefusedUnlessTheSizeIsGiven()
    {
        // Given the three rods' labels written with a header of 1 µm per voxel
        using var tmp = new TempDir();
        var m = ThreeRods().Membranes();
        var truth = m.VoxelSize!.Value;
        m.VoxelSize = VoxelSize.Isotropic(1000);
        string labels = tmp.File("uncal.mrc");
        VolumeIO.Write(labels, m);
        // When measured as it is: refused in one line naming the file, the size and the option, nothing written
        var bad = CliRunner.Run("filopodia", labels, "--out", tmp.File("bad"), "--no-render");
        Assert.Equal(2, bad.ExitCode);
        string line = Assert.Single(bad.Err.Trim().Split('\n'));
        Assert.Contains("uncal.mrc", line);
        Assert.Contains("1000 nm per voxel", line);
        Assert.Contains("--voxel-size", line);
        Assert.False(Directory.Exists(tmp.File("bad")));
        // Then with the true size given, the three filopodia are measured
        var ok = CliRunner.Run("filopodia", labels, "--out", tmp.File("ok"), "--no-render", "--voxel-size", truth.X.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(tmp.File("ok"), "filopodia.csv")).Count(l => !l.StartsWith('#')));
    }

    [Fact]
    public void TheCommandWritesTheTablesAndRefusesBadThresholds()
    {
        // Given membrane labels of the three rods in a file
        string dir = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string labels = Path.Combine(dir, "membranes.mrc");
            VolumeIO.Write(labels, ThreeRods().Membranes());
            // When
            var ok = CliRunner.Run("filopodia", labels, "--out", Path.Combine(dir, "out"), "--no-render");
            var bad = CliRunner.Run("filopodia", labels, "--out", Path.Combine(dir, "bad"), "--min-diameter", "400");
            // Then
            Assert.True(ok.ExitCode == 0, ok.Err);
            foreach (var f in new[] { "filopodia.csv", "slices.csv", "summary.md", "summary.csv", "filopodia.json" })
                Assert.True(File.Exists(Path.Combine(dir, "out", f)), f);
            var rows = File.ReadAllLines(Path.Combine(dir, "out", "filopodia.csv")).Where(l => !l.StartsWith('#')).ToArray();
            Assert.Equal(4, rows.Length); // header and three filopodia
            Assert.Contains("| Volume (nm³) |", File.ReadAllText(Path.Combine(dir, "out", "summary.md")));
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("--min-diameter", bad.Err);
            Assert.False(Directory.Exists(Path.Combine(dir, "bad")));
            // a probability map of the same rods is read with --above, as measure and components read it
            var m = ThreeRods().Membranes();
            var prob = new Volume<float>(m.Nx, m.Ny, m.Nz, m.VoxelSize);
            for (int i = 0; i < prob.Length; i++) prob.Data[i] = m.Data[i] != 0 ? 0.8f : 0.2f;
            string probPath = Path.Combine(dir, "prob.mrc");
            VolumeIO.Write(probPath, prob);
            var above = CliRunner.Run("filopodia", probPath, "--above", "0.5", "--out", Path.Combine(dir, "above"), "--no-render");
            Assert.True(above.ExitCode == 0, above.Err);
            Assert.Equal(File.ReadAllLines(Path.Combine(dir, "out", "filopodia.csv")).Length, File.ReadAllLines(Path.Combine(dir, "above", "filopodia.csv")).Length);
            var old = CliRunner.Run("filopodia", probPath, "--threshold", "0.5", "--out", Path.Combine(dir, "old"), "--no-render");
            Assert.True(old.ExitCode == 0, old.Err);
            Assert.Contains("--above", old.Err); // the old name still works, with a note of the new one
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Two rods (radius 65 and 55 nm) on a cell whose top and bottom membranes are not labelled (face-on,
    /// within 25° of z, inside the missing wedge of a ±65° tilt series, as a network trained on what slices show draws them; the rods lose their top and
    /// bottom too), the body a box inside the field of view or cut by it.
    /// </summary>
    private static FilopodiaScene OpenCell(bool insideFieldOfView) => new(150, 140, 76, 70, 14, 44, new[]
    {
        new FilopodiaScene.Rod(40.3, 14 + 6.5 + 3.3, -Math.Cos(5 * Math.PI / 180), 0, Math.Sin(5 * Math.PI / 180), 50, 6.5),
        new FilopodiaScene.Rod(95.3, 14 + 5.5 + 4.3, -0.906, 0.423, 0, 50, 5.5),
    }, Nm)
    {
        FaceOnDegrees = 25,
        FarX = insideFieldOfView ? 138 : double.PositiveInfinity,
        BodyY = insideFieldOfView ? (12, 128) : (double.NegativeInfinity, double.PositiveInfinity),
    };

    private static void AssertRodsFound(FilopodiaScene scene, FilopodiaResult result, double volumeTolerance = 0.15)
    {
        Assert.Equal(scene.Rods.Count, result.Counts.InSummary);
        foreach (var rod in scene.Rods)
        {
            var f = Assert.Single(result.Filopodia, x => Math.Abs(x.BaseNm.Y / Nm - rod.Y) < 4);
            // the rods' face-on top and bottom are not labelled: the fill loses what lies above their side walls
            // (the criterion on a network's labels is 15 %)
            Within(rod.Volume * Nm * Nm * Nm, f.VolumeNm3, volumeTolerance, "volume");
            Within(rod.TotalLength * Nm, f.LengthNm, 0.06, "length base to tip");
        }
    }

    [Fact]
    public void OpenLabelsAreFilledSliceBySliceAndTheRodsFound()
    {
        // Given a cell inside the field of view whose top and bottom membranes are missing
        var scene = OpenCell(insideFieldOfView: true);
        var membranes = scene.Membranes();
        // When filled in 3D, the outside floods the cell through its open top: nothing is found
        var flooded = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm), new FilopodiaOptions { Fill = FillMode.Volume });
        Assert.Equal(0, flooded.Counts.Found);
        // When filled automatically, the open labels are noticed and filled slice by slice
        var result = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm));
        // Then both rods are found and measured
        Assert.Contains("slice by slice", result.OutsideRule);
        AssertRodsFound(scene, result);
        // and the cell is the box (to the middle of its side walls; its top and bottom, unlabelled, from the side walls' ends)
        double box = (138 - 70) * (128 - 12) * 44.0;
        Within(box, result.CellVoxels, 0.08, "cell volume");
    }

    [Fact]
    public void ACellCutByTheFieldOfViewIsClosedByARoughCellMask()
    {
        // Given open labels of a cell cut by the field of view (its slices touch the border) and a rough mask of its body
        var scene = OpenCell(insideFieldOfView: false);
        var membranes = scene.Membranes();
        var mask = scene.BodyMask(0);
        // When
        var withMask = FilopodiaAnalysis.Run(MaskStreams.FromVolume(membranes), VoxelSize.Isotropic(Nm), extras: new FilopodiaExtras { CellMask = MaskStreams.FromVolume(mask) });
        var without = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm));
        // Then the mask closes the body in every slice and both rods are found on it; without it the body is outside
        // (the body ends at the mask's edge there, not at the middle of the membrane: up to 20 % of volume is lost at the base)
        AssertRodsFound(scene, withMask, 0.20);
        Assert.Contains("the given cell mask is inside and a wall", withMask.OutsideRule);
        Assert.Equal(0, without.Counts.InSummary);
    }

    [Fact]
    public void AGenerousCellMaskIsErodedByItsMarginSoTheRodsKeepTheirBases()
    {
        // Given the three rods and a hand-drawn cell mask that overreaches the body by 9 voxels (90 nm: within the default 100 nm
        // margin; its core, the mask eroded by 10 voxels, lies a voxel inside the body, so no inside is left between core and walls)
        var scene = ThreeRods();
        var membranes = scene.Membranes();
        var mask = scene.BodyMask(9);
        FilopodiaResult Run(double marginNm) => FilopodiaAnalysis.Run(MaskStreams.FromVolume(membranes), VoxelSize.Isotropic(Nm),
            new FilopodiaOptions { CellMaskMarginNm = marginNm }, extras: new FilopodiaExtras { CellMask = MaskStreams.FromVolume(mask) });
        // When
        var eroded = Run(100);
        var raw = Run(0);
        // Then the mask, eroded by its margin, lies inside the body: the cell is filled in 3D (whether the labels are open is
        // judged on the labels alone, without the core), and every rod is based at the cell wall and measured whole
        Assert.DoesNotContain("slice by slice", eroded.OutsideRule);
        Assert.Equal(3, eroded.Counts.InSummary);
        foreach (var rod in scene.Rods) AssertRodMeasured(scene, eroded, rod);
        // while the mask taken as it is claims the rods' first 9 voxels for the cell: their bases move out to its edge
        foreach (var rod in scene.Rods)
        {
            var f = Assert.Single(raw.Filopodia, x => Math.Abs(x.BaseNm.Y / Nm - rod.Y) < 8); // a slanted rod's base moves along y too
            Assert.True(f.BaseNm.X / Nm < scene.EdgeX - 4, $"base at x = {f.BaseNm.X / Nm:F1}, the mask's edge is at {scene.EdgeX - 9}");
        }
    }

    [Fact]
    public void AMembraneBandThickerThanTheMaximumKeepsAllButItsOuterVoxelsAndOneAsThinIsSplitInTheMiddle()
    {
        // Given a flat cell between a 12-voxel bottom band (z 4–15; 120 nm, thicker than the 80 nm maximum) and a 2-voxel top band (z 24–25)
        // When
        var solid = SolidOfAFlatCell(32, z => z is >= 4 and <= 15 or 24 or 25);
        // Then the thick band's voxels within the 40 nm reach of the inside (z 12–15) are nearer to it than to the outside, those
        // beyond the reach are kept when more than 1.5 voxels from the outside (z 5–11); the thin band is split (z 24 in, 25 out)
        AssertSolidFromTo(solid, 5, 24);
    }

    [Fact]
    public void TheCellAndProtrusionMasksCanBeReadInTurn()
    {
        // Given the masks of the three-rod scene, read one after the other
        var scene = ThreeRods();
        var (cells, protrusions) = FilopodiaAnalysis.Masks(MaskStreams.FromVolume(scene.Membranes()), VoxelSize.Isotropic(Nm));
        var cellsAlone = cells.ToVolume();
        var protrusionsAlone = protrusions.ToVolume();
        Assert.Contains(protrusionsAlone.Data, v => v != 0);
        // When both are read again a slice of each in turn (as a viewer writing both files slice by slice does)
        cells.Reset();
        protrusions.Reset();
        var info = cells.Info;
        var c = new byte[info.SliceLength];
        var p = new byte[info.SliceLength];
        for (int z = 0; z < info.Nz; z++)
        {
            cells.ReadNext(c);
            protrusions.ReadNext(p);
            // Then every slice is the one read alone
            Assert.True(c.AsSpan().SequenceEqual(cellsAlone.Data.AsSpan(z * (int)info.SliceLength, (int)info.SliceLength)), $"cells, slice {z}");
            Assert.True(p.AsSpan().SequenceEqual(protrusionsAlone.Data.AsSpan(z * (int)info.SliceLength, (int)info.SliceLength)), $"protrusions, slice {z}");
        }
    }

    [Fact]
    public void TheProtrusionMaskHoldsTheRodsOutsideTheBodyAndNothingOfTheBody()
    {
        // Given the three rods (diameters 100–160 nm, between the 60 nm minimum and the 250 nm maximum) on a 460 nm high body
        var scene = ThreeRods();
        var truth = scene.InstanceMask();
        // When
        var (_, protrusions) = FilopodiaAnalysis.Masks(MaskStreams.FromVolume(scene.Membranes()), VoxelSize.Isotropic(Nm));
        var p = protrusions.ToVolume();
        // Then the protrusions are the rods' protruding parts (to the middle of their membranes): Dice against the truth
        long both = 0, inP = 0, inT = 0, bodyDeep = 0;
        for (int z = 0; z < p.Nz; z++)
            for (int y = 0; y < p.Ny; y++)
                for (int x = 0; x < p.Nx; x++)
                {
                    bool a = p[z, y, x] != 0, b = truth[z, y, x] != 0;
                    if (a) inP++;
                    if (b) inT++;
                    if (a && b) both++;
                    if (a && scene.Body(x, y, z) < -3) bodyDeep++;
                }
        double dice = 2.0 * both / (inP + inT);
        Assert.True(dice > 0.85, $"Dice {dice:F3} ({inP} predicted, {inT} true, {both} both)");
        Assert.Equal(0, bodyDeep);
        // and every rod's axis is in the mask from 10 voxels beyond the wall to 5 short of its tip cap's centre
        foreach (var rod in scene.Rods)
            for (double t = 10; t <= rod.Length - 5; t += 5)
            {
                int x = (int)Math.Round(scene.EdgeX + rod.Dx * t), y = (int)Math.Round(rod.Y + rod.Dy * t), z = (int)Math.Round(rod.Z + rod.Dz * t);
                Assert.True(p[z, y, x] != 0, $"rod at y {rod.Y}: axis point {t} voxels out ({x}, {y}, {z}) not in the mask");
            }
    }

    [Fact]
    public void ACellOnALabelledSupportFilmIsStillTheInsideOfWhatTheTopFaceCannotReach()
    {
        // Given the three rods' cell (cut by the volume's x face) lying on a support film labelled as membrane (slices 0–1)
        var scene = ThreeRods();
        var membranes = scene.Membranes();
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < membranes.Ny; y++)
                for (int x = 0; x < membranes.Nx; x++) membranes[z, y, x] = 1;
        // When
        var result = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(Nm));
        // Then only the background above the cell reaches a z face: it is the outside, and the cell that touches the x face is not
        Assert.StartsWith("outside = background connected to the top or bottom face", result.OutsideRule);
        Assert.Equal(3, result.Counts.InSummary);
        foreach (var rod in scene.Rods) AssertRodMeasured(scene, result, rod);
    }

    [Fact]
    public void WithoutBackgroundAtTheTopOrBottomTheOutsideIsWhatReachesAnyFace()
    {
        // Given a closed box cell (2-voxel walls at x, y 10–11 and 40–41, z 5–6 and 25–26) between two membrane slabs that cover
        // the volume's top and bottom faces
        var m = new Volume<byte>(52, 52, 32, VoxelSize.Isotropic(Nm));
        for (int z = 0; z < m.Nz; z++)
            for (int y = 0; y < m.Ny; y++)
                for (int x = 0; x < m.Nx; x++)
                {
                    bool slab = z == 0 || z == m.Nz - 1;
                    bool inBox = x is >= 10 and <= 41 && y is >= 10 and <= 41 && z is >= 5 and <= 26;
                    bool wall = inBox && (x is <= 11 or >= 40 || y is <= 11 or >= 40 || z is <= 6 or >= 25);
                    if (slab || wall) m[z, y, x] = 1;
                }
        // When
        var result = FilopodiaAnalysis.Run(m, VoxelSize.Isotropic(Nm));
        // Then the background between the slabs reaches the x and y faces and is the outside: the cell is the box to the middle of
        // its walls (the inner voxel of each 2-voxel wall), 30 × 30 × 20 voxels
        Assert.StartsWith("no background reaches the top or bottom face", result.OutsideRule);
        Assert.Equal(30 * 30 * 20, result.CellVoxels);
    }
}
