using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The encoder: stem B(m,3) with bias → BN → ReLU, then four stages of one
/// <see cref="ResidualBlock"/> each (F = m, 2m, 4m, 8m), each stage's output kept as a skip and
/// followed by 2×2 max pooling. Skips have 2m, 4m, 8m and 16m channels; the output has 16m
/// channels at 1/16 of the input size.
/// </summary>
public sealed class Encoder : nn.Module
{
    /// <summary>Number of stages (and of 2× down-samplings).</summary>
    public const int Stages = 4;

    private readonly Bottleneck stem;
    private readonly BatchNorm2d stem_norm;
    private readonly ModuleList<ResidualBlock> stages;

    /// <summary>Creates the encoder for base width <paramref name="m"/>.</summary>
    public Encoder(int m) : base(nameof(Encoder))
    {
        stem = new Bottleneck(1, m, 3, bias: true);
        stem_norm = Norm.Create(m);
        stages = new ModuleList<ResidualBlock>();
        long c = m;
        var skips = new long[Stages];
        for (int i = 0; i < Stages; i++)
        {
            var r = new ResidualBlock(c, (long)m << i);
            stages.Add(r);
            c = r.OutChannels;
            skips[i] = c;
        }
        SkipChannels = skips;
        OutChannels = c;
        RegisterComponents();
    }

    /// <summary>Channels of the skips, full resolution first.</summary>
    public IReadOnlyList<long> SkipChannels { get; }

    /// <summary>Output channels (16m).</summary>
    public long OutChannels { get; }

    /// <summary>Convolution FLOPs per input pixel.</summary>
    public double FlopsPerPixel
    {
        get
        {
            double f = stem.FlopsPerPixel;
            for (int i = 0; i < Stages; i++) f += stages[i].FlopsPerPixel / Math.Pow(4, i);
            return f;
        }
    }

    /// <summary>Folds the stem's and the blocks' foldable batch norms (inference only).</summary>
    internal void FoldBatchNorm()
    {
        stem.FoldFollowingBatchNorm(stem_norm);
        foreach (var r in stages) r.FoldBatchNorm();
    }

    /// <summary>
    /// Runs the encoder. Returns the 1/16-resolution features and the skips, full resolution first;
    /// all returned tensors belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Features, Tensor[] Skips) Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(stem.ForwardNormed(x, stem_norm));
        var skips = new Tensor[Stages];
        for (int i = 0; i < Stages; i++)
        {
            y = stages[i].forward(y);
            skips[i] = y;
            y = nn.functional.max_pool2d(y, 2, 2);
        }
        foreach (var s in skips) s.MoveToOuterDisposeScope();
        return (y.MoveToOuterDisposeScope(), skips);
    }
}
