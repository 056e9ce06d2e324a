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
        var (mean, std) = SliceNormalization.Default.Apply(s, 4, 4);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(1.25), std, 12);
        Assert.Equal((1 - 2.5) / Math.Sqrt(1.25), s[5], 5);
        Assert.Equal(-2.5 / Math.Sqrt(1.25), s[0], 5);
        // and a flat slice is only shifted
        var flat = new float[] { 7, 7, 7, 7 };
        SliceNormalization.Default.Apply(flat, 2, 2);
        Assert.All(flat, v => Assert.Equal(0f, v));
    }
}
