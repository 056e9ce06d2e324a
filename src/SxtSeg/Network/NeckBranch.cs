using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>One branch of the global bottleneck: 4 × [B(F, k) without bias → BN → ReLU].</summary>
public sealed class NeckBranch : nn.Module<Tensor, Tensor>
{
    /// <summary>Units in a branch.</summary>
    public const int Depth = 4;

    private readonly ModuleList<Bottleneck> units;
    private readonly ModuleList<BatchNorm2d> norms;

    /// <summary>Creates a branch with kernel <paramref name="kernel"/> from <paramref name="inChannels"/> to <paramref name="filters"/> channels.</summary>
    public NeckBranch(long inChannels, long filters, int kernel) : base(nameof(NeckBranch))
    {
        units = new ModuleList<Bottleneck>();
        norms = new ModuleList<BatchNorm2d>();
        long c = inChannels;
        for (int i = 0; i < Depth; i++)
        {
            units.Add(new Bottleneck(c, filters, kernel, bias: false));
            norms.Add(Norm.Create(filters));
            c = filters;
        }
        OutChannels = filters;
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

    /// <summary>Folds every batch norm into its unit (inference only).</summary>
    internal void FoldBatchNorm()
    {
        for (int i = 0; i < Depth; i++) units[i].FoldFollowingBatchNorm(norms[i]);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        for (int i = 0; i < Depth; i++) y = nn.functional.relu(units[i].ForwardNormed(y, norms[i]));
        return y.MoveToOuterDisposeScope();
    }
}
