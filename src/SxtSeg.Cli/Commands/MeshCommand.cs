using System.CommandLine;
using Spectre.Console;
using SxtSeg.Surfaces;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg mesh LABELS --out DIR</c>: watertight marching-cubes surfaces in nm, as PLY, STL or OBJ.</summary>
public static class MeshCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var objects = new ObjectOptions();
        var output = new Option<string>("--out") { HelpName = "folder", Description = "Output folder: meshes.EXT (all objects), objects/object_ID.EXT with --per-object, mesh.json", Required = true };
        var format = new Option<string>("--format") { HelpName = "ply|stl|obj", Description = "ply (binary, per-vertex colour), stl (binary) or obj", DefaultValueFactory = _ => "ply" };
        var perObject = new Option<bool>("--per-object") { Description = "Also write one file per object" };
        var smooth = new Option<int>("--smooth") { Description = "Taubin smoothing iterations (0 = raw voxel-face-midpoint surface)", DefaultValueFactory = _ => 10 }.Within(0, Measurement.MeasureOptions.MaxSurfaceSmoothing);
        var decimate = new Option<double?>("--decimate") { Description = "Keep this fraction of the triangles (0..1], by quadric edge collapse keeping surfaces closed" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random per-object colours", DefaultValueFactory = _ => 1 };
        var maxTriangles = new Option<long?>("--max-triangles") { Description = "Split the combined file into parts of at most this many triangles (whole objects per part)" }.Within(1, long.MaxValue);
        var preview = new Option<bool>("--preview") { Description = "Also render preview.png (two views)" };
        var units = new Option<string>("--units") { HelpName = "nm|angstrom", Description = "Unit of the coordinates in the files: nm, or angstrom to open the meshes beside the tomogram in ChimeraX or IMOD (which place maps in Å)", DefaultValueFactory = _ => "nm" };
        var cmd = new Command("mesh", "Extract closed, outward-oriented surfaces of every object (marching cubes, nm, anisotropic voxels honoured)");
        objects.AddTo(cmd);
        foreach (var o in new Option[] { output, format, units, perObject, smooth, decimate, seed, maxTriangles, preview }) cmd.Options.Add(o);
        var keys = new OptionKeys().Add(nameof(MeshRunOptions.Smoothing), smooth).Add(nameof(MeshRunOptions.Decimate), decimate)
            .Add(nameof(MeshRunOptions.MaxTrianglesPerFile), maxTriangles).Add(nameof(MeshRunOptions.Format), format).Add(nameof(MeshRunOptions.Units), units);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string outDir = pr.GetValue(output)!;
            var options = new MeshRunOptions
            {
                Format = keys.Check(() => MeshFormats.Parse(pr.GetValue(format)!)), Units = keys.Check(() => MeshUnitNames.Parse(pr.GetValue(units)!)), Smoothing = pr.GetValue(smooth),
                Decimate = pr.GetValue(decimate), Seed = pr.GetValue(seed), MaxTrianglesPerFile = pr.GetValue(maxTriangles) ?? long.MaxValue,
                PerObject = pr.GetValue(perObject), Preview = pr.GetValue(preview),
            };
            keys.Check(options.Validate);
            objects.Check(pr);
            var prov = options.Record(new Provenance("mesh"));
            using var folder = OutputFolder.Create(outDir).Owns(MeshWriter.OwnedFiles);
            var (result, description) = CliProgress.Run(ctx, p =>
            {
                using var opened = objects.Open(ctx, pr, prov, p, requireVoxelSize: true);
                return (keys.Check(() => MeshRun.Run(opened.Labels, folder, options, prov, p, ctx.Cancellation)), opened.Description);
            });
            folder.Commit();
            var set = result.Meshes;
            if (set.Objects.Count == 0)
                ctx.Err.WriteLine("sxtseg: warning: no objects found (empty volume, or all objects filtered out); wrote an empty mesh file");
            string parts = result.Files.Count > 1 ? $" in {result.Files.Count} parts (over the triangle limit)" : "";
            ctx.Out.MarkupLineInterpolated($"{description}; {set.Objects.Count} surfaces, {set.TriangleCount:N0} triangles{parts}; wrote [green]{outDir}[/]");
            return 0;
        }));
        return cmd;
    }
}
