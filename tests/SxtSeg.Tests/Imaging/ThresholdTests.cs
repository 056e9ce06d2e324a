using SxtSeg.Imaging;

namespace SxtSeg.Tests.Imaging;

public sealed class ThresholdTests
{
    [Fact]
    public void OtsuSplitsTwoClustersBetweenThem()
    {
        // Given 300 values near 1 and 100 values near 5
        var v = new float[400];
        var rng = new Random(3);
        for (int i = 0; i < 300; i++) v[i] = 1 + (float)(rng.NextDouble() - 0.5) * 0.4f;
        for (int i = 300; i < 400; i++) v[i] = 5 + (float)(rng.NextDouble() - 0.5) * 0.4f;
        // When
        float t = Thresholds.Otsu(v);
        // Then
        Assert.InRange(t, 1.2f, 4.8f);
        Assert.Equal(100, v.Count(x => x > t));
    }

    [Fact]
    public void OtsuOfAHandMadeHistogram()
    {
        // Two equal spikes in bins 2 and 7: any split between them is optimal; Otsu takes the first (bin 2).
        long[] h = { 0, 0, 10, 0, 0, 0, 0, 10, 0, 0 };
        Assert.Equal(2, Thresholds.OtsuBin(h));
    }

    [Fact]
    public void AdaptiveMeanFindsABrightLineOnAGradient()
    {
        // Given a strong left-to-right gradient with a faint bright vertical line at x = 20
        int w = 40, h = 10;
        var img = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[y * w + x] = x * 0.5f + (x == 20 ? 2f : 0f);
        var mask = new byte[w * h];
        // When
        Thresholds.AdaptiveMean(img, w, h, radius: 3, offset: 1f, mask);
        // Then only the line is found, although a global threshold could not separate it
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Assert.Equal(x == 20 ? 1 : 0, mask[y * w + x]);
    }

    /// <summary>Ice (0.10) and cell (0.30) with 0.5 % gold-bead voxels (20): plain Otsu separates the beads, the clipped one the cell.</summary>
    [Fact]
    public void ClippedOtsuIgnoresAFewExtremeVoxels()
    {
        var rng = new Random(2);
        var v = new float[20_000];
        for (int i = 0; i < v.Length; i++)
            v[i] = i < 100 ? 20f : (i < 10_000 ? 0.10f : 0.30f) + (float)(0.02 * (rng.NextDouble() - 0.5));
        Assert.True(Thresholds.Otsu(v) > 0.31f, "plain Otsu puts the cell with the ice");
        float t = Thresholds.OtsuClipped(v);
        Assert.InRange(t, 0.11f, 0.29f);
    }
}
