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
public sealed class DeepSxtNet : nn.Module<Tensor, Tensor>
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
    }

    /// <summary>Builds the network with weights drawn from a generator seeded with <paramref name="seed"/> (reproducible).</summary>
    public static DeepSxtNet Create(int width, long seed)
    {
        random.manual_seed(seed);
        return new DeepSxtNet(width);
    }

    /// <summary>The base width m.</summary>
    public int Width { get; }

    /// <summary>Convolution FLOPs (2 per multiply–add) per input pixel of the label path.</summary>
    public double LabelPathFlopsPerPixel { get; }

    /// <summary>Trainable parameters (18,658·m² + 942.5·m + 14 for even m).</summary>
    public long TrainableParameterCount
    {
        get
        {
            long n = 0;
            foreach (var p in parameters()) if (p.requires_grad) n += p.numel();
            return n;
        }
    }

    /// <summary>Batch-norm running statistics (means and variances; 902·m).</summary>
    public long BatchNormStatisticCount
    {
        get
        {
            long n = 0;
            foreach (var (name, b) in named_buffers())
                if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)) n += b.numel();
            return n;
        }
    }

    /// <summary>Parameters trained in image mode: encoder, global bottleneck and image decoder (not the annotation decoder).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> ImagePathParameters()
        => encoder.parameters().Concat(neck.parameters()).Concat(image_decoder.parameters());

    /// <summary>True after <see cref="FoldBatchNorm"/>: the network is then for inference only.</summary>
    public bool IsFolded { get; private set; }

    /// <summary>
    /// Folds every batch norm that directly follows a convolution into it (26 of the label path's
    /// 39 at any width; the others act on concatenations or precede a convolution), removing a
    /// full pass over those activations. Inference only: the module must be in eval mode, and
    /// training it afterwards is refused. Call after moving the module to its device and dtype.
    /// </summary>
    public void FoldBatchNorm()
    {
        if (training) throw new InvalidOperationException("batch norm can only be folded in eval mode");
        if (IsFolded) return;
        encoder.FoldBatchNorm();
        neck.FoldBatchNorm();
        image_decoder.FoldBatchNorm();
        label_decoder.FoldBatchNorm();
        IsFolded = true;
    }

    /// <inheritdoc />
    public override void train(bool train = true)
    {
        if (train && IsFolded) throw new InvalidOperationException("a network with folded batch norm is for inference only");
        base.train(train);
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

    /// <summary>Image path only (encoder, bottleneck, image decoder): the reconstruction N×1×H×W.</summary>
    public Tensor ForwardImage(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (z, _) = encoder.Forward(x);
        return image_decoder.forward(neck.forward(z)).MoveToOuterDisposeScope();
    }

    /// <summary>Both heads from one encoder pass: (tanh label, image reconstruction).</summary>
    public (Tensor Label, Tensor Image) ForwardBoth(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (z, skips) = encoder.Forward(x);
        var features = neck.forward(z);
        var label = label_decoder.Forward(features, skips);
        var image = image_decoder.forward(features);
        return (label.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }

    private static void CheckInput(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 1)
            throw new ArgumentException($"expected an N×1×H×W tensor, got [{string.Join(", ", x.shape)}]", nameof(x));
        if (x.shape[2] % SizeMultiple != 0 || x.shape[3] % SizeMultiple != 0)
            throw new ArgumentException($"height and width must be multiples of {SizeMultiple}, got {x.shape[2]} × {x.shape[3]}", nameof(x));
    }
}
