using System.CommandLine;
using Spectre.Console;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg components LABELS --out INSTANCES</c>: 3D connected components as an instance label volume.</summary>
public static class ComponentsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var objects = new ObjectOptions();
        var output = new Option<string>("--out") { HelpName = "file", Description = "Output instance volume (.mrc: uint16, up to 65 535 objects; .tif: uint16 or uint32)", Required = true };
        var cmd = new Command("components", "Label 3D connected objects (with size filters, hole filling, splitting) and write an instance volume");
        objects.AddTo(cmd);
        cmd.Options.Add(output);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string outPath = pr.GetValue(output)!;
            objects.Check(pr);
            bool mrc = VolumeIO.OutputFormatOf(outPath) == VolumeFormat.Mrc;
            OutputPaths.RequireFileApart(outPath, "--out", pr.GetValue(objects.Input));
            var prov = new Provenance("components");
            int written = CliProgress.Run(ctx, p =>
            {
                using var opened = objects.Open(ctx, pr, prov, p, requireVoxelSize: false);
                var labels = opened.Labels;
                int n = labels.ObjectCount;
                if (n > ushort.MaxValue && mrc)
                    throw new OutputException(outPath, $"{n} objects need 32-bit labels, which MRC cannot store; write a .tif");
                var type = n > ushort.MaxValue ? VoxelType.UInt32 : VoxelType.UInt16;
                var info = labels.Info with { Type = type, Labels = Array.Empty<string>() };
                using var writer = VolumeIO.Create(outPath, info, prov.Set("objects", n));
                labels.Stream(slab =>
                {
                    for (int i = 0; i < slab.Count; i++) writer.WriteSlice<uint>(slab.Slice(i));
                    p.Report("writing", slab.Z0 + slab.Count, info.Nz, "slices");
                });
                writer.Commit();
                ctx.Out.MarkupLineInterpolated($"{opened.Description}; {opened.RemovedBySize} removed by size");
                return n;
            });
            if (written == 0) ctx.Err.WriteLine("sxtseg: warning: no objects found (every voxel is background after binarisation and filters); wrote an all-zero volume");
            ctx.Out.MarkupLineInterpolated($"wrote [green]{outPath}[/] ({written} objects)");
            return 0;
        }));
        return cmd;
    }
}
