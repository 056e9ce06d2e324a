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
        var pairs = new Option<string[]>("--pairs") { Description = "Annotated pairs: name.tif files (labels in name.labels.tif beside them) or folders of such pairs; repeatable", AllowMultipleArgumentsPerToken = true };
        var volume = new Option<string?>("--volume") { Description = "Annotated tomogram (with --labels and --slices); its other slices are used unannotated" };
        var labels = new Option<string?>("--labels") { Description = "Label volume for --volume (same size; 0 = background, one non-zero value = membrane)" };
        var slices = new Option<string?>("--slices") { Description = "Annotated slices of --volume, e.g. 10,20,30-35 (z from 0)" };
        var sim = new Option<string[]>("--sim") { Description = "Simulator output folder(s) (tomogram.mrc + membranes.mrc); repeatable", AllowMultipleArgumentsPerToken = true };
        var simAnnotated = new Option<int>("--sim-annotated") { Description = "Annotated slices taken from each simulated tomogram (the rest are used unannotated)", DefaultValueFactory = _ => 8 }.Within(0, 100_000);
        var simEmpty = new Option<int>("--sim-empty-annotated") { Description = "Extra annotated slices per simulated tomogram from slices without membrane (ice; all background)", DefaultValueFactory = _ => 2 }.Within(0, 100_000);
        var unannotated = new Option<string[]>("--unannotated") { Description = "Unannotated tomograms, slices or folders of TIFF slices; repeatable", AllowMultipleArgumentsPerToken = true };
        var maxUnannotated = new Option<int?>("--max-unannotated") { Description = "Use at most this many unannotated slices (evenly spread)" }.Within(0, int.MaxValue);
        var instrument = new Option<string?>("--instrument") { Description = "Instrument name recorded in the model card for inputs that do not state one" };
        var preset = new Option<string?>("--preset") { Description = "Network preset (sxtseg model presets): paper (Deep-SXT m=64), large (32), medium (16), small (8, default), tiny (4), or a U-Net preset" };
        var width = new Option<int?>("--width") { Description = "Deep-SXT base width m (instead of --preset)" }.Within(2, 256);
        var arch = new Option<string?>("--arch") { Description = "Network: a preset name, deep-sxt:m=M, or unet:w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2[,block=plain|sep][,img=N] (instead of --preset/--width)" };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs", DefaultValueFactory = _ => 100 }.Within(1, 100_000);
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a better test loss", DefaultValueFactory = _ => 10 }.Within(1, 100_000);
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (both modes)", DefaultValueFactory = _ => 5e-5 }.Within(0, 1, minExclusive: true, maxExclusive: true);
        var batch = new Option<int>("--batch") { Description = "Crops per step", DefaultValueFactory = _ => 1 }.Within(1, 256);
        var crop = new Option<int>("--crop") { Description = "Crop size (multiple of 16)", DefaultValueFactory = _ => 256 }.Within(32, 2048);
        var labelRepeats = new Option<int>("--label-repeats") { Description = "Visits of each annotated slice per epoch", DefaultValueFactory = _ => 6 }.Within(1, 10_000);
        var imageRepeats = new Option<int>("--image-repeats") { Description = "Visits of each unannotated slice per epoch", DefaultValueFactory = _ => 1 }.Within(1, 10_000);
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of slices held out for testing", DefaultValueFactory = _ => 0.1 }.Within(0, 0.5, minExclusive: true, maxExclusive: true);
        var testCrops = new Option<int>("--test-crops") { Description = "Fixed test crops per test slice", DefaultValueFactory = _ => 4 }.Within(1, 1000);
        var seed = new Option<long>("--seed") { Description = "Seed of weights, split, crops and augmentation", DefaultValueFactory = _ => 1 };
        var membraneWeight = new Option<double>("--membrane-weight") { Description = "Weight of membrane pixels in the label loss (1 = the published loss; > 1 favours recall of faint membranes)", DefaultValueFactory = _ => 1 }.Within(1, 100);
        var supervisedOnly = new Option<bool>("--supervised-only") { Description = "Label mode only (no image mode): the baseline for the semi-supervised gain" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)" }.Within(1, 1024);
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint (same inputs and options, or none)" };
        var init = new Option<string?>("--init") { Description = "Start from this model's weights (fine-tuning)" };
        var cmd = new Command("train", "Train the Deep-SXT network semi-supervised (label mode on annotated slices, image mode on unannotated ones)")
        {
            output, pairs, volume, labels, slices, sim, simAnnotated, simEmpty, unannotated, maxUnannotated, instrument, preset, width, arch,
            epochs, patience, lr, batch, crop, labelRepeats, imageRepeats, testFraction, testCrops, seed, membraneWeight, supervisedOnly, threads, device, resume, init,
        };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            foreach (var path in (pr.GetValue(pairs) ?? Array.Empty<string>()).Concat(pr.GetValue(sim) ?? Array.Empty<string>()).Concat(pr.GetValue(unannotated) ?? Array.Empty<string>()))
                InputPaths.RequireReadable(path, allowFolder: true);
            foreach (var path in new[] { pr.GetValue(volume), pr.GetValue(labels) })
                if (path is not null) InputPaths.RequireReadable(path, allowFolder: true);
            if (pr.GetValue(init) is { } initPath) InputPaths.RequireReadable(initPath);
            var inputs = new TrainingInputs { SimulationAnnotatedSlices = pr.GetValue(simAnnotated), SimulationEmptySlices = pr.GetValue(simEmpty), MaxUnannotatedSlices = pr.GetValue(maxUnannotated), Instrument = pr.GetValue(instrument) };
            inputs.Pairs.AddRange(pr.GetValue(pairs) ?? Array.Empty<string>());
            inputs.Simulations.AddRange(pr.GetValue(sim) ?? Array.Empty<string>());
            inputs.Unannotated.AddRange(pr.GetValue(unannotated) ?? Array.Empty<string>());
            string? vol = pr.GetValue(volume), lab = pr.GetValue(labels), sl = pr.GetValue(slices);
            if (vol is not null || lab is not null || sl is not null)
            {
                if (vol is null || lab is null || sl is null) throw new InvalidOptionException("--volume", "an annotated volume needs --volume, --labels and --slices together");
                inputs.Volume = new AnnotatedVolume(vol, lab, TrainingInputs.ParseSlices(sl));
            }
            if (pr.GetValue(maxUnannotated) is < 0) throw new InvalidOptionException("--max-unannotated", "must be at least 0");
            string? presetName = pr.GetValue(preset);
            int? widthValue = pr.GetValue(width);
            string? archText = pr.GetValue(arch);
            if ((presetName is not null ? 1 : 0) + (widthValue is not null ? 1 : 0) + (archText is not null ? 1 : 0) > 1)
                throw new InvalidOptionException(archText is not null ? "--arch" : "--width", "give one of --arch, --preset or --width");
            var architecture = archText is not null ? NetworkArchitecture.Parse(archText)
                : widthValue is int m ? NetworkArchitecture.DeepSxt(m)
                : NetworkPreset.Get(presetName ?? "small").Architecture;
            var options = new TrainingOptions
            {
                Architecture = architecture,
                Epochs = pr.GetValue(epochs),
                Patience = pr.GetValue(patience),
                LearningRate = pr.GetValue(lr),
                BatchSize = pr.GetValue(batch),
                CropSize = pr.GetValue(crop),
                LabelRepeats = pr.GetValue(labelRepeats),
                ImageRepeats = pr.GetValue(imageRepeats),
                TestFraction = pr.GetValue(testFraction),
                TestCropsPerSlice = pr.GetValue(testCrops),
                Seed = pr.GetValue(seed),
                SupervisedOnly = pr.GetValue(supervisedOnly),
                MembraneWeight = pr.GetValue(membraneWeight),
                Threads = pr.GetValue(threads),
                Device = InferenceOptions.ParseDevice(pr.GetValue(device)!),
            };
            var request = new TrainingRequest(inputs, options, pr.GetValue(output)!)
            {
                Resume = pr.GetValue(resume),
                InitialModel = pr.GetValue(init),
                WidthExplicit = presetName is not null || widthValue is not null || archText is not null,
                CommandLine = "sxtseg " + string.Join(' ', pr.Tokens.Select(t => t.Value)),
            };
            var result = CliProgress.Run(ctx, p => SemiSupervisedTrainer.Run(request, p));
            Print(ctx, result);
            return 0;
        }));
        return cmd;
    }

    private static string F(double v, string fmt = "0.0000") => double.IsNaN(v) ? "–" : v.ToString(fmt, CultureInfo.InvariantCulture);

    private static void Print(CliContext ctx, TrainingResult r)
    {
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
