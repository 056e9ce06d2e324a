using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// One convolution unit of <see cref="SxtUNet"/>: a 3×3 convolution without bias ("same" padding;
/// depthwise-separable for <see cref="ConvBlock.Separable"/> when the input has more than one
/// channel), batch norm (ε 1e-3, momentum 0.01, as the Deep-SXT network) and ReLU. The batch norm
/// can be folded into the convolution for inference.
/// </summary>
public sealed class ConvUnit : nn.Module<Tensor, Tensor>
{
    /// <summary>Kernel size.</summary>
    public const int Kernel = 3;

    // Field names are weight keys: renaming them breaks model files.
    private readonly Conv2d conv;
    private readonly Conv2d? pointwise;
    private readonly nn.Module<Tensor, Tensor> norm;
    private Tensor? _foldedWeight;
    private Tensor? _foldedBias;

    /// <summary>Creates a unit from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvUnit(long inChannels, long outChannels, ConvBlock block, NormKind normKind = NormKind.Batch) : base(nameof(ConvUnit))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        IsSeparable = block == ConvBlock.Separable && inChannels > 1;
        if (IsSeparable)
        {
            conv = nn.Conv2d(inChannels, inChannels, Kernel, padding: Kernel / 2, groups: inChannels, bias: false);
            pointwise = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        }
        else conv = nn.Conv2d(inChannels, outChannels, Kernel, padding: Kernel / 2, bias: false);
        norm = normKind == NormKind.Group ? Norm.CreateGroup(outChannels) : Norm.Create(outChannels);
        RegisterComponents();
        Init.HeUniform(conv.weight!, null);
        if (pointwise is not null) Init.HeUniform(pointwise.weight!, null);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>True when the unit is depthwise-separable.</summary>
    public bool IsSeparable { get; }

    /// <summary>Convolution FLOPs (2 per multiply–add) per output pixel.</summary>
    public long FlopsPerPixel => IsSeparable
        ? 2 * (InChannels * Kernel * Kernel + InChannels * OutChannels)
        : 2 * InChannels * OutChannels * Kernel * Kernel;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        if (_foldedWeight is not null)
        {
            // Folded: the last convolution carries the batch norm as weight scale and bias.
            y = pointwise is null
                ? nn.functional.conv2d(x, _foldedWeight, _foldedBias, padding: new long[] { Kernel / 2, Kernel / 2 })
                : nn.functional.conv2d(conv.forward(x), _foldedWeight, _foldedBias);
        }
        else
        {
            y = conv.forward(x);
            if (pointwise is not null) y = pointwise.forward(y);
            y = norm.forward(y);
        }
        return nn.functional.relu(y).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Folds the eval-mode batch norm into the last convolution (w' = w·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε)):
    /// exact up to rounding, inference only. Computed in float32 (float64 for a float64 module),
    /// stored in the convolution's dtype and device; not module state, so saving still writes the original weights.
    /// </summary>
    internal void FoldBatchNorm()
    {
        if (norm is not BatchNorm2d bn) return; // group norm depends on the image: nothing to fold
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var w = (pointwise ?? conv).weight!;
        var ct = w.dtype == ScalarType.Float64 ? float64 : float32; // never fold in bfloat16
        var scale = bn.weight!.to(ct) / (bn.running_var!.to(ct) + bn.eps).sqrt();
        var wf = (w.to(ct) * scale.reshape(-1, 1, 1, 1)).to(w.dtype);
        var bf = (bn.bias!.to(ct) - bn.running_mean!.to(ct) * scale).to(w.dtype);
        _foldedWeight?.Dispose();
        _foldedBias?.Dispose();
        _foldedWeight = wf.DetachFromDisposeScope();
        _foldedBias = bf.DetachFromDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _foldedWeight?.Dispose();
            _foldedBias?.Dispose();
        }
        _foldedWeight = null;
        _foldedBias = null;
        base.Dispose(disposing);
    }
}
