using SxtSeg.Imaging;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Surfaces;

public sealed class MeshRendererTests
{
    private static List<RenderItem> Cubes()
    {
        // Object 1: a cube at the left of the volume (small x); object 2: a cube at the right, lower in y.
        var labels = new Volume<uint>(60, 40, 20, VoxelSize.Isotropic(10));
        for (int z = 5; z < 15; z++) for (int y = 5; y < 15; y++) for (int x = 5; x < 15; x++) labels[z, y, x] = 1;
        for (int z = 5; z < 15; z++) for (int y = 25; y < 35; y++) for (int x = 45; x < 55; x++) labels[z, y, x] = 2;
        var set = MarchingCubes.Extract(LabelStreams.FromVolume(labels, 2));
        return set.Objects.Select(o => RenderItem.FromMesh(o, 3)).ToList();
    }

    private static (byte R, byte G, byte B) Pixel(byte[] rgb, int w, int x, int y) => (rgb[(y * w + x) * 3], rgb[(y * w + x) * 3 + 1], rgb[(y * w + x) * 3 + 2]);

    private static double Hue((byte R, byte G, byte B) c)
    {
        double r = c.R, g = c.G, b = c.B, max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        if (max == min) return -1;
        double h = max == r ? (g - b) / (max - min) : max == g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
        return (h * 60 + 360) % 360;
    }

    private static double ObjectHue(uint id)
    {
        var c = MeshColors.ForObject(id, 3);
        return Hue((c.R, c.G, c.B));
    }

    private static bool IsBackground((byte R, byte G, byte B) c) => Math.Max(c.R, Math.Max(c.G, c.B)) - Math.Min(c.R, Math.Min(c.G, c.B)) < 16 && c.R > 200;

    private static double HueDistance(double a, double b) => Math.Min(Math.Abs(a - b), 360 - Math.Abs(a - b));

    [Fact]
    public void TopViewShowsObjectsWhereTheSlicesHaveThemInTheirOwnColours()
    {
        // Given two cubes, viewed from the top (x right, y down, as slices)
        var items = Cubes();
        var options = new RenderOptions { Width = 300, Height = 200, Views = new[] { new ViewAngle(0, 90) }, ScaleBar = false, Axes = false, Captions = false };
        // When
        var (w, h, rgb) = MeshRenderer.Render(items, options);
        // Then the first cube is up-left of the second, each shaded in its object's hue; corners are background
        Assert.Equal((300, 200), (w, h));
        var left = Pixel(rgb, w, 89, 70);
        var right = Pixel(rgb, w, 211, 130);
        // (shading mixes in white highlights and a little background, so hues agree within 15°)
        Assert.InRange(HueDistance(ObjectHue(1), Hue(left)), 0, 15);
        Assert.InRange(HueDistance(ObjectHue(2), Hue(right)), 0, 15);
        Assert.InRange(HueDistance(ObjectHue(1), ObjectHue(2)), 30, 180);
        Assert.True(IsBackground(Pixel(rgb, w, 2, 2)));
        Assert.True(IsBackground(Pixel(rgb, w, 211, 70)));
        Assert.False(IsBackground(left));
    }

    [Fact]
    public void RenderingIsDeterministicAndViewsArePlacedSideBySide()
    {
        var items = Cubes();
        var options = new RenderOptions { Width = 160, Height = 120, Views = new[] { new ViewAngle(30, 35), new ViewAngle(-60, 10) } };
        var a = MeshRenderer.Render(items, options);
        var b = MeshRenderer.Render(items, options);
        Assert.Equal(320, a.Width);
        Assert.Equal(a.Rgb, b.Rgb);
    }

    [Fact]
    public void EmptySceneRendersABackgroundWithAMessage()
    {
        var (w, h, rgb) = MeshRenderer.Render(Array.Empty<RenderItem>(), new RenderOptions { Width = 200, Height = 100 });
        Assert.Equal(200 * 100 * 3, rgb.Length);
        // The message "no objects" is drawn in the ink colour (45, 50, 60) at twice the font size, centred:
        // its ink spans 10 glyphs of 5 + 1 columns less the last gap, × 2 = 118 pixels, from x = 41 to 158
        int x0 = int.MaxValue, x1 = -1, y0 = int.MaxValue, y1 = -1, ink = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                if (rgb[i] != 45 || rgb[i + 1] != 50 || rgb[i + 2] != 60) continue;
                ink++;
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
            }
        Assert.True(ink > 100, $"{ink} ink pixels");
        Assert.InRange(x0, 41, 43);
        Assert.InRange(x1, 156, 158);
        Assert.InRange((y0 + y1) / 2.0, 40, 60);
    }

    [Fact]
    public void ViewAnglesParseAndRejectNonsense()
    {
        Assert.Equal(new ViewAngle(30, -20), ViewAngle.Parse("30,-20"));
        Assert.Throws<InvalidOptionException>(() => ViewAngle.Parse("30"));
        Assert.Throws<InvalidOptionException>(() => ViewAngle.Parse("30,120"));
    }

    [Fact]
    public void PngOfARenderDecodes()
    {
        var (w, h, rgb) = MeshRenderer.Render(Cubes(), new RenderOptions { Width = 64, Height = 48 });
        var (dw, dh, ch, px) = Png.Decode(Png.EncodeRgb(w, h, rgb));
        Assert.Equal((64, 48, 3), (dw, dh, ch));
        Assert.Equal(rgb, px);
    }
}

public sealed class RenderObjectsTests
{
    [Fact]
    public void RenderObjectsCanLeaveOutObjectsTouchingTheBorder()
    {
        // Given a slab filling the field of view (touches every face) and a small cube inside it... next to it
        var labels = new SxtSeg.Volumes.Volume<uint>(30, 30, 30, SxtSeg.Volumes.VoxelSize.Isotropic(10));
        for (int z = 0; z < 30; z++) for (int y = 0; y < 30; y++) for (int x = 0; x < 30; x++) labels[z, y, x] = z < 4 ? 1u : 0u;
        for (int z = 12; z < 18; z++) for (int y = 12; y < 18; y++) for (int x = 12; x < 18; x++) labels[z, y, x] = 2;
        var stream = SxtSeg.Morphology.LabelStreams.FromVolume(labels, 2);
        var options = new RenderOptions { Width = 120, Height = 100, Views = new[] { new ViewAngle(0, 90) }, ScaleBar = false, Axes = false, Captions = false };
        // When rendered with and without the border object
        var all = MeshRenderer.RenderObjects(stream, options);
        var inner = MeshRenderer.RenderObjects(stream, options, excludeBorder: true);
        // Then the top view differs: with the slab the corner is covered, without it the corner is background
        static (byte, byte, byte) Px(byte[] rgb, int w, int x, int y) => (rgb[(y * w + x) * 3], rgb[(y * w + x) * 3 + 1], rgb[(y * w + x) * 3 + 2]);
        Assert.NotEqual(Px(all.Rgb, 120, 30, 25), Px(inner.Rgb, 120, 30, 25));
        Assert.Equal(Px(inner.Rgb, 120, 30, 25), Px(inner.Rgb, 120, 2, 25));
        Assert.Equal((2, 0, 1, 1), (all.Objects, all.LeftOut, inner.Objects, inner.LeftOut));
    }
}
