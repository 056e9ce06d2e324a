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
        var folder = new Argument<string>("folder") { Description = "The --out folder of the array job: shards of one tomogram (segment --shard I/N), or a batch (segment A B ... --task I/N)" }.RefusingUnknownOptions();
        var cmd = new Command("merge", "Finish a cluster run: assemble the shards of one tomogram (post-processing and outputs as one run), or collect the table of a batch") { folder };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string dir = pr.GetValue(folder)!;
            if (InputPaths.RequireReadable(dir, allowFolder: true) != PathKind.Folder) throw new InvalidInputException(dir, "is a file; give the --out folder of the shards");
            if (Directory.GetFiles(dir, "shard-*-of-*.json").Length == 0 && BatchSegmenter.IsBatchFolder(dir))
            {
                var batch = BatchSegmenter.Collect(dir);
                SegmentCommand.PrintBatch(ctx, batch);
                return batch.Failed > 0 || batch.NotRun > 0 ? CliApp.ExitSomeFailed : 0;
            }
            var s = CliProgress.Run(ctx, p => Segmenter.Merge(dir, new Provenance("merge").AddInput(dir), p, ctx.Cancellation));
            ctx.Out.MarkupLineInterpolated($"merged {s.Slices} slices into [green]{s.Folder}[/]: {string.Join(", ", s.Files)} ({100.0 * s.LabelledVoxels / Math.Max(1, s.TotalVoxels):0.00} % membrane)");
            return 0;
        }));
        return cmd;
    }
}
