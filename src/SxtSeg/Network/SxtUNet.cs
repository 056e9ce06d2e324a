using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// A CPU-efficient two-headed network with the semi-supervised structure of Deep-SXT: a shared
/// encoder of plain 3×3 convolution units (<see cref="ConvUnit"/>, or depthwise-separable ones)
/// with 2×2 max pooling between levels, whose deepest level is the bottleneck; an image decoder
/// without skips (2×2 stride-2 transposed convolutions and conv units, linear 3×3 head) that
/// reconstructs the input and is trained on unannotated slices; and an annotation decoder with
/// U-Net skips ([skip, upsampled] concatenated, conv units) and a 1×1 tanh head. Widths and depths
/// per level come from <see cref="UNetConfig"/>: the idea is few, dense operations at full
/// resolution (the thin 1×1–3×3–1×1 bottleneck units of the published network are bound by memory
/// traffic on a CPU) and the capacity at low resolution, where it is cheap.
/// </summary>
public sealed class SxtUNet : SegmentationNetwork
{
    // Field names are weight keys: renaming them breaks model files.
    private readonly ModuleList<ConvStack> encoder;
    private readonly ModuleList<ConvTranspose2d> label_ups;
    private readonly ModuleList<ConvStack> label_decoder;
    private readonly Conv2d label_head;
    private readonly ModuleList<ConvTranspose2d> image_ups;
    private readonly ModuleList<ConvStack> image_decoder;
    private readonly Conv2d image_head;
    private readonly int _levels;

    /// <summary>Builds the network for <paramref name="config"/>, initialised from the global torch generator.</summary>
    public SxtUNet(UNetConfig config) : base(nameof(SxtUNet))
    {
        config.Validate();
        Config = config;
        Architecture = NetworkArchitecture.FromUNet(config);
        var w = config.Widths;
        _levels = w.Count;
        encoder = new ModuleList<ConvStack>();
        label_ups = new ModuleList<ConvTranspose2d>();
        label_decoder = new ModuleList<ConvStack>();
        image_ups = new ModuleList<ConvTranspose2d>();
        image_decoder = new ModuleList<ConvStack>();
        double flops = 0;
        long c = config.InputChannels;
        for (int i = 0; i < _levels; i++)
        {
            var s = new ConvStack(c, w[i], config.EncoderDepths[i], config.Block, config.Norm);
            encoder.Add(s);
            flops += s.FlopsPerPixel * Math.Pow(4, -i);
            c = w[i];
        }
        // Decoders run from the deepest level up: index j = 0 produces level L−2.
        for (int i = _levels - 2; i >= 0; i--)
        {
            var up = nn.ConvTranspose2d(w[i + 1], w[i], 2, stride: 2, bias: true);
            label_ups.Add(up);
            var s = new ConvStack(2L * w[i], w[i], config.DecoderDepths[i], config.Block, config.Norm);
            label_decoder.Add(s);
            flops += (2.0 * w[i + 1] * w[i] + s.FlopsPerPixel) * Math.Pow(4, -i);
            image_ups.Add(nn.ConvTranspose2d(w[i + 1], w[i], 2, stride: 2, bias: true));
            image_decoder.Add(new ConvStack(w[i], w[i], config.ImageDecoderDepth, config.Block, config.Norm));
        }
        label_head = nn.Conv2d(w[0], 1, 1, bias: true);
        image_head = nn.Conv2d(w[0], 1, 3, padding: 1, bias: true);
        flops += 2.0 * w[0];
        LabelPathFlopsPerPixel = flops;
        RegisterComponents();
        foreach (var up in label_ups.Concat(image_ups)) Init.HeUniform(up.weight!, up.bias);
        Init.HeUniform(label_head.weight!, label_head.bias);
        Init.HeUniform(image_head.weight!, image_head.bias);
    }

    /// <summary>Builds the network with weights drawn from a generator seeded with <paramref name="seed"/> (reproducible).</summary>
    public static SxtUNet Create(UNetConfig config, long seed)
    {
        random.manual_seed(seed);
        return new SxtUNet(config);
    }

    /// <summary>Widths, depths and block type.</summary>
    public UNetConfig Config { get; }

    /// <inheritdoc />
    public override NetworkArchitecture Architecture { get; }

    /// <inheritdoc />
    public override int InputMultiple => 1 << (_levels - 1);

    /// <inheritdoc />
    public override int InputChannels => Config.InputChannels;

    /// <inheritdoc />
    public override double LabelPathFlopsPerPixel { get; }

    /// <inheritdoc />
    public override IEnumerable<TorchSharp.Modules.Parameter> ImagePathParameters()
        => encoder.parameters().Concat(image_ups.parameters()).Concat(image_decoder.parameters()).Concat(image_head.parameters());

    /// <inheritdoc />
    protected override void FoldBatchNormCore()
    {
        foreach (var s in encoder) s.FoldBatchNorm();
        foreach (var s in label_decoder) s.FoldBatchNorm();
        foreach (var s in image_decoder) s.FoldBatchNorm();
    }

    /// <summary>Encoder: features of every level, full resolution first (the last is the bottleneck); tensors belong to the caller's scope.</summary>
    private Tensor[] Encode(Tensor x)
    {
        var levels = new Tensor[_levels];
        var y = x;
        for (int i = 0; i < _levels; i++)
        {
            if (i > 0) y = nn.functional.max_pool2d(y, 2, 2);
            y = encoder[i].forward(y);
            levels[i] = y;
        }
        return levels;
    }

    /// <summary>The annotation head's raw output: the logit for <see cref="LabelHead.Logit"/>, the tanh output otherwise.</summary>
    private Tensor DecodeLabelRaw(Tensor[] levels)
    {
        var y = levels[_levels - 1];
        for (int j = 0; j < _levels - 1; j++)
        {
            int i = _levels - 2 - j;
            y = label_decoder[j].forward(cat(new[] { levels[i], label_ups[j].forward(y) }, 1));
        }
        var z = label_head.forward(y);
        return Config.Head == LabelHead.Logit ? z : z.tanh();
    }

    /// <summary>The label output in [−1, 1]: tanh, or tanh(z/2) = 2σ(z) − 1 for a logit head.</summary>
    private Tensor DecodeLabel(Tensor[] levels)
    {
        var raw = DecodeLabelRaw(levels);
        return Config.Head == LabelHead.Logit ? (raw * 0.5).tanh_() : raw;
    }

    private Tensor DecodeImage(Tensor bottom)
    {
        var y = bottom;
        for (int j = 0; j < _levels - 1; j++) y = image_decoder[j].forward(image_ups[j].forward(y));
        return image_head.forward(y);
    }

    /// <summary>Label path: tanh membrane output N×1×H×W (input N×C×H×W, C = <see cref="InputChannels"/>).</summary>
    public override Tensor forward(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        return DecodeLabel(Encode(x)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor ForwardImage(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        return DecodeImage(Encode(x)[_levels - 1]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override bool HasLogitHead => Config.Head == LabelHead.Logit;

    /// <inheritdoc />
    public override (Tensor Label, Tensor Image) ForwardRaw(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var levels = Encode(x);
        var label = DecodeLabelRaw(levels);
        var image = DecodeImage(levels[_levels - 1]);
        return (label.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override (Tensor Label, Tensor Image) ForwardBoth(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var levels = Encode(x);
        var label = DecodeLabel(levels);
        var image = DecodeImage(levels[_levels - 1]);
        return (label.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }
}
