using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Morphology;

/// <summary>
/// Known answers for mask streams: connectivity facts, the foreground rules on every stored type
/// (uint8, uint16, float32, int16), their refusals and messages, <c>Except</c>, counting and the
/// end-of-stream checks. Every expected value is written out by hand from the voxels set.
/// </summary>
public sealed class MaskStreamKnownAnswerTests
{
    [Fact]
    public void ConnectivitiesParseAndComplementAsDocumented()
    {
        Assert.Equal(Connectivity.Six, Connectivities.Parse("6"));
        Assert.Equal(Connectivity.Eighteen, Connectivities.Parse(" 18 "));
        Assert.Equal(Connectivity.TwentySix, Connectivities.Parse("26"));
        var e = Assert.Throws<InvalidOptionException>(() => Connectivities.Parse("4"));
        Assert.Equal(nameof(LabelSourceOptions.Connectivity), e.Option);
        Assert.Equal("'4' is not a connectivity (use 6, 18 or 26)", e.Problem);
        Assert.Equal("Conn", Assert.Throws<InvalidOptionException>(() => Connectivities.Parse("8", "Conn")).Option);
        Assert.Equal(Connectivity.TwentySix, Connectivity.Six.Complement());
        Assert.Equal(Connectivity.Six, Connectivity.Eighteen.Complement());
        Assert.Equal(Connectivity.Six, Connectivity.TwentySix.Complement());
        Assert.False(Connectivity.Six.EightInPlane());
        Assert.True(Connectivity.Eighteen.EightInPlane());
        Assert.True(Connectivity.TwentySix.EightInPlane());
    }

    [Fact]
    public void ForegroundRulesDescribeThemselves()
    {
        Assert.Equal("binary mask: 0 = background, the other value = foreground", ForegroundRule.Binary.Describe());
        Assert.Equal("every non-zero voxel is foreground", ForegroundRule.NonZero.Describe());
        Assert.Equal("voxels > 0.5 are foreground", ForegroundRule.Above(0.5).Describe());
        Assert.Equal("voxels = 2 are foreground", ForegroundRule.Equal(2).Describe());
        Assert.Equal("binary", ForegroundRule.Binary.ToString());
        Assert.Equal("nonzero", ForegroundRule.NonZero.ToString());
        Assert.Equal("threshold:0.5", ForegroundRule.Above(0.5).ToString());
        Assert.Equal("select:2", ForegroundRule.Equal(2).ToString());
        Assert.Equal(ForegroundMode.Threshold, ForegroundRule.Above(1).Mode);
        Assert.Equal(ForegroundMode.Select, ForegroundRule.Equal(1).Mode);
    }

    private static byte[] Mask(string path, ForegroundRule rule, VoxelSize? voxel = null)
    {
        using var s = MaskStreams.FromReader(VolumeIO.OpenRead(path), rule, voxel);
        Assert.Equal(VoxelType.UInt8, s.Info.Type);
        Assert.Equal(path, s.Path);
        Assert.Same(rule, s.Rule);
        return s.ToVolume().Data;
    }

    /// <summary>A 4 × 1 × 2 volume: slice 0 = a, b, 0, c; slice 1 = 0, d, 0, 0.</summary>
    private static Volume<T> Two<T>(T a, T b, T c, T d) where T : unmanaged
    {
        var v = new Volume<T>(4, 1, 2, VoxelSize.Isotropic(10));
        v[0, 0, 0] = a; v[0, 0, 1] = b; v[0, 0, 3] = c;
        v[1, 0, 1] = d;
        return v;
    }

    [Fact]
    public void ByteLabelsFollowEachRule()
    {
        using var dir = new TempDir();
        string p = dir.File("u8.mrc");
        VolumeIO.Write(p, Two<byte>(3, 7, 3, 7));
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }, Mask(p, ForegroundRule.NonZero));
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0 }, Mask(p, ForegroundRule.Above(3)));
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }, Mask(p, ForegroundRule.Above(2.5)));
        Assert.Equal(new byte[] { 1, 0, 0, 1, 0, 0, 0, 0 }, Mask(p, ForegroundRule.Equal(3)));
        // Binary: 3 and 7 are two values (first seen in slice 0, the smaller named first)
        var e = Assert.Throws<InvalidInputException>(() => Mask(p, ForegroundRule.Binary));
        Assert.Equal(p, e.Path);
        Assert.StartsWith("not a binary label volume: it holds at least two non-zero values (3 and 7, seen by slice 0); use --instances", e.Problem);
        // The second value only in the second slice, the larger seen first
        string q = dir.File("u8b.mrc");
        VolumeIO.Write(q, Two<byte>(0, 9, 9, 4));
        Assert.Contains("(4 and 9, seen by slice 1)", Assert.Throws<InvalidInputException>(() => Mask(q, ForegroundRule.Binary)).Problem);
        // A true binary 0/200 mask, with a voxel size given in place of the file's
        string r = dir.File("u8c.mrc");
        VolumeIO.Write(r, Two<byte>(200, 0, 200, 200));
        using var s = MaskStreams.FromReader(VolumeIO.OpenRead(r), ForegroundRule.Binary, VoxelSize.Isotropic(7));
        Assert.True(double.IsNaN(s.ForegroundValue));
        Assert.Equal(new byte[] { 1, 0, 0, 1, 0, 1, 0, 0 }, s.ToVolume().Data);
        Assert.Equal(200, s.ForegroundValue);
        Assert.Equal(VoxelSize.Isotropic(7), s.Info.VoxelSize);
        Assert.Equal(3, s.CountForeground());
        Assert.Throws<InvalidOperationException>(() => s.ReadNext(new byte[4]));
        s.Reset();
        var slice = new byte[4];
        s.ReadNext(slice);
        Assert.Equal(new byte[] { 1, 0, 0, 1 }, slice);
    }

    [Fact]
    public void UInt16LabelsFollowEachRule()
    {
        using var dir = new TempDir();
        string p = dir.File("u16.mrc");
        VolumeIO.Write(p, Two<ushort>(1000, 60000, 1000, 60000));
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0, 1, 0, 0 }, Mask(p, ForegroundRule.NonZero));
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0 }, Mask(p, ForegroundRule.Above(1000)));
        Assert.Equal(new byte[] { 1, 0, 0, 1, 0, 0, 0, 0 }, Mask(p, ForegroundRule.Equal(1000)));
        Assert.Contains("(1000 and 60000, seen by slice 0)", Assert.Throws<InvalidInputException>(() => Mask(p, ForegroundRule.Binary)).Problem);
        string q = dir.File("u16b.mrc");
        VolumeIO.Write(q, Two<ushort>(0, 500, 0, 400));
        Assert.Contains("(400 and 500, seen by slice 1)", Assert.Throws<InvalidInputException>(() => Mask(q, ForegroundRule.Binary)).Problem);
        string r = dir.File("u16c.mrc");
        VolumeIO.Write(r, Two<ushort>(0, 500, 500, 500));
        using var s = MaskStreams.FromReader(VolumeIO.OpenRead(r), ForegroundRule.Binary);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0, 1, 0, 0 }, s.ToVolume().Data);
        Assert.Equal(500, s.ForegroundValue);
    }

    [Fact]
    public void FloatLabelsFollowEachRuleAndRefuseProbabilitiesAsBinary()
    {
        using var dir = new TempDir();
        string p = dir.File("f.mrc");
        VolumeIO.Write(p, Two(0.25f, 2f, float.NaN, 3f));
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 1, 0, 0 }, Mask(p, ForegroundRule.NonZero));
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0 }, Mask(p, ForegroundRule.Above(0.25)));
        Assert.Equal(new byte[] { 0, 1, 0, 0, 0, 0, 0, 0 }, Mask(p, ForegroundRule.Equal(2)));
        var e = Assert.Throws<InvalidInputException>(() => Mask(p, ForegroundRule.Binary));
        Assert.Equal("not a binary label volume: slice 0 holds the non-integer value 0.25 (a probability map?); binarise it with --above T (voxels above T become foreground)", e.Problem);
        // NaN and infinity are not labels either; two whole values are two labels
        string q = dir.File("fq.mrc");
        VolumeIO.Write(q, Two(0f, 1f, 0f, float.PositiveInfinity));
        Assert.Contains("slice 1 holds the non-integer value Infinity", Assert.Throws<InvalidInputException>(() => Mask(q, ForegroundRule.Binary)).Problem);
        string r = dir.File("fr.mrc");
        VolumeIO.Write(r, Two(0f, 5f, 0f, 2f));
        Assert.Contains("(2 and 5, seen by slice 1)", Assert.Throws<InvalidInputException>(() => Mask(r, ForegroundRule.Binary)).Problem);
        string t = dir.File("ft.mrc");
        VolumeIO.Write(t, Two(0f, 5f, 5f, 5f));
        using var s = MaskStreams.FromReader(VolumeIO.OpenRead(t), ForegroundRule.Binary);
        Assert.Equal(new byte[] { 0, 1, 0, 1, 0, 1, 0, 0 }, s.ToVolume().Data);
        Assert.Equal(5, s.ForegroundValue);
    }

    [Fact]
    public void SignedLabelsAreReadAsValues()
    {
        using var dir = new TempDir();
        string p = dir.File("s16.mrc");
        VolumeIO.Write(p, Two<short>(-3, 2, 0, 2));
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 1, 0, 0 }, Mask(p, ForegroundRule.NonZero));
        Assert.Equal(new byte[] { 0, 1, 1, 1, 1, 1, 1, 1 }, Mask(p, ForegroundRule.Above(-3))); // 0 > −3
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, Mask(p, ForegroundRule.Equal(-3)));
        Assert.Contains("(-3 and 2, seen by slice 0)", Assert.Throws<InvalidInputException>(() => Mask(p, ForegroundRule.Binary)).Problem);
    }

    [Fact]
    public void InMemoryMasksBinariseEveryNonZeroByteAcrossVectorWidths()
    {
        // Given a 100-voxel row (wider than any SIMD vector, with a scalar tail) of 0, 1, 2, 255 repeating
        var v = new Volume<byte>(100, 1, 1);
        for (int x = 0; x < 100; x++) v[0, 0, x] = (byte)(x % 4 == 0 ? 0 : x % 4 == 1 ? 1 : x % 4 == 2 ? 2 : 255);
        var s = MaskStreams.FromVolume(v);
        // Then every non-zero voxel is 1: 75 of them
        var m = s.ToVolume();
        for (int x = 0; x < 100; x++) Assert.Equal(x % 4 == 0 ? 0 : 1, m[0, 0, x]);
        Assert.Equal(75, s.CountForeground());
        Assert.Equal(VoxelType.UInt8, s.Info.Type);
        Assert.Throws<InvalidOperationException>(() => s.ReadNext(new byte[100]));
    }

    [Fact]
    public void ExceptRemovesTheExcludedVoxelsAndNeedsTheSameShape()
    {
        var a = new Volume<byte>(3, 2, 2);
        var b = new Volume<byte>(3, 2, 2);
        for (int i = 0; i < 12; i++) a.Data[i] = (byte)(i % 2 == 0 ? 1 : 0); // 0, 2, 4, 6, 8, 10
        b.Data[2] = 7; b.Data[3] = 1; b.Data[10] = 1;                       // removes 2 and 10
        var c = MaskStreams.FromVolume(a).Except(MaskStreams.FromVolume(b));
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0 }, c.ToVolume().Data);
        Assert.Equal(4, c.CountForeground());
        Assert.Equal(3, c.Info.Nx);
        foreach (var other in new[] { new Volume<byte>(4, 2, 2), new Volume<byte>(3, 3, 2), new Volume<byte>(3, 2, 3) })
            Assert.Throws<ArgumentException>(() => MaskStreams.FromVolume(a).Except(MaskStreams.FromVolume(other)));
    }

    [Fact]
    public void MorphologyStreamsRefuseToReadPastTheLastSlice()
    {
        var s = MaskStreams.FromVolume(new Volume<byte>(4, 4, 2)).Erode(1);
        s.Reset();
        var buf = new byte[16];
        s.ReadNext(buf);
        s.ReadNext(buf);
        Assert.Throws<InvalidOperationException>(() => s.ReadNext(buf));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskStreams.FromVolume(new Volume<byte>(4, 4, 2)).Erode(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskStreams.FromVolume(new Volume<byte>(4, 4, 2)).Dilate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskStreams.FromVolume(new Volume<byte>(4, 4, 2)).RemoveSmallObjects(-1));
    }
}
