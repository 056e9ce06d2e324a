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
}
