using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The "cardinality 3" global bottleneck: three parallel <see cref="NeckBranch"/>es with kernel
/// sizes 1, 2 and 3 (TensorFlow "same" padding, the extra pixel bottom/right for k = 2), each
/// producing 16m channels, concatenated in the order k = 1, 2, 3 (48m channels).
/// </summary>
public sealed class GlobalBottleneck : nn.Module<Tensor, Tensor>
{
    private readonly NeckBranch k1;
    private readonly NeckBranch k2;
    private readonly NeckBranch k3;

    /// <summary>Creates the bottleneck reading <paramref name="inChannels"/> channels, each branch <paramref name="filters"/> wide.</summary>
    public GlobalBottleneck(long inChannels, long filters) : base(nameof(GlobalBottleneck))
    {
        k1 = new NeckBranch(inChannels, filters, 1);
        k2 = new NeckBranch(inChannels, filters, 2);
        k3 = new NeckBranch(inChannels, filters, 3);
        OutChannels = 3 * filters;
        RegisterComponents();
    }

    /// <summary>Output channels (3 × branch width).</summary>
    public long OutChannels { get; }

    /// <summary>Convolution FLOPs per pixel (at 1/16 resolution).</summary>
    public long FlopsPerPixel => k1.FlopsPerPixel + k2.FlopsPerPixel + k3.FlopsPerPixel;

    /// <summary>Folds the batch norms of every branch (inference only).</summary>
    internal void FoldBatchNorm()
    {
        k1.FoldBatchNorm();
        k2.FoldBatchNorm();
        k3.FoldBatchNorm();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = cat(new[] { k1.forward(x), k2.forward(x), k3.forward(x) }, 1);
        return y.MoveToOuterDisposeScope();
    }
}
