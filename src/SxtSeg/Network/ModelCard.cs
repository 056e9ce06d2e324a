using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Volumes;

namespace SxtSeg.Network;

/// <summary>
/// What a model file says about its model: architecture and width, the input normalisation, the
/// voxel size of the training data, a summary of the training data (inputs, voxel sizes,
/// instruments, slice counts), the final metrics, the tool version and the model id (a content
/// hash of the weights). Stored as JSON in the file's <c>card</c> section.
/// </summary>
public sealed class ModelCard
{
    /// <summary>Creates a card for the Deep-SXT network of width <paramref name="width"/>.</summary>
    public ModelCard(int width) : this(NetworkArchitecture.DeepSxt(width)) { }

    /// <summary>Creates a card for a network of architecture <paramref name="network"/>.</summary>
    public ModelCard(NetworkArchitecture network)
    {
        Network = network;
        Preset = NetworkPreset.NameOf(network);
    }

    /// <summary>Model id: the first 16 hex digits of the SHA-256 of the weights section (set when saved).</summary>
    public string Id { get; internal set; } = "";

    /// <summary>Full SHA-256 of the weights section (hex).</summary>
    public string WeightsSha256 { get; internal set; } = "";

    /// <summary>The network: family and configuration (rebuilds it).</summary>
    public NetworkArchitecture Network { get; }

    /// <summary>Architecture family name (<see cref="NetworkArchitecture.DeepSxtFamily"/> or <see cref="NetworkArchitecture.UNetFamily"/>).</summary>
    public string Architecture => Network.Family;

    /// <summary>Deep-SXT base width m (U-Net: full-resolution width).</summary>
    public int Width => Network.Width;

    /// <summary>Preset name of the architecture ("small", "paper", ... or "custom").</summary>
    public string Preset { get; init; }

    /// <summary>Input normalisation the model was trained with.</summary>
    public SliceNormalization Normalisation { get; init; } = SliceNormalization.Default;

    /// <summary>Voxel size (nm) of the training data when all inputs agreed on one, else null.</summary>
    public double? VoxelSizeNm { get; set; }

    /// <summary>Trainable parameters.</summary>
    public long TrainableParameters => Network.TrainableParameters;

    /// <summary>Batch-norm running statistics.</summary>
    public long BatchNormStatistics => Network.BatchNormStatistics;

    /// <summary>Tool version that wrote the file.</summary>
    public string ToolVersion { get; internal set; } = ToolInfo.Version;

    /// <summary>
    /// Probability threshold for membrane (chosen by F1 on validation tomograms when the model was
    /// trained with the SxtSeg recipe); null = 0.5, the published rule tanh &gt; 0.
    /// </summary>
    public double? Threshold { get; set; }

    /// <summary>
    /// Smallest and largest voxel size (nm) of the training data when the model was trained on a
    /// range of sizes; inputs inside it are segmented at their own size, inputs outside are
    /// resampled to the nearest end. Null when the model states one size (<see cref="VoxelSizeNm"/>) or none.
    /// </summary>
    public (double Min, double Max)? VoxelSizeRangeNm { get; set; }

    /// <summary>
    /// Pixels per resolution element of the training tomograms (null when the training data did
    /// not state their resolution): <c>segment --resolution</c> resamples tomograms outside it.
    /// </summary>
    public TrainedResolution? ResolutionPx { get; set; }

    /// <summary>The threshold to use: <see cref="Threshold"/> or 0.5.</summary>
    public double EffectiveThreshold => Threshold ?? 0.5;

    /// <summary>Training data and options summary (free-form JSON object).</summary>
    public JsonObject Training { get; set; } = new();

    /// <summary>Metrics of the saved weights on the test split (free-form JSON object).</summary>
    public JsonObject Metrics { get; set; } = new();

    /// <summary>The card as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = "sxtseg-model",
        ["id"] = Id,
        ["weights_sha256"] = WeightsSha256,
        ["architecture"] = Architecture,
        ["width"] = Width,
        ["preset"] = Preset,
        ["network"] = Network.ToJson(),
        ["input"] = new JsonObject { ["channels"] = 1, ["size_multiple"] = Network.InputMultiple, ["dtype"] = "float32" },
        ["output"] = new JsonObject
        {
            ["label"] = Network.UNet?.Head == LabelHead.Logit
                ? "tanh(z/2) in [-1, 1] of a logit z trained with binary cross-entropy + soft Dice; membrane probability p = (output + 1)/2 = sigmoid(z)"
                : "tanh in [-1, 1]; membrane probability p = (output + 1)/2",
            ["threshold"] = EffectiveThreshold,
        },
        ["normalisation"] = Normalisation.ToJson(),
        ["voxel_size_nm"] = VoxelSizeNm,
        ["voxel_size_range_nm"] = VoxelSizeRangeNm is { } r ? new JsonArray(r.Min, r.Max) : null,
        ["resolution_px"] = ResolutionPx?.ToJson(),
        ["parameters"] = new JsonObject { ["trainable"] = TrainableParameters, ["batch_norm_statistics"] = BatchNormStatistics },
        ["tool"] = ToolInfo.Name,
        ["tool_version"] = ToolVersion,
        ["training"] = Training.DeepClone(),
        ["metrics"] = Metrics.DeepClone(),
    };

    /// <summary>Indented JSON text.</summary>
    public string ToJsonString() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Parses a card; throws <see cref="InvalidInputException"/> for anything missing or foreign.</summary>
    public static ModelCard Parse(byte[] utf8, string path)
    {
        JsonObject o;
        try
        {
            o = JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException(path, $"model card is not valid JSON ({e.Message})", e);
        }
        try
        {
            return FromJson(o, path);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException)
        {
            throw new InvalidInputException(path, $"model card has an invalid field ({e.Message})", e);
        }
    }

    private static ModelCard FromJson(JsonObject o, string path)
    {
        if ((string?)o["format"] != "sxtseg-model") throw new InvalidInputException(path, "model card is not an sxtseg model card");
        string arch = (string?)o["architecture"] ?? "";
        NetworkArchitecture network;
        if (arch == NetworkArchitecture.DeepSxtFamily)
        {
            int width = (int?)o["width"] ?? 0;
            if (width < 1 || width > 1024) throw new InvalidInputException(path, $"model card has an invalid width {width}");
            network = NetworkArchitecture.DeepSxt(width);
        }
        else if (arch == NetworkArchitecture.UNetFamily)
        {
            try
            {
                network = NetworkArchitecture.FromJson(o["network"]);
            }
            catch (FormatException e)
            {
                throw new InvalidInputException(path, $"model card has an invalid network description ({e.Message})", e);
            }
        }
        else throw new InvalidInputException(path, $"unknown architecture '{arch}' (this sxtseg knows {NetworkArchitecture.DeepSxtFamily} and {NetworkArchitecture.UNetFamily})");
        return new ModelCard(network)
        {
            Id = (string?)o["id"] ?? "",
            WeightsSha256 = (string?)o["weights_sha256"] ?? "",
            Preset = (string?)o["preset"] ?? NetworkPreset.NameOf(network),
            Normalisation = SliceNormalization.FromJson(o["normalisation"], path),
            VoxelSizeNm = (double?)o["voxel_size_nm"],
            VoxelSizeRangeNm = o["voxel_size_range_nm"] is JsonArray { Count: 2 } vr && (double?)vr[0] is double lo && (double?)vr[1] is double hi && lo > 0 && hi >= lo ? (lo, hi) : null,
            ResolutionPx = TrainedResolution.FromJson(o["resolution_px"]),
            Threshold = (double?)o["output"]?["threshold"] is double th && th > 0 && th < 1 ? th : null,
            ToolVersion = (string?)o["tool_version"] ?? "",
            Training = o["training"] as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject(),
            Metrics = o["metrics"] as JsonObject is { } mt ? (JsonObject)mt.DeepClone() : new JsonObject(),
        };
    }

    /// <summary>Voxel size as a <see cref="VoxelSize"/>, or null.</summary>
    public VoxelSize? VoxelSize => VoxelSizeNm is double v && v > 0 ? Volumes.VoxelSize.Isotropic(v) : null;

    /// <summary>"small (m = 8), id 0123abcd…" or "fast (unet:w=…), id …".</summary>
    public override string ToString() => Network.IsDeepSxt
        ? string.Create(CultureInfo.InvariantCulture, $"{Preset} (m = {Width}), id {Id}")
        : $"{Preset} ({Network.Spec}), id {Id}";
}
