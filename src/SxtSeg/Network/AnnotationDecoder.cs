using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// The annotation (segmentation) decoder with U-Net skips: four stages, each a
/// <see cref="TransposedUpsample"/> to F = 8m, 4m, 2m, m, concatenation [skip, upsampled] (skip
/// first) and two <see cref="ResidualBlock"/>s; then B(m,3) without bias → BN → ReLU, then the head
/// BN(m) → B(m,3) with bias → 1×1 convolution to one channel with bias → tanh.
/// </summary>
public sealed class AnnotationDecoder : nn.Module
{
    /// <summary>Residual blocks per stage.</summary>
    public const int BlocksPerStage = 2;

    private readonly ModuleList<TransposedUpsample> ups;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Bottleneck tail;
    private readonly BatchNorm2d tail_norm;
    private readonly BatchNorm2d head_norm;
    private readonly Bottleneck head;
    private readonly Conv2d output;
    private readonly double _flopsPerPixel;

    /// <summary>Creates the decoder for base width <paramref name="m"/>.</summary>
    /// <param name="m">Base width.</param>
    /// <param name="inChannels">Channels of the global bottleneck output.</param>
    /// <param name="skipChannels">Encoder skip channels, full resolution first.</param>
    public AnnotationDecoder(int m, long inChannels, IReadOnlyList<long> skipChannels) : base(nameof(AnnotationDecoder))
    {
        ups = new ModuleList<TransposedUpsample>();
        blocks = new ModuleList<ResidualBlock>();
        long c = inChannels;
        double flops = 0;
        for (int i = 0; i < 4; i++)
        {
            long f = (long)m << (3 - i);
            var up = new TransposedUpsample(c, f);
            ups.Add(up);
            double scale = Math.Pow(4, -(4 - i)); // input pixels of this upsampling per full-resolution pixel
            flops += up.FlopsPerInputPixel * scale;
            c = f + skipChannels[3 - i];
            for (int j = 0; j < BlocksPerStage; j++)
            {
                var r = new ResidualBlock(c, f);
                blocks.Add(r);
                flops += r.FlopsPerPixel * scale * 4;
                c = r.OutChannels;
            }
        }
        tail = new Bottleneck(c, m, 3, bias: false);
        tail_norm = Norm.Create(m);
        head_norm = Norm.Create(m);
        head = new Bottleneck(m, m, 3, bias: true);
        output = nn.Conv2d(m, 1, 1, bias: true);
        flops += tail.FlopsPerPixel + head.FlopsPerPixel + 2.0 * m;
        _flopsPerPixel = flops;
        RegisterComponents();
        Init.HeUniform(output.weight!, output.bias);
    }

    /// <summary>Convolution FLOPs per output pixel.</summary>
    public double FlopsPerPixel => _flopsPerPixel;

    /// <summary>Folds the blocks' and the tail's foldable batch norms (inference only).</summary>
    internal void FoldBatchNorm()
    {
        foreach (var r in blocks) r.FoldBatchNorm();
        tail.FoldFollowingBatchNorm(tail_norm);
    }

    /// <summary>Runs the decoder on the bottleneck features and the encoder skips (full resolution first); returns tanh outputs.</summary>
    public Tensor Forward(Tensor z, IReadOnlyList<Tensor> skips)
    {
        using var scope = NewDisposeScope();
        var y = z;
        for (int i = 0; i < 4; i++)
        {
            y = cat(new[] { skips[3 - i], ups[i].forward(y) }, 1);
            for (int j = 0; j < BlocksPerStage; j++) y = blocks[i * BlocksPerStage + j].forward(y);
        }
        y = nn.functional.relu(tail.ForwardNormed(y, tail_norm));
        y = output.forward(head.forward(head_norm.forward(y)));
        return y.tanh().MoveToOuterDisposeScope();
    }
}
