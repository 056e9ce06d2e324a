using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg segment TOMO --out DIR</c>: whole-tomogram membrane segmentation.</summary>
public static class SegmentCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var input = new Argument<string>("tomogram") { Description = "Tomogram: MRC, TIFF stack or folder of TIFF slices" };
        var output = new Option<string>("--out") { Description = "Output folder (labels.tif, labels.mrc, segment.json, overlay.png, ...)", Required = true };
        var model = new Option<string?>("--model") { Description = "Model file (.sxtmodel); default: the shipped default model" };
        var tile = new Option<int>("--tile") { Description = "Tile side in pixels (multiple of 16)", DefaultValueFactory = _ => 256 }.Within(SegmentOptions.MinTile, SegmentOptions.MaxTile);
        var overlap = new Option<int?>("--overlap") { Description = "Minimum overlap of neighbouring tiles in pixels (default: an eighth of the tile; below the tile size)" }.Within(0, SegmentOptions.MaxTile - 1);
        var batch = new Option<int>("--batch") { Description = "Tiles per network call", DefaultValueFactory = _ => 1 }.Within(1, SegmentOptions.MaxBatch);
        var workers = new Option<int>("--workers") { Description = "Parallel network workers (each single-threaded); default: number of cores", DefaultValueFactory = _ => SegmentationModel.DefaultWorkers }.Within(1, 64);
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string>("--precision") { Description = "fp32 or bf16", DefaultValueFactory = _ => "fp32" };
        var blend = new Option<string>("--blend") { Description = "Tile blending window: gaussian, cosine, average (plain average shows seams)", DefaultValueFactory = _ => "gaussian" };
        var tta = new Option<int>("--tta") { Description = "Test-time augmentation: 1, 2 (flip), 4 (rotations), 8 (rotations × flips)", DefaultValueFactory = _ => 1 }.OneOf(1, 2, 4, 8);
        var fuse = new Option<bool>("--fuse-axes") { Description = "Also segment x–z and y–z planes and fuse (weights by --axis-weights)" };
        var axisWeights = new Option<string>("--axis-weights") { Description = "Fusion weights of x–y, x–z, y–z predictions (x–z/y–z planes carry the missing wedge)", DefaultValueFactory = _ => "2,1,1" };
        var blockMb = new Option<int>("--block-mb") { Description = "Memory for blocks of x–z / y–z planes (MB; with --fuse-axes)", DefaultValueFactory = _ => 256 }.Within(1, SegmentOptions.MaxBlockMb);
        var threshold = new Option<double?>("--threshold") { Description = "Probability above which a voxel is membrane (default: the model's, chosen on validation tomograms; 0.5 for older models)" }.Within(0, 1, minExclusive: true, maxExclusive: true);
        var zSmooth = new Option<int>("--z-smooth") { Description = "Average probabilities over ±N neighbouring slices", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxSteps);
        var minVoxels = new Option<long>("--min-voxels") { Description = "Remove 3D objects with fewer voxels", DefaultValueFactory = _ => 0 }.Within(0, long.MaxValue);
        var minVolume = new Option<double?>("--min-volume") { Description = "Remove 3D objects smaller than this volume (nm³)" }.Within(0, double.PositiveInfinity);
        var erode = new Option<int>("--erode") { Description = "Binary erosion steps after thresholding", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxSteps);
        var crop = new Option<int>("--crop") { Description = "Clear this many boundary voxels on every side", DefaultValueFactory = _ => 0 }.Within(0, SegmentOptions.MaxCrop);
        var cellMask = new Option<bool>("--cell-mask") { Description = "Drop labels outside an automatic rough cell mask (in the empty ice)" };
        var probs = new Option<string>("--probabilities") { Description = "Also write the probability map: none, float32, uint8", DefaultValueFactory = _ => "none" };
        var slices = new Option<string?>("--slices") { Description = "Segment only slices A:B (A included, B excluded) as a sub-volume" };
        var shard = new Option<string?>("--shard") { Description = "Predict shard I/N of the slices into --out for a later 'sxtseg merge' (default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)" };
        var twoD = new Option<bool>("--2d") { Description = "Accept a single 2D image (no effect on a tomogram)" };
        var rescale = new Option<bool>("--rescale") { Description = "Resample slices outside the model's voxel-size range to it (the default; kept for old scripts)", Hidden = true };
        var noRescale = new Option<bool>("--no-rescale") { Description = "Do not resample slices whose voxel size lies outside the model's trained range" };
        var polarity = new Option<string>("--polarity") { Description = "auto (detect), dense-bright (membranes and lipid bright, as reconstructed absorption) or dense-dark (inverted exports)", DefaultValueFactory = _ => "auto" };
        var voxel = new Option<string?>("--voxel-size") { Description = $"Voxel size in nm, overriding the file's [{VoxelSize.RangeText}]" };
        var temp = new Option<string?>("--temp") { Description = "Folder for temporary probability files (default: beside --out)" };
        var cmd = new Command("segment", "Segment all membranes of a tomogram slice by slice with the network")
        {
            input, output, model, tile, overlap, batch, workers, device, precision, blend, tta, fuse, axisWeights, blockMb, threshold, zSmooth,
            minVoxels, minVolume, erode, crop, cellMask, probs, slices, shard, twoD, rescale, noRescale, polarity, voxel, temp,
        };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            var w = pr.GetValue(axisWeights)!.Split(',');
            if (w.Length != 3 || !w.All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)))
                throw new InvalidOptionException("--axis-weights", "give three finite numbers, e.g. 2,1,1");
            if (!pr.GetValue(fuse))
                foreach (var o in new Option[] { axisWeights, blockMb })
                    if (pr.Given(o)) ctx.Warn($"{o.Name} applies only with --fuse-axes; ignored");
            var shardValue = pr.GetValue(shard) is { } s ? SegmentOptions.ParseShard(s) : SlurmShard();
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
                Probabilities = pr.GetValue(probs)!.ToLowerInvariant() switch
                {
                    "none" => ProbabilityOutput.None, "float32" or "f32" => ProbabilityOutput.Float32, "uint8" or "u8" => ProbabilityOutput.UInt8,
                    var other => throw new InvalidOptionException("--probabilities", $"unknown '{other}' (none, float32, uint8)"),
                },
                Slices = pr.GetValue(slices) is { } sl ? SegmentOptions.ParseSlices(sl) : null,
                Shard = shardValue,
                Allow2D = pr.GetValue(twoD), Rescale = !pr.GetValue(noRescale), Polarity = PolarityDecision.Parse(pr.GetValue(polarity)!),
                VoxelSize = pr.GetValue(voxel) is { } v ? VoxelSize.Parse(v) : null,
                TempFolder = pr.GetValue(temp),
            };
            options.Validate();
            string modelPath = pr.GetValue(model) ?? DefaultModel.Path;
            string tomogram = pr.GetValue(input)!, outDir = pr.GetValue(output)!;
            int workerCount = pr.GetValue(workers);
            // Inputs and memory first: a bad file or option fails in a second, not after loading the model.
            InputPaths.RequireReadable(modelPath);
            using (var header = VolumeIO.OpenRead(tomogram))
            {
                var hi = header.Info;
                if (options.Allow2D && hi.Nz > 1) ctx.Warn($"--2d has no effect: {tomogram} is a tomogram of {hi.Nz} slices");
                double blocks = options.FuseAxes ? Math.Min(options.BlockBytes, 4.0 * hi.VoxelCount) : 0;
                double need = options.NetworkMemoryEstimate(ModelFile.ReadCard(modelPath).Width, workerCount) + blocks;
                MemoryBudget.Require(need, $"segment with --tile {options.Tiles.TileSize}, --batch {options.Tiles.BatchSize}, --workers {workerCount}" + (options.FuseAxes ? $", --block-mb {options.BlockBytes >> 20}" : ""),
                    "lower --tile, --batch, --workers" + (options.FuseAxes ? " or --block-mb" : ""));
            }
            var inference = new InferenceOptions
            {
                Device = InferenceOptions.ParseDevice(pr.GetValue(device)!),
                Precision = InferenceOptions.ParsePrecision(pr.GetValue(precision)!),
            };
            using var loaded = SegmentationModel.Load(modelPath, workerCount, inference);
            var provenance = new Provenance("segment") { ModelId = loaded.Id }.AddInput(tomogram).Set("model", Path.GetFileName(modelPath));
            var summary = CliProgress.Run(ctx, p => Segmenter.Run(tomogram, outDir, loaded, options, provenance, p, ctx.Warn, ctx.Cancellation));
            Report(ctx, summary, loaded);
            return 0;
        }));
        return cmd;
    }

    private static (int, int)? SlurmShard()
    {
        string? id = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), count = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_COUNT");
        if (id is null || count is null) return null;
        string min = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_MIN") ?? "0";
        if (!int.TryParse(id, out int i) || !int.TryParse(count, out int n) || !int.TryParse(min, out int m))
            throw new InvalidOptionException("--shard", $"cannot read the shard from SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}");
        return (i - m, n);
    }

    private static void Report(CliContext ctx, SegmentationSummary s, SegmentationModel model)
    {
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("k").AddColumn("v");
        t.AddRow("output", Markup.Escape(s.Folder));
        t.AddRow("model", Markup.Escape($"{model.Id} — {model.Description}"));
        t.AddRow("slices", s.Slices.ToString(CultureInfo.InvariantCulture));
        if (s.Polarity is { } pol)
            t.AddRow("polarity", Markup.Escape(pol.Detected
                ? string.Create(CultureInfo.InvariantCulture, $"{pol.Name} (detected: model evidence {pol.EvidenceAsIs:0.####} as stored, {pol.EvidenceInverted:0.####} negated)")
                : $"{pol.Name} (given)"));
        t.AddRow("threshold", s.Threshold.ToString("0.00", CultureInfo.InvariantCulture));
        if (Math.Abs(s.Scale - 1) > 1e-6) t.AddRow("rescaled", string.Create(CultureInfo.InvariantCulture, $"× {1 / s.Scale:0.###} in x and y for the network (voxel size outside the model's range)"));
        if (s.TotalVoxels > 0) t.AddRow("membrane voxels", string.Create(CultureInfo.InvariantCulture, $"{s.LabelledVoxels:N0} ({100.0 * s.LabelledVoxels / s.TotalVoxels:0.00} %)"));
        t.AddRow("time", string.Create(CultureInfo.InvariantCulture, $"{s.Total.TotalSeconds:0.0} s ({s.MegapixelsPerSecond:0.00} Mpx/s, {s.Workers} workers)"));
        t.AddRow("files", Markup.Escape(string.Join(", ", s.Files)));
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
    }
}
