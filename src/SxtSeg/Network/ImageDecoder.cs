using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The image decoder (reconstructs the input; no skips): four stages of
/// <see cref="TransposedUpsample"/> to F = 8m, 4m, 2m, m followed by one <see cref="ResidualBlock"/>,
/// then B(m,3) without bias → BN → ReLU, then the linear head B(m,3), B(m,3), B(1,3) with bias.
/// </summary>
public sealed class ImageDecoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<TransposedUpsample> ups;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Bottleneck tail;
    private readonly BatchNorm2d tail_norm;
    private readonly Bottleneck head1;
    private readonly Bottleneck head2;
    private readonly Bottleneck head3;

    /// <summary>Creates the decoder for base width <paramref name="m"/> reading <paramref name="inChannels"/> channels.</summary>
    public ImageDecoder(int m, long inChannels) : base(nameof(ImageDecoder))
    {
        ups = new ModuleList<TransposedUpsample>();
        blocks = new ModuleList<ResidualBlock>();
        long c = inChannels;
        for (int i = 0; i < 4; i++)
        {
            long f = (long)m << (3 - i);
            ups.Add(new TransposedUpsample(c, f));
            var r = new ResidualBlock(f, f);
            blocks.Add(r);
            c = r.OutChannels;
        }
        tail = new Bottleneck(c, m, 3, bias: false);
        tail_norm = Norm.Create(m);
        head1 = new Bottleneck(m, m, 3, bias: true);
        head2 = new Bottleneck(m, m, 3, bias: true);
        head3 = new Bottleneck(m, 1, 3, bias: true);
        RegisterComponents();
    }

    /// <summary>Folds the blocks' and the tail's foldable batch norms (inference only).</summary>
    internal void FoldBatchNorm()
    {
        foreach (var r in blocks) r.FoldBatchNorm();
        tail.FoldFollowingBatchNorm(tail_norm);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var y = z;
        for (int i = 0; i < 4; i++) y = blocks[i].forward(ups[i].forward(y));
        y = nn.functional.relu(tail.ForwardNormed(y, tail_norm));
        return head3.forward(head2.forward(head1.forward(y))).MoveToOuterDisposeScope();
    }
}
