using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// <see cref="VolumeStatistics"/> on small volumes whose statistics are known by hand: ramps of
/// integers (exact one-bin-per-value histograms, numpy's linear percentiles), a float ramp (the
/// 65,536-bin histogram: percentiles from bin centres), slices with NaN and ±∞, progress.
/// Population SD of n consecutive integers: √((n² − 1) / 12).
/// </summary>
public sealed class VolumeStatisticsKnownAnswerTests
{
    private static VolumeStatistics Of<T>(TempDir dir, string name, Volume<T> v, ProgressLog? progress = null) where T : unmanaged
    {
        VolumeIO.Write(dir.File(name), v);
        using var r = VolumeIO.OpenRead(dir.File(name));
        return VolumeStatistics.Compute(r, progress);
    }

    [Fact]
    public void UInt8RampHasExactStatistics()
    {
        // Given 0..255 in one 16 × 16 slice
        using var dir = new TempDir();
        var v = new Volume<byte>(16, 16, 1);
        for (int i = 0; i < 256; i++) v.Data[i] = (byte)i;
        // When
        var st = Of(dir, "u8.tif", v);
        // Then: percentiles at ranks 0.005·255 = 1.275 and 0.995·255 = 253.725, between consecutive integers
        Assert.Equal((256L, 0L, 0L, 0.0, 255.0), (st.Count, st.NaNCount, st.InfinityCount, st.Min, st.Max));
        Assert.Equal(127.5, st.Mean, 9);
        Assert.Equal(Math.Sqrt((256.0 * 256 - 1) / 12), st.Std, 9);
        Assert.Equal(1.275, st.P005, 9);
        Assert.Equal(253.725, st.P995, 9);
        Assert.Equal(0, st.PercentileResolution);
    }

    [Fact]
    public void Int16RampAroundZeroHasExactStatistics()
    {
        // Given −100..100 (201 values), negative minimum
        using var dir = new TempDir();
        var v = new Volume<short>(201, 1, 1);
        for (int i = 0; i < 201; i++) v.Data[i] = (short)(i - 100);
        // When
        var st = Of(dir, "i16.mrc", v);
        // Then: ranks 0.005·200 = 1 and 0.995·200 = 199 are the values −99 and 99
        Assert.Equal((201L, -100.0, 100.0), (st.Count, st.Min, st.Max));
        Assert.Equal(0, st.Mean, 9);
        Assert.Equal(Math.Sqrt((201.0 * 201 - 1) / 12), st.Std, 9);
        Assert.Equal(-99, st.P005, 9);
        Assert.Equal(99, st.P995, 9);
        Assert.Equal(0, st.PercentileResolution);
    }

    [Fact]
    public void UInt16FarFromZeroOverTwoSlicesHasExactStatistics()
    {
        // Given 60000..60019 over two slices of 10 (a small range far from zero)
        using var dir = new TempDir();
        var v = new Volume<ushort>(10, 1, 2);
        for (int i = 0; i < 20; i++) v.Data[i] = (ushort)(60000 + i);
        // When
        var st = Of(dir, "u16.tif", v);
        // Then: mean of the two slices' means weighted; ranks 0.095 and 18.905
        Assert.Equal((20L, 60000.0, 60019.0), (st.Count, st.Min, st.Max));
        Assert.Equal(60009.5, st.Mean, 9);
        Assert.Equal(Math.Sqrt((20.0 * 20 - 1) / 12), st.Std, 9);
        Assert.Equal(60000.095, st.P005, 6);
        Assert.Equal(60018.905, st.P995, 6);
        Assert.Equal(0, st.PercentileResolution);
    }

    [Fact]
    public void IntegerRangesOf65536ValuesAreExactAndWiderOnesAreBinned()
    {
        using var dir = new TempDir();
        // Given 0 and 65535 (65,536 possible values: one bin each)
        var narrow = new Volume<ushort>(2, 1, 1);
        narrow.Data[1] = 65535;
        var a = Of(dir, "a.tif", narrow);
        // Then exact: 0 + 0.005·65535
        Assert.Equal(0, a.PercentileResolution);
        Assert.Equal(327.675, a.P005, 9);
        // Given 0 and 65536 (one value too many): 65,536 bins of width 1, values at bin centres 0.5 and 65535.5
        var wide = new Volume<uint>(2, 1, 1);
        wide.Data[1] = 65536;
        var b = Of(dir, "b.tif", wide);
        Assert.Equal(1, b.PercentileResolution);
        Assert.Equal(0.5 + 0.005 * 65535, b.P005, 9);
        Assert.Equal(0.5 + 0.995 * 65535, b.P995, 9);
    }

    [Fact]
    public void FloatPercentilesAreInterpolatedBetweenBinCentres()
    {
        // Given 1, 1.5, ..., 5.5 over two slices: range 4.5 in 65,536 bins of width w = 4.5 / 65536
        using var dir = new TempDir();
        var v = new Volume<float>(5, 1, 2);
        for (int i = 0; i < 10; i++) v.Data[i] = 1 + 0.5f * i;
        // When
        var st = Of(dir, "f.mrc", v);
        // Then: mean 3.25, SD 0.5·√(99/12)
        double w = 4.5 / 65536;
        Assert.Equal((10L, 1.0, 5.5), (st.Count, st.Min, st.Max));
        Assert.Equal(3.25, st.Mean, 9);
        Assert.Equal(0.5 * Math.Sqrt(99.0 / 12), st.Std, 9);
        Assert.Equal(w, st.PercentileResolution, 15);
        // rank 0.045: between 1 (bin 0) and 1.5 (bin ⌊0.5 / w⌋ = 7281), each at its bin's centre
        Assert.Equal(1 + w * (0.5 + 0.045 * 7281), st.P005, 9);
        // rank 8.955: between 5 (bin ⌊4 / w⌋ = 58254) and 5.5 (the last bin, 65535)
        Assert.Equal(1 + w * (58254.5 + 0.955 * (65535 - 58254)), st.P995, 9);
    }

    [Fact]
    public void NaNAndInfinitiesAreCountedAndLeftOutAndProgressCoversBothPasses()
    {
        // Given 0..15, then a slice of NaN with +∞ and −∞, then 16..31
        using var dir = new TempDir();
        var v = new Volume<float>(4, 4, 3);
        for (int i = 0; i < 16; i++) { v.Data[i] = i; v.Data[16 + i] = float.NaN; v.Data[32 + i] = 16 + i; }
        v[1, 0, 0] = float.PositiveInfinity;
        v[1, 3, 3] = float.NegativeInfinity;
        var progress = new ProgressLog();
        // When
        var st = Of(dir, "n.mrc", v, progress);
        // Then
        Assert.Equal((32L, 14L, 2L, 0.0, 31.0), (st.Count, st.NaNCount, st.InfinityCount, st.Min, st.Max));
        Assert.Equal(15.5, st.Mean, 9);
        Assert.Equal(Math.Sqrt((32.0 * 32 - 1) / 12), st.Std, 9);
        Assert.InRange(st.P005, 0.155 - st.PercentileResolution, 0.155 + st.PercentileResolution);
        Assert.Equal(Enumerable.Range(1, 6).Select(d => new ProgressUpdate("statistics", d, 6, "slices")), progress.Items);
    }

    [Fact]
    public void AVolumeWithoutFiniteValuesHasCountsAndNaNStatistics()
    {
        // Given NaN everywhere but three +∞
        using var dir = new TempDir();
        var v = new Volume<float>(4, 4, 1);
        v.Data.AsSpan().Fill(float.NaN);
        v.Data[0] = v.Data[5] = v.Data[15] = float.PositiveInfinity;
        var progress = new ProgressLog();
        // When
        var st = Of(dir, "nan.mrc", v, progress);
        // Then (one pass only: nothing to histogram)
        Assert.Equal((0L, 13L, 3L), (st.Count, st.NaNCount, st.InfinityCount));
        Assert.All(new[] { st.Min, st.Max, st.Mean, st.Std, st.P005, st.P995 }, x => Assert.True(double.IsNaN(x)));
        Assert.Equal(new[] { new ProgressUpdate("statistics", 1, 2, "slices") }, progress.Items);
    }

    [Fact]
    public void SliceMomentsSkipNaNAndInfinitiesWhereverTheyFall()
    {
        // Given 37 values i − 10 with NaN at 0, +∞ at 1 and −∞ at 20 (in the first vector and after it)
        var s = new float[37];
        for (int i = 0; i < s.Length; i++) s[i] = i - 10;
        s[0] = float.NaN; s[1] = float.PositiveInfinity; s[20] = float.NegativeInfinity;
        // When
        VolumeStatistics.SliceMoments(s, out float min, out float max, out double sum, out long count, out long nan, out long inf);
        // Then: finite values −8..26 except 10: 34 of them, sum 35·9 − 10
        Assert.Equal((-8f, 26f, 305.0, 34L, 1L, 2L), (min, max, sum, count, nan, inf));

        // Given 40 finite values (7i mod 40) − 5: a permutation of −5..34
        var f = new float[40];
        for (int i = 0; i < f.Length; i++) f[i] = (i * 7) % 40 - 5;
        VolumeStatistics.SliceMoments(f, out min, out max, out sum, out count, out nan, out inf);
        Assert.Equal((-5f, 34f, 580.0, 40L, 0L, 0L), (min, max, sum, count, nan, inf));
    }
}
