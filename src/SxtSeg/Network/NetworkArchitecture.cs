using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>
/// What network a model is: the published Deep-SXT network of width m (<see cref="DeepSxtFamily"/>)
/// or an <see cref="SxtUNet"/> with a <see cref="UNetConfig"/> (<see cref="UNetFamily"/>). Model
/// cards and training checkpoints record it, so a file can be rebuilt and checked; the textual
/// <see cref="Spec"/> ("deep-sxt:m=8", "unet:w=8-16-32-64-128,enc=…") is what <c>--arch</c> takes
/// besides preset names. Two architectures are equal when their specs are.
/// </summary>
public sealed class NetworkArchitecture : IEquatable<NetworkArchitecture>
{
    /// <summary>Family name of the published network.</summary>
    public const string DeepSxtFamily = "deep-sxt-2d";

    /// <summary>Family name of <see cref="SxtUNet"/>.</summary>
    public const string UNetFamily = "sxt-unet-2d";

    private long? _trainable, _statistics;
    private double? _flops;

    private NetworkArchitecture(string family, int width, UNetConfig? unet)
    {
        Family = family;
        Width = width;
        UNet = unet;
        Spec = unet is null ? $"deep-sxt:m={width.ToString(CultureInfo.InvariantCulture)}" : $"unet:{unet}";
    }

    /// <summary>The Deep-SXT network of base width <paramref name="m"/> (not range-checked here: building it needs m ≥ 1, training checks 2..256).</summary>
    public static NetworkArchitecture DeepSxt(int m) => new(DeepSxtFamily, m, null);

    /// <summary>An <see cref="SxtUNet"/> of configuration <paramref name="config"/>.</summary>
    public static NetworkArchitecture FromUNet(UNetConfig config)
    {
        config.Validate();
        return new(UNetFamily, config.Widths[0], config);
    }

    /// <summary><see cref="DeepSxtFamily"/> or <see cref="UNetFamily"/>.</summary>
    public string Family { get; }

    /// <summary>Deep-SXT: the base width m; U-Net: the full-resolution width.</summary>
    public int Width { get; }

    /// <summary>The U-Net configuration (null for Deep-SXT).</summary>
    public UNetConfig? UNet { get; }

    /// <summary>Canonical text form, e.g. "deep-sxt:m=8" or "unet:w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2,block=plain,img=1".</summary>
    public string Spec { get; }

    /// <summary>True for the published network.</summary>
    public bool IsDeepSxt => UNet is null;

    /// <summary>Input height and width must be multiples of this.</summary>
    public int InputMultiple => UNet is null ? DeepSxtNet.SizeMultiple : 1 << (UNet.Widths.Count - 1);

    /// <summary>This architecture with a logit or tanh label head (U-Nets; the Deep-SXT network keeps its tanh head).</summary>
    public NetworkArchitecture WithHead(LabelHead head) => UNet is null || UNet.Head == head ? this : FromUNet(UNet.With(head: head));

    /// <summary>This architecture with batch or group norm (U-Nets only).</summary>
    public NetworkArchitecture WithNorm(NormKind norm) => UNet is null || UNet.Norm == norm ? this : FromUNet(UNet.With(norm: norm));

    /// <summary>This architecture reading <paramref name="context"/> neighbouring slices on each side (U-Nets only; the Deep-SXT network reads one slice).</summary>
    public NetworkArchitecture WithContext(int context)
    {
        if (UNet is null) return context == 0 ? this : throw new InvalidOptionException(nameof(Context), "the Deep-SXT network reads one slice; neighbouring slices need a U-Net (--arch unet:… or a U-Net preset)");
        return UNet.Context == context ? this : FromUNet(UNet.With(context: context, stem3D: context == 0 ? 0 : null));
    }

    /// <summary>This architecture with a 3-D stem of <paramref name="channels"/> (0 = none; U-Nets with context only, see <see cref="UNetConfig.Stem3D"/>).</summary>
    public NetworkArchitecture WithStem3D(int channels) => UNet is null || UNet.Stem3D == channels ? this : FromUNet(UNet.With(stem3D: channels));

    /// <summary>Channels of the 3-D stem (0 = none).</summary>
    public int Stem3D => UNet?.Stem3D ?? 0;

    /// <summary>Neighbouring slices read on each side of the segmented one (0 = 2D).</summary>
    public int Context => UNet?.Context ?? 0;

    /// <summary>Input channels of the network: 2 <see cref="Context"/> + 1.</summary>
    public int InputChannels => 2 * Context + 1;

    /// <summary>The architecture with the default tanh head, batch norm and no context (nor 3-D stem): what a preset names.</summary>
    public NetworkArchitecture Base => WithHead(LabelHead.Tanh).WithNorm(NormKind.Batch).WithContext(0);

    /// <summary>Key of a setting error about an architecture given as text (<see cref="Parse"/>; the architecture of a run, e.g. a training's).</summary>
    public const string ArchitectureKey = "Architecture";

    /// <summary>
    /// The architecture the options <c>--arch</c>, <c>--preset</c> and <c>--width</c> ask for (at most one may be
    /// given), or <paramref name="fallback"/> when none is; throws <see cref="InvalidOptionException"/>.
    /// </summary>
    public static NetworkArchitecture Resolve(string? arch, string? preset, int? width, NetworkArchitecture fallback)
    {
        int given = (arch is not null ? 1 : 0) + (preset is not null ? 1 : 0) + (width is not null ? 1 : 0);
        if (given > 1) throw new InvalidOptionException(arch is not null ? ArchitectureKey : nameof(Width), "give one of --arch, --preset or --width");
        if (arch is not null) return Parse(arch);
        if (preset is not null) return NetworkPreset.Get(preset).Architecture;
        if (width is int m)
        {
            if (m < 2 || m > 256) throw new InvalidOptionException(nameof(Width), $"base width must be 2..256, got {m}");
            return DeepSxt(m);
        }
        return fallback;
    }

    /// <summary>Builds the network with weights drawn from the global torch generator.</summary>
    public SegmentationNetwork Build() => UNet is null ? new DeepSxtNet(Width) : new SxtUNet(UNet);

    /// <summary>Builds the network with weights drawn from a generator seeded with <paramref name="seed"/> (reproducible).</summary>
    public SegmentationNetwork Create(long seed)
    {
        TorchSharp.torch.random.manual_seed(seed);
        return Build();
    }

    /// <summary>Trainable parameters (closed form for Deep-SXT, counted on a built network otherwise).</summary>
    public long TrainableParameters
    {
        get
        {
            if (UNet is null) return NetworkPreset.TrainableParameters(Width);
            Count();
            return _trainable!.Value;
        }
    }

    /// <summary>Batch-norm running statistics.</summary>
    public long BatchNormStatistics
    {
        get
        {
            if (UNet is null) return NetworkPreset.BatchNormStatistics(Width);
            Count();
            return _statistics!.Value;
        }
    }

    /// <summary>Label-path convolution FLOPs per pixel.</summary>
    public double LabelPathFlopsPerPixel
    {
        get
        {
            if (_flops is null)
            {
                if (UNet is null)
                {
                    using var net = new DeepSxtNet(Width);
                    _flops = net.LabelPathFlopsPerPixel;
                }
                else Count();
            }
            return _flops!.Value;
        }
    }

    private void Count()
    {
        if (_trainable is not null) return;
        using var net = Build();
        _trainable = net.TrainableParameterCount;
        _statistics = net.BatchNormStatisticCount;
        _flops = net.LabelPathFlopsPerPixel;
    }

    /// <summary>One line for people: "Deep-SXT, m = 8" or "U-Net, widths 8-16-32-64-128, …".</summary>
    public string Describe()
    {
        if (UNet is null) return $"Deep-SXT two-headed network, m = {Width.ToString(CultureInfo.InvariantCulture)}";
        static string J(IEnumerable<int> v) => string.Join('-', v.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"two-headed U-Net, {UNet.Widths.Count} levels, widths {J(UNet.Widths)}, ");
        sb.Append(CultureInfo.InvariantCulture, $"{(UNet.Block == ConvBlock.Plain ? "plain 3×3" : "depthwise-separable 3×3")} units: encoder {J(UNet.EncoderDepths)}, annotation decoder {J(UNet.DecoderDepths)}, image decoder {UNet.ImageDecoderDepth} per level");
        if (UNet.Context > 0) sb.Append(CultureInfo.InvariantCulture, $", reading {UNet.InputChannels} neighbouring slices (z ± {UNet.Context})");
        if (UNet.Stem3D > 0) sb.Append(CultureInfo.InvariantCulture, $", through a 3-D stem of {UNet.Stem3D} channels");
        return sb.ToString();
    }

    /// <summary>The architecture as JSON (for cards and checkpoints).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["family"] = Family, ["width"] = Width, ["spec"] = Spec };
        if (UNet is not null) o["unet"] = UNet.ToJson();
        return o;
    }

    /// <summary>Reads <see cref="ToJson"/>'s form; throws <see cref="FormatException"/>.</summary>
    public static NetworkArchitecture FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) throw new FormatException("no architecture");
        string family = (string?)o["family"] ?? throw new FormatException("no architecture family");
        return family switch
        {
            DeepSxtFamily => DeepSxt((int?)o["width"] is int m && m >= 1 && m <= 1024 ? m : throw new FormatException("invalid width")),
            UNetFamily => FromUNet(UNetConfig.FromJson(o["unet"])),
            _ => throw new FormatException($"unknown architecture '{family}' (this sxtseg knows {DeepSxtFamily} and {UNetFamily})"),
        };
    }

    /// <summary>
    /// Parses what <c>--arch</c> takes: a preset name (<see cref="NetworkPreset.All"/>), "deep-sxt:m=M"
    /// or "unet:w=…,enc=…,dec=…[,block=plain|sep][,img=N]"; throws <see cref="InvalidOptionException"/>.
    /// </summary>
    public static NetworkArchitecture Parse(string text, string option = ArchitectureKey)
    {
        text = text.Trim();
        foreach (var p in NetworkPreset.All)
            if (string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase)) return p.Architecture;
        try
        {
            if (text.StartsWith("deep-sxt:", StringComparison.OrdinalIgnoreCase))
            {
                string rest = text["deep-sxt:".Length..].Trim();
                if (rest.StartsWith("m=", StringComparison.OrdinalIgnoreCase)) rest = rest[2..];
                int m = int.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture);
                if (m < 2 || m > 256) throw new FormatException($"base width must be 2..256, got {m}");
                return DeepSxt(m);
            }
            if (text.StartsWith("unet:", StringComparison.OrdinalIgnoreCase)) return FromUNet(UNetConfig.Parse(text["unet:".Length..]));
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidOptionException(option, $"invalid architecture '{text}': {e.Message}");
        }
        throw new InvalidOptionException(option, $"unknown architecture '{text}' (a preset: {string.Join(", ", NetworkPreset.All.Select(p => p.Name))}; or deep-sxt:m=M; or unet:w=8-16-32-64,enc=1-2-2-2,dec=1-1-2)");
    }

    /// <inheritdoc />
    public bool Equals(NetworkArchitecture? other) => other is not null && other.Spec == Spec;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NetworkArchitecture);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Spec);

    /// <summary>The <see cref="Spec"/>.</summary>
    public override string ToString() => Spec;
}
