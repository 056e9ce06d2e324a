using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg segment TOMO --out DIR</c>: whole-tomogram membrane segmentation.</summary>
public static class SegmentCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var input = new Argument<string[]>("tomograms")
        {
            Description = "Tomogram(s): MRC files, TIFF stacks, folders of TIFF slices, folders of tomograms, or quoted patterns such as 'data/*.rec'; more than one makes a batch",
            Arity = ArgumentArity.OneOrMore,
        }.RefusingUnknownOptions();
        var output = new Option<string>("--out") { Description = "Output folder: labels.tif, labels.mrc, overlay.png, segment.json (a batch: one subfolder per tomogram and batch.csv)", Required = true, HelpName = "folder" };
        var model = new Option<string?>("--model") { Description = "Model file (.sxtmodel), or the name of a shipped model: default (reads 7 slices; single images and --fuse-axes use the one-slice model inside it) or 2d (one slice, 1.1× faster, less accurate); default: default", HelpName = "file|name" };
        var tile = new Option<int>("--tile") { Description = "Largest tile side in pixels (multiple of 16): each axis gets the fewest tiles that cover it with the overlap, as equal as the multiple allows", DefaultValueFactory = _ => 512 }.Within(SegmentOptions.MinTile, SegmentOptions.MaxTile);
        var overlap = new Option<int?>("--overlap") { Description = "Minimum overlap of neighbouring tiles in pixels (default: an eighth of the tile; below the tile size)" }.Within(0, SegmentOptions.MaxTile - 1);
        var batch = new Option<int>("--tile-batch") { Description = "Tiles per network call", DefaultValueFactory = _ => 1 }.Within(1, SegmentOptions.MaxBatch).OldNames("--batch");
        var workers = new Option<int>("--workers") { Description = "Parallel network workers (each single-threaded; a single worker uses every core, so run concurrent jobs with OMP_NUM_THREADS=1); default: number of cores", DefaultValueFactory = _ => SegmentationModel.DefaultWorkers }.Within(1, 64);
        var device = new Option<string>("--device") { HelpName = "cpu|cuda", Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string>("--precision") { HelpName = "fp32|bf16", Description = "fp32 or bf16", DefaultValueFactory = _ => "fp32" };
        var blend = new Option<string>("--blend") { HelpName = "gaussian|cosine|average", Description = "Tile blending window: gaussian, cosine, average (plain average shows seams)", DefaultValueFactory = _ => "gaussian" };
        var tta = new Option<int>("--tta") { Description = "Test-time augmentation: 1, 2 (flip), 4 (rotations), 8 (rotations × flips)", DefaultValueFactory = _ => 1 }.OneOf(1, 2, 4, 8);
        var fuse = new Option<bool>("--fuse-axes") { Description = "Also segment x–z and y–z planes and fuse (weights by --axis-weights)" };
        var axisWeights = new Option<string>("--axis-weights") { HelpName = "XY,XZ,YZ", Description = "Fusion weights of x–y, x–z, y–z predictions (x–z/y–z planes carry the missing wedge)", DefaultValueFactory = _ => "2,1,1" };
        var blockMb = new Option<int>("--block-mb") { Description = "Memory for blocks of x–z / y–z planes (MB; with --fuse-axes)", DefaultValueFactory = _ => 256 }.Within(1, SegmentOptions.MaxBlockMb);
        var threshold = new Option<double?>("--threshold") { Description = "Probability above which a voxel is membrane (default: the model's, chosen on validation tomograms; 0.5 for older models)" }.Within(0, 1, minExclusive: true, maxExclusive: true);
        var zSmooth = new Option<int>("--z-smooth") { Description = "Average probabilities over ±N neighbouring slices", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxSteps);
        var minVoxels = new Option<long>("--min-voxels") { Description = "Remove 3D objects with fewer voxels", DefaultValueFactory = _ => 0 }.Within(0, long.MaxValue);
        var minVolume = new Option<double?>("--min-volume") { HelpName = "nm3", Description = "Remove 3D objects smaller than this volume (nm³)" }.Within(0, double.PositiveInfinity);
        var erode = new Option<int>("--erode") { Description = "Binary erosion steps after thresholding", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxSteps);
        var crop = new Option<int>("--clear-border") { Description = "Set this many voxels at every face of the volume to background (the volume keeps its size)", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxCrop).OldNames("--crop");
        var cellMask = new Option<bool>("--cell-mask") { Description = "Drop labels outside an automatic rough cell mask (in the empty ice)" };
        var probs = new Option<string>("--probabilities") { HelpName = "none|float32|float16|byte", Description = "Also write probabilities.mrc: none, float32, float16 (half the size) or byte (0–127 = probability × 127; reads the same in every MRC reader)", DefaultValueFactory = _ => "none" };
        var slices = new Option<string?>("--slices") { Description = "Segment only slices A-B (z counted from 0, both ends included, as in train --slices): the outputs hold those slices, segmented as slices of the tomogram (polarity, scale and neighbouring slices from the whole)", HelpName = "A-B" };
        var shard = new Option<string?>("--shard") { Description = "Predict shard I/N (I from 0 to N − 1) of one tomogram's slices into --out for a later 'sxtseg merge' (default in a SLURM array job: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)", HelpName = "I/N" };
        var task = new Option<string?>("--task") { Description = "In a batch, segment only tomograms I, I+N, I+2N, ... (one task of N; default in a SLURM array job: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT); then 'sxtseg merge OUT' writes the table", HelpName = "I/N" };
        var twoD = new Option<bool>("--2d") { Description = "Accept a single 2D image (no effect on a tomogram)" };
        var rescale = new Option<bool>("--rescale") { Description = "Resample slices outside the model's voxel-size range to it (the default; kept for old scripts)", Hidden = true };
        var noRescale = new Option<bool>("--no-rescale") { Description = "Do not resample slices whose voxel size lies outside the model's trained range" };
        var polarity = new Option<string>("--polarity") { HelpName = "auto|dense-bright|dense-dark", Description = "auto (detect), dense-bright (membranes and lipid bright, as reconstructed absorption) or dense-dark (inverted exports)", DefaultValueFactory = _ => "auto" };
        var voxel = new Option<string?>("--voxel-size") { HelpName = "nm", Description = $"Voxel size in nm, overriding the file's [{VoxelSize.RangeText}]" };
        var resolution = new Option<double?>("--resolution") { HelpName = "nm", Description = "The tomogram's effective resolution in nm (1.22 × the zone plate's outermost zone width: 30 for 25 nm, 49 for 40 nm zone plates); slices are then resampled so that it spans as many pixels as in the model's training data (for a coarse zone plate at fine pixels, or upsampled data)" };
        var noScaleSearch = new Option<bool>("--no-scale-search") { Description = "Do not search the scale at which the model finds the most membrane (on by default for models that state their training resolution; not done with --resolution or --no-rescale)" };
        var temp = new Option<string?>("--temp") { HelpName = "folder", Description = "Folder for temporary probability files (default: beside --out)" };
        var cmd = new Command("segment", "Segment all membranes of a tomogram (or of many: a batch) slice by slice with the network")
        {
            input, output, model, tile, overlap, batch, workers, device, precision, blend, tta, fuse, axisWeights, blockMb, threshold, zSmooth,
            minVoxels, minVolume, erode, crop, cellMask, probs, slices, shard, task, twoD, rescale, noRescale, polarity, voxel, resolution, noScaleSearch, temp,
        };
        var keys = new OptionKeys()
            .Add(nameof(TileOptions.TileSize), tile).Add(nameof(TileOptions.Overlap), overlap).Add(nameof(TileOptions.BatchSize), batch)
            .Add(nameof(TileOptions.Augmentations), tta).Add(SegmentationModel.WorkersKey, workers)
            .Add(nameof(InferenceOptions.Device), device).Add(nameof(InferenceOptions.Precision), precision)
            .Add(nameof(SegmentOptions.FuseAxes), fuse).Add(nameof(SegmentOptions.AxisWeights), axisWeights).Add(nameof(SegmentOptions.BlockBytes), blockMb)
            .Add(nameof(SegmentOptions.Threshold), threshold).Add(nameof(SegmentOptions.ZSmoothing), zSmooth)
            .Add(nameof(SegmentOptions.MinObjectVoxels), minVoxels).Add(nameof(ComponentOptions.MinVoxels), minVoxels)
            .Add(nameof(SegmentOptions.MinObjectVolumeNm3), minVolume).Add(ComponentOptions.MinVolumeKey, minVolume)
            .Add(nameof(SegmentOptions.ErosionSteps), erode).Add(nameof(SegmentOptions.CropBorder), crop).Add(nameof(SegmentOptions.CellMask), cellMask)
            .Add(nameof(SegmentOptions.Probabilities), probs).Add(nameof(SegmentOptions.Slices), slices).Add(nameof(SegmentOptions.Shard), shard)
            .Add(BatchSegmenter.TaskKey, task).Add(nameof(SegmentOptions.Polarity), polarity).Add(nameof(SegmentOptions.VoxelSize), voxel)
            .Add(nameof(SegmentOptions.ResolutionNm), resolution);
        cmd.SetAction(pr => CliApp.Guard(ctx, () => keys.Check(() =>
        {
            var w = pr.GetValue(axisWeights)!.Split(',');
            if (w.Length != 3 || !w.All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)))
                throw new InvalidOptionException("--axis-weights", "give three finite numbers, e.g. 2,1,1");
            if (!pr.GetValue(fuse))
                foreach (var o in new Option[] { axisWeights, blockMb })
                    if (pr.Given(o)) ctx.Warn($"{o.Name} applies only with --fuse-axes; ignored");
            string[] inputs = pr.GetValue(input)!;
            var (items, isBatch) = BatchInputs.Expand(inputs);
            if (isBatch && pr.GetValue(shard) is not null) throw new InvalidOptionException("--shard", "splits one tomogram over tasks; a batch is split by tomogram with --task I/N");
            if (!isBatch && pr.GetValue(task) is not null) throw new InvalidOptionException("--task", "applies to a batch of tomograms; one tomogram is split with --shard I/N");
            WarnIfColonRange(ctx, "--slices", pr.GetValue(slices));
            var shardValue = isBatch ? null : pr.GetValue(shard) is { } s ? SegmentOptions.ParseShard(s) : SlurmArray("--shard");
            var taskValue = !isBatch ? null : pr.GetValue(task) is { } ts ? SegmentOptions.ParseShard(ts, BatchSegmenter.TaskKey) : SlurmArray("--task");
            var options = new SegmentOptions
            {
                Tiles = new TileOptions
                {
                    TileSize = pr.GetValue(tile), Overlap = pr.GetValue(overlap) ?? pr.GetValue(tile) / 8, BatchSize = pr.GetValue(batch), Augmentations = pr.GetValue(tta),
                    Blend = pr.GetValue(blend)!.ToLowerInvariant() switch
                    {
                        "gaussian" => BlendKind.Gaussian, "cosine" => BlendKind.Cosine, "average" => BlendKind.Average,
                        var other => throw new InvalidOptionException("--blend", $"unknown window '{other}' (gaussian, cosine, average)"),
                    },
                },
                FuseAxes = pr.GetValue(fuse),
                AxisWeights = (double.Parse(w[0], CultureInfo.InvariantCulture), double.Parse(w[1], CultureInfo.InvariantCulture), double.Parse(w[2], CultureInfo.InvariantCulture)),
                BlockBytes = (long)pr.GetValue(blockMb) << 20,
                Threshold = pr.GetValue(threshold), ZSmoothing = pr.GetValue(zSmooth), MinObjectVoxels = pr.GetValue(minVoxels),
                MinObjectVolumeNm3 = pr.GetValue(minVolume), ErosionSteps = pr.GetValue(erode), CropBorder = pr.GetValue(crop),
                CellMask = pr.GetValue(cellMask),
                Probabilities = ProbabilityOutputs.Parse(pr.GetValue(probs)!),
                Slices = pr.GetValue(slices) is { } sl ? SegmentOptions.ParseSlices(sl) : null,
                Shard = shardValue,
                Allow2D = pr.GetValue(twoD), Rescale = !pr.GetValue(noRescale), Polarity = PolarityDecision.Parse(pr.GetValue(polarity)!),
                VoxelSize = pr.GetValue(voxel) is { } v ? VoxelSize.Parse(v, voxel.Name) : null,
                ResolutionNm = pr.GetValue(resolution), ScaleSearch = !pr.GetValue(noScaleSearch),
                TempFolder = pr.GetValue(temp),
            };
            options.Validate();
            string modelPath = DefaultModel.Resolve(pr.GetValue(model));
            string outDir = pr.GetValue(output)!;
            OutputFolder.RequireUsable(outDir);
            if (!isBatch) OutputPaths.RequireFolderApart(outDir, "--out", items[0].Input);
            int workerCount = pr.GetValue(workers);
            // Inputs and memory first: a bad file or option fails in a second, not after loading the model
            // (in a batch, a bad tomogram is reported in its row and the others still run).
            InputPaths.RequireReadable(modelPath);
            long largest = 0;
            foreach (var item in items.Where(i => i.Problem is null))
            {
                try
                {
                    using var header = VolumeIO.OpenRead(item.Input);
                    var hi = header.Info;
                    if (options.Allow2D && hi.Nz > 1) ctx.Warn($"--2d has no effect: {item.Input} is a tomogram of {hi.Nz} slices");
                    largest = Math.Max(largest, hi.VoxelCount);
                }
                catch (SxtSegException) when (isBatch)
                {
                }
            }
            double blocks = options.FuseAxes ? Math.Min(options.BlockBytes, 4.0 * largest) : 0;
            double need = options.NetworkMemoryEstimate(ModelFile.ReadCard(modelPath).Width, workerCount) + blocks;
            MemoryBudget.Require(need, $"segment with --tile {options.Tiles.TileSize}, --tile-batch {options.Tiles.BatchSize}, --workers {workerCount}" + (options.FuseAxes ? $", --block-mb {options.BlockBytes >> 20}" : ""),
                "lower --tile, --tile-batch, --workers" + (options.FuseAxes ? " or --block-mb" : ""));
            var deviceKind = InferenceOptions.ParseDevice(pr.GetValue(device)!, device.Name);
            if (deviceKind == ComputeDevice.Cuda && !TorchRuntime.CudaAvailable)
                throw new InvalidOptionException("--device", "cuda: no CUDA device is usable by this build, which ships the CPU libtorch; docs/build.md says how to build SxtSeg with CUDA (TorchSharp-cuda-linux, an NVIDIA driver)");
            var inference = new InferenceOptions
            {
                Device = deviceKind,
                Precision = InferenceOptions.ParsePrecision(pr.GetValue(precision)!, precision.Name),
            };
            using var loaded = SegmentationModel.Load(modelPath, workerCount, inference);
            Provenance ProvenanceOf(string tomogram) => new Provenance("segment") { ModelId = loaded.Id }.AddInput(tomogram).Set("model", Path.GetFileName(modelPath))
                .Set("precision", pr.GetValue(precision)!.Trim().ToLowerInvariant()).Set("device", pr.GetValue(device)!.Trim().ToLowerInvariant());
            if (isBatch) return RunBatch(ctx, items, outDir, loaded, options, ProvenanceOf, taskValue);
            string single = items[0].Input;
            var summary = CliProgress.Run(ctx, p => Segmenter.Run(single, outDir, loaded, options, ProvenanceOf(single), p, ctx.Warn, ctx.Cancellation));
            Report(ctx, summary, loaded);
            return 0;
        })));
        return cmd;
    }

    private static int RunBatch(CliContext ctx, IReadOnlyList<BatchItem> items, string outDir, SegmentationModel model, SegmentOptions options,
        Func<string, Provenance> provenance, (int Index, int Count)? task)
    {
        int share = task is { } t ? BatchSegmenter.TaskShare(items.Count, t).Count() : items.Count;
        if (task is { } tt) ctx.Err.WriteLine($"sxtseg: batch of {items.Count} tomograms; task {tt.Index}/{tt.Count} takes {share} of them");
        int finished = 0;
        var summary = CliProgress.Run(ctx, p => BatchSegmenter.Run(items, outDir, model, options, i => provenance(i.Input), task, p, ctx.Warn, row =>
        {
            finished++;
            string what = row.Ok
                ? string.Create(CultureInfo.InvariantCulture, $"ok ({row.Seconds:0.0} s, {100 * (row.MembraneFraction ?? 0):0.00} % membrane)")
                : $"FAILED: {row.Error}";
            ctx.Err.WriteLine($"sxtseg: [{finished}/{share}] {row.Name}: {what}");
        }, ctx.Cancellation));
        PrintBatch(ctx, summary);
        var mine = BatchSegmenter.TaskShare(items.Count, task ?? (0, 1)).Select(i => items[i].Name).ToHashSet(StringComparer.Ordinal);
        return summary.Rows.Any(r => r.Status == "failed" && mine.Contains(r.Name)) ? CliApp.ExitSomeFailed : 0;
    }

    /// <summary>The batch table on the console (the rows of batch.csv, errors below it in full).</summary>
    internal static void PrintBatch(CliContext ctx, BatchSummary s)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("Batch")
            .AddColumn("tomogram").AddColumn("status").AddColumn(new TableColumn("time (s)").RightAligned()).AddColumn(new TableColumn("voxel (nm)").RightAligned())
            .AddColumn("polarity").AddColumn(new TableColumn("membrane %").RightAligned()).AddColumn("notes");
        var ci = CultureInfo.InvariantCulture;
        foreach (var r in s.Rows)
        {
            string note = r.Error is not null ? "error (below)" : r.Warnings.Count == 1 ? "1 warning" : r.Warnings.Count > 1 ? $"{r.Warnings.Count} warnings" : "";
            t.AddRow(Markup.Escape(r.Name), r.Ok ? "[green]ok[/]" : r.Status == "failed" ? "[red]failed[/]" : "[grey]not run[/]",
                r.Status == "not run" ? "" : r.Seconds.ToString("0.0", ci), r.VoxelSize is { } v ? v.X.ToString("0.##", ci) : "",
                Markup.Escape((r.Polarity ?? "").Replace(" (detected)", " (auto)")), r.MembraneFraction is { } f ? (100 * f).ToString("0.00", ci) : "", note);
        }
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
        foreach (var r in s.Rows.Where(r => r.Error is not null))
            ctx.Out.WriteLine($"{r.Name}: {r.Error}");
        int ok = s.Rows.Count(r => r.Ok);
        ctx.Out.MarkupLineInterpolated($"{ok} of {s.Rows.Count} tomograms segmented, {s.Failed} failed{(s.NotRun > 0 ? $", {s.NotRun} not run (yet)" : "")}; table with warnings and errors: [green]{s.Table}[/]");
    }

    /// <summary>Task I/N from a SLURM array job's variables, or null outside one.</summary>
    private static (int, int)? SlurmArray(string option)
    {
        string? id = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), count = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_COUNT");
        if (id is null || count is null) return null;
        string min = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_MIN") ?? "0";
        if (!int.TryParse(id, out int i) || !int.TryParse(count, out int n) || !int.TryParse(min, out int m))
            throw new InvalidOptionException(option, $"cannot read the task from SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}");
        return (i - m, n);
    }

    private static void Report(CliContext ctx, SegmentationSummary s, SegmentationModel model)
    {
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("k").AddColumn("v");
        t.AddRow("output", Markup.Escape(s.Folder));
        t.AddRow("model", Markup.Escape(s.Model is { OneSliceModelOf: { } outer } used
            ? $"{used.Id} — {used.Description}: the one-slice model embedded in {outer} (which reads neighbouring slices)"
            : $"{model.Id} — {model.Description}"));
        t.AddRow("slices", s.Slices.ToString(CultureInfo.InvariantCulture));
        if (s.Polarity is { } pol)
            t.AddRow("polarity", Markup.Escape(pol.Describe()));
        t.AddRow("threshold", s.Threshold.ToString("0.00", CultureInfo.InvariantCulture));
        if (s.ResamplingText() is { } resampled) t.AddRow("resampled", Markup.Escape(resampled));
        if (s.TotalVoxels > 0) t.AddRow("membrane voxels", string.Create(CultureInfo.InvariantCulture, $"{s.LabelledVoxels:N0} ({100.0 * s.LabelledVoxels / s.TotalVoxels:0.00} %)"));
        t.AddRow("time", string.Create(CultureInfo.InvariantCulture, $"{s.Total.TotalSeconds:0.0} s ({s.MegapixelsPerSecond:0.00} Mpx/s, {s.Workers} workers)"));
        t.AddRow("files", Markup.Escape(string.Join(", ", s.Files)));
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
    }

    /// <summary>Warns that a slice range written A:B (the older form) excludes B, where A-B includes both ends.</summary>
    internal static void WarnIfColonRange(CliContext ctx, string option, string? text)
    {
        if (text is not null && text.Contains(':'))
            ctx.Warn($"{option} {text}: A:B is read as before (B excluded); write A-B with both ends included, as train --slices does");
    }
}
