using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The two-headed Deep-SXT network (Dyhr, Sadeghi et al. 2022) of base width m: a shared
/// <see cref="Encoder"/> and <see cref="GlobalBottleneck"/>, an <see cref="ImageDecoder"/> that
/// reconstructs the input (linear output) and an <see cref="AnnotationDecoder"/> with U-Net skips
/// whose tanh output is the membrane label in [−1, 1]. <see cref="forward"/> runs the label path
/// only (inference never pays for the image decoder). Inputs are N×1×H×W float tensors with H and
/// W multiples of 16, z-scored per slice.
/// </summary>
public sealed class DeepSxtNet : SegmentationNetwork
{
    /// <summary>Input height and width must be multiples of this.</summary>
    public const int SizeMultiple = 16;

    // Field names are weight keys: renaming them breaks model files.
    private readonly Encoder encoder;
    private readonly GlobalBottleneck neck;
    private readonly ImageDecoder image_decoder;
    private readonly AnnotationDecoder label_decoder;

    /// <summary>Builds the network of base width <paramref name="width"/>, initialised from the global torch generator.</summary>
    public DeepSxtNet(int width) : base(nameof(DeepSxtNet))
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), "the base width m must be at least 1");
        Width = width;
        encoder = new Encoder(width);
        neck = new GlobalBottleneck(encoder.OutChannels, 16L * width);
        image_decoder = new ImageDecoder(width, neck.OutChannels);
        label_decoder = new AnnotationDecoder(width, neck.OutChannels, encoder.SkipChannels);
        RegisterComponents();
        LabelPathFlopsPerPixel = encoder.FlopsPerPixel + neck.FlopsPerPixel / 256.0 + label_decoder.FlopsPerPixel;
        Architecture = NetworkArchitecture.DeepSxt(width);
    }

    /// <summary>Builds the network with weights drawn from a generator seeded with <paramref name="seed"/> (reproducible).</summary>
    public static DeepSxtNet Create(int width, long seed)
    {
        random.manual_seed(seed);
        return new DeepSxtNet(width);
    }

    /// <summary>The base width m.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public override NetworkArchitecture Architecture { get; }

    /// <inheritdoc />
    public override int InputMultiple => SizeMultiple;

    /// <inheritdoc />
    public override double LabelPathFlopsPerPixel { get; }

    /// <inheritdoc />
    public override IEnumerable<TorchSharp.Modules.Parameter> ImagePathParameters()
        => encoder.parameters().Concat(neck.parameters()).Concat(image_decoder.parameters());

    /// <summary>Folds the 26 batch norms of the label path (and those of the image path) that follow a convolution; the others act on concatenations or precede a convolution.</summary>
    protected override void FoldBatchNormCore()
    {
        encoder.FoldBatchNorm();
        neck.FoldBatchNorm();
        image_decoder.FoldBatchNorm();
        label_decoder.FoldBatchNorm();
    }

    /// <summary>Label path: tanh membrane output N×1×H×W.</summary>
    public override Tensor forward(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (z, skips) = encoder.Forward(x);
        var features = neck.forward(z);
        return label_decoder.Forward(features, skips).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor ForwardImage(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (z, _) = encoder.Forward(x);
        return image_decoder.forward(neck.forward(z)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override (Tensor Label, Tensor Image) ForwardBoth(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (z, skips) = encoder.Forward(x);
        var features = neck.forward(z);
        var label = label_decoder.Forward(features, skips);
        var image = image_decoder.forward(features);
        return (label.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }
}
