using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg model info|presets|referee|average|calibrate</c>: what a model file or a network preset is; a polarity referee embedded; a weight average; a threshold chosen on validation tomograms.</summary>
public static class ModelCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("model", "Inspect model files and network presets");
        cmd.Subcommands.Add(Info(ctx));
        cmd.Subcommands.Add(Presets(ctx));
        cmd.Subcommands.Add(Referee(ctx));
        cmd.Subcommands.Add(Average(ctx));
        cmd.Subcommands.Add(Calibrate(ctx));
        return cmd;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static Command Info(CliContext ctx)
    {
        var file = new Argument<string?>("file") { Description = "Model file (.sxtmodel), checkpoint (.sxtckpt) or the name of a shipped model (default, 2d); without a file or option: the shipped default model", Arity = ArgumentArity.ZeroOrOne }.RefusingUnknownOptions();
        var preset = new Option<string?>("--preset") { Description = "Describe a network preset instead (sxtseg model presets)" };
        var width = new Option<int?>("--width") { Description = "Describe the Deep-SXT network of base width m" };
        var arch = new Option<string?>("--arch") { Description = "Describe a network: a preset name, deep-sxt:m=M or unet:w=…,enc=…,dec=…" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("info", "Architecture, parameter counts, normalisation, training data and metrics of a model (or of a preset)") { file, preset, width, arch, json };
        var keys = new OptionKeys().Add(NetworkArchitecture.ArchitectureKey, arch).Add(NetworkPreset.PresetKey, preset);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string? path = pr.GetValue(file) is { } named ? DefaultModel.Resolve(named) : null;
            string? presetName = pr.GetValue(preset);
            int? m = pr.GetValue(width);
            string? archText = pr.GetValue(arch);
            int given = (presetName is not null ? 1 : 0) + (m is not null ? 1 : 0) + (archText is not null ? 1 : 0);
            if (path is not null && given > 0) throw new InvalidOptionException("--preset", "give a model file or --preset/--width/--arch, not both");
            if (path is null && given == 0) path = DefaultModel.Path;
            if (path is not null)
            {
                InputPaths.RequireReadable(path);
                var card = ModelFile.ReadCard(path);
                var referee = ModelFile.ReadRefereeCard(path);
                if (pr.GetValue(json))
                {
                    var o = JsonNode.Parse(card.ToJsonString())!.AsObject();
                    if (referee is not null) o["polarity_referee"] = new JsonObject { ["id"] = referee.Id, ["preset"] = referee.Preset, ["network"] = referee.Network.Spec };
                    ctx.Out.Profile.Out.Writer.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }
                else PrintCard(ctx, path, card, referee);
                return 0;
            }
            if (given > 1) throw new InvalidOptionException("--width", "give one of --preset, --width or --arch");
            NetworkArchitecture a;
            if (archText is not null) a = keys.Check(() => NetworkArchitecture.Parse(archText));
            else if (presetName is not null) a = keys.Check(() => NetworkPreset.Get(presetName).Architecture);
            else
            {
                if (m < 1 || m > 256) throw new InvalidOptionException("--width", $"base width must be 1..256, got {m}");
                a = NetworkArchitecture.DeepSxt(m!.Value);
            }
            using var net = a.Build();
            long trainable = net.TrainableParameterCount, stats = net.BatchNormStatisticCount;
            if (pr.GetValue(json))
            {
                var o = new JsonObject
                {
                    ["architecture"] = a.Family, ["preset"] = NetworkPreset.NameOf(a), ["width"] = a.Width, ["network"] = a.ToJson(),
                    ["trainable_parameters"] = trainable, ["batch_norm_statistics"] = stats, ["total"] = trainable + stats,
                    ["label_path_flops_per_pixel"] = Math.Round(net.LabelPathFlopsPerPixel),
                    ["input_size_multiple"] = net.InputMultiple,
                };
                ctx.Out.Profile.Out.Writer.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
            t.AddRow("architecture", Markup.Escape(a.IsDeepSxt
                ? $"{a.Family} (two-headed Deep-SXT: label and image decoders)"
                : $"{a.Family} ({a.Describe()})"));
            t.AddRow("preset", Markup.Escape(a.IsDeepSxt ? $"{NetworkPreset.NameOf(a)} (m = {a.Width})" : $"{NetworkPreset.NameOf(a)} ({a.Spec})"));
            t.AddRow("trainable parameters", N(trainable));
            t.AddRow("batch-norm statistics", N(stats));
            t.AddRow("total", N(trainable + stats));
            t.AddRow("label-path FLOPs per pixel", string.Create(CultureInfo.InvariantCulture, $"{net.LabelPathFlopsPerPixel / 1e3:0.0} k"));
            t.AddRow("input size multiple", net.InputMultiple.ToString(CultureInfo.InvariantCulture));
            ctx.Out.Write(t);
            ctx.Out.WriteLine();
            return 0;
        }));
        return cmd;
    }

    private static Command Referee(CliContext ctx)
    {
        var model = new Argument<string>("model") { Description = "Model with context (reads neighbouring slices): a file or a shipped model's name" }.RefusingUnknownOptions();
        var referee = new Argument<string>("referee") { Description = "One-slice model that decides the polarity when the model's own evidence is not clear (within 1.6×): a file or a shipped model's name (2d)" }.RefusingUnknownOptions();
        var output = new Option<string>("--out") { HelpName = "file", Description = "Model file to write (may be the model itself)", Required = true };
        var cmd = new Command("referee", "Embed a one-slice model in a model with context: it decides the contrast polarity when the model's own evidence is not clear, within 1.6× (its polarity referee), and segments single images and --fuse-axes runs (the model's weights and id are unchanged)") { model, referee, output };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string m = DefaultModel.Resolve(pr.GetValue(model)!), r = DefaultModel.Resolve(pr.GetValue(referee)!), o = pr.GetValue(output)!;
            InputPaths.RequireReadable(m);
            InputPaths.RequireReadable(r);
            var card = ModelFile.AttachReferee(m, r, o);
            ctx.Out.WriteLine(Markup.Escape($"{o}: model {ModelFile.ReadCard(o).Id} with polarity referee {card.Id} ({card.Preset}, {card.Network.Spec})"));
            return 0;
        }));
        return cmd;
    }

    private static Command Average(CliContext ctx)
    {
        var models = new Argument<string[]>("models") { Description = "Two or more models of one architecture (files or shipped models' names), e.g. fine-tunes of one model", Arity = ArgumentArity.OneOrMore }.RefusingUnknownOptions();
        var output = new Option<string>("--out") { HelpName = "file", Description = "Model file to write", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "Threshold to store (default: the first model's)" };
        var cmd = new Command("average", "Average the weights of models of one architecture (a model soup of fine-tunes of one model); the first model's card, threshold and polarity referee are kept, the sources recorded") { models, output, threshold };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            var paths = new List<string>();
            foreach (string m in pr.GetValue(models)!)
            {
                paths.Add(DefaultModel.Resolve(m));
                InputPaths.RequireReadable(paths[^1]);
            }
            string o = pr.GetValue(output)!;
            var card = ModelFile.Average(paths, o, pr.GetValue(threshold));
            ctx.Out.WriteLine(Markup.Escape($"{o}: model {card.Id}, the average of {paths.Count} models, threshold {card.Threshold}"));
            return 0;
        }));
        return cmd;
    }

    private static Command Calibrate(CliContext ctx)
    {
        var model = new Argument<string>("model") { Description = "Model file or a shipped model's name" }.RefusingUnknownOptions();
        var sims = new Option<string[]>("--sim") { Description = "Validation simulation folders (tomogram.mrc + membranes.mrc [+ ignore.mrc]) never used in training; repeatable", AllowMultipleArgumentsPerToken = true, Required = true };
        var output = new Option<string>("--out") { HelpName = "file", Description = "Model file to write (may be the model itself)", Required = true };
        var maxFp = new Option<double?>("--max-fp") { HelpName = "percent", Description = "Only thresholds whose false positives stay at most this % of the visible truth qualify" };
        var thresholds = new Option<string?>("--thresholds") { HelpName = "list", Description = "Comma-separated thresholds to try (default 0.30,0.35,…,0.90)" };
        var workers = new Option<int>("--workers") { Description = "Parallel network workers", DefaultValueFactory = _ => SegmentationModel.DefaultWorkers }.Within(1, 64);
        var cmd = new Command("calibrate", "Choose a model's threshold on whole validation tomograms with exact labels (simulations): each segmented as segment does by default, scored on visible membranes (±1 voxel) at every threshold; the best pooled F1 is stored in a copy of the model (weights and id unchanged)") { model, sims, output, maxFp, thresholds, workers };
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string m = DefaultModel.Resolve(pr.GetValue(model)!);
            InputPaths.RequireReadable(m);
            var request = new ThresholdCalibrationRequest
            {
                Model = m, Simulations = pr.GetValue(sims)!, MaxFalsePositivePercent = pr.GetValue(maxFp), Workers = pr.GetValue(workers),
                Thresholds = pr.GetValue(thresholds) is { } list ? ParseThresholds(list) : ThresholdCalibration.DefaultThresholds,
            };
            string o = pr.GetValue(output)!;
            var result = CliProgress.Run(ctx, pg => ThresholdCalibration.Calibrate(request, o, pg, ctx.Cancellation));
            var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Visible membranes, ±1 voxel, pooled over {result.Simulations.Count} tomograms (%)"))
                .AddColumn("threshold").AddColumn("precision").AddColumn("recall").AddColumn("F1").AddColumn("FP % of truth").AddColumn("");
            for (int i = 0; i < result.Rows.Count; i++)
            {
                var v = result.Rows[i].Visible;
                t.AddRow(F(result.Rows[i].Threshold, "0.00"), F(100 * v.Precision, "0.0"), F(100 * v.Recall, "0.0"), F(100 * v.F1, "0.0"), F(v.FalsePositivePercentOfTruth, "0.0"), i == result.Chosen ? "chosen" : "");
            }
            ctx.Out.Write(t);
            ctx.Out.WriteLine(Markup.Escape($"{o}: model {ModelFile.ReadCard(o).Id}, threshold {F(result.Threshold, "0.00")} ({result.Rule})"));
            return 0;
        }));
        return cmd;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static double[] ParseThresholds(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new InvalidOptionException("--thresholds", $"'{parts[i]}' is not a number");
        return values;
    }

    private static void PrintCard(CliContext ctx, string path, ModelCard card, ModelCard? referee = null)
    {
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("key").AddColumn("value");
        t.AddRow("file", Markup.Escape(path));
        t.AddRow("id", card.Id);
        t.AddRow("architecture", Markup.Escape(card.Network.IsDeepSxt
            ? $"{card.Architecture}, {card.Preset} (m = {card.Width})"
            : $"{card.Architecture}, {card.Preset}: {card.Network.Describe()}"));
        if (!card.Network.IsDeepSxt) t.AddRow("spec (--arch)", Markup.Escape(card.Network.Spec));
        t.AddRow("trainable parameters", N(card.TrainableParameters));
        t.AddRow("batch-norm statistics", N(card.BatchNormStatistics));
        t.AddRow("normalisation", Markup.Escape($"{card.Normalisation.Method} over the real image area (flat if std ≤ {card.Normalisation.FlatStdFraction.ToString(CultureInfo.InvariantCulture)} × range)"));
        t.AddRow("voxel size", Markup.Escape(ModelCardText.VoxelSize(card)));
        t.AddRow("resolution", Markup.Escape(ModelCardText.Resolution(card)));
        t.AddRow("threshold", Markup.Escape(ModelCardText.Threshold(card)));
        if (referee is not null)
            t.AddRow("polarity referee", Markup.Escape($"{referee.Id} ({referee.Preset}, {referee.Network.Spec}): the one-slice model embedded in this one; decides the contrast polarity when this model's evidence is within 1.6×, and segments single images and --fuse-axes runs"));
        t.AddRow("written by", Markup.Escape($"{ToolInfo.Name} {card.ToolVersion}"));
        if (card.Training["instruments"] is JsonArray ins) t.AddRow("instruments", Markup.Escape(string.Join(", ", ins.Select(i => (string?)i))));
        if (ModelCardText.Slices(card.Training["annotated_slices"]) is { } a) t.AddRow("annotated slices", Markup.Escape(a));
        if (ModelCardText.Slices(card.Training["unannotated_slices"]) is { } u) t.AddRow("unannotated slices", Markup.Escape(u));
        if (card.Training["epoch"] is JsonNode e) t.AddRow("epoch", Markup.Escape(e.ToJsonString()));
        foreach (var (k, val) in card.Metrics)
        {
            if (k == "epoch" || val is null) continue;
            t.AddRow(Markup.Escape(k), Markup.Escape(ModelCardText.Metric(val)));
        }
        ctx.Out.Write(t);
        ctx.Out.WriteLine();
    }

    private static Command Presets(CliContext ctx)
    {
        var cmd = new Command("presets", "List the network presets with their sizes");
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            var t = new Table().Border(TableBorder.Rounded).AddColumn("preset").AddColumn("network").AddColumn("trainable").AddColumn("BN statistics").AddColumn("use");
            foreach (var p in NetworkPreset.All)
                t.AddRow(p.Name, Markup.Escape(p.Architecture.IsDeepSxt ? $"Deep-SXT m = {p.Width}" : p.Architecture.Spec), N(p.Architecture.TrainableParameters), N(p.Architecture.BatchNormStatistics), Markup.Escape(p.Description));
            ctx.Out.Write(t);
            ctx.Out.WriteLine();
            return 0;
        }));
        return cmd;
    }
}
