using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

/// <summary>
/// Known answers for opening label files as objects (<see cref="LabelSource"/>: option checks,
/// foreground rules, size limits in voxels and nm³, morphology, splitting, provenance) and for
/// instance maps (<see cref="InstanceLabelStream"/>). The shapes are small enough to count by hand.
/// </summary>
public sealed class LabelSourceKnownAnswerTests
{
    /// <summary>
    /// 10 × 8 × 6 at 10 nm (1000 nm³ a voxel): cube A (x, y, z 1..3, 27 voxels) with D (4, 4, 4)
    /// touching its corner diagonally, bar B (x 7..8, y 6, z 1; 2 voxels), single C (5, 6, 4).
    /// 26-connected: A+D 28, B 2, C 1. 6-connected: A 27, B 2, D 1, C 1.
    /// </summary>
    private static Volume<byte> Objects(byte a = 1, byte b = 1, byte c = 1, VoxelSize? voxel = null)
    {
        var m = new Volume<byte>(10, 8, 6, voxel);
        for (int z = 1; z <= 3; z++) for (int y = 1; y <= 3; y++) for (int x = 1; x <= 3; x++) m[z, y, x] = a;
        m[4, 4, 4] = a;
        m[1, 6, 7] = b; m[1, 6, 8] = b;
        m[4, 6, 5] = c;
        return m;
    }

    private static string Write(TempDir dir, string name, Volume<byte> v)
    {
        string p = dir.File(name);
        VolumeIO.Write(p, v);
        return p;
    }

    private static (long[] Counts, string Description, int Removed, Provenance Provenance) Open(string path, LabelSourceOptions o, bool requireVoxelSize = false)
    {
        var prov = new Provenance("test");
        using var opened = LabelSource.Open(path, o, prov, null, requireVoxelSize);
        return (opened.Labels.VoxelCounts.ToArray(), opened.Description, opened.RemovedBySize, prov);
    }

    [Fact]
    public void ValidateNamesTheOffendingOption()
    {
        void Bad(LabelSourceOptions o, string option) => Assert.Equal(option, Assert.Throws<InvalidOptionException>(o.Validate).Option);
        var ok = new LabelSourceOptions();
        ok.Validate();
        (ok with { VoxelSize = VoxelSize.Isotropic(10), MinVoxels = 0, MaxVoxels = 1, MinVolumeNm3 = 0, MaxVolumeNm3 = 1, Close = 50, Erode = 50, Dilate = 50, SplitTouchingNm = 1e6, Select = 2, Threshold = 0.5 }).Validate();
        Bad(ok with { VoxelSize = VoxelSize.Isotropic(0.01) }, nameof(LabelSourceOptions.VoxelSize));
        Bad(ok with { Select = double.NaN }, nameof(LabelSourceOptions.Select));
        Bad(ok with { Threshold = double.PositiveInfinity }, nameof(LabelSourceOptions.Threshold));
        Bad(ok with { MinVoxels = -1 }, nameof(LabelSourceOptions.MinVoxels));
        Bad(ok with { MaxVoxels = 0 }, nameof(LabelSourceOptions.MaxVoxels));
        Bad(ok with { MinVolumeNm3 = -1 }, nameof(LabelSourceOptions.MinVolumeNm3));
        Bad(ok with { MinVolumeNm3 = double.PositiveInfinity }, nameof(LabelSourceOptions.MinVolumeNm3));
        Bad(ok with { MinVolumeNm3 = double.NaN }, nameof(LabelSourceOptions.MinVolumeNm3));
        Bad(ok with { MaxVolumeNm3 = 0 }, nameof(LabelSourceOptions.MaxVolumeNm3));
        Bad(ok with { MaxVolumeNm3 = double.PositiveInfinity }, nameof(LabelSourceOptions.MaxVolumeNm3));
        Bad(ok with { Close = 51 }, nameof(LabelSourceOptions.Close));
        Bad(ok with { Close = -1 }, nameof(LabelSourceOptions.Close));
        Bad(ok with { Erode = 51 }, nameof(LabelSourceOptions.Erode));
        Bad(ok with { Dilate = -1 }, nameof(LabelSourceOptions.Dilate));
        Bad(ok with { SplitTouchingNm = 0 }, nameof(LabelSourceOptions.SplitTouchingNm));
        Bad(ok with { SplitTouchingNm = 1e6 + 1 }, nameof(LabelSourceOptions.SplitTouchingNm));
        Bad(ok with { SplitTouchingNm = double.NaN }, nameof(LabelSourceOptions.SplitTouchingNm));
        Assert.Equal("must be 0..50 steps, got 51", Assert.Throws<InvalidOptionException>((ok with { Close = 51 }).Validate).Problem);
        Assert.Equal("must be a depth in (0, 1000000] nm, got 0", Assert.Throws<InvalidOptionException>((ok with { SplitTouchingNm = 0 }).Validate).Problem);
    }

    [Fact]
    public void BinaryMaskOpensAsItsComponentsWithProvenance()
    {
        using var dir = new TempDir();
        string p = Write(dir, "m.mrc", Objects(voxel: VoxelSize.Isotropic(10)));
        var (counts, description, removed, prov) = Open(p, new LabelSourceOptions());
        Assert.Equal(new long[] { 28, 2, 1 }, counts);
        Assert.Equal("binary mask: 0 = background, the other value = foreground; 3 objects (26-connected)", description);
        Assert.Equal(0, removed);
        Assert.Equal(new[] { p }, prov.Inputs);
        var expected = new Dictionary<string, string>
        {
            ["close"] = "0", ["connectivity"] = "26", ["dilate"] = "0", ["erode"] = "0", ["fill_holes"] = "none",
            ["labels"] = "binary", ["min_voxels"] = "1", ["voxel_size_nm"] = "10 nm",
        };
        Assert.Equal(expected, prov.Parameters);
        // 6-connected, the diagonal voxel D is an object of its own
        var six = Open(p, new LabelSourceOptions { Connectivity = Connectivity.Six });
        Assert.Equal(new long[] { 27, 2, 1, 1 }, six.Counts);
        Assert.EndsWith("; 4 objects (6-connected)", six.Description);
        Assert.Equal("6", six.Provenance.Parameters["connectivity"]);
    }

    [Fact]
    public void SizeLimitsInVoxelsAndCubicNanometres()
    {
        using var dir = new TempDir();
        string p = Write(dir, "m.mrc", Objects(voxel: VoxelSize.Isotropic(10)));
        // 1500 nm³ = 1.5 voxels → at least 2
        var a = Open(p, new LabelSourceOptions { MinVolumeNm3 = 1500 });
        Assert.Equal(new long[] { 28, 2 }, a.Counts);
        Assert.Equal(1, a.Removed);
        Assert.Equal("2", a.Provenance.Parameters["min_voxels"]);
        Assert.False(a.Provenance.Parameters.ContainsKey("max_voxels"));
        Assert.Equal(new long[] { 28 }, Open(p, new LabelSourceOptions { MinVolumeNm3 = 1500, MinVoxels = 5 }).Counts);
        Assert.Equal(new long[] { 28, 2 }, Open(p, new LabelSourceOptions { MinVolumeNm3 = 1500, MinVoxels = 0 }).Counts);
        // 2500 nm³ = 2.5 voxels → at most 2; 2000 nm³ → exactly 2; 500 nm³ → under one voxel: refused (it would keep nothing)
        var b = Open(p, new LabelSourceOptions { MaxVolumeNm3 = 2500 });
        Assert.Equal(new long[] { 2, 1 }, b.Counts);
        Assert.Equal(1, b.Removed);
        Assert.Equal("2", b.Provenance.Parameters["max_voxels"]);
        Assert.Equal(new long[] { 2, 1 }, Open(p, new LabelSourceOptions { MaxVolumeNm3 = 2000 }).Counts);
        Assert.Equal(nameof(LabelSourceOptions.MaxVolumeNm3), Assert.Throws<InvalidOptionException>(() => Open(p, new LabelSourceOptions { MaxVolumeNm3 = 500 })).Option);
        Assert.Equal(new long[] { 1 }, Open(p, new LabelSourceOptions { MaxVolumeNm3 = 2500, MaxVoxels = 1 }).Counts);
        Assert.Equal(new long[] { 2, 1 }, Open(p, new LabelSourceOptions { MaxVolumeNm3 = 2500, MaxVoxels = 5 }).Counts);
        Assert.Equal(new long[] { 2 }, Open(p, new LabelSourceOptions { MinVoxels = 2, MaxVoxels = 2 }).Counts);
        Assert.Equal(nameof(LabelSourceOptions.MaxVoxels), Assert.Throws<InvalidOptionException>(() => Open(p, new LabelSourceOptions { MinVoxels = 3, MaxVoxels = 2 })).Option);
        Assert.Equal(nameof(LabelSourceOptions.MaxVolumeNm3), Assert.Throws<InvalidOptionException>(() => Open(p, new LabelSourceOptions { MinVoxels = 3, MaxVolumeNm3 = 2500 })).Option);
        // A voxel size given on the command line wins over the file's: 20 nm voxels hold 8000 nm³
        var c = Open(p, new LabelSourceOptions { MinVolumeNm3 = 1500, VoxelSize = VoxelSize.Isotropic(20) });
        Assert.Equal(new long[] { 28, 2, 1 }, c.Counts);
        Assert.Equal("20 nm", c.Provenance.Parameters["voxel_size_nm"]);
    }

    [Fact]
    public void MissingVoxelSizeIsRefusedOnlyWhenNeeded()
    {
        using var dir = new TempDir();
        string p = Write(dir, "nv.mrc", Objects());
        var plain = Open(p, new LabelSourceOptions());
        Assert.Equal(3, plain.Counts.Length);
        Assert.False(plain.Provenance.Parameters.ContainsKey("voxel_size_nm"));
        using (var opened = LabelSource.Open(p, new LabelSourceOptions(), new Provenance("t"), null, false)) Assert.Null(opened.VoxelSize);
        foreach (var o in new[] { new LabelSourceOptions(), new LabelSourceOptions { MinVolumeNm3 = 1 }, new LabelSourceOptions { MaxVolumeNm3 = 1e9 }, new LabelSourceOptions { SplitTouchingNm = 10 } })
        {
            var e = Assert.Throws<InvalidInputException>(() => Open(p, o, requireVoxelSize: o.MinVolumeNm3 is null && o.MaxVolumeNm3 is null && o.SplitTouchingNm is null));
            Assert.Equal("voxel size is not stored in the file; give it with --voxel-size (nm)", e.Problem);
        }
        using var given = LabelSource.Open(p, new LabelSourceOptions { VoxelSize = VoxelSize.Isotropic(5) }, new Provenance("t"), null, true);
        Assert.Equal(VoxelSize.Isotropic(5), given.VoxelSize);
        Assert.Equal(VoxelSize.Isotropic(5), given.Labels.Info.VoxelSize);
    }

    [Fact]
    public void ReadingModesAreExclusiveAndDescribed()
    {
        using var dir = new TempDir();
        string p = Write(dir, "v.mrc", Objects(a: 2, b: 5, c: 2, voxel: VoxelSize.Isotropic(10)));
        foreach (var o in new[] { new LabelSourceOptions { Instances = true, NonZero = true }, new LabelSourceOptions { Select = 2, Threshold = 1 }, new LabelSourceOptions { NonZero = true, Select = 2 }, new LabelSourceOptions { Instances = true, Threshold = 1 } })
            Assert.Equal(LabelSourceOptions.ModeKey, Assert.Throws<InvalidOptionException>(() => Open(p, o)).Option);
        var nz = Open(p, new LabelSourceOptions { NonZero = true });
        Assert.Equal(new long[] { 28, 2, 1 }, nz.Counts);
        Assert.Equal("every non-zero voxel is foreground; 3 objects (26-connected)", nz.Description);
        Assert.Equal("nonzero", nz.Provenance.Parameters["labels"]);
        var sel = Open(p, new LabelSourceOptions { Select = 2 });
        Assert.Equal(new long[] { 28, 1 }, sel.Counts);
        Assert.Equal("voxels = 2 are foreground; 2 objects (26-connected)", sel.Description);
        Assert.Equal("select:2", sel.Provenance.Parameters["labels"]);
        var th = Open(p, new LabelSourceOptions { Threshold = 2 });
        Assert.Equal(new long[] { 2 }, th.Counts);
        Assert.Equal("threshold:2", th.Provenance.Parameters["labels"]);
        // Instance map: value 2 is one object of 29 voxels (not connected), value 5 another
        var inst = Open(p, new LabelSourceOptions { Instances = true });
        Assert.Equal(new long[] { 29, 2 }, inst.Counts);
        Assert.Equal("instance map: 2 objects", inst.Description);
        Assert.Equal("instances", inst.Provenance.Parameters["labels"]);
        Assert.Equal(new long[] { 29 }, Open(p, new LabelSourceOptions { Instances = true, MinVoxels = 3 }).Counts);
        Assert.Equal(1, Open(p, new LabelSourceOptions { Instances = true, MinVoxels = 3 }).Removed);
        foreach (var o in new[] { new LabelSourceOptions { Instances = true, FillHoles = "3d" }, new LabelSourceOptions { Instances = true, Close = 1 }, new LabelSourceOptions { Instances = true, Erode = 1 }, new LabelSourceOptions { Instances = true, Dilate = 1 } })
            Assert.Equal(nameof(LabelSourceOptions.Instances), Assert.Throws<InvalidOptionException>(() => Open(p, o)).Option);
        // Binary refuses the two values
        Assert.Throws<InvalidInputException>(() => Open(p, new LabelSourceOptions()));
    }

    [Fact]
    public void MorphologyOptionsShapeTheObjects()
    {
        using var dir = new TempDir();
        var vs = VoxelSize.Isotropic(10);
        // A solid 5³ cube in 9³: eroded once 3³ = 27; then dilated (26) back to 125; 6-dilated 27 + 6·9 = 81; dilated alone 7³
        var cube = new Volume<byte>(9, 9, 9, vs);
        for (int z = 2; z <= 6; z++) for (int y = 2; y <= 6; y++) for (int x = 2; x <= 6; x++) cube[z, y, x] = 1;
        string c = Write(dir, "cube.mrc", cube);
        var e = Open(c, new LabelSourceOptions { Erode = 1 });
        Assert.Equal(new long[] { 27 }, e.Counts);
        Assert.Equal("1", e.Provenance.Parameters["erode"]);
        Assert.Equal(new long[] { 125 }, Open(c, new LabelSourceOptions { Erode = 1, Dilate = 1 }).Counts);
        Assert.Equal(new long[] { 81 }, Open(c, new LabelSourceOptions { Erode = 1, Dilate = 1, Connectivity = Connectivity.Six }).Counts);
        var d = Open(c, new LabelSourceOptions { Dilate = 1 });
        Assert.Equal(new long[] { 343 }, d.Counts);
        Assert.Equal("1", d.Provenance.Parameters["dilate"]);
        // Two 3³ cubes with a one-voxel gap (x 2..4 and 6..8 in 12 × 7 × 7): closing joins them into 3 × 3 × 7
        var pair = new Volume<byte>(12, 7, 7, vs);
        for (int z = 2; z <= 4; z++) for (int y = 2; y <= 4; y++) for (int x = 2; x <= 8; x++) if (x != 5) pair[z, y, x] = 1;
        string pp = Write(dir, "pair.mrc", pair);
        Assert.Equal(new long[] { 27, 27 }, Open(pp, new LabelSourceOptions()).Counts);
        var cl = Open(pp, new LabelSourceOptions { Close = 1 });
        Assert.Equal(new long[] { 63 }, cl.Counts);
        Assert.Equal("1", cl.Provenance.Parameters["close"]);
        // A square tube along z (7 × 7 outline, 24 voxels a slice, 4 slices): 3D filling leaves it, 2D fills 49 a slice
        var tube = new Volume<byte>(11, 11, 4, vs);
        for (int z = 0; z < 4; z++) for (int y = 2; y <= 8; y++) for (int x = 2; x <= 8; x++) if (x is 2 or 8 || y is 2 or 8) tube[z, y, x] = 1;
        string t = Write(dir, "tube.mrc", tube);
        Assert.Equal(new long[] { 96 }, Open(t, new LabelSourceOptions { FillHoles = "3D" }).Counts);
        var f2 = Open(t, new LabelSourceOptions { FillHoles = "2d" });
        Assert.Equal(new long[] { 196 }, f2.Counts);
        Assert.Equal("2d", f2.Provenance.Parameters["fill_holes"]);
        // A closed 7³ shell (218 voxels): 3D filling adds the 5³ cavity
        var shell = new Volume<byte>(11, 11, 11, vs);
        for (int z = 2; z <= 8; z++) for (int y = 2; y <= 8; y++) for (int x = 2; x <= 8; x++) if (x is 2 or 8 || y is 2 or 8 || z is 2 or 8) shell[z, y, x] = 1;
        string s = Write(dir, "shell.mrc", shell);
        Assert.Equal(new long[] { 218 }, Open(s, new LabelSourceOptions()).Counts);
        var f3 = Open(s, new LabelSourceOptions { FillHoles = "3d" });
        Assert.Equal(new long[] { 343 }, f3.Counts);
        Assert.Equal("3d", f3.Provenance.Parameters["fill_holes"]);
        var bad = Assert.Throws<InvalidOptionException>(() => Open(s, new LabelSourceOptions { FillHoles = "Both" }));
        Assert.Equal(nameof(LabelSourceOptions.FillHoles), bad.Option);
        Assert.Equal("'both' is not none, 3d or 2d", bad.Problem);
    }

    [Fact]
    public void SplittingTouchingObjectsIsDescribedAndRecorded()
    {
        using var dir = new TempDir();
        // Two spheres of radius 6 voxels (60 nm), centres 9 voxels apart: neck radius √(36 − 20.25) ≈ 4 voxels, depth ≈ 20 nm
        var m = new Volume<byte>(27, 17, 17, VoxelSize.Isotropic(10));
        for (int z = 0; z < 17; z++) for (int y = 0; y < 17; y++) for (int x = 0; x < 27; x++)
        {
            double a = (x - 8) * (x - 8) + (y - 8) * (y - 8) + (z - 8) * (z - 8), b = (x - 17) * (x - 17) + (y - 8) * (y - 8) + (z - 8) * (z - 8);
            if (a <= 36 || b <= 36) m[z, y, x] = 1;
        }
        string p = Write(dir, "two.mrc", m);
        var (counts, description, _, prov) = Open(p, new LabelSourceOptions { SplitTouchingNm = 5 });
        Assert.Equal(2, counts.Length);
        Assert.Equal(m.Data.Count(v => v != 0), counts.Sum());
        Assert.Equal(counts[0], counts[1]);
        Assert.EndsWith("; 1 objects (26-connected); split at necks ≥ 5 nm deep into 2 objects", description);
        Assert.Equal("5", prov.Parameters["split_touching_nm"]);
    }

    [Fact]
    public void MemoryEstimateCountsEveryStep()
    {
        using var dir = new TempDir();
        string p = Write(dir, "m.mrc", Objects(voxel: VoxelSize.Isotropic(10)));
        // (opening the file needs 24 bytes a slice voxel: 1920)
        using (MemoryBudget.Limit(2000))
        {
            // 2·1 + 2 + 3 = 7 steps of 5 bytes a slice voxel (80): 2800 bytes
            var e = Assert.Throws<ResourceLimitException>(() => Open(p, new LabelSourceOptions { Close = 1, Erode = 2, Dilate = 3 }));
            Assert.Contains($"{p}: 7 morphology steps on 10 × 8 slices needs", e.Message);
            Assert.EndsWith("; use fewer --close/--erode/--dilate steps", e.Message);
            var s = Assert.Throws<ResourceLimitException>(() => Open(p, new LabelSourceOptions { SplitTouchingNm = 10 }));
            Assert.Contains(": 0 morphology steps on 10 × 8 slices and --split-touching on 480 voxels needs", s.Message);
            Assert.EndsWith("; use fewer --close/--erode/--dilate steps or leave out --split-touching", s.Message);
            Assert.Single(Open(p, new LabelSourceOptions { MinVoxels = 28 }).Counts);
        }
        using (MemoryBudget.Limit(7679))
            Assert.Throws<ResourceLimitException>(() => Open(p, new LabelSourceOptions { SplitTouchingNm = 10 })); // 16 · 480 = 7680
        using (MemoryBudget.Limit(2799))
            Assert.Throws<ResourceLimitException>(() => Open(p, new LabelSourceOptions { Close = 1, Erode = 2, Dilate = 3 }));
        using (MemoryBudget.Limit(2800))
            Assert.Single(Open(p, new LabelSourceOptions { Close = 1, Erode = 2, Dilate = 3, MinVoxels = 28 }).Counts);
    }

    /// <summary>
    /// 6 × 5 × 3 instance map: id 7 at (x 5, y 0, z 0), (0, 1, 0) and (5, 4, 2), consecutive in memory
    /// across a row end; id 300 at (1, 2, 0), (2, 2, 0), (4, 4, 1); id 5 at (3, 3, 1).
    /// </summary>
    private static Volume<T> Instances<T>(Func<uint, T> of) where T : unmanaged
    {
        var v = new Volume<T>(6, 5, 3, VoxelSize.Isotropic(10));
        v[0, 0, 5] = of(7); v[0, 1, 0] = of(7); v[2, 4, 5] = of(7);
        v[0, 2, 1] = of(300); v[0, 2, 2] = of(300); v[1, 4, 4] = of(300);
        v[1, 3, 3] = of(5);
        return v;
    }

    [Fact]
    public void InstanceMapsKeepTheirIdsCountsAndBoxes()
    {
        using var dir = new TempDir();
        string p = dir.File("inst.tif");
        VolumeIO.Write(p, Instances(id => id));
        var log = new ProgressLog();
        using var all = new InstanceLabelStream(VolumeIO.OpenRead(p), progress: log);
        Assert.Equal(new uint[] { 5, 7, 300 }, all.SourceIds);
        Assert.Equal(new long[] { 1, 3, 3 }, all.VoxelCounts);
        Assert.Equal(new[] { new VoxelBox(3, 3, 1, 3, 3, 1), new VoxelBox(0, 0, 0, 5, 4, 2), new VoxelBox(1, 2, 0, 4, 4, 1) }, all.Bounds);
        Assert.Equal(3, all.ObjectCount);
        Assert.Equal(0, all.RemovedObjects);
        Assert.Equal(p, all.Path);
        Assert.Equal(VoxelType.UInt32, all.Info.Type);
        Assert.Equal(new ProgressUpdate("reading instances", 3, 3, "slices"), log.Items[^1]);
        Assert.Equal(Instances(id => id switch { 5 => 1u, 7 => 2u, 300 => 3u, _ => 0u }).Data, all.ToVolume().Data);
        using var big = new InstanceLabelStream(VolumeIO.OpenRead(p), VoxelSize.Isotropic(3), minVoxels: 2);
        Assert.Equal(new uint[] { 7, 300 }, big.SourceIds);
        Assert.Equal(1, big.RemovedObjects);
        Assert.Equal(VoxelSize.Isotropic(3), big.Info.VoxelSize);
        Assert.Equal(Instances(id => id switch { 7 => 1u, 300 => 2u, _ => 0u }).Data, big.ToVolume().Data);
        using var small = new InstanceLabelStream(VolumeIO.OpenRead(p), maxVoxels: 1);
        Assert.Equal(new uint[] { 5 }, small.SourceIds);
        Assert.Equal(2, small.RemovedObjects);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => all.Stream(_ => { }, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => new InstanceLabelStream(VolumeIO.OpenRead(p), cancellation: cancelled.Token));
    }

    [Fact]
    public void HugeIdsAreMappedThroughTheDictionary()
    {
        // Ids at and above 2^24 (no lookup array): 16777216 twice in a row, 20000000 once, 3 once
        using var dir = new TempDir();
        string p = dir.File("huge.tif");
        var v = new Volume<uint>(5, 2, 2);
        v[0, 0, 1] = 16777216; v[0, 0, 2] = 16777216; v[0, 1, 4] = 3; v[1, 1, 0] = 20000000; v[1, 1, 1] = 16777216;
        VolumeIO.Write(p, v);
        using var all = new InstanceLabelStream(VolumeIO.OpenRead(p));
        Assert.Equal(new uint[] { 3, 16777216, 20000000 }, all.SourceIds);
        Assert.Equal(new uint[] { 0, 2, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 2, 0, 0, 0 }, all.ToVolume().Data);
        using var two = new InstanceLabelStream(VolumeIO.OpenRead(p), minVoxels: 2);
        Assert.Equal(new uint[] { 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, two.ToVolume().Data);
    }

    [Fact]
    public void FloatAndSignedInstanceMapsMustHoldWholePositiveIds()
    {
        using var dir = new TempDir();
        string f = dir.File("f.mrc");
        VolumeIO.Write(f, Instances(id => (float)id));
        using (var s = new InstanceLabelStream(VolumeIO.OpenRead(f)))
        {
            Assert.Equal(new uint[] { 5, 7, 300 }, s.SourceIds);
            Assert.Equal(Instances(id => id switch { 5 => 1u, 7 => 2u, 300 => 3u, _ => 0u }).Data, s.ToVolume().Data);
        }
        string i16 = dir.File("s.mrc");
        VolumeIO.Write(i16, Instances(id => (short)id));
        using (var s = new InstanceLabelStream(VolumeIO.OpenRead(i16))) Assert.Equal(new long[] { 1, 3, 3 }, s.VoxelCounts);
        foreach (var (bad, text) in new[] { (-1f, "-1"), (1.5f, "1.5"), (float.NaN, "NaN"), (5e9f, "5E+09") })
        {
            string b = dir.File($"bad{text}.mrc");
            var v = Instances(id => (float)id);
            v[1, 0, 0] = bad;
            VolumeIO.Write(b, v);
            var e = Assert.Throws<InvalidInputException>(() => new InstanceLabelStream(VolumeIO.OpenRead(b)));
            Assert.Equal($"not an instance map: slice 1 holds the value {text}; object ids must be whole numbers ≥ 1 (0 = background)", e.Problem);
        }
    }
}
