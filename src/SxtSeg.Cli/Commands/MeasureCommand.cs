using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using SxtSeg.Measurement;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg measure LABELS --out DIR</c>: per-object 3D and 2D morphometrics in nm, CSV tables and a Table S1 summary.</summary>
public static class MeasureCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var objects = new ObjectOptions();
        var output = new Option<string>("--out") { HelpName = "folder", Description = "Output folder: objects.csv, slices.csv, summary.csv, summary.md, measure.json (and truth_comparison.csv/.md with --truth)", Required = true };
        var excludeBorder = new Option<bool>("--exclude-border") { Description = "Leave out objects touching a face of the volume (cut by the field of view)" };
        var smooth = new Option<int>("--smooth") { Description = "Taubin iterations on each surface before its area is measured (0 = raw marching cubes, about 8 % too large)", DefaultValueFactory = _ => 10 }.Within(0, MeasureOptions.MaxSurfaceSmoothing);
        var noSlices = new Option<bool>("--no-slices") { Description = "Do not write the per-slice table" };
        var title = new Option<string>("--title") { Description = "Title of the summary table", DefaultValueFactory = _ => "Morphometrics" };
        var truth = new Option<string?>("--truth") { Description = "A simulation's truth.json: compare each object's volume, area and axes with the analytic values (use with --instances on the simulation's instances.mrc)" };
        var cmd = new Command("measure", "Measure every object: volume, surface area, axes, sphericity (3D) and cross-sections per slice (2D), in nm");
        objects.AddTo(cmd);
        foreach (var o in new Option[] { output, excludeBorder, smooth, noSlices, title, truth }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string outDir = pr.GetValue(output)!;
            int smoothing = pr.GetValue(smooth);
            var options = new MeasureOptions { ExcludeBorder = pr.GetValue(excludeBorder), SurfaceSmoothing = smoothing };
            options.Validate();
            // Every input checked before the output folder is claimed.
            objects.Check(pr);
            var prov = new Provenance("measure");
            string? truthPath = pr.GetValue(truth);
            if (truthPath is not null) InputFiles.RequireSmallFile(truthPath, "a truth.json");
            var truthObjects = truthPath is null ? null : TruthComparison.Read(truthPath);
            if (truthPath is not null) prov.AddInput(truthPath);
            prov.Set("exclude_border", options.ExcludeBorder).Set("smooth", smoothing);
            using var folder = OutputFolder.Create(outDir).Owns(MeasurementTables.OwnedFiles);
            var (result, description) = CliProgress.Run(ctx, p =>
            {
                using var opened = objects.Open(pr, prov, p, requireVoxelSize: true);
                StreamWriter? slices = null;
                if (!pr.GetValue(noSlices))
                {
                    slices = new StreamWriter(folder.File("slices.csv"), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
                    slices.Write(MeasurementTables.SliceCsvHeader());
                }
                try
                {
                    var r = ObjectMeasurer.Measure(opened.Labels, options, slices is null ? null : s => slices.Write(MeasurementTables.SliceRow(s) + "\n"), progress: p, cancellation: ctx.Cancellation);
                    return (r, opened.Description);
                }
                finally
                {
                    slices?.Dispose();
                }
            });
            AtomicFile.WriteAllText(folder.File("objects.csv"), MeasurementTables.ObjectsCsv(result));
            AtomicFile.WriteAllText(folder.File("summary.csv"), MeasurementTables.SummaryCsv(result));
            string heading = pr.GetValue(title)!;
            AtomicFile.WriteAllText(folder.File("summary.md"), MeasurementTables.SummaryMarkdown(result, heading));
            var json = MeasurementTables.Sidecar(result, prov, description, slicesWritten: !pr.GetValue(noSlices), truthCompared: truthObjects is not null);
            AtomicFile.WriteAllText(folder.File("measure.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            string? truthSummary = null;
            if (truthObjects is not null)
            {
                var matches = TruthComparison.Match(truthObjects, result);
                AtomicFile.WriteAllText(folder.File("truth_comparison.csv"), TruthComparison.Csv(matches));
                truthSummary = TruthComparison.Markdown(matches);
                AtomicFile.WriteAllText(folder.File("truth_comparison.md"), truthSummary);
            }
            folder.Commit();
            Print(ctx, result, heading);
            if (truthSummary is not null) ctx.Out.WriteLine(truthSummary);
            if (result.Objects.Count == 0)
                ctx.Err.WriteLine("sxtseg: warning: no objects to measure (empty volume, or all objects filtered out); the tables have headers only");
            ctx.Out.MarkupLineInterpolated($"{description}; wrote [green]{outDir}[/]");
            return 0;
        }));
        return cmd;
    }

    private static void Print(CliContext ctx, MeasurementResult result, string title)
    {
        var table = new Table().Title(title).AddColumn("Measure").AddColumn(new TableColumn("Mean ± SD").RightAligned()).AddColumn(new TableColumn("n").RightAligned());
        string? section = null;
        foreach (var r in MeasurementTables.Summary(result))
        {
            if (r.Section != section)
            {
                section = r.Section;
                table.AddRow(new Markup($"[bold]{(section == "2D" ? "2D (per-object mean over slices)" : "3D")}[/]"), new Text(""), new Text(""));
            }
            string unit = r.Unit.Length > 0 ? $" ({r.Unit})" : "";
            table.AddRow(Markup.Escape(r.Measure + unit), Markup.Escape(MeasurementTables.FormatMeanSd(r.Stats)), r.Stats.N.ToString(CultureInfo.InvariantCulture));
        }
        ctx.Out.Write(table);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Objects.Count} objects measured at {result.VoxelSize}; {result.ExcludedBySize} excluded by size, {result.ExcludedByBorder} touching the border excluded"));
    }
}
