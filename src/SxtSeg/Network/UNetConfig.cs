using System.Globalization;
using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>
/// Widths and depths of an <see cref="SxtUNet"/>, level by level (level 0 = full resolution; each
/// further level halves the resolution; the last level is the bottleneck).
/// </summary>
public sealed class UNetConfig
{
    /// <summary>Creates a configuration.</summary>
    /// <param name="widths">Channels per level (2..6 levels).</param>
    /// <param name="encoderDepths">Conv units per encoder level (one per level).</param>
    /// <param name="decoderDepths">Conv units per annotation-decoder level after the concatenation (one per level except the deepest).</param>
    /// <param name="block">Conv unit type.</param>
    /// <param name="imageDecoderDepth">Conv units per image-decoder level.</param>
    /// <param name="head">What the annotation head outputs.</param>
    /// <param name="norm">Normalisation layer.</param>
    /// <param name="context">Neighbouring slices read on each side of the segmented one (0 = a 2D network; c gives 2c + 1 input channels).</param>
    /// <param name="stem3D">Channels of the 3-D stem before the first convolution (0 = none; needs a context).</param>
    public UNetConfig(IReadOnlyList<int> widths, IReadOnlyList<int> encoderDepths, IReadOnlyList<int> decoderDepths, ConvBlock block = ConvBlock.Plain, int imageDecoderDepth = 1,
        LabelHead head = LabelHead.Tanh, NormKind norm = NormKind.Batch, int context = 0, int stem3D = 0)
    {
        Context = context;
        Stem3D = stem3D;
        Head = head;
        Norm = norm;
        Widths = widths.ToArray();
        EncoderDepths = encoderDepths.ToArray();
        DecoderDepths = decoderDepths.ToArray();
        Block = block;
        ImageDecoderDepth = imageDecoderDepth;
    }

    /// <summary>Channels per level, full resolution first.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>Conv units per encoder level.</summary>
    public IReadOnlyList<int> EncoderDepths { get; }

    /// <summary>Conv units per annotation-decoder level (levels 0 … L−2).</summary>
    public IReadOnlyList<int> DecoderDepths { get; }

    /// <summary>Conv unit type.</summary>
    public ConvBlock Block { get; }

    /// <summary>Conv units per image-decoder level.</summary>
    public int ImageDecoderDepth { get; }

    /// <summary>What the annotation head outputs.</summary>
    public LabelHead Head { get; }

    /// <summary>Normalisation layer.</summary>
    public NormKind Norm { get; }

    /// <summary>
    /// Neighbouring slices on each side that the network reads with the segmented slice (2.5-D input):
    /// 0 = one slice (2D); c = slices z − c … z + c as 2c + 1 input channels, the segmented one in the middle.
    /// </summary>
    public int Context { get; }

    /// <summary>Input channels: 2 <see cref="Context"/> + 1.</summary>
    public int InputChannels => 2 * Context + 1;

    /// <summary>Largest <see cref="Context"/>.</summary>
    public const int MaxContext = 5;

    /// <summary>
    /// Channels of the residual 3-D stem (0 = none): two 3 × 3 × 3 convolutions over the stack of
    /// input slices (1 → K → 1 channels, ReLU between) added to the slices before the first
    /// convolution, so that features can follow a membrane across slices before z is mixed away.
    /// Needs <see cref="Context"/> &gt; 0.
    /// </summary>
    public int Stem3D { get; }

    /// <summary>Largest <see cref="Stem3D"/>.</summary>
    public const int MaxStem3D = 32;

    /// <summary>This configuration with another head, normalisation, context and/or 3-D stem.</summary>
    public UNetConfig With(LabelHead? head = null, NormKind? norm = null, int? context = null, int? stem3D = null)
        => new(Widths, EncoderDepths, DecoderDepths, Block, ImageDecoderDepth, head ?? Head, norm ?? Norm, context ?? Context, stem3D ?? Stem3D);

    /// <summary>
    /// True when <paramref name="wider"/> is this configuration with some levels wider and none
    /// narrower (same depths, block, head, context and 3-D stem), and batch normalisation, whose
    /// statistics are per channel: then a network of this configuration can start one of
    /// <paramref name="wider"/> computing exactly what it computed (training's <c>--init</c>).
    /// </summary>
    public bool CanWidenTo(UNetConfig wider)
    {
        if (wider.Widths.Count != Widths.Count || Norm != NormKind.Batch || wider.Norm != NormKind.Batch) return false;
        bool larger = false;
        for (int i = 0; i < Widths.Count; i++)
        {
            if (wider.Widths[i] < Widths[i]) return false;
            larger |= wider.Widths[i] > Widths[i];
        }
        return larger && new UNetConfig(wider.Widths, EncoderDepths, DecoderDepths, Block, ImageDecoderDepth, Head, Norm, Context, Stem3D).ToString() == wider.ToString();
    }

    /// <summary>Checks the sizes; throws <see cref="ArgumentException"/>.</summary>
    public void Validate()
    {
        int l = Widths.Count;
        if (l < 2 || l > 6) throw new ArgumentException($"a U-Net needs 2..6 levels, got {l}");
        if (EncoderDepths.Count != l) throw new ArgumentException($"{l} levels need {l} encoder depths, got {EncoderDepths.Count}");
        if (DecoderDepths.Count != l - 1) throw new ArgumentException($"{l} levels need {l - 1} decoder depths, got {DecoderDepths.Count}");
        foreach (int w in Widths) if (w < 1 || w > 1024) throw new ArgumentException($"level widths must be 1..1024, got {w}");
        foreach (int d in EncoderDepths.Concat(DecoderDepths)) if (d < 1 || d > 8) throw new ArgumentException($"depths must be 1..8, got {d}");
        if (ImageDecoderDepth < 1 || ImageDecoderDepth > 8) throw new ArgumentException($"image decoder depth must be 1..8, got {ImageDecoderDepth}");
        if (Context < 0 || Context > MaxContext) throw new ArgumentException($"context must be 0..{MaxContext} slices on each side, got {Context}");
        if (Stem3D < 0 || Stem3D > MaxStem3D) throw new ArgumentException($"a 3-D stem has 0..{MaxStem3D} channels, got {Stem3D}");
        if (Stem3D > 0 && Context == 0) throw new ArgumentException("a 3-D stem needs neighbouring slices (ctx=1..3)");
    }

    /// <summary>
    /// The configuration as "w=8-16-32-64,enc=1-2-2-2,dec=1-1-2,block=plain,img=1" (with ",head=logit" and
    /// ",norm=group", ",ctx=C" and ",p3d=K" when not the defaults, so the specs of earlier models are unchanged).
    /// </summary>
    public override string ToString()
    {
        static string J(IEnumerable<int> v) => string.Join('-', v.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        return $"w={J(Widths)},enc={J(EncoderDepths)},dec={J(DecoderDepths)},block={(Block == ConvBlock.Plain ? "plain" : "sep")},img={ImageDecoderDepth.ToString(CultureInfo.InvariantCulture)}"
            + (Head == LabelHead.Logit ? ",head=logit" : "") + (Norm == NormKind.Group ? ",norm=group" : "")
            + (Context > 0 ? ",ctx=" + Context.ToString(CultureInfo.InvariantCulture) : "")
            + (Stem3D > 0 ? ",p3d=" + Stem3D.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>Parses <see cref="ToString"/>'s form (keys in any order; block and img optional).</summary>
    public static UNetConfig Parse(string text)
    {
        int[]? w = null, enc = null, dec = null;
        var block = ConvBlock.Plain;
        var head = LabelHead.Tanh;
        var norm = NormKind.Batch;
        int img = 1, ctx = 0, p3d = 0;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq < 1) throw new FormatException($"expected key=value, got '{part}'");
            string key = part[..eq].Trim().ToLowerInvariant(), value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "w": w = Ints(value); break;
                case "enc": enc = Ints(value); break;
                case "dec": dec = Ints(value); break;
                case "img": img = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "ctx": ctx = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "p3d": p3d = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "block":
                    block = value.ToLowerInvariant() switch
                    {
                        "plain" or "conv" => ConvBlock.Plain,
                        "sep" or "separable" => ConvBlock.Separable,
                        _ => throw new FormatException($"unknown block '{value}' (plain or sep)"),
                    };
                    break;
                case "head":
                    head = value.ToLowerInvariant() switch
                    {
                        "tanh" => LabelHead.Tanh,
                        "logit" or "sigmoid" => LabelHead.Logit,
                        _ => throw new FormatException($"unknown head '{value}' (tanh or logit)"),
                    };
                    break;
                case "norm":
                    norm = value.ToLowerInvariant() switch
                    {
                        "batch" or "bn" => NormKind.Batch,
                        "group" or "gn" => NormKind.Group,
                        _ => throw new FormatException($"unknown norm '{value}' (batch or group)"),
                    };
                    break;
                default: throw new FormatException($"unknown key '{key}' (w, enc, dec, block, img, head, norm, ctx, p3d)");
            }
        }
        if (w is null) throw new FormatException("no level widths (w=...)");
        enc ??= Enumerable.Repeat(2, w.Length).ToArray();
        dec ??= Enumerable.Repeat(2, w.Length - 1).ToArray();
        var c = new UNetConfig(w, enc, dec, block, img, head, norm, ctx, p3d);
        try
        {
            c.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return c;
    }

    private static int[] Ints(string s) => s.Split('-').Select(x => int.Parse(x, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The configuration as JSON ("context" and "stem_3d" only when not 0, so earlier cards are unchanged).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
        ["widths"] = new JsonArray(Widths.Select(v => (JsonNode?)v).ToArray()),
        ["encoder_depths"] = new JsonArray(EncoderDepths.Select(v => (JsonNode?)v).ToArray()),
        ["decoder_depths"] = new JsonArray(DecoderDepths.Select(v => (JsonNode?)v).ToArray()),
        ["block"] = Block == ConvBlock.Plain ? "plain" : "separable",
        ["image_decoder_depth"] = ImageDecoderDepth,
        ["head"] = Head == LabelHead.Logit ? "logit" : "tanh",
        ["norm"] = Norm == NormKind.Group ? "group" : "batch",
        };
        if (Context > 0) o["context"] = Context;
        if (Stem3D > 0) o["stem_3d"] = Stem3D;
        return o;
    }

    /// <summary>Reads <see cref="ToJson"/>'s form; throws <see cref="FormatException"/>.</summary>
    public static UNetConfig FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) throw new FormatException("no U-Net configuration");
        static int[] A(JsonNode? n, string key) => (n as JsonArray ?? throw new FormatException($"no '{key}'")).Select(v => (int?)v ?? throw new FormatException($"bad '{key}'")).ToArray();
        var block = (string?)o["block"] switch
        {
            "plain" => ConvBlock.Plain,
            "separable" => ConvBlock.Separable,
            var b => throw new FormatException($"unknown block '{b}'"),
        };
        var head = (string?)o["head"] switch
        {
            null or "tanh" => LabelHead.Tanh,
            "logit" => LabelHead.Logit,
            var h => throw new FormatException($"unknown head '{h}'"),
        };
        var norm = (string?)o["norm"] switch
        {
            null or "batch" => NormKind.Batch,
            "group" => NormKind.Group,
            var n => throw new FormatException($"unknown norm '{n}'"),
        };
        var c = new UNetConfig(A(o["widths"], "widths"), A(o["encoder_depths"], "encoder_depths"), A(o["decoder_depths"], "decoder_depths"), block,
            (int?)o["image_decoder_depth"] ?? throw new FormatException("no 'image_decoder_depth'"), head, norm, (int?)o["context"] ?? 0, (int?)o["stem_3d"] ?? 0);
        try
        {
            c.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return c;
    }
}
