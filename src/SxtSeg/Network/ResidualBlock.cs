using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// Residual block R(n_in → n_in + F): B(F,3) → BN → ReLU → B(F,3), then the block input and the
/// branch output are concatenated in channel space (input first) and go through BN → ReLU.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Bottleneck unit1;
    private readonly BatchNorm2d norm1;
    private readonly Bottleneck unit2;
    private readonly BatchNorm2d norm2;

    /// <summary>Creates R(<paramref name="inChannels"/> → <paramref name="inChannels"/> + <paramref name="filters"/>).</summary>
    public ResidualBlock(long inChannels, long filters) : base(nameof(ResidualBlock))
    {
        InChannels = inChannels;
        OutChannels = inChannels + filters;
        unit1 = new Bottleneck(inChannels, filters, 3, bias: false);
        norm1 = Norm.Create(filters);
        unit2 = new Bottleneck(filters, filters, 3, bias: false);
        norm2 = Norm.Create(inChannels + filters);
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels (input + F).</summary>
    public long OutChannels { get; }

    /// <summary>Convolution FLOPs per pixel.</summary>
    public long FlopsPerPixel => unit1.FlopsPerPixel + unit2.FlopsPerPixel;

    /// <summary>Folds <c>norm1</c> into <c>unit1</c> (inference only; <c>norm2</c> acts on the concatenation and stays).</summary>
    internal void FoldBatchNorm() => unit1.FoldFollowingBatchNorm(norm1);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = unit2.forward(nn.functional.relu(unit1.ForwardNormed(x, norm1)));
        var c = cat(new[] { x, y }, 1);
        return nn.functional.relu(norm2.forward(c)).MoveToOuterDisposeScope();
    }
}
