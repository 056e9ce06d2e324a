using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Imaging;
using SxtSeg.Surfaces;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg render INPUT --png OUT</c>: a shaded picture of meshes or of a label volume's objects, without GPU or display.</summary>
public static class RenderCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var objects = new ObjectOptions();
        objects.Input.Description = "Mesh file (.ply .stl .obj, e.g. from sxtseg mesh) or label volume (then meshed first; see the label options)";
        var png = new Option<string>("--png") { Description = "Output PNG", Required = true };
        var views = new Option<string[]>("--view") { Description = "View AZIMUTH,ELEVATION in degrees (repeat for side-by-side panels); elevation 90 looks down z like a slice", DefaultValueFactory = _ => new[] { "30,35" } };
        var size = new Option<string>("--size") { Description = $"Panel size WIDTHxHEIGHT in pixels [each {MinPanel}..{MaxPanel}]", DefaultValueFactory = _ => "1000x800" };
        var smooth = new Option<int>("--smooth") { Description = "Taubin smoothing iterations for label volumes (the same default as mesh and measure)", DefaultValueFactory = _ => 10 }.Within(0, Measurement.MeasureOptions.MaxSurfaceSmoothing);
        var seed = new Option<int>("--seed") { Description = "Seed of the random per-object colours", DefaultValueFactory = _ => 1 };
        var supersample = new Option<int>("--supersample") { Description = "Anti-aliasing: samples per pixel along each axis", DefaultValueFactory = _ => 2 }.Within(1, 4);
        var noScale = new Option<bool>("--no-scale-bar") { Description = "Leave out the scale bar" };
        var noAxes = new Option<bool>("--no-axes") { Description = "Leave out the x/y/z axis triad" };
        var noCaptions = new Option<bool>("--no-captions") { Description = "Leave out the view angles" };
        var excludeBorder = new Option<bool>("--exclude-border") { Description = "Leave out objects touching a face of the volume (e.g. a cell body filling the field of view)" };
        var cmd = new Command("render", "Render meshes or labelled objects to a PNG (software rasteriser: shaded, one colour per object, chosen views)");
        objects.AddTo(cmd);
        foreach (var o in new Option[] { png, views, size, smooth, seed, supersample, noScale, noAxes, noCaptions, excludeBorder }) cmd.Options.Add(o);
        var keys = new OptionKeys().Add(nameof(RenderOptions.Views), views).Add(RenderOptions.SizeKey, size).Add(nameof(RenderOptions.Supersample), supersample)
            .Add(nameof(MeshRunOptions.Smoothing), smooth).Add(nameof(Measurement.MeasureOptions.SurfaceSmoothing), smooth);
        cmd.SetAction(pr => CliApp.Guard(ctx, () => keys.Check(() =>
        {
            string input = pr.GetValue(objects.Input)!, outPath = pr.GetValue(png)!;
            var viewList = pr.GetValue(views)!.Select(v => ViewAngle.Parse(v)).ToList();
            if (viewList.Count > 16) throw new InvalidOptionException("--view", $"at most 16 views, got {viewList.Count}");
            var (w, h) = ParseSize(pr.GetValue(size)!);
            int smoothing = pr.GetValue(smooth), s = pr.GetValue(seed);
            int ss = pr.GetValue(supersample);
            // Colour, depth and object buffers at the supersampled size, plus the output panels.
            MemoryBudget.Require((double)w * h * ss * ss * 16 + 3.0 * w * h * viewList.Count, $"render panels of {w}x{h} with --supersample {ss}", "lower --size or --supersample");
            InputPaths.RequireReadable(input, allowFolder: true);
            OutputPaths.RequireFileApart(outPath, "--png", input);
            var options = new RenderOptions
            {
                Width = w, Height = h, Views = viewList, Supersample = pr.GetValue(supersample),
                ScaleBar = !pr.GetValue(noScale), Axes = !pr.GetValue(noAxes), Captions = !pr.GetValue(noCaptions),
            };
            var prov = new Provenance("render").Set("views", string.Join(";", viewList.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.AzimuthDeg},{v.ElevationDeg}")))).Set("seed", s);
            string ext = Path.GetExtension(input).ToLowerInvariant();
            var text = new Dictionary<string, string> { ["Software"] = ToolInfo.NameAndVersion, ["Description"] = prov.ToJson() };
            string what;
            bool empty;
            if (ext is ".ply" or ".stl" or ".obj")
            {
                foreach (var o in new Option[] { smooth, excludeBorder, objects.VoxelSize, objects.Instances, objects.NonZero, objects.Select, objects.Threshold, objects.Connectivity, objects.MinVoxels, objects.MinVolume, objects.MaxVoxels, objects.MaxVolume, objects.FillHoles, objects.Close, objects.Erode, objects.Dilate, objects.SplitTouching })
                    if (pr.Given(o)) ctx.Warn($"{o.Name} applies to label volumes, not to a mesh file; ignored");
                prov.AddInput(input);
                text["Description"] = prov.ToJson();
                var mesh = MeshReader.Read(input);
                MeshRenderer.WritePng(outPath, new[] { RenderItem.FromLoaded(mesh, new Rgb(170, 180, 200)) }, options, text);
                what = $"{mesh.Triangles.Length / 3:N0} triangles";
                empty = mesh.Triangles.Length == 0;
            }
            else
            {
                prov.Set("smooth", smoothing).Set("exclude_border", pr.GetValue(excludeBorder));
                var (image, description) = CliProgress.Run(ctx, p =>
                {
                    using var opened = objects.Open(ctx, pr, prov, p, requireVoxelSize: false);
                    return (MeshRenderer.RenderObjects(opened.Labels, options, smoothing, s, pr.GetValue(excludeBorder), p), opened.Description);
                });
                text["Description"] = prov.ToJson();
                Png.WriteRgb(outPath, image.Width, image.Height, image.Rgb, text);
                string left = image.LeftOut > 0 ? $" ({image.LeftOut} touching the border left out)" : "";
                what = $"{description}; {image.Triangles:N0} triangles{left}";
                empty = image.Objects == 0;
            }
            if (empty) ctx.Err.WriteLine("sxtseg: warning: nothing to render (no objects); wrote an empty picture");
            ctx.Out.MarkupLineInterpolated($"{what}; wrote [green]{outPath}[/] ({viewList.Count} view{(viewList.Count > 1 ? "s" : "")})");
            return 0;
        })));
        return cmd;
    }

    private const int MinPanel = 16, MaxPanel = 8192;

    private static (int W, int H) ParseSize(string s)
    {
        var p = s.ToLowerInvariant().Split('x');
        if (p.Length == 2 && int.TryParse(p[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) && int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h))
        {
            if (w < MinPanel || h < MinPanel || w > MaxPanel || h > MaxPanel)
                throw new InvalidOptionException("--size", $"'{s}': width and height must each be {MinPanel}..{MaxPanel} pixels");
            return (w, h);
        }
        throw new InvalidOptionException("--size", $"'{s}' is not WIDTHxHEIGHT (e.g. 1000x800)");
    }
}
