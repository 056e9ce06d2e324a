using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>A sequence of <see cref="ConvUnit"/>s (the first changes the channel count).</summary>
public sealed class ConvStack : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvUnit> units;

    /// <summary>Creates <paramref name="depth"/> units from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ConvStack(long inChannels, long outChannels, int depth, ConvBlock block, NormKind norm = NormKind.Batch) : base(nameof(ConvStack))
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), "a stack needs at least one unit");
        units = new ModuleList<ConvUnit>();
        long c = inChannels;
        for (int i = 0; i < depth; i++)
        {
            units.Add(new ConvUnit(c, outChannels, block, norm));
            c = outChannels;
        }
        OutChannels = outChannels;
        RegisterComponents();
    }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Convolution FLOPs per pixel.</summary>
    public long FlopsPerPixel
    {
        get
        {
            long f = 0;
            foreach (var u in units) f += u.FlopsPerPixel;
            return f;
        }
    }

    /// <summary>Folds every unit's batch norm (inference only).</summary>
    internal void FoldBatchNorm()
    {
        foreach (var u in units) u.FoldBatchNorm();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var u in units) y = u.forward(y);
        return y.MoveToOuterDisposeScope();
    }
}
