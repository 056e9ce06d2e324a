using System.CommandLine;
using Spectre.Console;
using SxtSeg.Inference;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg merge DIR</c>: assembles the shards of a cluster run and finishes the segmentation.</summary>
public static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var folder = new Argument<string>("folder") { Description = "The --out folder the shards (sxtseg segment --shard I/N) were written to" };
        var cmd = new Command("merge", "Assemble the shards of a 'segment --shard' cluster run: post-processing and outputs as one run") { folder };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string dir = pr.GetValue(folder)!;
            if (InputPaths.RequireReadable(dir, allowFolder: true) != PathKind.Folder) throw new InvalidInputException(dir, "is a file; give the --out folder of the shards");
            var s = CliProgress.Run(ctx, p => Segmenter.Merge(dir, new Provenance("merge").AddInput(dir), p, ctx.Cancellation));
            ctx.Out.MarkupLineInterpolated($"merged {s.Slices} slices into [green]{s.Folder}[/]: {string.Join(", ", s.Files)} ({100.0 * s.LabelledVoxels / Math.Max(1, s.TotalVoxels):0.00} % membrane)");
            return 0;
        }));
        return cmd;
    }
}
