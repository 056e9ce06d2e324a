using SxtSeg.Imaging;

namespace SxtSeg.Tests.Imaging;

public sealed class PngAndPlotTests
{
    [Fact]
    public void PngRoundTripsRgbPixels()
    {
        // Given a 7 × 5 gradient
        var rgb = new byte[7 * 5 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 7);
        // When
        var png = Png.EncodeRgb(7, 5, rgb);
        var (w, h, ch, px) = Png.Decode(png);
        // Then
        Assert.Equal((7, 5, 3), (w, h, ch));
        Assert.Equal(rgb, px);
    }

    [Fact]
    public void LinePlotRendersANonBlankPng()
    {
        // Given
        double[] x = { 1, 2, 3, 4, 5 }, y = { 1, 0.5, 0.3, 0.2, 0.15 };
        // When
        var png = Plots.Lines("loss", "epoch", "loss", new[] { new PlotSeries("train", x, y) }, 320, 200);
        var (w, h, ch, px) = Png.Decode(png);
        // Then: right size, and more than one distinct colour (axes, line, text)
        Assert.Equal((320, 200), (w, h));
        var distinct = new HashSet<int>();
        for (int i = 0; i + ch <= px.Length; i += ch) distinct.Add(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
        Assert.True(distinct.Count > 10, $"only {distinct.Count} colours");
    }

    [Fact]
    public void OverlayBlendsOnlyMaskedPixels()
    {
        // Given grey 100 everywhere and a mask on pixel 1
        byte[] gray = { 100, 100 }, mask = { 0, 1 };
        // When
        var rgb = SliceRenderer.Overlay(gray, mask, Rgb.Red, 0.5f);
        // Then pixel 0 untouched, pixel 1 = 0.5·100 + 0.5·(255, 0, 0)
        Assert.Equal(new byte[] { 100, 100, 100, 178, 50, 50 }, rgb);
    }

    [Fact]
    public void SideBySidePlacesPanelsLeftToRightWithAWhiteGap()
    {
        // two 1 × 2 panels (one pixel wide, two high), gap 1: each row is panel A, white, panel B
        byte[] a = { 1, 2, 3, 4, 5, 6 }, b = { 7, 8, 9, 10, 11, 12 };
        Assert.Equal(new byte[] { 1, 2, 3, 255, 255, 255, 7, 8, 9, 4, 5, 6, 255, 255, 255, 10, 11, 12 }, SliceRenderer.SideBySide(1, 2, 1, a, b));
    }

    [Fact]
    public void SideBySideWithABlackGapAndItsWidth()
    {
        // two 1 × 1 panels, gap 2 of grey 0: A, black, black, B; width 1 + 2 + 1 = 4
        byte[] a = { 1, 2, 3 }, b = { 7, 8, 9 };
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0, 0, 0, 0, 7, 8, 9 }, SliceRenderer.SideBySide(1, 1, 2, 0, a, b));
        Assert.Equal(4, SliceRenderer.SideBySideWidth(1, 2, 2));
        // three panels of 10 with gaps of 8 (the real-overlays layout): 30 + 16
        Assert.Equal(46, SliceRenderer.SideBySideWidth(10, 8, 3));
        Assert.Equal(10, SliceRenderer.SideBySideWidth(10, 8, 1));
    }
}
