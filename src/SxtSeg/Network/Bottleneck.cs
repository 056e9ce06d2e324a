using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The bottleneck unit B(F, k) of Deep-SXT: a 1×1 convolution to max(1, F/2) channels, a k×k
/// convolution at that width and a 1×1 convolution to F channels, all linear (no normalisation or
/// activation between them), with TensorFlow "same" padding (for even k the extra pixel of padding
/// goes to the bottom and right) and He-uniform initialisation.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    // Field names are weight keys: renaming them breaks model files.
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly long[]? _evenPad;
    private FoldedConv? _folded;

    /// <summary>Creates B(<paramref name="filters"/>, <paramref name="kernel"/>) reading <paramref name="inChannels"/> channels.</summary>
    public Bottleneck(long inChannels, long filters, int kernel, bool bias) : base(nameof(Bottleneck))
    {
        if (kernel < 1) throw new ArgumentOutOfRangeException(nameof(kernel));
        long reduced = Math.Max(1, filters / 2);
        InChannels = inChannels;
        OutChannels = filters;
        Kernel = kernel;
        conv1 = nn.Conv2d(inChannels, reduced, 1, bias: bias);
        // TensorFlow "same": total padding k−1, floor half before, the rest after.
        long before = (kernel - 1) / 2;
        if ((kernel - 1) % 2 != 0) _evenPad = new long[] { before, before + 1, before, before + 1 };
        conv2 = nn.Conv2d(reduced, reduced, kernel, padding: _evenPad is null ? before : 0, bias: bias);
        conv3 = nn.Conv2d(reduced, filters, 1, bias: bias);
        RegisterComponents();
        Init.HeUniform(conv1.weight!, conv1.bias);
        Init.HeUniform(conv2.weight!, conv2.bias);
        Init.HeUniform(conv3.weight!, conv3.bias);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels (F).</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size k of the middle convolution.</summary>
    public int Kernel { get; }

    /// <summary>Multiply–adds ×2 (FLOPs) per output pixel.</summary>
    public long FlopsPerPixel
    {
        get
        {
            long r = Math.Max(1, OutChannels / 2);
            return 2 * (InChannels * r + r * r * Kernel * Kernel + r * OutChannels);
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = conv1.forward(x);
        if (_evenPad is not null) a = nn.functional.pad(a, _evenPad);
        var b = conv2.forward(a);
        var y = _folded is null ? conv3.forward(b) : nn.functional.conv2d(b, _folded.Weight, _folded.Bias);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The unit followed by its batch norm <paramref name="norm"/>, which is skipped once folded into the unit.</summary>
    internal Tensor ForwardNormed(Tensor x, BatchNorm2d norm)
    {
        var a = forward(x);
        return _folded is null ? norm.forward(a) : a;
    }

    /// <summary>
    /// Folds the eval-mode batch norm that follows this unit into its last 1×1 convolution
    /// (w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β): exact up to rounding, inference only.
    /// The folded tensors are computed in float32 (float64 for a float64 module) and stored in the convolution's dtype and device;
    /// they are not module state, so saving the module still writes the original weights.
    /// </summary>
    internal void FoldFollowingBatchNorm(TorchSharp.Modules.BatchNorm2d bn)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var w = conv3.weight!;
        var ct = w.dtype == ScalarType.Float64 ? float64 : float32; // never fold in bfloat16
        var scale = bn.weight!.to(ct) / (bn.running_var!.to(ct) + bn.eps).sqrt();
        var bias = conv3.bias is { } b0 ? b0.to(ct) : zeros(OutChannels, dtype: ct, device: w.device);
        var wf = (w.to(ct) * scale.reshape(-1, 1, 1, 1)).to(w.dtype);
        var bf = ((bias - bn.running_mean!.to(ct)) * scale + bn.bias!.to(ct)).to(w.dtype);
        _folded?.Dispose();
        _folded = new FoldedConv(wf.DetachFromDisposeScope(), bf.DetachFromDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _folded?.Dispose();
        _folded = null;
        base.Dispose(disposing);
    }

    /// <summary>Folded weights of the last convolution (plain tensors, deliberately not registered as module state).</summary>
    private sealed class FoldedConv(Tensor weight, Tensor bias) : IDisposable
    {
        public Tensor Weight { get; } = weight;

        public Tensor Bias { get; } = bias;

        public void Dispose()
        {
            Weight.Dispose();
            Bias.Dispose();
        }
    }
}
