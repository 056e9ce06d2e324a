using System.CommandLine;
using System.Globalization;
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
        var truth = new Option<string?>("--truth") { Description = "A simulation's truth.json: compare each object's volume, area and axes with the analytic values (requires --instances, on the simulation's instances.mrc)" };
        var cmd = new Command("measure", "Measure every object: volume, surface area, axes, sphericity (3D) and cross-sections per slice (2D), in nm");
        objects.AddTo(cmd);
        foreach (var o in new Option[] { output, excludeBorder, smooth, noSlices, title, truth }) cmd.Options.Add(o);
        var keys = new OptionKeys().Add(nameof(MeasureOptions.SurfaceSmoothing), smooth);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string outDir = pr.GetValue(output)!;
            var measure = new MeasureOptions { ExcludeBorder = pr.GetValue(excludeBorder), SurfaceSmoothing = pr.GetValue(smooth) };
            keys.Check(measure.Validate);
            // Every input checked before the output folder is claimed.
            objects.Check(pr);
            var prov = new Provenance("measure");
            string? truthPath = pr.GetValue(truth);
            // truth.json's objects are paired with measurements by id: the ids must be the simulator's
            // instance ids, not component numbers (1..N in raster order), or every pair is wrong.
            if (truthPath is not null && !pr.GetValue(objects.Instances))
                throw new InvalidOptionException("--truth", "pairs objects with truth.json by instance id: measure the simulation's instances.mrc with --instances (connected components are numbered in raster order, not by the simulator's ids)");
            if (truthPath is not null) InputFiles.RequireSmallFile(truthPath, "a truth.json");
            var options = new MeasureRunOptions
            {
                Measure = measure, Title = pr.GetValue(title)!, Slices = !pr.GetValue(noSlices),
                Truth = truthPath is null ? null : TruthComparison.Read(truthPath),
            };
            if (truthPath is not null) prov.AddInput(truthPath);
            options.Record(prov);
            using var folder = OutputFolder.Create(outDir).Owns(MeasurementTables.OwnedFiles);
            var (run, description) = CliProgress.Run(ctx, p =>
            {
                using var opened = objects.Open(ctx, pr, prov, p, requireVoxelSize: true);
                return (keys.Check(() => MeasureRun.Run(opened.Labels, opened.Description, folder, options, prov, p, ctx.Cancellation, opened.RemovedBySize)), opened.Description);
            });
            folder.Commit();
            var result = run.Measured;
            Print(ctx, result, options.Title);
            if (run.TruthSummary is not null) ctx.Out.WriteLine(run.TruthSummary);
            if (result.Objects.Count == 0)
                ctx.Err.WriteLine("sxtseg: warning: no objects to measure (empty volume, or all objects filtered out); the tables have headers only");
            ctx.Out.MarkupLineInterpolated($"{description}; wrote [green]{outDir}[/]");
            return 0;
        }));
        return cmd;
    }

    private static void Print(CliContext ctx, MeasurementResult result, string title)
    {
        SummaryTable.Write(ctx, title, MeasurementTables.Summary(result), "object");
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Objects.Count} objects measured at {result.VoxelSize}; {result.ExcludedBySize} excluded by size, {result.ExcludedByBorder} touching the border excluded"));
    }
}
