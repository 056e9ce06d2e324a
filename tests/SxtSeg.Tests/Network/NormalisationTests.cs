using SxtSeg.Network;

namespace SxtSeg.Tests.Network;

public sealed class NormalisationTests
{
    [Fact]
    public void ImageAreaTrimsConstantAndNaNBorders()
    {
        // Given a 6 × 5 slice with a zero frame on the left and top and a NaN column on the right
        const int nx = 6, ny = 5;
        var s = new float[nx * ny];
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
                s[y * nx + x] = x == 0 || y == 0 ? 0f : x == 5 ? float.NaN : x * 10 + y;
        // When / Then the real area is columns 1..4, rows 1..4
        Assert.Equal(new ImageArea(1, 1, 4, 4), ImageArea.Find(s, nx, ny));
        Assert.True(ImageArea.Find(new float[12], 4, 3).IsEmpty);
    }

    [Fact]
    public void ZScoreUsesTheRealAreaAndSparesFlatSlices()
    {
        // Given a slice 1, 2, 3, 4 inside a frame of 0 (mean 2.5, std √1.25)
        var s = new float[] { 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0 };
        var st = SliceNormalization.Default.Apply(s, 4, 4);
        Assert.Equal(2.5, st.Mean, 12);
        Assert.Equal(Math.Sqrt(1.25), st.Std, 12);
        Assert.False(st.Flat);
        Assert.Equal((1 - 2.5) / Math.Sqrt(1.25), s[5], 5);
        Assert.Equal(-2.5 / Math.Sqrt(1.25), s[0], 5);
        // and a flat slice is only shifted
        var flat = new float[] { 7, 7, 7, 7 };
        SliceNormalization.Default.Apply(flat, 2, 2);
        Assert.All(flat, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void FlatnessIsScaleFree()
    {
        // Given the same pattern in raw absorption units (1e-4) and in [0, 1]
        var rng = new Random(3);
        var small = new float[64 * 64];
        for (int i = 0; i < small.Length; i++) small[i] = (float)(0.0006 + 3e-4 * rng.NextDouble());
        var large = small.Select(v => v * 1000f).ToArray();
        // When both are normalised
        var a = SliceNormalization.Default.Apply(small, 64, 64);
        var b = SliceNormalization.Default.Apply(large, 64, 64);
        // Then neither is flat (std 1e-4 is not "≤ 1e-3" here: the rule is relative to the range) and the results agree
        Assert.False(a.Flat);
        Assert.False(b.Flat);
        for (int i = 0; i < small.Length; i += 97) Assert.Equal(large[i], small[i], 3);
        // and a blank 1200² slice with one hot pixel counts as flat (std = 5/1200 ≤ 1e-3 × 5)
        var hot = new float[1200 * 1200];
        hot[600 * 1200 + 600] = 5;
        Assert.True(SliceNormalization.Default.Measure(hot, 1200, 1200).Flat);
    }
}
