using SxtSeg.Measurement;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Parts of the filopodium analysis on volumes of a few voxels, with hand-computed answers: the
/// geodesic distance that finds the tip and traces the centre line, and the regrowth of a
/// protrusion's surface within the cell's thin parts. Milliseconds each, so that a mutation run
/// can afford them (the scene tests take seconds).
/// </summary>
public sealed class FilopodiumAnalyzerPartsTests
{
    private static Volume<byte> Full(int nx, int ny, int nz)
    {
        var v = new Volume<byte>(nx, ny, nz);
        Array.Fill(v.Data, (byte)1);
        return v;
    }

    private static bool[] Seed(Volume<byte> v, int x, int y, int z)
    {
        var s = new bool[v.Data.Length];
        s[(z * v.Ny + y) * v.Nx + x] = true;
        return s;
    }

    [Fact]
    public void GeodesicStepsHaveTheirEuclideanLengthsInAnisotropicVoxels()
    {
        // Given a full 6 × 5 × 4 block of 10 × 12 × 15 nm voxels, seeded at its corner
        var v = new VoxelSize(10, 12, 15);
        var m = Full(6, 5, 4);
        var d = FilopodiumAnalyzer.Geodesic(m, Seed(m, 0, 0, 0), v);
        float At(int x, int y, int z) => d[(z * m.Ny + y) * m.Nx + x];
        // Then straight runs cost their voxel size per step
        Assert.Equal(0f, At(0, 0, 0));
        Assert.Equal(50f, At(5, 0, 0), 3);
        Assert.Equal(48f, At(0, 4, 0), 3);
        Assert.Equal(45f, At(0, 0, 3), 3);
        // a face diagonal √(10² + 12²) = 15.620 per step, a body diagonal √(10² + 12² + 15²) = 21.656
        Assert.Equal(3 * Math.Sqrt(244), At(3, 3, 0), 3);
        Assert.Equal(3 * Math.Sqrt(469), At(3, 3, 3), 3);
        // and a mixed move takes the cheapest combination: (4, 1, 0) = one diagonal + three x steps
        Assert.Equal(Math.Sqrt(244) + 30, At(4, 1, 0), 3);
    }

    [Fact]
    public void GeodesicDistanceGoesAroundAWallAndNeverThroughTheBackground()
    {
        // Given a 5 × 5 slice with a wall at x = 2 open only at y = 4, 1 nm voxels, seeded at (0, 0)
        var m = Full(5, 5, 1);
        for (int y = 0; y < 4; y++) m[0, y, 2] = 0;
        var d = FilopodiumAnalyzer.Geodesic(m, Seed(m, 0, 0, 0), VoxelSize.Isotropic(1));
        // Then (4, 0) is reached through the opening: 2 diagonals + 2 steps up to (2, 4), the same down
        Assert.Equal(4 * Math.Sqrt(2) + 4, d[4], 4);
        // the wall itself is never reached
        Assert.True(float.IsPositiveInfinity(d[2]));
        // and a voxel cut off from the seed stays unreached
        var cut = Full(5, 5, 1);
        for (int y = 0; y < 5; y++) cut[0, y, 2] = 0;
        var dc = FilopodiumAnalyzer.Geodesic(cut, Seed(cut, 0, 0, 0), VoxelSize.Isotropic(1));
        Assert.True(float.IsPositiveInfinity(dc[4]));
        Assert.Equal(1f, dc[1], 4);
    }

    [Fact]
    public void SeveralSeedsGiveTheDistanceToTheNearest()
    {
        var m = Full(9, 1, 1);
        var seeds = new bool[9];
        seeds[0] = seeds[8] = true;
        var d = FilopodiumAnalyzer.Geodesic(m, seeds, VoxelSize.Isotropic(2));
        Assert.Equal(new float[] { 0, 2, 4, 6, 8, 6, 4, 2, 0 }, d);
    }

    private static ProtrusionCrop Crop(Volume<byte> protrusion, Volume<byte> thin, Volume<byte> protrusions)
        => new(new VoxelBox(0, 0, 0, protrusion.Nx - 1, protrusion.Ny - 1, protrusion.Nz - 1), protrusion, new Volume<byte>(protrusion.Nx, protrusion.Ny, protrusion.Nz), thin, protrusions, null);

    [Fact]
    public void RegrowthIsTwoCubeDilationsWithinTheThinPartsAndAwayFromOtherProtrusions()
    {
        // Given a one-voxel protrusion at the centre of a 9³ crop
        var k = new Volume<byte>(9, 9, 9);
        k[4, 4, 4] = 1;
        // When everything is thin and there are no other protrusions
        var grown = FilopodiumAnalyzer.Regrow(Crop(k, Full(9, 9, 9), new Volume<byte>(9, 9, 9)));
        // Then it grows to the 5 × 5 × 5 cube around it (two 26-neighbour steps)
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 9; x++)
                {
                    bool inCube = Math.Abs(x - 4) <= 2 && Math.Abs(y - 4) <= 2 && Math.Abs(z - 4) <= 2;
                    Assert.True((inCube ? 1 : 0) == grown[z, y, x], $"({x}, {y}, {z})");
                }

        // When only the slice z = 4 is thin and another protrusion fills x ≥ 6
        var thin = new Volume<byte>(9, 9, 9);
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 9; x++) thin[4, y, x] = 1;
        var others = new Volume<byte>(9, 9, 9);
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 6; x < 9; x++) others[z, y, x] = 1;
        others[4, 4, 4] = 1; // the protrusion's own voxel, as in the mask of all protrusions
        var kept = FilopodiumAnalyzer.Regrow(Crop(k, thin, others));
        // Then it grows within that slice, up to x = 5
        long count = 0;
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 9; x++)
                {
                    bool expected = z == 4 && Math.Abs(y - 4) <= 2 && x >= 2 && x <= 5;
                    Assert.True((expected ? 1 : 0) == kept[z, y, x], $"({x}, {y}, {z})");
                    count += kept[z, y, x];
                }
        Assert.Equal(20, count);
    }
    /// <summary>
    /// A digital rod along x (radius 3 voxels around y = z = 8, x = 0 … 29, 10 nm voxels) based at
    /// x = 0, and optionally a ball of radius 5 voxels caught at its base, off the axis (centre x = 4,
    /// y = 14).
    /// </summary>
    private static (Volume<byte> K, List<int> Voxels, bool[] IsBase, HashSet<int> Rod) RodWithBlob(bool blob)
    {
        var k = new Volume<byte>(32, 22, 17);
        var rod = new HashSet<int>();
        for (int z = 0; z < k.Nz; z++)
            for (int y = 0; y < k.Ny; y++)
                for (int x = 0; x < k.Nx; x++)
                {
                    int i = (z * k.Ny + y) * k.Nx + x;
                    bool inRod = x <= 29 && (y - 8) * (y - 8) + (z - 8) * (z - 8) <= 9;
                    bool inBlob = blob && (x - 4) * (x - 4) + (y - 14) * (y - 14) + (z - 8) * (z - 8) <= 25;
                    if (inRod) rod.Add(i);
                    if (inRod || inBlob) k.Data[i] = 1;
                }
        var voxels = new List<int>();
        var isBase = new bool[k.Data.Length];
        for (int i = 0; i < k.Data.Length; i++)
        {
            if (k.Data[i] == 0) continue;
            voxels.Add(i);
            isBase[i] = i % k.Nx == 0;
        }
        return (k, voxels, isBase, rod);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PruningKeepsTheRodFitsItsRadiusAndDirectionAndDropsWhatIsCaughtAtItsBase(bool blob)
    {
        // Given a rod of radius 3 voxels (29 voxels per cross-section), with or without a ball caught at its base
        var (k, voxels, isBase, rod) = RodWithBlob(blob);
        // When pruned to a tube
        var (kept, fit) = FilopodiumAnalyzer.PruneToTube(k, voxels, isBase, VoxelSize.Isotropic(10));
        // Then the fitted radius is that of a disc of 29 voxels, √(29 · 100 / π) = 30.4 nm, and the direction from base to tip is +x
        Assert.NotNull(fit);
        Assert.InRange(fit!.Value.Radius, 30.4 * 0.95, 30.4 * 1.05);
        Assert.True(fit.Value.TowardsTip.X > 0.99, $"direction {fit.Value.TowardsTip}");
        // every rod voxel is kept
        foreach (int i in rod) Assert.True(kept.Data[i] == 1, $"rod voxel {i} dropped");
        // and of the ball, only voxels near the axis stay: within the radius + 1.5 voxels (45.4 nm) of
        // the centre line, which the ball's edge pulls a little towards itself before the swelling is noticed
        int ball = 0, dropped = 0, near = 0;
        for (int i = 0; i < k.Data.Length; i++)
        {
            if (k.Data[i] == 0 || rod.Contains(i)) continue;
            int x = i % k.Nx, y = i / k.Nx % k.Ny, z = i / (k.Nx * k.Ny);
            double fromAxis = 10 * Math.Sqrt((y - 8) * (y - 8) + (z - 8) * (z - 8));
            ball++;
            dropped += 1 - kept.Data[i];
            if (fromAxis <= 50) near++;
            if (fromAxis > 55) Assert.True(kept.Data[i] == 0, $"ball voxel ({x}, {y}, {z}) {fromAxis:F0} nm from the axis kept");
        }
        // (of the ball's 477 voxels outside the rod, 85 lie within 45.4 nm of the axis and 110 within 50 nm)
        if (blob) Assert.True(ball - dropped <= near, $"{ball - dropped} of the ball's {ball} voxels outside the rod kept, {near} within 50 nm of the axis");
    }

    [Fact]
    public void AProtrusionShorterThanFiveBinsIsNotPruned()
    {
        // Given a rod of 4 voxels of radius 1 voxel: from its tip at x = 3 the farthest voxel lies at most
        // two diagonal steps and one straight step away (38.3 nm), 2 bins of 20 nm
        var k = new Volume<byte>(4, 9, 9);
        var voxels = new List<int>();
        var isBase = new bool[k.Data.Length];
        for (int z = 0; z < 9; z++)
            for (int y = 0; y < 9; y++)
                for (int x = 0; x < 4; x++)
                    if ((y - 4) * (y - 4) + (z - 4) * (z - 4) <= 1)
                    {
                        int i = (z * 9 + y) * 4 + x;
                        k.Data[i] = 1;
                        voxels.Add(i);
                        isBase[i] = x == 0;
                    }
        var (kept, fit) = FilopodiumAnalyzer.PruneToTube(k, voxels, isBase, VoxelSize.Isotropic(10));
        Assert.Null(fit);
        Assert.Same(k, kept);
    }
    /// <summary>
    /// A 40 × 24 × 24-voxel crop (10 nm) of a whole volume: a cell body filling x ≥ 30 and a rod of
    /// radius <paramref name="radius"/> voxels around y = z = 12 from x = 29 down to <paramref name="tipX"/>
    /// (the protrusion, thin, and the only protrusion); without <paramref name="body"/> the rod floats.
    /// </summary>
    internal static (ProtrusionCrop Crop, VolumeInfo Volume, int RodVoxels) BodyAndRod(int radius, int tipX, bool body = true)
    {
        const int nx = 40, ny = 24, nz = 24;
        var rod = new Volume<byte>(nx, ny, nz);
        var cell = new Volume<byte>(nx, ny, nz);
        int count = 0;
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    bool inRod = x >= tipX && x <= 29 && (y - 12) * (y - 12) + (z - 12) * (z - 12) <= radius * radius;
                    if (inRod) { rod[z, y, x] = 1; count++; }
                    if (inRod || (body && x >= 30)) cell[z, y, x] = 1;
                }
        var crop = new ProtrusionCrop(new VoxelBox(0, 0, 0, nx - 1, ny - 1, nz - 1), rod, cell, rod, rod, null) { GiveBackBase = false };
        return (crop, new VolumeInfo(nx, ny, nz, VoxelType.UInt8, VoxelSize.Isotropic(10)), count);
    }

    [Fact]
    public void ARodOnTheBodyIsMeasuredFromItsBaseToItsTip()
    {
        // Given a rod of radius 4 voxels (49 voxels per cross-section) and 25 voxels from x = 29 to x = 5
        var (crop, volume, n) = BodyAndRod(4, 5);
        Assert.Equal(49 * 25, n);
        // When analysed
        var (outcome, remainder) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        // Then it is a filopodium, whole (nothing pruned away)
        Assert.Equal(Rejection.None, outcome.Rejection);
        Assert.Null(remainder);
        var f = outcome.Filopodium!;
        // its length runs from the body's surface (x = 29.5) to the tip's far face (x = 4.5): 250 nm
        Assert.InRange(f.LengthNm, 240, 260);
        Assert.InRange(f.BaseNm.X, 285, 300);
        Assert.InRange(f.TipNm.X, 40, 55);
        Assert.InRange(f.BaseNm.Y, 115, 125);
        Assert.InRange(f.TipNm.Z, 115, 125);
        // its diameter is that of the cylinder of its volume and length
        Assert.Equal(2 * Math.Sqrt(n * 1000.0 / (Math.PI * f.LengthNm)), f.DiameterNm, 6);
        Assert.InRange(f.DiameterNm, 75, 83);
        // its mask is the rod and its box the rod's
        Assert.Equal(n, f.Mask.Data.Sum(b => (int)b));
        Assert.Equal(new VoxelBox(5, 8, 8, 29, 16, 16), f.Box);
        // one slice measurement per z the rod crosses, and it is inside the field of view and in the summary
        Assert.Equal(9, f.Slices.Count);
        Assert.False(f.CutByFieldOfView);
        Assert.True(f.InSummary);
    }

    [Theory]
    [InlineData(4, 15, true, Rejection.TooShort)]   // 15 voxels: 150 nm < 200 nm
    [InlineData(2, 5, true, Rejection.TooThin)]     // diameter about 40 nm < 60 nm
    [InlineData(4, 5, false, Rejection.Detached)]   // no body to stand on
    public void ShortThinAndLooseRodsAreRejected(int radius, int tipX, bool body, object expected)
    {
        var (crop, volume, _) = BodyAndRod(radius, tipX, body);
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        Assert.Equal((Rejection)expected, outcome.Rejection);
        Assert.Null(outcome.Filopodium);
    }

    [Fact]
    public void ARodReachingTheVolumesEdgeIsCutByTheFieldOfViewAndLeftOutOfTheSummary()
    {
        var (crop, volume, _) = BodyAndRod(4, 0);
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        var f = outcome.Filopodium!;
        Assert.True(f.CutByFieldOfView);
        Assert.False(f.InSummary);
        // unless cut ones are kept
        var (kept, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions { ExcludeCutByFieldOfView = false });
        Assert.True(kept.Filopodium!.InSummary);
    }

    [Fact]
    public void ARodWiderThanTheMaximumIsTooWide()
    {
        // a rod of radius 4 voxels is about 79 nm across: wider than a maximum of 60 nm
        var (crop, volume, _) = BodyAndRod(4, 5);
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions { MinDiameterNm = 20, MaxDiameterNm = 60 });
        Assert.Equal(Rejection.TooWide, outcome.Rejection);
    }

    [Theory]
    [InlineData(5, true)]    // a bead 50 nm from the rod: within the default 50 nm
    [InlineData(6, false)]   // 60 nm away
    public void ARodWithinTheBeadDistanceOfGoldIsNearABeadAndLeftOutOfTheSummary(int voxelsAway, bool near)
    {
        // Given the rod (radius 4 around y = z = 12, so its surface voxel at x = 15 is z = 16) and one gold voxel straight above it
        var (crop, volume, _) = BodyAndRod(4, 5);
        var beads = new Volume<byte>(crop.Cell.Nx, crop.Cell.Ny, crop.Cell.Nz);
        beads[16 + voxelsAway, 12, 15] = 1;
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop with { Beads = beads }, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        var f = outcome.Filopodium!;
        Assert.Equal(near, f.NearBead);
        Assert.Equal(!near, f.InSummary);
        // and without gold at all it is not near a bead
        var (none, _) = FilopodiumAnalyzer.Analyze(crop with { Beads = new Volume<byte>(crop.Cell.Nx, crop.Cell.Ny, crop.Cell.Nz) }, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        Assert.False(none.Filopodium!.NearBead);
    }

    [Fact]
    public void APartWithoutACropIsDetachedAndTwoRodsJoinedAtTheirBaseAreTwoFilopodia()
    {
        var v = VoxelSize.Isotropic(10);
        var info = new VolumeInfo(40, 27, 24, VoxelType.UInt8, v);
        // a part that has no crop (no base) is counted as detached, once
        var lone = FilopodiumAnalyzer.AnalyzeAll(new Volume<byte>(4, 4, 4), _ => null, info, v, new FilopodiaOptions(), 10);
        Assert.Equal(Rejection.Detached, Assert.Single(lone).Rejection);
        // Given two rods of radius 4 on a body (x ≥ 30), 25 and 20 voxels long (y = 6 and y = 20, z = 12),
        // joined near the body by a web (x 26–29, y 6–20, |z − 12| ≤ 2): one protrusion
        var rods = new Volume<byte>(40, 27, 24);
        var cell = new Volume<byte>(40, 27, 24);
        for (int z = 0; z < 24; z++)
            for (int y = 0; y < 27; y++)
                for (int x = 0; x < 40; x++)
                {
                    bool a = x >= 5 && x <= 29 && (y - 6) * (y - 6) + (z - 12) * (z - 12) <= 16;
                    bool b = x >= 10 && x <= 29 && (y - 20) * (y - 20) + (z - 12) * (z - 12) <= 16;
                    bool web = x >= 26 && x <= 29 && y >= 6 && y <= 20 && Math.Abs(z - 12) <= 2;
                    if (a || b || web) rods[z, y, x] = 1;
                    if (a || b || web || x >= 30) cell[z, y, x] = 1;
                }
        var crop = new ProtrusionCrop(new VoxelBox(0, 0, 0, 39, 26, 23), rods, cell, rods, rods, null) { GiveBackBase = false };
        // When all of it is analysed
        var outcomes = FilopodiumAnalyzer.AnalyzeAll(crop, info, v, new FilopodiaOptions(), 10);
        // Then the longer rod is taken first and the shorter one from what is left: 250 and 200 nm
        var lengths = outcomes.Where(o => o.Rejection == Rejection.None).Select(o => o.Filopodium!.LengthNm).ToList();
        Assert.Equal(2, lengths.Count);
        Assert.InRange(lengths[0], 235, 265);
        Assert.InRange(lengths[1], 185, 215);
    }

    /// <summary>
    /// A body (x ≥ 30) with a mound of radius 3 voxels on it (x = 28–29) under a rod of radius 4
    /// (x = 5–27) along y = z = 12, 10 nm voxels; the rod is the protrusion (and thin), the mound is body.
    /// The tube is given: radius 40 nm, base point x = 275 nm on the axis, towards the tip along −x.
    /// </summary>
    private static (Volume<byte> K, ProtrusionCrop Crop, bool[] IsBase, FilopodiumAnalyzer.TubeFit Tube) RodOnAMound()
    {
        const int nx = 40, ny = 24, nz = 24;
        var k = new Volume<byte>(nx, ny, nz);
        var cell = new Volume<byte>(nx, ny, nz);
        var isBase = new bool[nx * ny * nz];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    int r2 = (y - 12) * (y - 12) + (z - 12) * (z - 12);
                    bool rod = x >= 5 && x <= 27 && r2 <= 16, mound = x >= 28 && x <= 29 && r2 <= 9;
                    if (rod) k[z, y, x] = 1;
                    if (rod || mound || x >= 30) cell[z, y, x] = 1;
                    // the rod's voxels with a face neighbour in the body: its end on the mound
                    if (rod && x == 27 && r2 <= 9) isBase[(z * ny + y) * nx + x] = true;
                }
        var thin = new Volume<byte>(nx, ny, nz, (byte[])k.Data.Clone(), VoxelSize.Isotropic(10));
        var crop = new ProtrusionCrop(new VoxelBox(0, 0, 0, nx - 1, ny - 1, nz - 1), k, cell, thin, thin, null);
        return (k, crop, isBase, new FilopodiumAnalyzer.TubeFit(40, (275, 120, 120), (-1, 0, 0)));
    }

    [Theory]
    // body ball R = 125 nm (+10): bulge = 135 − √(135² − 40²) + 10 = 16.1 nm behind the base (mean t = 5 nm): t ≥ −11.1 takes x = 28 (t = −5), not x = 29 (t = −15)
    [InlineData(125, 29)]
    // R = 50 nm (+10): bulge = 60 − √(60² − 40²) + 10 = 25.3 nm: t ≥ −20.3 takes both layers of the mound
    [InlineData(50, 58)]
    public void TheBaseGetsBackTheBulgeOfTheBodyBallBeyondTheFittedBodySurface(double bodyBallNm, int expectedAdded)
    {
        var (k, crop, isBase, tube) = RodOnAMound();
        int before = k.Data.Sum(b => (int)b);
        // When the base is restored (the rim is the body's face x = 30 in the annulus 60–100 nm around the axis: its plane is x = 300 nm)
        bool added = FilopodiumAnalyzer.RestoreBase(k, crop, isBase, tube, VoxelSize.Isotropic(10), bodyBallNm);
        // Then the mound's voxels within 45 nm of the axis (all 29 of radius 3 per layer) and within the bulge join the rod
        Assert.True(added);
        Assert.Equal(expectedAdded, k.Data.Sum(b => (int)b) - before);
        Assert.Equal(1, k[12, 12, 28]);
        Assert.Equal(expectedAdded == 58 ? 1 : 0, k[12, 12, 29]);
        Assert.Equal(0, k[12, 12, 30]);   // the body beyond the plane's half voxel stays body
    }

    [Fact]
    public void NoBaseIsRestoredWithoutABodySurfaceAcrossTheTube()
    {
        // the tube running nearly along y, 11.5° off the body's face (|cos| 0.2 < 0.3): the fitted plane runs along it
        var (k, crop, isBase, tube) = RodOnAMound();
        double norm = Math.Sqrt(0.2 * 0.2 + 0.98 * 0.98);
        var along = tube with { TowardsTip = (-0.2 / norm, 0.98 / norm, 0) };
        int before = k.Data.Sum(b => (int)b);
        Assert.False(FilopodiumAnalyzer.RestoreBase(k, crop, isBase, along, VoxelSize.Isotropic(10), 125));
        // no body at all: no rim
        var bare = crop with { Cell = new Volume<byte>(40, 24, 24, (byte[])k.Data.Clone(), VoxelSize.Isotropic(10)) };
        Assert.False(FilopodiumAnalyzer.RestoreBase(k, bare, isBase, tube, VoxelSize.Isotropic(10), 125));
        // no base voxels
        Assert.False(FilopodiumAnalyzer.RestoreBase(k, crop, new bool[isBase.Length], tube, VoxelSize.Isotropic(10), 125));
        Assert.Equal(before, k.Data.Sum(b => (int)b));
    }

    /// <summary>
    /// Lays a scene built along x (a along the rod, b and c across; <paramref name="Length"/> × <paramref name="Across"/> ×
    /// <paramref name="Across"/> voxels) along axis <paramref name="Axis"/> (0 x, 1 y, 2 z), reversed when <paramref name="Flip"/>.
    /// </summary>
    internal readonly record struct Frame(int Axis, bool Flip, int Length = 40, int Across = 24)
    {
        public (int Nx, int Ny, int Nz) Size => Axis switch { 0 => (Length, Across, Across), 1 => (Across, Length, Across), _ => (Across, Across, Length) };

        public (double X, double Y, double Z) At(double a, double b, double c)
        {
            if (Flip) a = Length - 1 - a;
            return Axis switch { 0 => (a, b, c), 1 => (b, a, c), _ => (b, c, a) };
        }

        public (int X, int Y, int Z) At(int a, int b, int c)
        {
            var (x, y, z) = At((double)a, b, c);
            return ((int)x, (int)y, (int)z);
        }

        /// <summary>A direction along the rod (+a), laid out.</summary>
        public (double X, double Y, double Z) Along(double s)
        {
            if (Flip) s = -s;
            return Axis switch { 0 => (s, 0, 0), 1 => (0, s, 0), _ => (0, 0, s) };
        }

        public Volume<byte> New()
        {
            var (nx, ny, nz) = Size;
            return new Volume<byte>(nx, ny, nz);
        }

        public void Set(Volume<byte> v, int a, int b, int c, byte value = 1)
        {
            var (x, y, z) = At(a, b, c);
            v[z, y, x] = value;
        }

        public int Index(int a, int b, int c)
        {
            var (x, y, z) = At(a, b, c);
            var (nx, ny, _) = Size;
            return (z * ny + y) * nx + x;
        }
    }

    /// <summary><see cref="BodyAndRod"/> laid along another axis: body at a ≥ 30, rod of radius 4 around b = c = 12 from a = 29 down to a = 5.</summary>
    private static (ProtrusionCrop Crop, int RodVoxels) BodyAndRodAlong(Frame f, VoxelBox roi)
    {
        var rod = f.New();
        var cell = f.New();
        int count = 0;
        for (int c = 0; c < 24; c++)
            for (int b = 0; b < 24; b++)
                for (int a = 0; a < 40; a++)
                {
                    bool inRod = a >= 5 && a <= 29 && (b - 12) * (b - 12) + (c - 12) * (c - 12) <= 16;
                    if (inRod) { f.Set(rod, a, b, c); count++; }
                    if (inRod || a >= 30) f.Set(cell, a, b, c);
                }
        return (new ProtrusionCrop(roi, rod, cell, rod, rod, null) { GiveBackBase = false }, count);
    }

    public static TheoryData<int, bool> Frames()
    {
        var d = new TheoryData<int, bool>();
        for (int axis = 0; axis < 3; axis++) { d.Add(axis, false); d.Add(axis, true); }
        return d;
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void ARodAlongAnyAxisInACropPlacedInTheVolumeIsMeasuredWhereItLies(int axis, bool flip)
    {
        // Given the rod on the body (radius 4, 25 voxels long) laid along an axis, in a crop at (3, 5, 7) of a
        // volume 20 voxels larger on every side, whose origin is (1000, −2000, 500) nm
        var f = new Frame(axis, flip);
        var (nx, ny, nz) = f.Size;
        var roi = new VoxelBox(3, 5, 7, 3 + nx - 1, 5 + ny - 1, 7 + nz - 1);
        var (crop, n) = BodyAndRodAlong(f, roi);
        var volume = new VolumeInfo(nx + 23, ny + 25, nz + 27, VoxelType.UInt8, VoxelSize.Isotropic(10)) { OriginNm = (1000, -2000, 500) };
        (double X, double Y, double Z) Nm((double X, double Y, double Z) p) => (1000 + (3 + p.X) * 10, -2000 + (5 + p.Y) * 10, 500 + (7 + p.Z) * 10);
        // When analysed
        var (outcome, remainder) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        // Then it is a whole filopodium, 250 nm long (body surface a = 29.5 to the tip's far face a = 4.5)
        Assert.Equal(Rejection.None, outcome.Rejection);
        Assert.Null(remainder);
        var fil = outcome.Filopodium!;
        Assert.InRange(fil.LengthNm, 240, 260);
        // its base and tip lie on the axis (b = c = 12) at a ≈ 29.5 and a ≈ 4.5, in the volume's nm
        var baseNm = Nm(f.At(29.5, 12, 12));
        var tipNm = Nm(f.At(4.5, 12, 12));
        Assert.True(Math.Abs(fil.BaseNm.X - baseNm.X) <= 10 && Math.Abs(fil.BaseNm.Y - baseNm.Y) <= 10 && Math.Abs(fil.BaseNm.Z - baseNm.Z) <= 10, $"base {fil.BaseNm}, expected {baseNm}");
        Assert.True(Math.Abs(fil.TipNm.X - tipNm.X) <= 10 && Math.Abs(fil.TipNm.Y - tipNm.Y) <= 10 && Math.Abs(fil.TipNm.Z - tipNm.Z) <= 10, $"tip {fil.TipNm}, expected {tipNm}");
        // the centre line runs monotonically from base to tip along the axis
        var along = f.Along(1);
        double Coord(Vec3Nm p) => p.X * Math.Abs(along.X) + p.Y * Math.Abs(along.Y) + p.Z * Math.Abs(along.Z);
        double sign = Coord(new Vec3Nm(tipNm.X, tipNm.Y, tipNm.Z)) < Coord(new Vec3Nm(baseNm.X, baseNm.Y, baseNm.Z)) ? -1 : 1;
        for (int i = 1; i < fil.CentreLine.Count; i++)
            Assert.True(sign * (Coord(fil.CentreLine[i]) - Coord(fil.CentreLine[i - 1])) > 0, $"centre line step {i} goes back");
        // its diameter is that of the cylinder of its volume and length (about 79 nm)
        Assert.Equal(2 * Math.Sqrt(n * 1000.0 / (Math.PI * fil.LengthNm)), fil.DiameterNm, 6);
        // its box is the rod's (a 5–29, b and c 8–16), shifted by the crop's place
        var lo = f.At(flip ? 29 : 5, 8, 8);
        var hi = f.At(flip ? 5 : 29, 16, 16);
        var box = new VoxelBox(3 + lo.X, 5 + lo.Y, 7 + lo.Z, 3 + hi.X, 5 + hi.Y, 7 + hi.Z);
        Assert.Equal(box, fil.Box);
        Assert.Equal(box, fil.Mask.Box);
        // the mask holds exactly the rod, voxel by voxel
        Assert.Equal(n, fil.Mask.Data.Sum(b => (int)b));
        for (int c = 8; c <= 16; c++)
            for (int b = 8; b <= 16; b++)
                for (int a = 5; a <= 29; a++)
                {
                    var (x, y, z) = f.At(a, b, c);
                    int i = ((z + 7 - box.Z0) * box.Height + (y + 5 - box.Y0)) * box.Width + (x + 3 - box.X0);
                    Assert.Equal((b - 12) * (b - 12) + (c - 12) * (c - 12) <= 16 ? 1 : 0, fil.Mask.Data[i]);
                }
        // the centroid (a = 17, b = c = 12) is in the volume's nm
        var centroid = Nm(f.At(17.0, 12, 12));
        Assert.Equal(centroid.X, fil.Measures.Centroid.X, 6);
        Assert.Equal(centroid.Y, fil.Measures.Centroid.Y, 6);
        Assert.Equal(centroid.Z, fil.Measures.Centroid.Z, 6);
        // one slice per z the rod crosses, numbered in the volume
        Assert.Equal(box.Depth, fil.Slices.Count);
        Assert.Equal(box.Z0, fil.Slices.Min(s => s.Z));
        Assert.Equal(box.Z1, fil.Slices.Max(s => s.Z));
        // and nothing reaches the volume's edge
        Assert.False(fil.CutByFieldOfView);
        Assert.False(fil.Measures.TouchesBorder);
        Assert.True(fil.InSummary);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ARodEndingOnTheVolumesLastVoxelIsCutByTheFieldOfView(int axis)
    {
        // Given the rod along x in a crop at (3, 5, 7) of a volume that ends at the rod's last x (3 + 29),
        // last y (5 + 16) or last z (7 + 16)
        var f = new Frame(0, false);
        var (nx, ny, nz) = f.Size;
        var roi = new VoxelBox(3, 5, 7, 3 + nx - 1, 5 + ny - 1, 7 + nz - 1);
        var (crop, _) = BodyAndRodAlong(f, roi);
        var volume = new VolumeInfo(axis == 0 ? 33 : 80, axis == 1 ? 22 : 80, axis == 2 ? 24 : 80, VoxelType.UInt8, VoxelSize.Isotropic(10));
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions());
        // Then it is cut by the field of view, touches the border and is left out of the summary
        var fil = outcome.Filopodium!;
        Assert.True(fil.CutByFieldOfView);
        Assert.True(fil.Measures.TouchesBorder);
        Assert.False(fil.InSummary);
    }

    [Fact]
    public void ARodExactlyAtTheLimitsIsKept()
    {
        // Given the rod on the body, measured once
        var (crop, volume, _) = BodyAndRod(4, 5);
        var v = VoxelSize.Isotropic(10);
        var fil = FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions()).Outcome.Filopodium!;
        // Then the limits are inclusive: a length equal to the minimum is not too short, a diameter equal to
        // the minimum not too thin and one equal to the maximum not too wide
        Assert.Equal(Rejection.None, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinLengthNm = fil.LengthNm }).Outcome.Rejection);
        Assert.Equal(Rejection.None, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinDiameterNm = fil.DiameterNm }).Outcome.Rejection);
        Assert.Equal(Rejection.None, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinDiameterNm = 20, MaxDiameterNm = fil.DiameterNm }).Outcome.Rejection);
        // and just beyond them it is rejected
        Assert.Equal(Rejection.TooShort, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinLengthNm = fil.LengthNm + 1e-6 }).Outcome.Rejection);
        Assert.Equal(Rejection.TooThin, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinDiameterNm = fil.DiameterNm + 1e-6 }).Outcome.Rejection);
        Assert.Equal(Rejection.TooWide, FilopodiumAnalyzer.Analyze(crop, volume, v, new FilopodiaOptions { MinDiameterNm = 20, MaxDiameterNm = fil.DiameterNm - 1e-6 }).Outcome.Rejection);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void PruningFitsARodAlongAnyAxis(int axis, bool flip)
    {
        // Given the rod of radius 4 (49 voxels per cross-section) laid along an axis, based at a = 29
        var f = new Frame(axis, flip);
        var (crop, n) = BodyAndRodAlong(f, new VoxelBox(0, 0, 0, 0, 0, 0));
        var k = crop.Protrusion;
        var voxels = new List<int>();
        var isBase = new bool[k.Data.Length];
        for (int i = 0; i < k.Data.Length; i++) if (k.Data[i] != 0) voxels.Add(i);
        for (int c = 8; c <= 16; c++)
            for (int b = 8; b <= 16; b++)
                if ((b - 12) * (b - 12) + (c - 12) * (c - 12) <= 16) isBase[f.Index(29, b, c)] = true;
        // When pruned to a tube
        var (kept, fit) = FilopodiumAnalyzer.PruneToTube(k, voxels, isBase, VoxelSize.Isotropic(10));
        // Then the radius is that of a disc of 49 voxels, √(49 · 100 / π) = 39.5 nm
        Assert.NotNull(fit);
        Assert.InRange(fit!.Value.Radius, 39.5 * 0.95, 39.5 * 1.05);
        // the direction from base to tip is −a, laid out
        var towards = f.Along(-1);
        var (ux, uy, uz) = fit.Value.TowardsTip;
        Assert.True(Math.Abs(ux - towards.X) < 0.01 && Math.Abs(uy - towards.Y) < 0.01 && Math.Abs(uz - towards.Z) < 0.01, $"direction {fit.Value.TowardsTip}, expected {towards}");
        // the base point lies on the axis (b = c = 12, 120 nm), near the base
        var onAxis = f.At(20.0, 12, 12);
        var bp = fit.Value.BasePoint;
        double across = Math.Sqrt(Math.Pow((bp.X - onAxis.X * 10) * (1 - Math.Abs(towards.X)), 2) + Math.Pow((bp.Y - onAxis.Y * 10) * (1 - Math.Abs(towards.Y)), 2) + Math.Pow((bp.Z - onAxis.Z * 10) * (1 - Math.Abs(towards.Z)), 2));
        Assert.True(across < 1, $"base point {bp} off the axis");
        double a = (bp.X * towards.X + bp.Y * towards.Y + bp.Z * towards.Z) / 10 * -1;
        var baseA = f.At(29.0, 0, 0);
        double baseAlong = -(baseA.X * towards.X + baseA.Y * towards.Y + baseA.Z * towards.Z);
        Assert.InRange(a - baseAlong, -8, 0);
        // and the whole rod is kept
        Assert.Equal(n, kept.Data.Sum(b => (int)b));
    }

    /// <summary><see cref="RodOnAMound"/> laid along another axis; the mound has radius² ≤ <paramref name="mound2"/> voxels².</summary>
    private static (Volume<byte> K, ProtrusionCrop Crop, bool[] IsBase, FilopodiumAnalyzer.TubeFit Tube) RodOnAMoundAlong(Frame f, int mound2)
    {
        var k = f.New();
        var cell = f.New();
        var isBase = new bool[k.Data.Length];
        for (int c = 0; c < 24; c++)
            for (int b = 0; b < 24; b++)
                for (int a = 0; a < 40; a++)
                {
                    int r2 = (b - 12) * (b - 12) + (c - 12) * (c - 12);
                    bool rod = a >= 5 && a <= 27 && r2 <= 16, mound = a >= 28 && a <= 29 && r2 <= mound2;
                    if (rod) f.Set(k, a, b, c);
                    if (rod || mound || a >= 30) f.Set(cell, a, b, c);
                    if (rod && a == 27 && r2 <= mound2) isBase[f.Index(a, b, c)] = true;
                }
        var (nx, ny, nz) = f.Size;
        var thin = new Volume<byte>(nx, ny, nz, (byte[])k.Data.Clone(), VoxelSize.Isotropic(10));
        var crop = new ProtrusionCrop(new VoxelBox(0, 0, 0, nx - 1, ny - 1, nz - 1), k, cell, thin, thin, null);
        var bp = f.At(27.5, 12, 12);
        return (k, crop, isBase, new FilopodiumAnalyzer.TubeFit(40, (bp.X * 10, bp.Y * 10, bp.Z * 10), f.Along(-1)));
    }

    public static TheoryData<int, bool, int, double, int> MoundFrames()
    {
        var d = new TheoryData<int, bool, int, double, int>();
        for (int axis = 0; axis < 3; axis++)
            foreach (bool flip in new[] { false, true })
            {
                // mound radius 3 (29 voxels a layer, all within 45 nm of the axis): one layer for R = 125 nm, two for R = 50 nm
                d.Add(axis, flip, 9, 125, 29);
                d.Add(axis, flip, 9, 50, 58);
                // R = 30 nm (+10 = the tube's radius): the bulge is 40 + 10 = 50 nm deep and would reach into the body (a = 30, 31),
                // but the body beyond the fitted plane (a = 30, 300 nm, plus half a voxel) stays body: still the two layers
                d.Add(axis, flip, 9, 30, 58);
                // mound radius 5 (81 voxels a layer): only the 69 with (b − 12)² + (c − 12)² ≤ 20 lie within 45 nm of the
                // axis (r² ≤ 20.25; 1 + 4 + 4 + 4 + 8 + 4 + 4 + 8 + 8 + 4 + 8 + 4 + 8 at r² = 0, 1, 2, 4, 5, 8, 9, 10, 13, 16, 17, 18, 20)
                d.Add(axis, flip, 25, 125, 69);
            }
        return d;
    }

    [Theory]
    [MemberData(nameof(MoundFrames))]
    public void TheBaseIsGivenBackAlongAnyAxisWithinTheTubesRadius(int axis, bool flip, int mound2, double bodyBallNm, int expectedAdded)
    {
        // Given the rod on a mound on the body, laid along an axis (the tube's base point a = 27.5 on the axis)
        var f = new Frame(axis, flip);
        var (k, crop, isBase, tube) = RodOnAMoundAlong(f, mound2);
        int before = k.Data.Sum(b => (int)b);
        // When the base is restored (the rim is the body's face a = 30, 60–100 nm around the axis)
        bool added = FilopodiumAnalyzer.RestoreBase(k, crop, isBase, tube, VoxelSize.Isotropic(10), bodyBallNm);
        // Then the mound's layers within the bulge (a = 28, and a = 29 for the smaller ball) join where within 45 nm of the axis
        Assert.True(added);
        Assert.Equal(expectedAdded, k.Data.Sum(b => (int)b) - before);
        var (x, y, z) = f.At(28, 12, 12);
        Assert.Equal(1, k[z, y, x]);
        (x, y, z) = f.At(29, 12, 12);
        Assert.Equal(expectedAdded == 58 ? 1 : 0, k[z, y, x]);
        (x, y, z) = f.At(30, 12, 12);
        Assert.Equal(0, k[z, y, x]);
        if (mound2 == 25)
        {
            // (b, c) = (16, 14): 4.47 voxels from the axis, in; (17, 12) and (15, 16): 5 voxels, out
            (x, y, z) = f.At(28, 16, 14);
            Assert.Equal(1, k[z, y, x]);
            (x, y, z) = f.At(28, 17, 12);
            Assert.Equal(0, k[z, y, x]);
            (x, y, z) = f.At(28, 15, 16);
            Assert.Equal(0, k[z, y, x]);
        }
    }

    /// <summary>
    /// One protrusion voxel (10 × 12 × 15 nm, origin (100, 200, 300) nm) at <paramref name="p"/> of an <paramref name="n"/>³
    /// crop, the body's voxel at p + d and a thin cell voxel (not body) at p − d (when inside the crop).
    /// </summary>
    private static (Volume<byte> K, ProtrusionCrop Crop) OneVoxel(int n, (int X, int Y, int Z) p, (int X, int Y, int Z) d)
    {
        var v = new VoxelSize(10, 12, 15);
        var k = new Volume<byte>(n, n, n, v);
        var cell = new Volume<byte>(n, n, n, v);
        var thin = new Volume<byte>(n, n, n, v);
        k[p.Z, p.Y, p.X] = 1;
        cell[p.Z, p.Y, p.X] = 1;
        thin[p.Z, p.Y, p.X] = 1;
        cell[p.Z + d.Z, p.Y + d.Y, p.X + d.X] = 1;
        int tx = p.X - d.X, ty = p.Y - d.Y, tz = p.Z - d.Z;
        if (tx >= 0 && ty >= 0 && tz >= 0 && tx < n && ty < n && tz < n) { cell[tz, ty, tx] = 1; thin[tz, ty, tx] = 1; }
        return (k, new ProtrusionCrop(new VoxelBox(0, 0, 0, n - 1, n - 1, n - 1), k, cell, thin, thin, null));
    }

    [Theory]
    [InlineData(3, 1, 1, 1, 1, 0, 0)]
    [InlineData(3, 1, 1, 1, -1, 0, 0)]
    [InlineData(3, 1, 1, 1, 0, 1, 0)]
    [InlineData(3, 1, 1, 1, 0, -1, 0)]
    [InlineData(3, 1, 1, 1, 0, 0, 1)]
    [InlineData(3, 1, 1, 1, 0, 0, -1)]
    [InlineData(2, 0, 0, 0, 1, 0, 0)]    // at the crop's low corner: the −x, −y, −z faces border nothing
    [InlineData(2, 0, 0, 0, 0, 0, 1)]
    [InlineData(2, 1, 1, 1, -1, 0, 0)]   // at its high corner: the +x, +y, +z faces border nothing
    [InlineData(2, 1, 1, 1, 0, -1, 0)]
    public void TheOpenSurfaceOfOneVoxelIsItsOctahedronWithoutTheFacesAtTheBody(int n, int px, int py, int pz, int dx, int dy, int dz)
    {
        // Given one voxel (10 × 12 × 15 nm) with the body on one face and a thin part of the cell on the opposite face
        var (k, crop) = OneVoxel(n, (px, py, pz), (dx, dy, dz));
        var v = new VoxelSize(10, 12, 15);
        // its marching-cubes surface is the octahedron with vertices 5, 6 and 7.5 nm from its centre: 8 triangles of
        // ½ √(5²·6² + 6²·7.5² + 7.5²·5²) = ½ √4331.25 = 32.906 nm² each; the vertex towards the body is on the base,
        // so the 4 triangles around it count a third to the base
        double t = 0.5 * Math.Sqrt(4331.25);
        // When measured without smoothing
        var (area, baseArea) = FilopodiumAnalyzer.OpenSurfaceArea(k, crop, v, 0);
        // Then the base is 4 × t / 3 and the rest 20 × t / 3
        Assert.Equal(4 * t / 3, baseArea, 6);
        Assert.Equal(20 * t / 3, area, 6);
        // With one λ|μ smoothing pair each vertex moves towards the centre (its 4 neighbours average to the centre):
        // ×(1 − 0.5) then ×(1 + 0.53), lengths × 0.765, areas × 0.585225
        var (sArea, sBase) = FilopodiumAnalyzer.OpenSurfaceArea(k, crop, v, 1);
        Assert.Equal(4 * t / 3 * 0.585225, sBase, 3);
        Assert.Equal(20 * t / 3 * 0.585225, sArea, 3);
    }

    [Fact]
    public void AVoxelWithoutBodyNextToItHasNoBase()
    {
        // Given the voxel with the body's voxel turned into a thin part of the cell (as on the other side)
        var (k, crop) = OneVoxel(3, (1, 1, 1), (1, 0, 0));
        crop.Thin[1, 1, 2] = 1;
        var (area, baseArea) = FilopodiumAnalyzer.OpenSurfaceArea(k, crop, new VoxelSize(10, 12, 15), 0);
        // Then all of the octahedron, 8 × 32.906 nm², is open surface
        Assert.Equal(0, baseArea);
        Assert.Equal(4 * Math.Sqrt(4331.25), area, 6);
    }

    [Theory]
    // not given back: the rod alone, 23 layers of 49 voxels (x = 5–27)
    [InlineData(false, 250, 1127, 27)]
    // the body ball of half the maximum diameter, R = 125 nm: the bulge (about 16 nm) takes the mound's layer x = 28 (29 voxels)
    [InlineData(true, 250, 1156, 28)]
    // R = 50 nm: the bulge (about 25 nm) takes both layers, x = 28 and 29
    [InlineData(true, 100, 1185, 29)]
    public void AnalysisGivesTheBaseBackByDefaultWithTheBallOfHalfTheMaximumDiameter(bool giveBack, double maxDiameterNm, int expectedVoxels, int expectedX1)
    {
        // Given the rod of radius 4 (x = 5–27) on a mound of radius 3 (x = 28–29) on the body (x ≥ 30), the crop as the
        // opening gives it (the base given back unless told otherwise)
        var (_, crop, _, _) = RodOnAMound();
        if (!giveBack) crop = crop with { GiveBackBase = false };
        var volume = new VolumeInfo(40, 24, 24, VoxelType.UInt8, VoxelSize.Isotropic(10));
        // When analysed (the tube fitted: radius about 39.5 nm, along −x)
        var (outcome, _) = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions { MaxDiameterNm = maxDiameterNm });
        // Then the filopodium holds the rod and the layers of the mound within the bulge of the ball of half the maximum diameter
        Assert.Equal(Rejection.None, outcome.Rejection);
        var f = outcome.Filopodium!;
        Assert.Equal(expectedVoxels, f.Mask.Data.Sum(b => (int)b));
        Assert.Equal(new VoxelBox(5, 8, 8, expectedX1, 16, 16), f.Box);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void TheOpenSurfaceOfTwoVoxelsIsTwoHalfOctahedraAndFourRectangles(int axis)
    {
        // Given two voxels (10 × 12 × 15 nm) in a row along an axis at 1 and 2 of a crop 4 voxels long (3 across), the body
        // at 3 and a thin part of the cell at 0
        var v = new VoxelSize(10, 12, 15);
        int nx = axis == 0 ? 4 : 3, ny = axis == 1 ? 4 : 3, nz = axis == 2 ? 4 : 3;
        var k = new Volume<byte>(nx, ny, nz, v);
        var cell = new Volume<byte>(nx, ny, nz, v);
        var thin = new Volume<byte>(nx, ny, nz, v);
        void Put(Volume<byte> m, int s) { if (axis == 0) m[1, 1, s] = 1; else if (axis == 1) m[1, s, 1] = 1; else m[s, 1, 1] = 1; }
        Put(k, 1); Put(k, 2);
        Put(cell, 0); Put(cell, 1); Put(cell, 2); Put(cell, 3);
        Put(thin, 0); Put(thin, 1); Put(thin, 2);
        var crop = new ProtrusionCrop(new VoxelBox(0, 0, 0, nx - 1, ny - 1, nz - 1), k, cell, thin, thin, null);
        // its marching-cubes surface: at each end 4 triangles of the one-voxel octahedron (½ √4331.25 = 32.906 nm² each), and
        // along the row 4 rectangles one voxel long and as wide as the distance between the half-voxel points across
        // (along x: 4 × 10 × √(6² + 7.5²); along y: 4 × 12 × √(5² + 7.5²); along z: 4 × 15 × √(5² + 6²))
        double t = 0.5 * Math.Sqrt(4331.25);
        double sides = axis switch { 0 => 40 * Math.Sqrt(36 + 56.25), 1 => 48 * Math.Sqrt(25 + 56.25), _ => 60 * Math.Sqrt(25 + 36) };
        var (area, baseArea) = FilopodiumAnalyzer.OpenSurfaceArea(k, crop, v, 0);
        // Then the base is a third of the 4 triangles around the vertex towards the body, and the rest is open
        Assert.Equal(4 * t / 3, baseArea, 6);
        Assert.Equal(8 * t + sides - 4 * t / 3, area, 6);
    }
}
