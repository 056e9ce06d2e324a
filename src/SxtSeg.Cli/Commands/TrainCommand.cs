using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Network;
using SxtSeg.Training;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg train --out DIR ...</c>: semi-supervised training of the Deep-SXT network.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var output = new Option<string>("--out") { Description = "Output folder: model.sxtmodel (best), model-last.sxtmodel, checkpoint.sxtckpt, metrics.csv/.jsonl, loss.png, training.json", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "sxtseg (default: batches of small crops, BCE + Dice on a logit head, ignore masks, warm-up + cosine, model chosen by validation F1) or paper (the published Deep-SXT recipe, docs/training.md)", DefaultValueFactory = _ => "sxtseg" };
        var pairs = new Option<string[]>("--pairs") { Description = "Annotated pairs: name.tif files (labels in name.labels.tif beside them) or folders of such pairs; repeatable", AllowMultipleArgumentsPerToken = true };
        var volume = new Option<string?>("--volume") { Description = "Annotated tomogram (with --labels); its other slices are used unannotated" };
        var labels = new Option<string?>("--labels") { Description = "Label volume for --volume (same size), read with --label-coding" };
        var slices = new Option<string?>("--slices") { Description = "Annotated slices of --volume, e.g. 10,20,30-35 (z from 0, ends included); default: every slice with an annotated pixel" };
        var coding = new Option<string>("--label-coding") { Description = "How label values read: binary (0 = background, other = membrane), painted (0 = not annotated, 1 = background, 2 = membrane: napari, Fiji, MIB painting), membrain (0 = background, 1 = membrane, 2 = ignore); default auto = binary, refusing files that hold 0, 1 and 2", DefaultValueFactory = _ => "auto" };
        var labelMap = new Option<string?>("--label-map") { Description = "Another coding as value=class pairs, e.g. 255=membrane,0=background,*=ignore (instead of --label-coding)" };
        var sim = new Option<string[]>("--sim") { Description = "Simulator output folder(s) (tomogram.mrc + membranes.mrc [+ ignore.mrc]); repeatable", AllowMultipleArgumentsPerToken = true };
        var valSim = new Option<string[]>("--val-sim") { Description = "Simulator output folder(s) used only for validation (choice of the saved model and its threshold); repeatable", AllowMultipleArgumentsPerToken = true };
        var simAnnotated = new Option<int?>("--sim-annotated") { Description = "Annotated slices per simulated tomogram (0 = every slice; default 0 with --recipe sxtseg, 8 with --recipe paper)" };
        var simEmpty = new Option<int>("--sim-empty-annotated") { Description = "With --sim-annotated N: extra annotated slices per simulated tomogram without visible membrane (all background)", DefaultValueFactory = _ => 2 };
        var unannotated = new Option<string[]>("--unannotated") { Description = "Unannotated tomograms, slices or folders of TIFF slices for the image mode; repeatable", AllowMultipleArgumentsPerToken = true };
        var maxUnannotated = new Option<int?>("--max-unannotated") { Description = "Paper recipe: use at most this many unannotated slices (evenly spread)" };
        var instrument = new Option<string?>("--instrument") { Description = "Instrument name recorded in the model card for inputs that do not state one" };
        var preset = new Option<string?>("--preset") { Description = "Network preset (sxtseg model presets); default unet-s (sxtseg recipe, with a logit head) or small (paper recipe)" };
        var width = new Option<int?>("--width") { Description = "Deep-SXT base width m (paper recipe; instead of --preset)" };
        var arch = new Option<string?>("--arch") { Description = "Network: a preset name, deep-sxt:m=M, or unet:w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2[,block=plain|sep][,img=N][,norm=group][,ctx=C][,p3d=K] (instead of --preset/--width; p3d: an experimental 3-D stem, docs/network.md); with --init, a U-Net with wider levels than the model starts computing what the model did" };
        var norm = new Option<string?>("--norm") { Description = "U-Net normalisation layers: batch (default; folded into the convolutions for inference) or group" };
        var steps = new Option<int?>("--steps") { Description = "Sxtseg recipe: optimiser steps of the schedule (default 20000)" };
        var warmup = new Option<int?>("--warmup") { Description = "Sxtseg recipe: learning-rate warm-up steps (default 300, or a tenth of --steps when there are no more than 300)" };
        var validateEvery = new Option<int?>("--validate-every") { Description = "Sxtseg recipe: validate and save every N steps (default 500)" };
        var imageEvery = new Option<int?>("--image-every") { Description = "Sxtseg recipe: one image-mode step after every N label steps (default 2; 0 = supervised only)" };
        var invert = new Option<double?>("--invert") { Description = "Sxtseg recipe: probability of inverting a crop's contrast (default 0)" };
        var dice = new Option<string>("--dice") { HelpName = "exact|tolerant", Description = "Sxtseg recipe: the label loss's Dice term: exact (default) or tolerant (a prediction within ±1 pixel of the truth counts, as in the evaluation)", DefaultValueFactory = _ => "exact" };
        var deepSupervision = new Option<double?>("--deep-supervision") { HelpName = "W", Description = "Sxtseg recipe: deep supervision, training-only heads on the annotation decoder at 1/2 and 1/4 of the side with label losses weighted W and W/2 against the pooled labels (not in the model file; default 0 = off)" };
        var skeletonRecall = new Option<double?>("--skeleton-recall") { HelpName = "W", Description = "Sxtseg recipe: add W × (1 − recall of the label's tubed skeleton) to the label loss (Kirchhoff et al. 2024; default 0 = off)" };
        var cleanTarget = new Option<bool>("--clean-target") { Description = "Sxtseg recipe: the image decoder learns to denoise: its target on crops of a simulation with a noise-free twin (clean.mrc, from sxtseg simulate --clean) is the twin instead of the noisy input" };
        var augment = new Option<string?>("--augment") { Description = "Sxtseg recipe: appearance augmentation of the crops (blur, noise, contrast): on (default), strong (wider ranges and uneven shading) or off" };
        var scaleAugment = new Option<string?>("--scale-augment") { Description = "Sxtseg recipe: rescale half of the crops by a factor drawn log-uniformly in MIN-MAX source pixels per crop pixel (e.g. 0.5-2.5: other pixel sizes, labels kept thin); default off" };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop after this many minutes with a resumable checkpoint (continue with --resume)" };
        var epochs = new Option<int>("--epochs") { Description = "Paper recipe: maximum epochs", DefaultValueFactory = _ => 100 };
        var patience = new Option<int>("--patience") { Description = "Paper recipe: stop after this many epochs without a better test loss", DefaultValueFactory = _ => 10 };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate (peak rate with the sxtseg recipe; default 1e-3 sxtseg, 5e-5 paper)" };
        var batch = new Option<int?>("--batch") { Description = "Crops per step (default 8 sxtseg, 1 paper)" }.Within(1, 256);
        var crop = new Option<int?>("--crop") { Description = "Crop size, multiple of 16 (default 160 sxtseg, 256 paper)" }.Within(32, 2048);
        var labelRepeats = new Option<int>("--label-repeats") { Description = "Paper recipe: visits of each annotated slice per epoch", DefaultValueFactory = _ => 6 };
        var imageRepeats = new Option<int>("--image-repeats") { Description = "Paper recipe: visits of each unannotated slice per epoch", DefaultValueFactory = _ => 1 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of annotated slices held out for testing/validation when no --val-sim is given", DefaultValueFactory = _ => 0.1 };
        var testCrops = new Option<int>("--test-crops") { Description = "Paper recipe: fixed test crops per test slice", DefaultValueFactory = _ => 4 };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, split, crops and augmentation", DefaultValueFactory = _ => 1 };
        var membraneWeight = new Option<double>("--membrane-weight") { Description = "Paper recipe: weight of membrane pixels in the Huber label loss (1 = the published loss)", DefaultValueFactory = _ => 1 };
        var supervisedOnly = new Option<bool>("--supervised-only") { Description = "Label mode only (no image mode): the baseline for the semi-supervised gain" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)" }.Within(1, 1024);
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint (same inputs and options, or none)" };
        var init = new Option<string?>("--init") { Description = "Start from this model's weights: a file, or the name of a shipped model (default: reads 7 slices, for annotated slices of a tomogram; 2d: one slice, for annotated single images); fine-tuning uses the shipped model's recipe with 800 steps, lr 3e-4 and a 10-minute budget by default, and the model's architecture and normalisation" };
        var voxelSize = new Option<double?>("--voxel-size") { Description = "Voxel size in nm of your annotated and unannotated inputs (overrides their headers; needed when a header states none or a writer's default such as 1 µm)" };
        var context = new Option<int?>("--context") { Description = "Neighbouring slices the network reads on each side of the one it segments (2.5-D input): 0 = one slice (default), 1 = three, up to 5 (eleven); U-Nets with the SxtSeg recipe; from an --init model with less context the first convolution is widened, the new neighbours starting at weight 0" };
        var cmd = new Command("train", "Train a two-headed segmentation network: label mode on annotated slices, image mode on unannotated ones (docs/training.md)")
        {
            output, recipe, pairs, volume, labels, slices, coding, labelMap, sim, valSim, simAnnotated, simEmpty, unannotated, maxUnannotated, instrument, preset, width, arch, norm,
            steps, warmup, validateEvery, imageEvery, invert, augment, dice, skeletonRecall, deepSupervision, cleanTarget, scaleAugment, maxMinutes, epochs, patience, lr, batch, crop, labelRepeats, imageRepeats, testFraction, testCrops, seed,
            membraneWeight, supervisedOnly, threads, device, resume, init, voxelSize, context,
        };
        var keys = new OptionKeys()
            .Add(nameof(TrainingOptions.Width), width).Add(nameof(TrainingOptions.Epochs), epochs).Add(nameof(TrainingOptions.Patience), patience)
            .Add(nameof(TrainingOptions.LearningRate), lr).Add(nameof(TrainingOptions.BatchSize), batch).Add(nameof(TrainingOptions.CropSize), crop)
            .Add(nameof(TrainingOptions.LabelRepeats), labelRepeats).Add(nameof(TrainingOptions.ImageRepeats), imageRepeats)
            .Add(nameof(TrainingOptions.TestFraction), testFraction).Add(nameof(TrainingOptions.TestCropsPerSlice), testCrops)
            .Add(nameof(TrainingOptions.MembraneWeight), membraneWeight).Add(nameof(TrainingOptions.Steps), steps).Add(nameof(TrainingOptions.WarmupSteps), warmup)
            .Add(nameof(TrainingOptions.ValidateEvery), validateEvery).Add(nameof(TrainingOptions.ImageEvery), imageEvery)
            .Add(nameof(TrainingOptions.InvertProbability), invert).Add(nameof(TrainingOptions.MaxMinutes), maxMinutes).Add(nameof(TrainingOptions.TolerantDice), dice)
            .Add(nameof(TrainingOptions.SkeletonRecall), skeletonRecall).Add(nameof(TrainingOptions.DeepSupervision), deepSupervision).Add(nameof(TrainingOptions.CleanTarget), cleanTarget)
            .Add(nameof(TrainingOptions.Architecture), arch).Add(nameof(NetworkArchitecture.Context), context)
            .Add(nameof(TrainingRequest.Resume), resume).Add(nameof(TrainingRequest.InitialModel), init)
            .Add(TrainingInputs.AnnotatedKey, pairs, volume, sim).Add(nameof(TrainingInputs.ValidationSimulations), valSim)
            .Add(nameof(TrainingInputs.Unannotated), unannotated).Add(nameof(TrainingInputs.SimulationAnnotatedSlices), simAnnotated)
            .Add(nameof(TrainingInputs.SimulationEmptySlices), simEmpty).Add(nameof(TrainingInputs.Coding), coding)
            .Add(nameof(AnnotatedVolume.Slices), slices).Add(CropAugmentation.ScaleRangeKey, scaleAugment)
            .Add(NetworkPreset.PresetKey, preset).Add(nameof(TrainingOptions.Device), device).Add(nameof(TrainingOptions.Threads), threads);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            foreach (var path in (pr.GetValue(pairs) ?? Array.Empty<string>()).Concat(pr.GetValue(sim) ?? Array.Empty<string>()).Concat(pr.GetValue(unannotated) ?? Array.Empty<string>()))
                InputPaths.RequireReadable(path, allowFolder: true);
            foreach (var path in new[] { pr.GetValue(volume), pr.GetValue(labels) })
                if (path is not null) InputPaths.RequireReadable(path, allowFolder: true);
            string? initPath = pr.GetValue(init) is { } initGiven ? DefaultModel.Resolve(initGiven) : null;
            if (initPath is not null) InputPaths.RequireReadable(initPath);
            var which = (pr.GetValue(recipe) ?? "sxtseg").Trim().ToLowerInvariant() switch
            {
                "sxtseg" => TrainingRecipe.SxtSeg,
                "paper" => TrainingRecipe.Paper,
                var r => throw new InvalidOptionException("--recipe", $"unknown recipe '{r}' (sxtseg or paper)"),
            };
            var defaults = which == TrainingRecipe.SxtSeg ? TrainingOptions.SxtSegDefaults : new TrainingOptions();
            if (which == TrainingRecipe.SxtSeg && initPath is not null) defaults = TrainingOptions.FineTuneDefaults;
            var inputs = new TrainingInputs
            {
                SimulationAnnotatedSlices = pr.GetValue(simAnnotated) ?? (which == TrainingRecipe.SxtSeg ? 0 : 8),
                SimulationEmptySlices = pr.GetValue(simEmpty),
                MaxUnannotatedSlices = pr.GetValue(maxUnannotated),
                Instrument = pr.GetValue(instrument),
                Coding = pr.GetValue(labelMap) is { } map ? LabelCoding.Parse(map, "--label-map") : keys.Check(() => LabelCoding.Parse(pr.GetValue(coding)!)),
                VoxelSizeNm = pr.GetValue(voxelSize) is double vs ? (vs > 0 && vs < 10000 ? vs : throw new InvalidOptionException("--voxel-size", "must be a voxel size in nm (0–10000)")) : null,
            };
            if (which == TrainingRecipe.Paper && inputs.SimulationAnnotatedSlices < 1) throw new InvalidOptionException("--sim-annotated", "the paper recipe annotates a few slices per simulation (at least 1)");
            inputs.Pairs.AddRange(pr.GetValue(pairs) ?? Array.Empty<string>());
            inputs.Simulations.AddRange(pr.GetValue(sim) ?? Array.Empty<string>());
            inputs.ValidationSimulations.AddRange(pr.GetValue(valSim) ?? Array.Empty<string>());
            inputs.Unannotated.AddRange(pr.GetValue(unannotated) ?? Array.Empty<string>());
            string? vol = pr.GetValue(volume), lab = pr.GetValue(labels), sl = pr.GetValue(slices);
            if (vol is not null || lab is not null || sl is not null)
            {
                if (vol is null || lab is null) throw new InvalidOptionException("--volume", "an annotated volume needs --volume and --labels together");
                if (sl is null && which == TrainingRecipe.Paper) throw new InvalidOptionException("--slices", "the paper recipe needs the annotated slices of --volume (--slices)");
                inputs.Volume = new AnnotatedVolume(vol, lab, sl is null ? Array.Empty<int>() : keys.Check(() => TrainingInputs.ParseSlices(sl)));
            }
            if (pr.GetValue(maxUnannotated) is < 0) throw new InvalidOptionException("--max-unannotated", "must be at least 0");
            string? presetName = pr.GetValue(preset), archText = pr.GetValue(arch);
            int? widthValue = pr.GetValue(width);
            bool archGiven = presetName is not null || widthValue is not null || archText is not null;
            var fallback = initPath is not null && !archGiven ? ModelFile.ReadCard(initPath).Network : defaults.Architecture;
            var architecture = keys.Check(() => NetworkArchitecture.Resolve(archText, presetName, widthValue, fallback));
            if (which == TrainingRecipe.SxtSeg) architecture = architecture.WithHead(LabelHead.Logit);
            if (pr.GetValue(norm) is { } nk)
                architecture = architecture.WithNorm(nk.Trim().ToLowerInvariant() switch
                {
                    "batch" or "bn" => NormKind.Batch,
                    "group" or "gn" => NormKind.Group,
                    _ => throw new InvalidOptionException("--norm", $"unknown normalisation '{nk}' (batch or group)"),
                });
            if (pr.GetValue(context) is int cx)
            {
                if (cx < 0 || cx > UNetConfig.MaxContext) throw new InvalidOptionException("--context", $"must be 0..{UNetConfig.MaxContext} slices on each side, got {cx}");
                architecture = keys.Check(() => architecture.WithContext(cx));
            }
            var normalisation = initPath is not null ? ModelFile.ReadCard(initPath).Normalisation : defaults.Normalisation;
            string? augmentLevel = pr.GetValue(augment)?.Trim().ToLowerInvariant();
            if (augmentLevel is not (null or "on" or "yes" or "true" or "strong" or "off" or "no" or "false"))
                throw new InvalidOptionException("--augment", $"'{pr.GetValue(augment)}' is not on, strong or off");
            var scaleRange = keys.Check(() => CropAugmentation.ParseScaleRange(pr.GetValue(scaleAugment)));
            string diceKind = pr.GetValue(dice)!.Trim().ToLowerInvariant();
            if (diceKind is not ("exact" or "tolerant")) throw new InvalidOptionException("--dice", $"'{pr.GetValue(dice)}' is not exact or tolerant");
            int stepCount = pr.GetValue(steps) ?? defaults.Steps;
            var options = defaults with
            {
                Architecture = architecture,
                Normalisation = normalisation,
                Epochs = pr.GetValue(epochs),
                Patience = pr.GetValue(patience),
                LearningRate = pr.GetValue(lr) ?? defaults.LearningRate,
                BatchSize = pr.GetValue(batch) ?? defaults.BatchSize,
                CropSize = pr.GetValue(crop) ?? defaults.CropSize,
                LabelRepeats = pr.GetValue(labelRepeats),
                ImageRepeats = pr.GetValue(imageRepeats),
                TestFraction = pr.GetValue(testFraction),
                TestCropsPerSlice = pr.GetValue(testCrops),
                Seed = pr.GetValue(seed),
                SupervisedOnly = pr.GetValue(supervisedOnly),
                MembraneWeight = pr.GetValue(membraneWeight),
                Steps = stepCount,
                WarmupSteps = pr.GetValue(warmup) ?? TrainingOptions.DefaultWarmup(defaults.WarmupSteps, stepCount),
                ValidateEvery = pr.GetValue(validateEvery) ?? defaults.ValidateEvery,
                ImageEvery = pr.GetValue(imageEvery) ?? defaults.ImageEvery,
                InvertProbability = pr.GetValue(invert) ?? defaults.InvertProbability,
                Augment = augmentLevel is null ? defaults.Augment : augmentLevel is not ("off" or "no" or "false"),
                StrongAugment = augmentLevel is null ? defaults.StrongAugment : augmentLevel == "strong",
                TolerantDice = diceKind == "tolerant",
                SkeletonRecall = pr.GetValue(skeletonRecall) ?? defaults.SkeletonRecall,
                DeepSupervision = pr.GetValue(deepSupervision) ?? defaults.DeepSupervision,
                CleanTarget = pr.GetValue(cleanTarget) || defaults.CleanTarget,
                ScaleMin = scaleRange?.Min ?? defaults.ScaleMin,
                ScaleMax = scaleRange?.Max ?? defaults.ScaleMax,
                MaxMinutes = pr.GetValue(maxMinutes) ?? defaults.MaxMinutes,
                Threads = pr.GetValue(threads),
                Device = keys.Check(() => InferenceOptions.ParseDevice(pr.GetValue(device)!)),
            };
            var request = new TrainingRequest(inputs, options, pr.GetValue(output)!)
            {
                Resume = pr.GetValue(resume),
                InitialModel = initPath,
                WidthExplicit = archGiven,
                CommandLine = "sxtseg " + string.Join(' ', pr.Tokens.Select(t => t.Value)),
                Warn = ctx.Warn,
            };
            if (inputs.ContextMismatch(options.Architecture.Context) is { } mismatch) ctx.Warn(mismatch);
            var result = keys.Check(() => CliProgress.Run(ctx, p => which == TrainingRecipe.SxtSeg ? StepTrainer.Run(request, p) : SemiSupervisedTrainer.Run(request, p)));
            Print(ctx, result);
            return 0;
        }));
        return cmd;
    }

    private static string F(double v, string fmt = "0.0000") => double.IsNaN(v) ? "–" : v.ToString(fmt, CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether fine-tuning beat the starting model's validation F1 <paramref name="f0"/> (best: <paramref name="f1"/>).
    /// The gain is the difference of the two figures as shown (three decimals): 0.87642 → 0.87754 reads
    /// "+0.002 (from 0.876 to 0.878)", not "+0.001" beside those two figures.
    /// </summary>
    internal static string FineTuneVerdict(double f0, double f1, bool startingModelKept)
    {
        if (startingModelKept) return "did not improve the validation F1: model.sxtmodel is the starting model";
        double shown0 = Math.Round(f0, 3, MidpointRounding.AwayFromZero), shown1 = Math.Round(f1, 3, MidpointRounding.AwayFromZero);
        if (shown1 <= shown0) return $"improved the validation F1 by less than shown at three decimals ({F(shown0, "0.000")} before and after)";
        return $"improved the validation F1 by {F(shown1 - shown0, "+0.000;-0.000")} (from {F(shown0, "0.000")} to {F(shown1, "0.000")})";
    }

    private static void Print(CliContext ctx, TrainingResult r)
    {
        if (r.Recipe == TrainingRecipe.SxtSeg)
        {
            var v = r.BestValidation?["validation"];
            var s = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
            s.AddRow("best model", Markup.Escape($"{r.BestModelPath} (id {r.BestModelId})"));
            s.AddRow("steps", $"{r.EpochsRun}{(r.BudgetEnded ? " (time budget reached: continue with --resume)" : "")}, best at step {r.BestEpoch}");
            if (r.StartingValidation?["validation"] is { } v0)
            {
                double f0 = (double?)v0["best_f1"] ?? double.NaN, f1 = (double?)v?["best_f1"] ?? double.NaN;
                s.AddRow("starting model F1", F(f0, "0.000"));
                s.AddRow("fine-tuning", FineTuneVerdict(f0, f1, r.BestEpoch == 0));
            }
            if (v is not null)
            {
                s.AddRow("validation F1 (visible membranes, ±1 px)", F((double?)v["best_f1"] ?? double.NaN, "0.000"));
                s.AddRow("precision / recall", $"{F((double?)v["best_precision"] ?? double.NaN, "0.000")} / {F((double?)v["best_recall"] ?? double.NaN, "0.000")}");
                s.AddRow("threshold (stored in the model)", F(r.StoredThreshold ?? (double?)v["best_threshold"] ?? double.NaN, "0.0#"));
            }
            ctx.Out.Write(s);
            ctx.Out.WriteLine();
            return;
        }
        var best = r.History.FirstOrDefault(h => h.Epoch == r.BestEpoch);
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
        t.AddRow("best model", Markup.Escape($"{r.BestModelPath} (id {r.BestModelId})"));
        t.AddRow("epochs", $"{r.EpochsRun}{(r.StoppedEarly ? " (stopped: test loss plateaued)" : "")}, best epoch {r.BestEpoch}");
        if (best is not null)
        {
            t.AddRow("test label loss", F(best.TestLabelLoss));
            t.AddRow("test image loss", F(best.TestImageLoss));
            t.AddRow("label accuracy (±1 %)", F(best.LabelAccuracy * 100, "0.00") + " %");
            t.AddRow("image accuracy (±1 std)", F(best.ImageAccuracy * 100, "0.00") + " %");
            t.AddRow("SSIM", F(best.Ssim));
            t.AddRow("membrane F1", F(best.MembraneF1));
        }
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
    }
}
