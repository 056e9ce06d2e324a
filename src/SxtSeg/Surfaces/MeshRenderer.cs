using System.Globalization;
using SxtSeg.Imaging;

namespace SxtSeg.Surfaces;

/// <summary>
/// Headless software renderer: orthographic projection, z-buffer, per-pixel Blinn–Phong shading
/// with interpolated vertex normals (key, fill and ambient light, specular highlights), gentle
/// depth cueing, silhouette outlines, supersampled anti-aliasing, a scale bar in nm/µm and an
/// axis triad. No GPU or display needed; output is RGB for <see cref="Png"/>. Deterministic.
/// </summary>
public static class MeshRenderer
{
    /// <summary>Renders the items; returns the image size and its RGB pixels (views side by side).</summary>
    public static (int Width, int Height, byte[] Rgb) Render(IReadOnlyList<RenderItem> items, RenderOptions? options = null)
    {
        options ??= new RenderOptions();
        if (options.Width < 16 || options.Height < 16 || options.Width > 8192 || options.Height > 8192)
            throw new InvalidOptionException(RenderOptions.SizeKey, $"panel size must be 16..8192 pixels, got {options.Width} × {options.Height}");
        if (options.Supersample is < 1 or > 4) throw new InvalidOptionException(nameof(RenderOptions.Supersample), "must be 1..4");
        if (options.Views.Count == 0) throw new InvalidOptionException(nameof(RenderOptions.Views), "give at least one view");
        var scene = Scene.Build(items);
        int w = options.Width, h = options.Height, views = options.Views.Count;
        var image = new byte[w * views * h * 3];
        for (int v = 0; v < views; v++)
        {
            var panel = RenderPanel(scene, options.Views[v], options);
            for (int y = 0; y < h; y++)
                Buffer.BlockCopy(panel, y * w * 3, image, (y * w * views + v * w) * 3, w * 3);
        }
        return (w * views, h, image);
    }

    /// <summary>
    /// Meshes, smooths and renders the objects of a label stream in one call (for reports):
    /// one seeded colour per object; <paramref name="excludeBorder"/> leaves out objects touching the
    /// volume's faces (a cell body filling the field of view would hide everything else).
    /// </summary>
    public static ObjectRender RenderObjects(Morphology.ILabelStream labels, RenderOptions? options = null,
        int smoothing = 20, int seed = 1, bool excludeBorder = false, IProgress<ProgressUpdate>? progress = null)
    {
        var info = labels.Info;
        var set = MarchingCubes.Extract(labels, progress);
        var shown = set.Objects.Where(m => !excludeBorder || !labels.Bounds[m.Label - 1].TouchesBorder(info.Nx, info.Ny, info.Nz)).ToList();
        Parallel.ForEach(shown, m => MeshSmoothing.Taubin(m, smoothing));
        var (w, h, rgb) = Render(shown.Select(m => RenderItem.FromMesh(m, seed)).ToList(), options);
        long triangles = 0;
        foreach (var m in shown) triangles += m.TriangleCount;
        return new ObjectRender(w, h, rgb, shown.Count, set.Objects.Count - shown.Count, triangles);
    }

    /// <summary>Renders and writes a PNG atomically, with tEXt metadata.</summary>
    public static void WritePng(string path, IReadOnlyList<RenderItem> items, RenderOptions? options = null, IReadOnlyDictionary<string, string>? text = null)
    {
        var (w, h, rgb) = Render(items, options);
        Png.WriteRgb(path, w, h, rgb, text);
    }

    /// <summary>All meshes with per-vertex normals and colours, and the bounding sphere.</summary>
    private sealed class Scene
    {
        public required List<(RenderItem Item, float[] Normals)> Items { get; init; }
        public Vec3 Centre { get; init; }
        public double Radius { get; init; }
        public long TriangleCount { get; init; }

        public static Scene Build(IReadOnlyList<RenderItem> items)
        {
            var list = new List<(RenderItem, float[])>();
            double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
            long tris = 0;
            foreach (var it in items)
            {
                if (it.Triangles.Length == 0) continue;
                var v = it.Vertices;
                for (int i = 0; i < v.Length; i += 3)
                {
                    minX = Math.Min(minX, v[i]); maxX = Math.Max(maxX, v[i]);
                    minY = Math.Min(minY, v[i + 1]); maxY = Math.Max(maxY, v[i + 1]);
                    minZ = Math.Min(minZ, v[i + 2]); maxZ = Math.Max(maxZ, v[i + 2]);
                }
                list.Add((it, VertexNormals(it)));
                tris += it.Triangles.Length / 3;
            }
            if (list.Count == 0) return new Scene { Items = list, Radius = 0 };
            var c = new Vec3((minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2);
            double r = 0;
            foreach (var (it, _) in list)
            {
                var v = it.Vertices;
                for (int i = 0; i < v.Length; i += 3)
                {
                    double dx = v[i] - c.X, dy = v[i + 1] - c.Y, dz = v[i + 2] - c.Z;
                    r = Math.Max(r, dx * dx + dy * dy + dz * dz);
                }
            }
            return new Scene { Items = list, Centre = c, Radius = Math.Max(Math.Sqrt(r), 1e-6), TriangleCount = tris };
        }

        private static float[] VertexNormals(RenderItem it)
        {
            var v = it.Vertices;
            var t = it.Triangles;
            var n = new float[v.Length];
            for (int i = 0; i < t.Length; i += 3)
            {
                int a = t[i] * 3, b = t[i + 1] * 3, c = t[i + 2] * 3;
                float ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
                float wx = v[c] - v[a], wy = v[c + 1] - v[a + 1], wz = v[c + 2] - v[a + 2];
                float nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx; // area-weighted
                foreach (int k in new[] { a, b, c }) { n[k] += nx; n[k + 1] += ny; n[k + 2] += nz; }
            }
            for (int i = 0; i < n.Length; i += 3)
            {
                float l = MathF.Sqrt(n[i] * n[i] + n[i + 1] * n[i + 1] + n[i + 2] * n[i + 2]);
                if (l > 0) { n[i] /= l; n[i + 1] /= l; n[i + 2] /= l; }
            }
            return n;
        }
    }

    /// <summary>Camera basis for a view: right, up (screen) and forward (into the screen).</summary>
    private static (Vec3 Right, Vec3 Up, Vec3 Forward) Camera(ViewAngle view)
    {
        double th = view.ElevationDeg * Math.PI / 180, ph = view.AzimuthDeg * Math.PI / 180;
        var f = new Vec3(0, -Math.Cos(th), Math.Sin(th));
        var u = new Vec3(0, -Math.Sin(th), -Math.Cos(th));
        var r = f.Cross(u);
        Vec3 Rz(Vec3 a) => new(a.X * Math.Cos(ph) - a.Y * Math.Sin(ph), a.X * Math.Sin(ph) + a.Y * Math.Cos(ph), a.Z);
        return (Rz(r), Rz(u), Rz(f));
    }

    private static byte[] RenderPanel(Scene scene, ViewAngle view, RenderOptions o)
    {
        int s = o.Supersample;
        var frame = new Frame(o.Width * s, o.Height * s);
        var camera = Camera(view);
        double scale = scene.Radius > 0 ? 0.9 * Math.Min(frame.W, frame.H) / (2 * scene.Radius) : 1;
        if (scene.Items.Count > 0) Rasterise(scene, camera, scale, o, frame);
        var outline = o.Outlines && scene.Items.Count > 0 ? Outlines(frame, (float)(0.05 * scene.Radius)) : new bool[frame.W * frame.H];
        var rgb = Downsample(frame, outline, o);
        Annotate(rgb, scene.Items.Count, view, camera, scale / s, o);
        return rgb;
    }

    /// <summary>The supersampled buffers of one panel: depth (nm, larger is farther), shaded colour, owning item (−1: background).</summary>
    private sealed class Frame
    {
        public Frame(int w, int h)
        {
            W = w;
            H = h;
            Depth = new float[w * h];
            Array.Fill(Depth, float.PositiveInfinity);
            Color = new float[w * h * 3];
            Owner = new int[w * h];
            Array.Fill(Owner, -1);
        }

        public int W { get; }
        public int H { get; }
        public float[] Depth { get; }
        public float[] Color { get; }
        public int[] Owner { get; }
    }

    /// <summary>Projects every vertex, bins the triangles into horizontal bands and rasterises the bands in parallel.</summary>
    private static void Rasterise(Scene scene, (Vec3 Right, Vec3 Up, Vec3 Forward) camera, double scale, RenderOptions o, Frame frame)
    {
        int w = frame.W, h = frame.H;
        var (right, up, forward) = camera;
        // Light directions in camera space (x right, y up, z towards the viewer).
        var key = new Vec3(-0.45, 0.6, 0.66).Normalized();
        var fill = new Vec3(0.7, -0.25, 0.67).Normalized();
        var viewer = new Vec3(0, 0, 1);
        var hKey = (key + viewer).Normalized();
        var (projected, dMin, dMax) = Project(scene, camera, scale, w, h);
        double dRange = Math.Max(dMax - dMin, 1e-9);
        // Bin triangles into horizontal bands, then rasterise the bands in parallel.
        const int band = 32;
        var bins = BinTriangles(scene, projected, h, band);
        Parallel.For(0, bins.Length, b =>
        {
            int yLo = b * band, yHi = Math.Min(h, yLo + band);
            foreach (var (k, i) in bins[b])
            {
                var (item, normals) = scene.Items[k];
                var p = projected[k];
                var tri = item.Triangles;
                int ia = tri[i], ib = tri[i + 1], ic = tri[i + 2];
                RasterTriangle(p, normals, item, ia, ib, ic, k, yLo, yHi, w, frame.Depth, frame.Color, frame.Owner,
                    right, up, forward, key, fill, hKey, dMin, dRange, o.BackgroundTop, o.BackgroundBottom, h);
            }
        });
    }

    /// <summary>Projects every vertex: screen x, y (supersampled pixels), depth (nm, larger is farther); with the depth range.</summary>
    private static (List<float[]> Projected, double DMin, double DMax) Project(Scene scene, (Vec3 Right, Vec3 Up, Vec3 Forward) camera, double scale, int w, int h)
    {
        var (right, up, forward) = camera;
        var projected = new List<float[]>();
        double dMin = double.MaxValue, dMax = double.MinValue;
        foreach (var (item, _) in scene.Items)
        {
            var v = item.Vertices;
            var p = new float[v.Length];
            for (int i = 0; i < v.Length; i += 3)
            {
                var q = new Vec3(v[i] - scene.Centre.X, v[i + 1] - scene.Centre.Y, v[i + 2] - scene.Centre.Z);
                p[i] = (float)(w / 2.0 + q.Dot(right) * scale);
                p[i + 1] = (float)(h / 2.0 - q.Dot(up) * scale);
                double d = q.Dot(forward);
                p[i + 2] = (float)d;
                dMin = Math.Min(dMin, d);
                dMax = Math.Max(dMax, d);
            }
            projected.Add(p);
        }
        return (projected, dMin, dMax);
    }

    /// <summary>The triangles (item, first index) overlapping each horizontal band of <paramref name="band"/> rows, in drawing order.</summary>
    private static List<(int Item, int Tri)>[] BinTriangles(Scene scene, List<float[]> projected, int h, int band)
    {
        int bands = (h + band - 1) / band;
        var bins = new List<(int Item, int Tri)>[bands];
        for (int b = 0; b < bands; b++) bins[b] = new List<(int, int)>();
        for (int k = 0; k < scene.Items.Count; k++)
        {
            var t = scene.Items[k].Item.Triangles;
            var p = projected[k];
            for (int i = 0; i < t.Length; i += 3)
            {
                float y0 = p[t[i] * 3 + 1], y1 = p[t[i + 1] * 3 + 1], y2 = p[t[i + 2] * 3 + 1];
                int ya = Math.Max(0, (int)MathF.Floor(MathF.Min(y0, MathF.Min(y1, y2))));
                int yb = Math.Min(h - 1, (int)MathF.Ceiling(MathF.Max(y0, MathF.Max(y1, y2))));
                if (ya > yb) continue;
                for (int b = ya / band; b <= yb / band; b++) bins[b].Add((k, i));
            }
        }
        return bins;
    }

    /// <summary>Pixels on an object's outline: a neighbour belongs to another object or lies farther than <paramref name="tolerance"/> (nm) in depth.</summary>
    private static bool[] Outlines(Frame frame, float tolerance)
    {
        int w = frame.W, h = frame.H;
        var owner = frame.Owner;
        var depth = frame.Depth;
        var outline = new bool[w * h];
        Parallel.For(0, h, y =>
        {
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                if (owner[i] < 0) continue;
                for (int dy = -1; dy <= 1 && !outline[i]; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        if ((uint)xx >= (uint)w || (uint)yy >= (uint)h) continue;
                        int j = yy * w + xx;
                        if (owner[j] != owner[i] || Math.Abs(depth[j] - depth[i]) > tolerance) { outline[i] = true; break; }
                    }
            }
        });
        return outline;
    }

    /// <summary>Averages the supersampled frame into the panel's pixels, with the background gradient and darkened outlines.</summary>
    private static byte[] Downsample(Frame frame, bool[] outline, RenderOptions o)
    {
        int s = o.Supersample, w = frame.W, h = frame.H, pw = o.Width, ph = o.Height;
        var owner = frame.Owner;
        var color = frame.Color;
        var bgTop = o.BackgroundTop;
        var bgBottom = o.BackgroundBottom;
        var rgb = new byte[pw * ph * 3];
        Parallel.For(0, ph, y =>
        {
            for (int x = 0; x < pw; x++)
            {
                double r = 0, g = 0, bl = 0;
                for (int sy = 0; sy < s; sy++)
                    for (int sx = 0; sx < s; sx++)
                    {
                        int yy = y * s + sy, xx = x * s + sx, i = yy * w + xx;
                        double cr, cg, cb;
                        if (owner[i] < 0)
                        {
                            double t = (double)yy / (h - 1);
                            cr = bgTop.R + (bgBottom.R - bgTop.R) * t;
                            cg = bgTop.G + (bgBottom.G - bgTop.G) * t;
                            cb = bgTop.B + (bgBottom.B - bgTop.B) * t;
                        }
                        else
                        {
                            cr = color[i * 3]; cg = color[i * 3 + 1]; cb = color[i * 3 + 2];
                            if (outline[i]) { cr *= 0.45; cg *= 0.45; cb *= 0.45; }
                        }
                        r += cr; g += cg; bl += cb;
                    }
                double inv = 1.0 / (s * s);
                int o3 = (y * pw + x) * 3;
                rgb[o3] = (byte)Math.Clamp(r * inv + 0.5, 0, 255);
                rgb[o3 + 1] = (byte)Math.Clamp(g * inv + 0.5, 0, 255);
                rgb[o3 + 2] = (byte)Math.Clamp(bl * inv + 0.5, 0, 255);
            }
        });
        return rgb;
    }

    /// <summary>Draws the "no objects" message, or the scale bar, axes and caption that the options ask for.</summary>
    private static void Annotate(byte[] rgb, int items, ViewAngle view, (Vec3 Right, Vec3 Up, Vec3 Forward) camera, double pxPerNm, RenderOptions o)
    {
        int pw = o.Width, ph = o.Height;
        var ink = ((byte)45, (byte)50, (byte)60);
        int fontScale = Math.Max(1, Math.Min(pw, ph) / 300);
        if (items == 0)
        {
            string msg = "no objects";
            BitmapFont.Draw(rgb, pw, ph, (pw - BitmapFont.Measure(msg, fontScale * 2)) / 2, ph / 2 - 7 * fontScale, msg, fontScale * 2, ink);
            return;
        }
        if (o.ScaleBar) DrawScaleBar(rgb, pw, ph, pxPerNm, fontScale, ink);
        if (o.Axes) DrawAxes(rgb, pw, ph, camera.Right, camera.Up, fontScale);
        if (o.Captions) BitmapFont.Draw(rgb, pw, ph, 10 * fontScale, 8 * fontScale, view.ToString(), fontScale, ink);
    }

    private static void RasterTriangle(float[] p, float[] normals, RenderItem item, int ia, int ib, int ic, int owner,
        int yLo, int yHi, int w, float[] depth, float[] color, int[] owners,
        Vec3 right, Vec3 up, Vec3 forward, Vec3 key, Vec3 fill, Vec3 hKey, double dMin, double dRange, Rgb bgTop, Rgb bgBottom, int h)
    {
        float x0 = p[ia * 3], y0 = p[ia * 3 + 1], z0 = p[ia * 3 + 2];
        float x1 = p[ib * 3], y1 = p[ib * 3 + 1], z1 = p[ib * 3 + 2];
        float x2 = p[ic * 3], y2 = p[ic * 3 + 1], z2 = p[ic * 3 + 2];
        float area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
        if (area == 0 || !float.IsFinite(area)) return;
        int xa = Math.Max(0, (int)MathF.Floor(MathF.Min(x0, MathF.Min(x1, x2))));
        int xb = Math.Min(w - 1, (int)MathF.Ceiling(MathF.Max(x0, MathF.Max(x1, x2))));
        int ya = Math.Max(yLo, (int)MathF.Floor(MathF.Min(y0, MathF.Min(y1, y2))));
        int yb = Math.Min(yHi - 1, (int)MathF.Ceiling(MathF.Max(y0, MathF.Max(y1, y2))));
        if (xa > xb || ya > yb) return;
        float inv = 1 / area;
        // Vertex normals in camera space (x right, y up, z towards the viewer).
        Vec3 N(int v) => new(
            normals[v * 3] * right.X + normals[v * 3 + 1] * right.Y + normals[v * 3 + 2] * right.Z,
            normals[v * 3] * up.X + normals[v * 3 + 1] * up.Y + normals[v * 3 + 2] * up.Z,
            -(normals[v * 3] * forward.X + normals[v * 3 + 1] * forward.Y + normals[v * 3 + 2] * forward.Z));
        var n0 = N(ia);
        var n1 = N(ib);
        var n2 = N(ic);
        (double R, double G, double B) Col(int v) => item.VertexColors is { } vc
            ? (vc[v * 3], vc[v * 3 + 1], vc[v * 3 + 2])
            : (item.Color.R, item.Color.G, item.Color.B);
        var c0 = Col(ia);
        var c1 = Col(ib);
        var c2 = Col(ic);
        for (int y = ya; y <= yb; y++)
        {
            float py = y + 0.5f;
            for (int x = xa; x <= xb; x++)
            {
                float px = x + 0.5f;
                float w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) * inv;
                float w1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) * inv;
                float w2 = 1 - w0 - w1;
                if (w0 < 0 || w1 < 0 || w2 < 0) continue;
                float d = w0 * z0 + w1 * z1 + w2 * z2;
                int i = y * w + x;
                if (d >= depth[i]) continue;
                depth[i] = d;
                owners[i] = owner;
                var n = (w0 * n0 + w1 * n1 + w2 * n2).Normalized();
                if (n.Z < 0) n = -1 * n; // two-sided
                double diff = 0.62 * Math.Max(0, n.Dot(key)) + 0.30 * Math.Max(0, n.Dot(fill)) + 0.12 * n.Z;
                double spec = 0.28 * Math.Pow(Math.Max(0, n.Dot(hKey)), 40);
                double light = 0.30 + diff;
                double cr = (w0 * c0.R + w1 * c1.R + w2 * c2.R) * light + 255 * spec;
                double cg = (w0 * c0.G + w1 * c1.G + w2 * c2.G) * light + 255 * spec;
                double cb = (w0 * c0.B + w1 * c1.B + w2 * c2.B) * light + 255 * spec;
                // Depth cueing: far surfaces fade a little towards the background.
                double fog = 0.22 * (d - dMin) / dRange;
                double t = (double)y / (h - 1);
                double br = bgTop.R + (bgBottom.R - bgTop.R) * t, bg = bgTop.G + (bgBottom.G - bgTop.G) * t, bb = bgTop.B + (bgBottom.B - bgTop.B) * t;
                color[i * 3] = (float)Math.Min(255, cr * (1 - fog) + br * fog);
                color[i * 3 + 1] = (float)Math.Min(255, cg * (1 - fog) + bg * fog);
                color[i * 3 + 2] = (float)Math.Min(255, cb * (1 - fog) + bb * fog);
            }
        }
    }

    /// <summary>A bar of a round length (1, 2 or 5 × 10^k nm) near a fifth of the panel width, labelled in nm or µm.</summary>
    private static void DrawScaleBar(byte[] rgb, int w, int h, double pxPerNm, int fontScale, (byte R, byte G, byte B) ink)
    {
        double target = 0.2 * w / pxPerNm;
        double pow = Math.Pow(10, Math.Floor(Math.Log10(target)));
        double len = pow;
        foreach (double m in new[] { 1.0, 2, 5, 10 }) if (m * pow <= target) len = m * pow;
        int px = (int)Math.Round(len * pxPerNm);
        if (px < 4) return;
        int x0 = 14 * fontScale, y0 = h - 14 * fontScale, thick = 3 * fontScale;
        for (int y = y0 - thick; y < y0; y++)
            for (int x = x0; x < x0 + px && x < w; x++)
            {
                if (y < 0) continue;
                int i = (y * w + x) * 3;
                rgb[i] = ink.R; rgb[i + 1] = ink.G; rgb[i + 2] = ink.B;
            }
        string label = len >= 1000
            ? string.Create(CultureInfo.InvariantCulture, $"{len / 1000:0.###} µm")
            : string.Create(CultureInfo.InvariantCulture, $"{len:0.###} nm");
        BitmapFont.Draw(rgb, w, h, x0, y0 - thick - 10 * fontScale, label, fontScale, ink);
    }

    /// <summary>An x (red), y (green), z (blue) triad in the lower-right corner.</summary>
    private static void DrawAxes(byte[] rgb, int w, int h, Vec3 right, Vec3 up, int fontScale)
    {
        int len = 28 * fontScale;
        int cx = w - 22 * fontScale - len / 2, cy = h - 22 * fontScale - len / 2;
        var axes = new[] { (new Vec3(1, 0, 0), "x", ((byte)205, (byte)50, (byte)50)), (new Vec3(0, 1, 0), "y", ((byte)40, (byte)150, (byte)60)), (new Vec3(0, 0, 1), "z", ((byte)50, (byte)90, (byte)210)) };
        foreach (var (a, name, col) in axes)
        {
            double dx = a.Dot(right), dy = -a.Dot(up);
            int ex = cx + (int)Math.Round(dx * len), ey = cy + (int)Math.Round(dy * len);
            DrawLine(rgb, w, h, cx, cy, ex, ey, Math.Max(1, fontScale), col);
            if (dx * dx + dy * dy > 0.04)
                BitmapFont.Draw(rgb, w, h, ex + (dx >= 0 ? 2 : -7) * fontScale, ey + (dy >= 0 ? 1 : -8) * fontScale, name, fontScale, col);
        }
    }

    private static void DrawLine(byte[] rgb, int w, int h, int x0, int y0, int x1, int y1, int thick, (byte R, byte G, byte B) c)
    {
        int steps = Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0));
        for (int k = 0; k <= steps; k++)
        {
            double t = steps == 0 ? 0 : (double)k / steps;
            int x = (int)Math.Round(x0 + (x1 - x0) * t), y = (int)Math.Round(y0 + (y1 - y0) * t);
            for (int oy = -(thick / 2); oy <= thick / 2; oy++)
                for (int ox = -(thick / 2); ox <= thick / 2; ox++)
                {
                    int px = x + ox, py = y + oy;
                    if ((uint)px >= (uint)w || (uint)py >= (uint)h) continue;
                    int i = (py * w + px) * 3;
                    rgb[i] = c.R; rgb[i + 1] = c.G; rgb[i + 2] = c.B;
                }
        }
    }
}
