using System.Security.Cryptography;
using System.Text;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// Reads and writes SxtSeg model files (<c>.sxtmodel</c>): one <see cref="ModelContainer"/> file with
/// a <c>card</c> section (the <see cref="ModelCard"/> as UTF-8 JSON) and a <c>weights</c> section
/// (TorchSharp's state-dict serialisation of the <see cref="SegmentationNetwork"/>: every parameter and
/// batch-norm buffer by name). The model id is the first 16 hex digits of the SHA-256 of the
/// weights section, so it names exactly the function the model computes. A model with context may
/// carry a polarity referee (<see cref="AttachReferee"/>): the card and weights of a one-slice model in
/// the sections <c>referee-card</c> and <c>referee-weights</c>, which decides the contrast polarity when
/// the model's own evidence is not clear (<see cref="Inference.PolarityDetector.RefereeRatio"/>).
/// </summary>
public static class ModelFile
{
    /// <summary>The usual extension.</summary>
    public const string Extension = ".sxtmodel";

    /// <summary>Section names.</summary>
    internal const string CardSection = "card", WeightsSection = "weights";

    /// <summary>Sections of an embedded polarity referee.</summary>
    internal const string RefereeCardSection = "referee-card", RefereeWeightsSection = "referee-weights";

    /// <summary>Serialises the weights (parameters and buffers) of <paramref name="net"/>.</summary>
    public static byte[] SerializeWeights(SegmentationNetwork net)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            // Always float32 on the CPU, whatever the module currently is.
            net.save(w);
        }
        return ms.ToArray();
    }

    /// <summary>Id and full hash of serialised weights.</summary>
    public static (string Id, string Sha256) HashWeights(byte[] weights)
    {
        string hex = Convert.ToHexStringLower(SHA256.HashData(weights));
        return (hex[..16], hex);
    }

    /// <summary>The sections of a model file for <paramref name="net"/> and <paramref name="card"/> (sets the card's id).</summary>
    public static List<KeyValuePair<string, byte[]>> Sections(SegmentationNetwork net, ModelCard card)
    {
        if (!card.Network.Equals(net.Architecture)) throw new ArgumentException($"card architecture {card.Network} differs from the network's {net.Architecture}", nameof(card));
        byte[] weights = SerializeWeights(net);
        (card.Id, card.WeightsSha256) = HashWeights(weights);
        card.ToolVersion = ToolInfo.Version;
        return SectionsOf(card, weights);
    }

    private static List<KeyValuePair<string, byte[]>> SectionsOf(ModelCard card, byte[] weights) => new()
    {
        new(CardSection, Encoding.UTF8.GetBytes(card.ToJsonString())),
        new(WeightsSection, weights),
    };

    /// <summary>Writes a model file atomically, with <paramref name="referee"/> embedded when given; returns the model id.</summary>
    public static string Save(string path, SegmentationNetwork net, ModelCard card, ModelReferee? referee = null)
    {
        var sections = Sections(net, card);
        referee?.AddTo(sections);
        ModelContainer.Write(path, sections);
        return card.Id;
    }

    /// <summary>
    /// Writes a copy of a model file with an edited card and the very same weight bytes (so the same
    /// id), atomically; <paramref name="outPath"/> may be <paramref name="path"/>. For adding what an
    /// older card does not state (e.g. <see cref="ModelCard.ResolutionPx"/>); the tool version that
    /// wrote the weights is kept.
    /// </summary>
    public static ModelCard RewriteCard(string path, string outPath, Action<ModelCard> edit)
    {
        var sections = ModelContainer.Read(path);
        var card = ParseCard(sections, path);
        string id = card.Id, sha = card.WeightsSha256;
        edit(card);
        if (card.Id != id || card.WeightsSha256 != sha) throw new ArgumentException("the card's id and weight hash belong to the weights and cannot be edited", nameof(edit));
        var list = SectionsOf(card, sections[WeightsSection]);
        RefereeOf(sections)?.AddTo(list);
        ModelContainer.Write(outPath, list);
        return card;
    }

    /// <summary>
    /// Writes a copy of the model <paramref name="modelPath"/> (a network with context: it reads
    /// neighbouring slices) that carries the one-slice model <paramref name="refereePath"/> as its
    /// polarity referee, atomically; <paramref name="outPath"/> may be <paramref name="modelPath"/>. The
    /// model's card, weights and id are unchanged; an earlier referee is replaced. Returns the referee's card.
    /// </summary>
    public static ModelCard AttachReferee(string modelPath, string refereePath, string outPath)
    {
        var sections = ModelContainer.Read(modelPath);
        var card = ParseCard(sections, modelPath);
        var refSections = ModelContainer.Read(refereePath);
        var refCard = ParseCard(refSections, refereePath);
        if (card.Network.InputChannels == 1)
            throw new InvalidInputException(modelPath, "reads one slice; a polarity referee is for models that read neighbouring slices (context)");
        if (refCard.Network.InputChannels != 1)
            throw new InvalidInputException(refereePath, $"reads {refCard.Network.InputChannels} slices; a polarity referee must read one");
        using (LoadWeights(refSections, refCard, refereePath)) { }
        var list = SectionsOf(card, sections[WeightsSection]);
        new ModelReferee(Encoding.UTF8.GetBytes(refCard.ToJsonString()), refSections[WeightsSection]).AddTo(list);
        ModelContainer.Write(outPath, list);
        return refCard;
    }

    /// <summary>
    /// Writes the weight average of models of one architecture and normalisation (a "model soup":
    /// fine-tunes of one starting model average to one network), atomically. Every floating-point
    /// parameter and buffer (batch-norm running statistics included) is the plain mean; integer
    /// buffers (batch counts) are the first model's. The card is the first model's with the sources
    /// recorded under training.averaged_from, its threshold unless <paramref name="threshold"/> is
    /// given, and no metrics (they scored other weights); the first model's polarity referee is kept.
    /// Returns the new card.
    /// </summary>
    public static ModelCard Average(IReadOnlyList<string> paths, string outPath, double? threshold = null)
    {
        if (paths.Count < 2) throw new InvalidOptionException("models", "give at least two models to average");
        if (threshold is double t && !(t > 0 && t < 1)) throw new InvalidOptionException("threshold", "must be in (0, 1)");
        var nets = new List<SegmentationNetwork>();
        try
        {
            var first = ModelContainer.Read(paths[0]);
            var card = ParseCard(first, paths[0]);
            var sources = new System.Text.Json.Nodes.JsonArray();
            foreach (string path in paths)
            {
                var sections = nets.Count == 0 ? first : ModelContainer.Read(path);
                var c = ParseCard(sections, path);
                if (!c.Network.Equals(card.Network))
                    throw new InvalidInputException(path, $"is a {c.Network.Spec} network; {System.IO.Path.GetFileName(paths[0])} is {card.Network.Spec}: only one architecture averages");
                if (c.Normalisation.Method != card.Normalisation.Method)
                    throw new InvalidInputException(path, $"normalises slices by {c.Normalisation.Method}, {System.IO.Path.GetFileName(paths[0])} by {card.Normalisation.Method}");
                nets.Add(LoadWeights(sections, c, path));
                sources.Add(new System.Text.Json.Nodes.JsonObject { ["file"] = System.IO.Path.GetFileName(path), ["id"] = c.Id, ["threshold"] = c.Threshold });
            }
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var sum = nets[0].state_dict();
                var others = nets.Skip(1).Select(n => n.state_dict()).ToList();
                foreach (var (name, tensor) in sum)
                {
                    if (!tensor.is_floating_point()) continue;
                    foreach (var o in others) tensor.add_(o[name]);
                    tensor.div_(nets.Count);
                }
            }
            card.Training["averaged_from"] = sources;
            card.Metrics = new System.Text.Json.Nodes.JsonObject(); // the first model's scores are not the average's
            if (threshold is double th) card.Threshold = th;
            var list = Sections(nets[0], card);
            RefereeOf(first)?.AddTo(list);
            ModelContainer.Write(outPath, list);
            return card;
        }
        finally
        {
            foreach (var n in nets) n.Dispose();
        }
    }

    /// <summary>The polarity referee's sections in <paramref name="sections"/> (of a model file or checkpoint), or null when there is none.</summary>
    public static ModelReferee? RefereeOf(Dictionary<string, byte[]> sections)
        => sections.TryGetValue(RefereeCardSection, out var c) && sections.TryGetValue(RefereeWeightsSection, out var w) ? new ModelReferee(c, w) : null;

    /// <summary>The card of the model's polarity referee, or null when it has none.</summary>
    public static ModelCard? ReadRefereeCard(string path) => RefereeCard(ModelContainer.Read(path), path);

    private static ModelCard? RefereeCard(Dictionary<string, byte[]> sections, string path)
    {
        if (RefereeOf(sections) is not { } r)
        {
            if (sections.ContainsKey(RefereeCardSection)) throw new InvalidInputException(path, "model file has a referee card but no referee weights");
            return null;
        }
        return ParseCard(r.Sections, path + " (polarity referee)");
    }

    /// <summary>Loads the model's polarity referee (CPU, float32, eval mode) and its card, or null when it has none.</summary>
    public static (SegmentationNetwork Net, ModelCard Card)? LoadReferee(string path)
    {
        var sections = ModelContainer.Read(path);
        if (RefereeCard(sections, path) is not { } card) return null;
        var net = LoadWeights(RefereeOf(sections)!.Sections, card, path + " (polarity referee)");
        net.eval();
        return (net, card);
    }

    /// <summary>Reads and checks only the card (integrity of the whole file is still verified).</summary>
    public static ModelCard ReadCard(string path) => ParseCard(ModelContainer.Read(path), path);

    /// <summary>Loads the network (CPU, float32, eval mode) and its card; throws <see cref="InvalidInputException"/> for bad files.</summary>
    public static (SegmentationNetwork Net, ModelCard Card) Load(string path)
    {
        var sections = ModelContainer.Read(path);
        var card = ParseCard(sections, path);
        var net = LoadWeights(sections, card, path);
        net.eval();
        return (net, card);
    }

    internal static ModelCard ParseCard(Dictionary<string, byte[]> sections, string path)
    {
        if (!sections.TryGetValue(CardSection, out var cardBytes)) throw new InvalidInputException(path, "not an sxtseg model file (no model card)");
        if (!sections.TryGetValue(WeightsSection, out var weights)) throw new InvalidInputException(path, "model file has no weights");
        var card = ModelCard.Parse(cardBytes, path);
        var (id, sha) = HashWeights(weights);
        if (card.WeightsSha256.Length > 0 && card.WeightsSha256 != sha)
            throw new InvalidInputException(path, "model weights do not match the hash in the model card (file corrupt or edited)");
        card.Id = id;
        card.WeightsSha256 = sha;
        return card;
    }

    internal static SegmentationNetwork LoadWeights(Dictionary<string, byte[]> sections, ModelCard card, string path)
    {
        var net = card.Network.Build();
        try
        {
            using var ms = new MemoryStream(sections[WeightsSection], writable: false);
            using var r = new BinaryReader(ms);
            using (no_grad()) net.load(r, strict: true);
            if (ms.Position != ms.Length) throw new InvalidDataException("trailing bytes after the weights");
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException or InvalidOperationException or FormatException or OverflowException or ExternalException)
        {
            net.Dispose();
            throw new InvalidInputException(path, $"weights do not fit the card's network ({Describe(card.Network)}; {e.Message.Split('\n')[0]})", e);
        }
        return net;
    }

    private static string Describe(NetworkArchitecture a) => a.IsDeepSxt ? $"{a.Family} of width {a.Width}" : $"{a.Family} {a.Spec}";
}
