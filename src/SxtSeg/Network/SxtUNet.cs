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
/// traffic on a CPU) and the capacity at low resolution, where it is cheap. With neighbouring slices,
/// an optional residual 3-D stem (<see cref="UNetConfig.Stem3D"/>) filters the slice stack in 3-D first.
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
    private readonly ModuleList<Conv3d> stem; // empty without a 3-D stem, so earlier model files keep their keys
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
        stem = new ModuleList<Conv3d>();
        double flops = 0;
        if (config.Stem3D > 0)
        {
            // 1 → K → 1 channels over the (2c + 1)-slice stack, 3 × 3 × 3 each, zero-padded in z as in x and y
            stem.Add(nn.Conv3d(1, config.Stem3D, 3, padding: 1, bias: true));
            stem.Add(nn.Conv3d(config.Stem3D, 1, 3, padding: 1, bias: true));
            flops += 2.0 * 2 * 27 * config.Stem3D * config.InputChannels;
        }
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
        if (stem.Count > 0)
        {
            Init.HeUniform(stem[0].weight!, stem[0].bias);
            // the stem's output starts at 0: the network computes exactly what it would without the stem
            using (no_grad())
            {
                stem[1].weight!.zero_();
                stem[1].bias!.zero_();
            }
        }
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
        var y = stem.Count == 0 ? x : x + Stem(x);
        for (int i = 0; i < _levels; i++)
        {
            if (i > 0) y = nn.functional.max_pool2d(y, 2, 2);
            y = encoder[i].forward(y);
            levels[i] = y;
        }
        return levels;
    }

    /// <summary>
    /// The 3-D stem's output for the N×D×H×W slice stack: conv3d(relu(conv3d(x))), both 3 × 3 × 3 with
    /// zero padding, computed as 2-D convolutions: with libtorch's CPU conv3d the 7-slice label path ran
    /// 4.0× slower for K = 2, in this form 1.8× (still far above the 1.07× of its multiply-adds: it
    /// works on every plane of the stack at full resolution; bench/RESULTS.md).
    /// </summary>
    private Tensor Stem(Tensor x)
    {
        long n = x.shape[0], d = x.shape[1], h = x.shape[2], w = x.shape[3];
        var hidden = nn.functional.relu(StackConv3d(x.reshape(n, d, 1, h, w), stem[0]));
        return StackConv3d(hidden, stem[1]).squeeze(2);
    }

    /// <summary>
    /// A 3 × 3 × 3 convolution (padding 1) of <paramref name="conv"/>'s weights over N×D×C×H×W (planes
    /// before channels), returning N×D×O×H×W: each plane is convolved in 2-D with the kernel's three z
    /// taps at once (3·O output channels), and output plane z sums tap 0 of plane z − 1, tap 1 of plane
    /// z and tap 2 of plane z + 1 (cross-correlation, as conv3d; planes beyond the stack are 0).
    /// </summary>
    private static Tensor StackConv3d(Tensor x, Conv3d conv)
    {
        long n = x.shape[0], d = x.shape[1], c = x.shape[2], h = x.shape[3], w = x.shape[4];
        var weight = conv.weight!; // O×C×3×3×3
        long o = weight.shape[0];
        var taps = weight.permute(2, 0, 1, 3, 4).reshape(3 * o, c, 3, 3);
        var per = nn.functional.conv2d(x.reshape(n * d, c, h, w), taps, padding: new long[] { 1, 1 }).reshape(n, d, 3, o, h, w);
        var below = per.select(2, 0); // tap 0 of plane p contributes to output p + 1
        var middle = per.select(2, 1);
        var above = per.select(2, 2); // tap 2 of plane p contributes to output p − 1
        var y = middle.clone();
        if (d > 1)
        {
            y.narrow(1, 1, d - 1).add_(below.narrow(1, 0, d - 1));
            y.narrow(1, 0, d - 1).add_(above.narrow(1, 1, d - 1));
        }
        return y + conv.bias!.reshape(1, 1, o, 1, 1);
    }

    /// <summary>
    /// The annotation head's raw output: the logit for <see cref="LabelHead.Logit"/>, the tanh output otherwise.
    /// With <paramref name="coarse"/>, the decoder's output at levels 1.. are stored in it (index 0 = level 1).
    /// </summary>
    private Tensor DecodeLabelRaw(Tensor[] levels, Tensor[]? coarse = null)
    {
        var y = levels[_levels - 1];
        for (int j = 0; j < _levels - 1; j++)
        {
            int i = _levels - 2 - j;
            y = label_decoder[j].forward(cat(new[] { levels[i], label_ups[j].forward(y) }, 1));
            if (coarse is not null && i >= 1 && i <= coarse.Length) coarse[i - 1] = y;
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
    public override IReadOnlyList<long> DecoderWidths => Config.Widths.Take(_levels - 1).Select(w => (long)w).ToArray();

    /// <inheritdoc />
    public override (Tensor Label, Tensor Image, Tensor[] Coarse) ForwardRawDeep(Tensor x, int coarseLevels)
    {
        if (coarseLevels < 1 || coarseLevels > _levels - 2)
            throw new ArgumentOutOfRangeException(nameof(coarseLevels), $"this network's annotation decoder has coarse levels 1..{_levels - 2}");
        CheckInput(x);
        using var scope = NewDisposeScope();
        var levels = Encode(x);
        var coarse = new Tensor[coarseLevels];
        var label = DecodeLabelRaw(levels, coarse);
        var image = DecodeImage(levels[_levels - 1]);
        foreach (var c in coarse) c.MoveToOuterDisposeScope();
        return (label.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope(), coarse);
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
