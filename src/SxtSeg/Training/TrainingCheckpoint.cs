using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Network;

namespace SxtSeg.Training;

/// <summary>
/// The resumable state of a run, saved after every epoch as <c>checkpoint.sxtckpt</c>: a
/// <see cref="ModelContainer"/> with the model sections (<c>card</c>, <c>weights</c>, so a
/// checkpoint is also a usable model file), <c>trainer</c> (JSON: recipe, inputs, epoch, random
/// generator state, early-stopping state, metric history) and the two Adam states
/// (<c>optimizer.label</c>, <c>optimizer.image</c>).
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>File name inside the output folder.</summary>
    public const string FileName = "checkpoint.sxtckpt";

    internal const string TrainerSection = "trainer", LabelOptimizerSection = "optimizer.label", ImageOptimizerSection = "optimizer.image";

    /// <summary>Options that define the run.</summary>
    public JsonObject Recipe { get; init; } = new();

    /// <summary>Inputs of the run.</summary>
    public JsonObject Inputs { get; init; } = new();

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>State of the <see cref="TrainingRandom"/>.</summary>
    public ulong[] RandomState { get; set; } = Array.Empty<ulong>();

    /// <summary>Best test label loss so far.</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Epoch of the best loss.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Id of the best model.</summary>
    public string BestModelId { get; set; } = "";

    /// <summary>Epochs since the best loss.</summary>
    public int SinceBest { get; set; }

    /// <summary>SxtSeg recipe: optimiser steps completed.</summary>
    public long Step { get; set; }

    /// <summary>SxtSeg recipe: best validation F1 so far (−1 before the first validation).</summary>
    public double BestScore { get; set; } = -1;

    /// <summary>SxtSeg recipe: step of the best validation F1.</summary>
    public long BestStep { get; set; }

    /// <summary>Fine-tuning: validation F1 of the starting model (−1 when not fine-tuning).</summary>
    public double StartScore { get; set; } = -1;

    /// <summary>SxtSeg recipe: one record per validation (step, minutes, losses, learning rate, scores).</summary>
    public JsonArray Validations { get; init; } = new();

    /// <summary>Metrics of every completed epoch.</summary>
    public List<EpochMetrics> History { get; init; } = new();

    /// <summary>Width recorded in the recipe.</summary>
    public int Width => (int?)Recipe["width"] ?? 0;

    /// <summary>Architecture recorded in the recipe (checkpoints without one are Deep-SXT of <see cref="Width"/>).</summary>
    public NetworkArchitecture Architecture => TrainingOptions.RecipeArchitecture(Recipe) ?? NetworkArchitecture.DeepSxt(Width);

    internal byte[] TrainerJson()
    {
        var rng = new JsonArray();
        foreach (ulong s in RandomState) rng.Add(s.ToString(CultureInfo.InvariantCulture));
        var history = new JsonArray();
        foreach (var h in History) history.Add(h.ToJson());
        var o = new JsonObject
        {
            ["format"] = "sxtseg-checkpoint",
            ["recipe"] = Recipe.DeepClone(),
            ["inputs"] = Inputs.DeepClone(),
            ["epoch"] = Epoch,
            ["random_state"] = rng,
            ["best_test_label_loss"] = double.IsFinite(BestLoss) ? BestLoss : null,
            ["best_epoch"] = BestEpoch,
            ["best_model_id"] = BestModelId,
            ["epochs_since_best"] = SinceBest,
            ["history"] = history,
            ["step"] = Step,
            ["best_validation_f1"] = BestScore,
            ["best_step"] = BestStep,
            ["starting_model_f1"] = StartScore,
            ["validations"] = Validations.DeepClone(),
        };
        return Encoding.UTF8.GetBytes(o.ToJsonString());
    }

    /// <summary>Writes the checkpoint atomically.</summary>
    internal void Save(string path, SegmentationNetwork net, ModelCard card, TrainingSteps steps)
        => Save(path, net, card, steps.LabelOptimizer, steps.ImageOptimizer);

    /// <summary>
    /// Writes the checkpoint atomically with the two optimisers' states, the polarity referee to carry on, if any, and
    /// one more training-only section, if any (the deep-supervision heads).
    /// </summary>
    internal void Save(string path, SegmentationNetwork net, ModelCard card, TorchSharp.Modules.OptimizerHelper label, TorchSharp.Modules.OptimizerHelper image,
        ModelReferee? referee = null, KeyValuePair<string, byte[]>? extra = null)
    {
        var sections = ModelFile.Sections(net, card);
        referee?.AddTo(sections);
        if (extra is { } e) sections.Add(e);
        sections.Add(new(TrainerSection, TrainerJson()));
        sections.Add(new(LabelOptimizerSection, SaveOptimizer(label)));
        sections.Add(new(ImageOptimizerSection, SaveOptimizer(image)));
        ModelContainer.Write(path, sections);
    }

    private static byte[] SaveOptimizer(TorchSharp.Modules.OptimizerHelper opt)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) opt.save_state_dict(w);
        return ms.ToArray();
    }

    internal static void LoadOptimizer(TorchSharp.Modules.OptimizerHelper opt, byte[] bytes, string path)
        => LoadSection(r => opt.load_state_dict(r), bytes, path, "optimiser state");

    /// <summary>Reads a binary section with <paramref name="load"/>; a section that does not fit becomes an <see cref="InvalidInputException"/> naming <paramref name="what"/>.</summary>
    internal static void LoadSection(Action<BinaryReader> load, byte[] bytes, string path, string what)
    {
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            using var r = new BinaryReader(ms);
            load(r);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidInputException(path, $"{what} does not fit this network ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Reads a checkpoint: its sections and trainer state; throws <see cref="InvalidInputException"/> for bad files.</summary>
    public static (TrainingCheckpoint State, Dictionary<string, byte[]> Sections) Read(string path)
    {
        var sections = ModelContainer.Read(path, "sxtseg checkpoint");
        if (!sections.TryGetValue(TrainerSection, out var json) || !sections.ContainsKey(LabelOptimizerSection) || !sections.ContainsKey(ImageOptimizerSection))
            throw new InvalidInputException(path, "is a model file, not a training checkpoint (no trainer state)");
        JsonObject o;
        try
        {
            o = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object");
            if ((string?)o["format"] != "sxtseg-checkpoint") throw new JsonException("unknown format");
            var rng = (o["random_state"] as JsonArray ?? throw new JsonException("no random state"))
                .Select(n => ulong.Parse((string)n!, CultureInfo.InvariantCulture)).ToArray();
            var state = new TrainingCheckpoint
            {
                Recipe = (JsonObject)(o["recipe"] ?? throw new JsonException("no recipe")).DeepClone(),
                Inputs = (JsonObject)(o["inputs"] ?? throw new JsonException("no inputs")).DeepClone(),
                Epoch = (int?)o["epoch"] ?? 0,
                RandomState = rng,
                BestLoss = (double?)o["best_test_label_loss"] ?? double.PositiveInfinity,
                BestEpoch = (int?)o["best_epoch"] ?? 0,
                BestModelId = (string?)o["best_model_id"] ?? "",
                SinceBest = (int?)o["epochs_since_best"] ?? 0,
                Step = (long?)o["step"] ?? 0,
                BestScore = (double?)o["best_validation_f1"] ?? -1,
                BestStep = (long?)o["best_step"] ?? 0,
                StartScore = (double?)o["starting_model_f1"] ?? -1,
                Validations = o["validations"] is JsonArray va ? (JsonArray)va.DeepClone() : new JsonArray(),
            };
            foreach (var h in o["history"] as JsonArray ?? new JsonArray()) state.History.Add(EpochMetrics.FromJson((JsonObject)h!));
            return (state, sections);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or InvalidOperationException or OverflowException)
        {
            throw new InvalidInputException(path, $"checkpoint trainer state is unreadable ({e.Message})", e);
        }
    }
}
