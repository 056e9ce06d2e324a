using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

/// <summary>
/// Known answers for the labelling's edges: option checks, the size window, boxes, label streams
/// from volumes, slab depths, progress and cancellation, single-slice morphology, the
/// connectivity of the background in hole filling, and the splitter's refusals.
/// </summary>
public sealed class ComponentKnownAnswerTests
{
    [Fact]
    public void VoxelBoxesMeasureAndTouchEachFace()
    {
        var b = new VoxelBox(1, 2, 3, 4, 6, 8);
        Assert.Equal(4, b.Width);
        Assert.Equal(5, b.Height);
        Assert.Equal(6, b.Depth);
        Assert.False(b.TouchesBorder(6, 8, 10));
        Assert.True(new VoxelBox(0, 2, 3, 4, 6, 8).TouchesBorder(6, 8, 10));
        Assert.True(new VoxelBox(1, 0, 3, 4, 6, 8).TouchesBorder(6, 8, 10));
        Assert.True(new VoxelBox(1, 2, 0, 4, 6, 8).TouchesBorder(6, 8, 10));
        Assert.True(b.TouchesBorder(5, 8, 10));
        Assert.True(b.TouchesBorder(6, 7, 10));
        Assert.True(b.TouchesBorder(6, 8, 9));
        Assert.Equal(new VoxelBox(0, 2, 1, 4, 9, 8), b.Union(new VoxelBox(0, 5, 1, 2, 9, 4)));
    }

    [Fact]
    public void VolumeForAMinimumSizeIsRoundedUpAndChecked()
    {
        var ten = VoxelSize.Isotropic(10);
        Assert.Equal(0, ComponentOptions.VoxelsForVolume(0, ten));
        Assert.Equal(1, ComponentOptions.VoxelsForVolume(1000, ten));
        Assert.Equal(2, ComponentOptions.VoxelsForVolume(1001, ten));
        Assert.Equal(1, ComponentOptions.VoxelsForVolume(1, ten));
        foreach (double bad in new[] { -1, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<InvalidOptionException>(() => ComponentOptions.VoxelsForVolume(bad, ten));
            Assert.Equal(ComponentOptions.MinVolumeKey, e.Option);
        }
    }

    /// <summary>Objects of 1, 8 and 27 voxels (raster order) in 20 × 10 × 10.</summary>
    private static Volume<byte> ThreeObjects()
    {
        var m = new Volume<byte>(20, 10, 10, VoxelSize.Isotropic(5));
        m[1, 1, 1] = 1;
        for (int z = 3; z < 5; z++) for (int y = 3; y < 5; y++) for (int x = 3; x < 5; x++) m[z, y, x] = 1;
        for (int z = 5; z < 8; z++) for (int y = 5; y < 8; y++) for (int x = 12; x < 15; x++) m[z, y, x] = 1;
        return m;
    }

    [Fact]
    public void SizeWindowKeepsObjectsWithinBothLimits()
    {
        var m = ThreeObjects();
        var log = new ProgressLog();
        var upTo8 = ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MaxVoxels = 8 }, log);
        Assert.Equal(new long[] { 1, 8 }, upTo8.VoxelCounts);
        Assert.Equal(1, upTo8.RemovedObjects);
        Assert.Equal(27, upTo8.RemovedVoxels);
        Assert.Equal(new uint[] { 1, 2 }, upTo8.SourceIds);
        Assert.Equal(new VoxelBox(1, 1, 1, 1, 1, 1), upTo8.Bounds[0]);
        Assert.Equal(VoxelType.UInt32, upTo8.Info.Type);
        Assert.Equal(VoxelSize.Isotropic(5), upTo8.Info.VoxelSize);
        Assert.Equal(new ProgressUpdate("labelling objects", 10, 10, "slices"), log.Items[^1]);
        Assert.Equal(10, log.Items.Count);
        var labels = upTo8.ToVolume();
        Assert.Equal(1u, labels[1, 1, 1]);
        Assert.Equal(2u, labels[4, 4, 4]);
        Assert.Equal(0u, labels[6, 6, 13]);
        var exactly8 = ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MinVoxels = 8, MaxVoxels = 8 });
        Assert.Equal(new long[] { 8 }, exactly8.VoxelCounts);
        Assert.Equal(2, exactly8.RemovedObjects);
        Assert.Equal(28, exactly8.RemovedVoxels);
        var all = ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MinVoxels = 0 });
        Assert.Equal(3, all.ObjectCount);
        Assert.Equal(0, all.RemovedVoxels);
        Assert.Throws<InvalidOptionException>(() => ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MinVoxels = -1 }));
        Assert.Throws<InvalidOptionException>(() => ConnectedComponents.Analyze(MaskStreams.FromVolume(m), new ComponentOptions { MinVoxels = 9, MaxVoxels = 8 }));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => all.Stream(_ => { }, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => ConnectedComponents.Analyze(MaskStreams.FromVolume(m), null, null, cancelled.Token));
        // Small-object removal keeps objects of exactly the minimum size
        Assert.Equal(35, ConnectedComponents.RemoveSmallObjects(m, 8).Data.Count(v => v != 0));
        Assert.Equal(27, ConnectedComponents.RemoveSmallObjects(m, 9).Data.Count(v => v != 0));
        Assert.Equal(36, ConnectedComponents.RemoveSmallObjects(m, 0).Data.Count(v => v != 0));
    }

    [Fact]
    public void LabelVolumesStreamWithCountsAndBoxes()
    {
        // Labels 1 (two voxels in different slices), 2 (three in a row), 3 absent
        var v = new Volume<uint>(4, 3, 5, VoxelSize.Isotropic(2));
        v[0, 2, 3] = 1; v[4, 0, 1] = 1;
        v[2, 1, 0] = 2; v[2, 1, 1] = 2; v[2, 1, 2] = 2;
        var s = LabelStreams.FromVolume(v, 3);
        Assert.Equal(3, s.ObjectCount);
        Assert.Equal(new long[] { 2, 3, 0 }, s.VoxelCounts);
        Assert.Equal(new uint[] { 1, 2, 3 }, s.SourceIds);
        Assert.Equal(new VoxelBox(1, 0, 0, 3, 2, 4), s.Bounds[0]);
        Assert.Equal(new VoxelBox(0, 1, 2, 2, 1, 2), s.Bounds[1]);
        Assert.Equal(default, s.Bounds[2]);
        Assert.Equal(VoxelType.UInt32, s.Info.Type);
        Assert.Equal(VoxelSize.Isotropic(2), s.Info.VoxelSize);
        Assert.Equal(v.Data, s.ToVolume().Data);
        var e = Assert.Throws<AggregateException>(() => LabelStreams.FromVolume(v, 1)); // thrown inside Parallel.For
        Assert.Contains("label 2 in slice 2 exceeds the object count 1", Assert.IsType<ArgumentException>(Assert.Single(e.InnerExceptions)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelStreams.FromVolume(v, -1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => s.Stream(_ => { }, cancelled.Token));
    }

    [Fact]
    public void SlabDepthsFollowTheMemoryBudget()
    {
        // uint32 labels, 64 MiB: a 1024² slice is 4 MiB → 16 slices; small slices → all (at most 64); huge → 1
        Assert.Equal(16, LabelStreams.SlabDepth(1024, 1024, 100));
        Assert.Equal(10, LabelStreams.SlabDepth(4, 4, 10));
        Assert.Equal(64, LabelStreams.SlabDepth(4, 4, 1000));
        Assert.Equal(1, LabelStreams.SlabDepth(8192, 8192, 100));
        Assert.Equal(1, LabelStreams.SlabDepth(4, 4, 0));
        // The engine: 96 MiB over 3 bytes a voxel: a 1024² slice → 32; clamped to 2..64
        Assert.Equal(32, ComponentEngine.SlabDepth(new VolumeInfo(1024, 1024, 10, VoxelType.UInt8)));
        Assert.Equal(64, ComponentEngine.SlabDepth(new VolumeInfo(10, 10, 10, VoxelType.UInt8)));
        Assert.Equal(2, ComponentEngine.SlabDepth(new VolumeInfo(8192, 8192, 10, VoxelType.UInt8)));
        var slab = new LabelSlab(3, 2, 4);
        Assert.Equal(6, slab.SliceLength);
        Assert.Equal(24, slab.Data.Length);
        slab.Slice(2).Fill(9);
        Assert.Equal(new uint[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0 }, slab.Data);
    }

    [Fact]
    public void SingleSliceMorphologyTreatsOutsideAsTheBorderConventionSays()
    {
        // A 5 × 5 square in a 10 × 9 × 1 volume: erosion (outside = foreground in z) leaves 3 × 3 (26) or 3 × 3 (6)
        var m = new Volume<byte>(10, 9, 1);
        for (int y = 2; y <= 6; y++) for (int x = 2; x <= 6; x++) m[0, y, x] = 1;
        Assert.Equal(9, BinaryMorphology.Erode(m, 1).Data.Count(v => v != 0));
        Assert.Equal(9, BinaryMorphology.Erode(m, 1, Connectivity.Six).Data.Count(v => v != 0));
        // Dilation (outside = background): 7 × 7 (26), 25 + 4·5 = 45 (6, no corners)
        Assert.Equal(49, BinaryMorphology.Dilate(m, 1).Data.Count(v => v != 0));
        Assert.Equal(45, BinaryMorphology.Dilate(m, 1, Connectivity.Six).Data.Count(v => v != 0));
        // Opening removes a one-voxel spur; closing keeps the square
        m[0, 4, 7] = 1;
        Assert.Equal(25, BinaryMorphology.Open(m, 1).Data.Count(v => v != 0));
        Assert.Equal(26, BinaryMorphology.Close(m, 1).Data.Count(v => v != 0));
        // A solid full slice survives erosion: the border counts as foreground
        var full = new Volume<byte>(4, 3, 1);
        full.Data.AsSpan().Fill(1);
        Assert.Equal(12, BinaryMorphology.Erode(full, 3).Data.Count(v => v != 0));
        Assert.Equal(0, BinaryMorphology.Dilate(new Volume<byte>(4, 3, 1), 3).Data.Count(v => v != 0));
    }

    [Fact]
    public void RowOperationsShiftWithThePadAtEachEnd()
    {
        // acc AND/OR src shifted by ±1 (src[x + shift]), the pad standing in beyond the row
        byte[] src = { 1, 0, 1, 1, 0 };
        var a = new byte[] { 1, 1, 1, 1, 1 };
        RowOps.Combine(a, src, 1, and: true, pad: 0);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 0 }, a);
        a = new byte[] { 1, 1, 1, 1, 1 };
        RowOps.Combine(a, src, -1, and: true, pad: 1);
        Assert.Equal(new byte[] { 1, 1, 0, 1, 1 }, a);
        a = new byte[5];
        RowOps.Combine(a, src, 1, and: false, pad: 1);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 1 }, a);
        a = new byte[5];
        RowOps.Combine(a, src, -1, and: false, pad: 0);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 1 }, a);
        a = new byte[5];
        RowOps.Combine(a, src, 0, and: false, pad: 0);
        Assert.Equal(src, a);
    }

    [Fact]
    public void HoleFillingUsesTheComplementaryConnectivityForTheBackground()
    {
        // A closed 5³ shell (98 voxels) with one edge voxel removed: its 3³ cavity meets the outside
        // only across that voxel's edge. 26-connected objects (6-connected background): sealed,
        // filled (97 + 27). 6-connected objects (26-connected background): open, not filled.
        var m = new Volume<byte>(9, 9, 9);
        for (int z = 2; z <= 6; z++) for (int y = 2; y <= 6; y++) for (int x = 2; x <= 6; x++) if (x is 2 or 6 || y is 2 or 6 || z is 2 or 6) m[z, y, x] = 1;
        m[2, 4, 2] = 0;
        Assert.Equal(97, m.Data.Count(v => v != 0));
        Assert.Equal(124, BinaryMorphology.FillHoles(m).Data.Count(v => v != 0));
        Assert.Equal(124, BinaryMorphology.FillHoles(m, Connectivity.Eighteen).Data.Count(v => v != 0));
        Assert.Equal(97, BinaryMorphology.FillHoles(m, Connectivity.Six).Data.Count(v => v != 0));
        // The same in a slice: a 5 × 5 ring with a corner removed
        var s = new Volume<byte>(7, 7, 1);
        for (int y = 1; y <= 5; y++) for (int x = 1; x <= 5; x++) if (x is 1 or 5 || y is 1 or 5) s[0, y, x] = 1;
        s[0, 1, 1] = 0;
        Assert.Equal(15 + 9, BinaryMorphology.FillSliceHoles(s).Data.Count(v => v != 0));
        Assert.Equal(15, BinaryMorphology.FillSliceHoles(s, Connectivity.Six).Data.Count(v => v != 0));
    }

    [Fact]
    public void SliceHolesTouchingAnyEdgeStayOpen()
    {
        // A full 7 × 7 slice with one-voxel notches in the middle of each edge and a hole in the centre
        var m = new Volume<byte>(7, 7, 2);
        m.Data.AsSpan().Fill(1);
        for (int z = 0; z < 2; z++) { m[z, 3, 0] = 0; m[z, 3, 6] = 0; m[z, 0, 3] = 0; m[z, 6, 3] = 0; m[z, 3, 3] = 0; }
        var f = BinaryMorphology.FillSliceHoles(m);
        for (int z = 0; z < 2; z++)
        {
            Assert.Equal(1, f[z, 3, 3]);
            Assert.Equal(0, f[z, 3, 0]);
            Assert.Equal(0, f[z, 3, 6]);
            Assert.Equal(0, f[z, 0, 3]);
            Assert.Equal(0, f[z, 6, 3]);
        }
        Assert.Equal(2 * 45, f.Data.Count(v => v != 0));
        // In 3D the central hole reaches the z faces (two slices only), so nothing is filled
        Assert.Equal(m.Data, BinaryMorphology.FillHoles(m).Data);
    }

    [Fact]
    public void SlicesTallerThanOneRowBlockAreProcessedWhole()
    {
        // 70 rows (three blocks of 32): one voxel at y = 50 dilates (6) into its 7-voxel cross;
        // a full 4 × 70 × 3 volume survives erosion, and a single voxel at y = 33 erodes away
        var m = new Volume<byte>(3, 70, 3);
        m[1, 50, 1] = 1;
        var d = BinaryMorphology.Dilate(m, 1, Connectivity.Six);
        Assert.Equal(7, d.Data.Count(v => v != 0));
        foreach (var (z, y, x) in new[] { (1, 50, 1), (0, 50, 1), (2, 50, 1), (1, 49, 1), (1, 51, 1), (1, 50, 0), (1, 50, 2) }) Assert.Equal(1, d[z, y, x]);
        var full = new Volume<byte>(4, 70, 3);
        full.Data.AsSpan().Fill(1);
        full[1, 33, 2] = 0;
        var e = BinaryMorphology.Erode(full, 1, Connectivity.Six);
        Assert.Equal(4 * 70 * 3 - 7, e.Data.Count(v => v != 0)); // the hole and its 6 face neighbours (x = 3 is inside, x = 2 + 1)
    }

    [Fact]
    public void StreamedLabellingStagesReportTheirNames()
    {
        var m = new Volume<byte>(4, 4, 3);
        m[1, 1, 1] = 1;
        var holes = new ProgressLog();
        var small = new ProgressLog();
        MaskStreams.FromVolume(m).FillHoles(progress: holes);
        MaskStreams.FromVolume(m).RemoveSmallObjects(1, progress: small);
        Assert.Equal(new ProgressUpdate("finding holes", 3, 3, "slices"), holes.Items[^1]);
        Assert.Equal(new ProgressUpdate("removing small objects", 3, 3, "slices"), small.Items[^1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => MaskStreams.FromVolume(m).FillHoles(cancellation: cancelled.Token));
    }

    [Fact]
    public void SplitterRefusesBadDepthsAndMissingVoxelSize()
    {
        var v = new Volume<uint>(3, 3, 3, VoxelSize.Isotropic(10));
        v[1, 1, 1] = 1;
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            Assert.Equal(nameof(LabelSourceOptions.SplitTouchingNm), Assert.Throws<InvalidOptionException>(() => TouchingObjects.Split(v, 1, bad)).Option);
        var none = new Volume<uint>(3, 3, 3);
        Assert.Equal("needs the voxel size", Assert.Throws<InvalidOptionException>(() => TouchingObjects.Split(none, 0, 10)).Problem);
        var log = new ProgressLog();
        var (parts, count, _) = TouchingObjects.Split(v, 1, 10, progress: log);
        Assert.Equal(1, count);
        Assert.Equal(v.Data, parts.Data);
        Assert.Equal(new ProgressUpdate("splitting touching objects", 1, 1, "objects"), Assert.Single(log.Items));
    }

    [Fact]
    public void PiecesOfASplitObjectGetNewIdsAboveTheLargestAndWholeObjectsKeepTheirs()
    {
        // Objects with ids 5, 9, 7 became 1, 2 and 3 pieces: 5 stays 5, 9's pieces are 10 and 11, 7's are 12, 13, 14
        Assert.Equal(new uint[] { 5, 10, 11, 12, 13, 14 }, TouchingObjects.PieceIds(new uint[] { 5, 9, 7 }, new[] { 1, 2, 3 }));
        Assert.Equal(new uint[] { 3, 1 }, TouchingObjects.PieceIds(new uint[] { 3, 1 }, new[] { 1, 1 }));
    }

    [Fact]
    public void AnInstanceMapSplitKeepsTheIdsOfObjectsLeftWhole()
    {
        // Given an instance map: id 9 a cube, id 5 a cube after it, id 7 two touching spheres (R 100 nm, 160 nm apart)
        using var dir = new TempDir();
        var v = new Volume<ushort>(60, 30, 30, VoxelSize.Isotropic(10));
        for (int z = 2; z < 8; z++) for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) v[z, y, x] = 9;
        for (int z = 20; z < 26; z++) for (int y = 2; y < 8; y++) for (int x = 2; x < 8; x++) v[z, y, x] = 5;
        for (int z = 0; z < 30; z++) for (int y = 0; y < 30; y++) for (int x = 12; x < 60; x++)
        {
            double dy = y - 14.6, dz = z - 14.7, a = x - 24.3, b = x - 40.3;
            if (a * a + dy * dy + dz * dz <= 100 || b * b + dy * dy + dz * dz <= 100) v[z, y, x] = 7;
        }
        v[28, 28, 2] = 12; // one voxel, removed by --min-voxels 2
        VolumeIO.Write(dir.File("i.mrc"), v);
        // When opened as instances, objects under 2 voxels removed, and split at 20 nm
        using var opened = LabelSource.Open(dir.File("i.mrc"), new LabelSourceOptions { Instances = true, MinVoxels = 2, SplitTouchingNm = 20 }, new Provenance("t"), null, true);
        // Then each cube keeps its own id and the spheres become two new ids above 12 (the removed id included)
        Assert.Equal(4, opened.Labels.ObjectCount);
        var volume = opened.Labels.ToVolume();
        uint IdAt(int z, int y, int x) => opened.Labels.SourceIds[(int)volume[z, y, x] - 1];
        Assert.Equal(9u, IdAt(4, 4, 4));
        Assert.Equal(5u, IdAt(22, 4, 4));
        Assert.Equal(new uint[] { 13, 14 }, new[] { IdAt(15, 15, 24), IdAt(15, 15, 40) }.Order().ToArray());
    }

    [Fact]
    public void AMaximumVolumeBelowOneVoxelIsRefused()
    {
        using var dir = new TempDir();
        var v = new Volume<byte>(4, 4, 4, VoxelSize.Isotropic(10));
        v[1, 1, 1] = 1;
        VolumeIO.Write(dir.File("m.mrc"), v);
        // 500 nm³ is half a 10-nm voxel: no object could be kept
        var e = Assert.Throws<InvalidOptionException>(() => LabelSource.Open(dir.File("m.mrc"), new LabelSourceOptions { MaxVolumeNm3 = 500 }, new Provenance("t"), null, true));
        Assert.Equal(nameof(LabelSourceOptions.MaxVolumeNm3), e.Option);
        using var ok = LabelSource.Open(dir.File("m.mrc"), new LabelSourceOptions { MaxVolumeNm3 = 1000 }, new Provenance("t"), null, true);
        Assert.Equal(1, ok.Labels.ObjectCount);
    }
}
