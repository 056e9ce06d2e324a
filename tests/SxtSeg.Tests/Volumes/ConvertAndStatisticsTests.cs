using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

public sealed class ConvertAndStatisticsTests
{
    [Theory]
    [MemberData(nameof(VolumeFixtures.AllTypes), MemberType = typeof(VolumeFixtures))]
    public void MrcToTiffToMrcIsBitExact(string type)
    {
        using var dir = new TempDir();
        // Given
        byte[] original = VolumeFixtures.WritePattern(type, dir.File("a.mrc"));
        // When
        VolumeConverter.Convert(dir.File("a.mrc"), dir.File("b.tif"), new ConvertOptions());
        VolumeConverter.Convert(dir.File("b.tif"), dir.File("c.mrc"), new ConvertOptions());
        // Then
        if (VoxelTypes.Parse(type) == VoxelType.UInt8)
        {
            // uint8 data above 127 are written to MRC as uint16 (mode 6, read alike everywhere); the values survive
            var values = original.Select(b => (double)b).ToArray();
            Assert.Equal(values, VolumeIO.Read<float>(dir.File("b.tif")).Data.Select(f => (double)f));
            Assert.Equal(values, VolumeIO.Read<float>(dir.File("c.mrc")).Data.Select(f => (double)f));
            using (var c = VolumeIO.OpenRead(dir.File("c.mrc"))) Assert.Equal(VoxelType.UInt16, c.Info.Type);
            return;
        }
        Assert.Equal(original, VolumeFixtures.ReadRaw(dir.File("b.tif"), out var tinfo));
        Assert.Equal(original, VolumeFixtures.ReadRaw(dir.File("c.mrc"), out var minfo));
        Assert.Equal(VoxelTypes.Parse(type), minfo.Type);
        Assert.Equal(9.8, minfo.VoxelSize!.Value.X, 5);
        Assert.Equal(tinfo.Type, minfo.Type);
    }

    [Fact]
    public void FloatToUInt8AutoScalesMinMaxToFullRange()
    {
        using var dir = new TempDir();
        var v = new Volume<float>(4, 1, 1);
        v.Data[0] = -2; v.Data[1] = 0; v.Data[2] = 1; v.Data[3] = 2;
        VolumeIO.Write(dir.File("f.mrc"), v);
        var (scale, offset) = VolumeConverter.Convert(dir.File("f.mrc"), dir.File("u.tif"), new ConvertOptions { Type = VoxelType.UInt8 });
        Assert.Equal(255.0 / 4, scale, 9);
        Assert.Equal(127.5, offset, 9);
        // −2 → 0, 0 → 127.5 → 128 (away from zero), 1 → 191.25 → 191, 2 → 255
        Assert.Equal(new byte[] { 0, 128, 191, 255 }, VolumeIO.Read<byte>(dir.File("u.tif")).Data);
    }

    [Fact]
    public void Float16AutoKeepsValuesThatFitAndScalesOnesBeyondItsRange()
    {
        using var dir = new TempDir();
        // float32 within ±65504: kept as they are (1.5 and −300 are exact in float16)
        var f = new Volume<float>(3, 1, 1);
        f.Data[0] = 1.5f; f.Data[1] = -300; f.Data[2] = 65504;
        VolumeIO.Write(dir.File("f.mrc"), f);
        Assert.Equal((1.0, 0.0), VolumeConverter.Convert(dir.File("f.mrc"), dir.File("h.mrc"), new ConvertOptions { Type = VoxelType.Float16 }));
        Assert.Equal(new[] { (Half)1.5, (Half)(-300), (Half)65504 }, VolumeIO.Read<Half>(dir.File("h.mrc")).Data);
        // float32 beyond it (70000 would be infinity): mapped min–max to 0..1, no infinity written
        f.Data[2] = 70000;
        VolumeIO.Write(dir.File("g.mrc"), f);
        var (scale, offset) = VolumeConverter.Convert(dir.File("g.mrc"), dir.File("k.mrc"), new ConvertOptions { Type = VoxelType.Float16 });
        Assert.Equal(1 / 70300.0, scale, 12);
        Assert.Equal(300 / 70300.0, offset, 12);
        var k = VolumeIO.Read<Half>(dir.File("k.mrc")).Data;
        Assert.Equal((Half)0, k[1]);
        Assert.Equal((Half)1, k[2]);
        // uint16 (to 65535): by its type's range, mapped too; uint8 (a TIFF: an MRC widens 255 to mode 6) kept
        var u = new Volume<ushort>(2, 1, 1);
        u.Data[0] = 0; u.Data[1] = 65535;
        VolumeIO.Write(dir.File("u.mrc"), u);
        Assert.Equal(1 / 65535.0, VolumeConverter.Convert(dir.File("u.mrc"), dir.File("uh.mrc"), new ConvertOptions { Type = VoxelType.Float16 }).Scale, 12);
        var b = new Volume<byte>(2, 1, 1);
        b.Data[1] = 255;
        VolumeIO.Write(dir.File("b.tif"), b);
        Assert.Equal((1.0, 0.0), VolumeConverter.Convert(dir.File("b.tif"), dir.File("bh.mrc"), new ConvertOptions { Type = VoxelType.Float16 }));
    }

    [Fact]
    public void FlipYReversesRowOrder()
    {
        using var dir = new TempDir();
        var v = new Volume<short>(2, 3, 1);
        for (short i = 0; i < 6; i++) v.Data[i] = i;
        VolumeIO.Write(dir.File("a.mrc"), v);
        VolumeConverter.Convert(dir.File("a.mrc"), dir.File("b.tif"), new ConvertOptions { FlipY = true });
        Assert.Equal(new short[] { 4, 5, 2, 3, 0, 1 }, VolumeIO.Read<short>(dir.File("b.tif")).Data);
    }

    [Fact]
    public void StatisticsMatchHandComputedValues()
    {
        using var dir = new TempDir();
        // Given 0..999 over 10 slices of 10 × 10, plus one NaN replacing value 999
        var v = new Volume<float>(10, 10, 10);
        for (int i = 0; i < 1000; i++) v.Data[i] = i;
        v.Data[999] = float.NaN;
        VolumeIO.Write(dir.File("s.mrc"), v);
        // When
        using var r = VolumeIO.OpenRead(dir.File("s.mrc"));
        var st = VolumeStatistics.Compute(r);
        // Then (over 0..998): mean 499, population std sqrt((999² − 1) / 12), numpy-style percentiles
        Assert.Equal(999, st.Count);
        Assert.Equal(1, st.NaNCount);
        Assert.Equal(0, st.Min);
        Assert.Equal(998, st.Max);
        Assert.Equal(499, st.Mean, 9);
        Assert.Equal(Math.Sqrt((999.0 * 999 - 1) / 12), st.Std, 6);
        Assert.Equal(0.005 * 998, st.P005, 1);   // 4.99 within one histogram bin (998 / 65536)
        Assert.Equal(0.995 * 998, st.P995, 1);   // 993.01
    }

    [Fact]
    public void IntegerStatisticsPercentilesAreExact()
    {
        using var dir = new TempDir();
        var v = new Volume<ushort>(200, 1, 1);
        for (int i = 0; i < 200; i++) v.Data[i] = (ushort)(i * 3);
        VolumeIO.Write(dir.File("s.tif"), v);
        using var r = VolumeIO.OpenRead(dir.File("s.tif"));
        var st = VolumeStatistics.Compute(r);
        Assert.Equal(0, st.PercentileResolution);
        Assert.Equal(2.985, st.P005, 9);    // numpy.percentile: position 0.995 between 0 and 3
        Assert.Equal(594.015, st.P995, 9);  // position 198.005 between 594 and 597
    }
}
