using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using SxtSeg.Network;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg model info|presets</c>: what a model file or a network preset is.</summary>
public static class ModelCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("model", "Inspect model files and network presets");
        cmd.Subcommands.Add(Info(ctx));
        cmd.Subcommands.Add(Presets(ctx));
        return cmd;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static Command Info(CliContext ctx)
    {
        var file = new Argument<string?>("file") { Description = "Model file (.sxtmodel), checkpoint (.sxtckpt) or the name of a shipped model (default, context3); without a file or option: the shipped default model", Arity = ArgumentArity.ZeroOrOne };
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
                if (pr.GetValue(json)) ctx.Out.Profile.Out.Writer.WriteLine(card.ToJsonString());
                else PrintCard(ctx, path, card);
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

    private static void PrintCard(CliContext ctx, string path, ModelCard card)
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
