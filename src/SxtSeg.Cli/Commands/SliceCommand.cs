using Spectre.Console;
using System.CommandLine;
using SxtSeg.Imaging;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg slice FILE --z N --png OUT</c>: one slice as a contrast-stretched PNG, optionally with labels overlaid.</summary>
public static class SliceCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Volume to read" }.RefusingUnknownOptions();
        var z = new Option<int?>("--z") { Description = "Slice index from 0 (default: the middle slice)" };
        var png = new Option<string>("--png") { Description = "Output PNG file", Required = true };
        var labels = new Option<string?>("--labels") { Description = "Label volume of the same size to overlay (non-zero = label)" };
        var color = new Option<string>("--color") { Description = "Overlay colour (red, green, blue, yellow, cyan, magenta, #rrggbb)", DefaultValueFactory = _ => "red" };
        var alpha = new Option<float>("--alpha") { Description = "Overlay opacity", DefaultValueFactory = _ => 0.6f }.Within(0f, 1f);
        var low = new Option<double>("--low") { Description = "Lower percentile for the contrast stretch", DefaultValueFactory = _ => 0.5 }.Within(0, 100);
        var high = new Option<double>("--high") { Description = "Upper percentile for the contrast stretch", DefaultValueFactory = _ => 99.5 }.Within(0, 100);
        var cmd = new Command("slice", "Export one slice as a PNG with percentile contrast stretch and optional label overlay") { file, z, png, labels, color, alpha, low, high };
        var keys = new OptionKeys().Add(Rgb.ColorKey, color);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string path = pr.GetValue(file)!;
            if (pr.GetValue(labels) is null)
                foreach (var o in new Option[] { color, alpha })
                    if (pr.Given(o)) ctx.Warn($"{o.Name} applies only with --labels; ignored");
            if (pr.GetValue(labels) is { } lpath) InputPaths.RequireReadable(lpath, allowFolder: true);
            OutputPaths.RequireFileApart(pr.GetValue(png)!, "--png", path, pr.GetValue(labels));
            using var reader = VolumeIO.OpenRead(path);
            var info = reader.Info;
            int zi = pr.GetValue(z) ?? info.Nz / 2;
            if (zi < 0 || zi >= info.Nz) throw new InvalidOptionException("--z", $"slice {zi} is outside 0..{info.Nz - 1}");
            double lo = pr.GetValue(low), hi = pr.GetValue(high);
            if (!(lo >= 0 && hi <= 100 && lo < hi)) throw new InvalidOptionException("--low/--high", "need 0 ≤ low < high ≤ 100");
            var slice = reader.ReadSlice<float>(zi);
            byte[] gray = SliceRenderer.ToGray(slice, lo, hi);
            byte[] rgb;
            if (pr.GetValue(labels) is { } lp)
            {
                using var lr = VolumeIO.OpenRead(lp);
                if (lr.Info.Nx != info.Nx || lr.Info.Ny != info.Ny || lr.Info.Nz != info.Nz)
                    throw new InvalidInputException(lp, $"labels are {lr.Info.Nx} × {lr.Info.Ny} × {lr.Info.Nz}, the volume is {info.Nx} × {info.Ny} × {info.Nz}");
                var mask = lr.ReadSlice<byte>(zi);
                rgb = SliceRenderer.Overlay(gray, mask, keys.Check(() => Rgb.Parse(pr.GetValue(color)!)), pr.GetValue(alpha));
            }
            else rgb = SliceRenderer.GrayToRgb(gray);
            string outPath = pr.GetValue(png)!;
            Png.WriteRgb(outPath, info.Nx, info.Ny, rgb, new Dictionary<string, string> { ["Software"] = ToolInfo.NameAndVersion, ["Source"] = $"{path} z={zi}" });
            ctx.Out.MarkupLineInterpolated($"wrote [green]{outPath}[/] (slice {zi} of {info.Nz})");
            return 0;
        }));
        return cmd;
    }
}
