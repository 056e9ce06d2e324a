using Spectre.Console;
using System.CommandLine;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg convert IN OUT</c>: MRC ↔ TIFF with optional type conversion and scaling.</summary>
public static class ConvertCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var input = new Argument<string>("input") { Description = "Input volume (MRC, TIFF or folder of TIFF slices)" }.RefusingUnknownOptions();
        var output = new Argument<string>("output") { Description = "Output file: .mrc/.rec or .tif" }.RefusingUnknownOptions();
        var type = new Option<string?>("--type") { Description = "Output type: uint8, int8, int16, uint16, uint32 (TIFF only), float32, float16" };
        var scale = new Option<string>("--scale") { Description = "auto (keep values when they fit, else min–max), none, minmax, percentile (0.5–99.5 %), range", DefaultValueFactory = _ => "auto" };
        var range = new Option<string?>("--range") { Description = "LOW:HIGH input range (finite, HIGH > LOW); only with --scale range" };
        var voxel = new Option<string?>("--voxel-size") { Description = $"Voxel size in nm to write (10 or 10,10,12), overriding the input's [{VoxelSize.RangeText}]" };
        var flip = new Option<bool>("--flip-y") { Description = "Reverse the row order, as IMOD's mrc2tif/tif2mrc do" };
        var comp = new Option<string>("--compression") { Description = "TIFF compression: none, lzw, deflate, packbits (TIFF output only)", DefaultValueFactory = _ => "none" };
        var cmd = new Command("convert", "Convert between MRC and TIFF (and between voxel types)") { input, output, type, scale, range, voxel, flip, comp };
        var keys = new OptionKeys().Add(nameof(ConvertOptions.Type), type).Add(nameof(ConvertOptions.Range), range)
            .Add(nameof(ConvertOptions.VoxelSize), voxel).Add(nameof(ConvertOptions.TiffCompression), comp);
        cmd.SetAction(pr => CliApp.Guard(ctx, () => keys.Check(() =>
        {
            var opts = new ConvertOptions
            {
                Type = pr.GetValue(type) is { } t ? VoxelTypes.Parse(t) : null,
                Scale = pr.GetValue(scale)!.ToLowerInvariant() switch
                {
                    "auto" => ScaleMode.Auto, "none" => ScaleMode.None, "minmax" => ScaleMode.MinMax,
                    "percentile" => ScaleMode.Percentile, "range" => ScaleMode.Range,
                    var other => throw new InvalidOptionException("--scale", $"unknown mode '{other}' (auto, none, minmax, percentile, range)"),
                },
                Range = pr.GetValue(range) is { } r ? ConvertOptions.ParseRange(r) : null,
                VoxelSize = pr.GetValue(voxel) is { } v ? VoxelSize.Parse(v) : null,
                FlipY = pr.GetValue(flip),
                TiffCompression = pr.GetValue(comp)!.ToLowerInvariant() switch
                {
                    "none" => TiffCompression.None, "lzw" => TiffCompression.Lzw, "deflate" or "zip" => TiffCompression.Deflate,
                    "packbits" => TiffCompression.PackBits,
                    var other => throw new InvalidOptionException("--compression", $"unknown compression '{other}' (none, lzw, deflate, packbits)"),
                },
            };
            string inPath = pr.GetValue(input)!, outPath = pr.GetValue(output)!;
            OutputPaths.RequireFileApart(outPath, "output", inPath);
            opts.Validate(outPath);
            InputPaths.RequireReadable(inPath, allowFolder: true);
            var (s, o) = CliProgress.Run(ctx, p => VolumeConverter.Convert(inPath, outPath, opts, new Provenance("convert"), p));
            string mapping = s != 1 || o != 0 ? FormattableString.Invariant($" (values mapped as v·{s:G6} + {o:G6})") : "";
            ctx.Out.MarkupLineInterpolated($"wrote [green]{outPath}[/]{mapping}");
            return 0;
        })));
        return cmd;
    }
}
