using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg info FILE</c>: dimensions, type, voxel size, origin and streamed value statistics.</summary>
public static class InfoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "Tomogram: MRC (.mrc .rec .st .ali .map), TIFF stack, or a folder of TIFF slices" }.RefusingUnknownOptions();
        var noStats = new Option<bool>("--no-stats") { Description = "Header only; skip the pass over the data" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var cmd = new Command("info", "Show a volume's dimensions, type, voxel size (nm), origin and value statistics") { file, noStats, json };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string path = pr.GetValue(file)!;
            using var reader = VolumeIO.OpenRead(path);
            var info = reader.Info;
            VolumeStatistics? st = pr.GetValue(noStats) ? null : CliProgress.Run(ctx, p => VolumeStatistics.Compute(reader, p));
            if (pr.GetValue(json)) ctx.Out.Profile.Out.Writer.WriteLine(ToJson(path, info, st).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            else Print(ctx, path, reader, st);
            return 0;
        }));
        return cmd;
    }

    // what the reader guessed, and a header voxel size no cryo-SXT tomogram has
    private static List<string> Notes(VolumeInfo info)
    {
        var notes = new List<string>(info.Notes);
        if (VoxelSize.CryoSxtNote(info.VoxelSize) is { } n) notes.Add(n);
        return notes;
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static void Print(CliContext ctx, string path, IVolumeReader reader, VolumeStatistics? st)
    {
        var info = reader.Info;
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
        t.AddRow("file", Markup.Escape(path));
        t.AddRow("format", VolumeIO.FormatOf(path) switch { VolumeFormat.Mrc => "MRC", VolumeFormat.Tiff => "TIFF", _ => "folder of TIFF slices" });
        t.AddRow("size (x × y × z)", $"{info.Nx} × {info.Ny} × {info.Nz}");
        t.AddRow("type", info.Type.Name());
        t.AddRow("voxel size", info.VoxelSize is { } v ? Markup.Escape(v.ToString()) : "[yellow]unknown (give --voxel-size to commands that need it)[/]");
        if (info.VoxelSize is { } vs)
            t.AddRow("extent", string.Create(CultureInfo.InvariantCulture, $"{info.Nx * vs.X / 1000:0.###} × {info.Ny * vs.Y / 1000:0.###} × {info.Nz * vs.Z / 1000:0.###} µm"));
        t.AddRow("origin (nm)", string.Create(CultureInfo.InvariantCulture, $"{F(info.OriginNm.X)}, {F(info.OriginNm.Y)}, {F(info.OriginNm.Z)}"));
        t.AddRow("data", $"{info.DataBytes / 1048576.0:0.#} MiB");
        if (reader is MrcReader mrc)
        {
            var h = mrc.Header;
            t.AddRow("MRC", $"mode {h.Mode}, {(h.BigEndian ? "big" : "little")}-endian, extended header {h.NSymBt} bytes{(h.ExtType.Length > 0 ? $" ({Markup.Escape(h.ExtType)})" : "")}, nversion {h.NVersion}");
        }
        foreach (var l in info.Labels.Take(10)) t.AddRow("label", Markup.Escape(l.Length > 120 ? l[..120] + "…" : l));
        foreach (var n in Notes(info)) t.AddRow("[yellow]note[/]", Markup.Escape(n));
        if (st is not null)
        {
            t.AddRow("min / max", $"{F(st.Min)} / {F(st.Max)}");
            t.AddRow("mean ± std", $"{F(st.Mean)} ± {F(st.Std)}");
            t.AddRow("0.5 % / 99.5 %", $"{F(st.P005)} / {F(st.P995)}" + (st.PercentileResolution > 0 ? $" (±{F(st.PercentileResolution)})" : ""));
            if (st.NaNCount + st.InfinityCount > 0) t.AddRow("[red]non-finite[/]", $"{st.NaNCount} NaN, {st.InfinityCount} ±Inf");
        }
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
    }

    private static JsonObject ToJson(string path, VolumeInfo info, VolumeStatistics? st)
    {
        var o = new JsonObject
        {
            ["file"] = path,
            ["nx"] = info.Nx, ["ny"] = info.Ny, ["nz"] = info.Nz,
            ["type"] = info.Type.Name(),
            ["voxel_size_nm"] = info.VoxelSize is { } v ? new JsonArray(JsonNumbers.Of(v.X), JsonNumbers.Of(v.Y), JsonNumbers.Of(v.Z)) : null,
            ["origin_nm"] = new JsonArray(JsonNumbers.Of(info.OriginNm.X), JsonNumbers.Of(info.OriginNm.Y), JsonNumbers.Of(info.OriginNm.Z)),
        };
        var notes = Notes(info);
        if (notes.Count > 0) o["notes"] = new JsonArray([.. notes.Select(n => (JsonNode?)JsonValue.Create(n))]);
        if (st is not null)
            o["statistics"] = new JsonObject
            {
                // Non-finite statistics (an all-NaN volume) are null: JSON has no NaN.
                ["min"] = JsonNumbers.Of(st.Min), ["max"] = JsonNumbers.Of(st.Max), ["mean"] = JsonNumbers.Of(st.Mean), ["std"] = JsonNumbers.Of(st.Std),
                ["p0.5"] = JsonNumbers.Of(st.P005), ["p99.5"] = JsonNumbers.Of(st.P995), ["nan"] = st.NaNCount, ["inf"] = st.InfinityCount,
            };
        return o;
    }
}
