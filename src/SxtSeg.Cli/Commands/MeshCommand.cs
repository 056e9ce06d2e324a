using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
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
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string outDir = pr.GetValue(output)!;
            var fmt = MeshFormats.Parse(pr.GetValue(format)!);
            var unit = MeshUnitNames.Parse(pr.GetValue(units)!);
            int smoothing = pr.GetValue(smooth);
            if (smoothing < 0) throw new InvalidOptionException("--smooth", "must be ≥ 0");
            objects.Check(pr);
            double? keep = pr.GetValue(decimate);
            if (keep is { } k && !(k > 0 && k <= 1)) throw new InvalidOptionException("--decimate", $"fraction must be in (0, 1], got {k.ToString(CultureInfo.InvariantCulture)}");
            long limit = pr.GetValue(maxTriangles) ?? long.MaxValue;
            if (limit < 1) throw new InvalidOptionException("--max-triangles", "must be ≥ 1");
            var prov = new Provenance("mesh").Set("format", fmt.ToString().ToLowerInvariant()).Set("smooth", smoothing).Set("seed", pr.GetValue(seed)).Set("units", unit.Name());
            if (keep is { } kk) prov.Set("decimate", kk);
            using var folder = OutputFolder.Create(outDir).Owns(MeshWriter.OwnedFiles);
            var (set, description, files) = CliProgress.Run(ctx, p =>
            {
                using var opened = objects.Open(pr, prov, p, requireVoxelSize: true);
                var meshes = MarchingCubes.Extract(opened.Labels, p);
                int done = 0;
                Parallel.ForEach(meshes.Objects, m =>
                {
                    MeshSmoothing.Taubin(m, smoothing);
                    if (keep is { } f && f < 1) MeshDecimation.Decimate(m, f);
                    p.Report("smoothing", Interlocked.Increment(ref done), meshes.Objects.Count, "objects");
                });
                var options = new MeshWriteOptions { Seed = pr.GetValue(seed), Provenance = prov, MaxTrianglesPerFile = limit, Units = unit };
                var written = MeshWriter.WriteCombined(folder.File("meshes" + fmt.Extension()), meshes.Objects, fmt, options).ToList();
                if (pr.GetValue(perObject))
                {
                    Directory.CreateDirectory(folder.File("objects"));
                    foreach (var m in meshes.Objects)
                    {
                        string name = Path.Combine("objects", $"object_{m.SourceId.ToString("D6", CultureInfo.InvariantCulture)}{fmt.Extension()}");
                        MeshWriter.WriteFile(folder.File(name), new[] { m }, fmt, options);
                    }
                }
                if (pr.GetValue(preview))
                    MeshRenderer.WritePng(folder.File("preview.png"), meshes.Objects.Select(m => RenderItem.FromMesh(m, options.Seed)).ToList(),
                        new RenderOptions { Width = 800, Height = 640, Views = new[] { new ViewAngle(30, 35), new ViewAngle(0, 90) } },
                        new Dictionary<string, string> { ["Software"] = ToolInfo.NameAndVersion, ["Description"] = prov.ToJson() });
                return (meshes, opened.Description, written.Select(Path.GetFileName).ToList());
            });
            var list = new JsonArray();
            foreach (var m in set.Objects)
            {
                var c = MeshColors.ForObject(m.SourceId, pr.GetValue(seed));
                list.Add(new JsonObject
                {
                    ["id"] = m.SourceId,
                    ["vertices"] = m.VertexCount,
                    ["triangles"] = m.TriangleCount,
                    ["area_nm2"] = Math.Round(m.Area(), 3),
                    ["enclosed_volume_nm3"] = Math.Round(m.EnclosedVolume(), 3),
                    ["color"] = $"#{c.R:x2}{c.G:x2}{c.B:x2}",
                });
            }
            var json = new JsonObject
            {
                ["provenance"] = prov.ToJsonObject(),
                ["units"] = unit.Name(),
                ["units_note"] = "coordinates in the files are in this unit; area_nm2 and enclosed_volume_nm3 below are in nm² and nm³",
                ["files"] = new JsonArray(files.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
                ["objects"] = list,
            };
            AtomicFile.WriteAllText(folder.File("mesh.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            folder.Commit();
            if (set.Objects.Count == 0)
                ctx.Err.WriteLine("sxtseg: warning: no objects found (empty volume, or all objects filtered out); wrote an empty mesh file");
            string parts = files.Count > 1 ? $" in {files.Count} parts (over the triangle limit)" : "";
            ctx.Out.MarkupLineInterpolated($"{description}; {set.Objects.Count} surfaces, {set.TriangleCount:N0} triangles{parts}; wrote [green]{outDir}[/]");
            return 0;
        }));
        return cmd;
    }
}
