using SxtSeg.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// Deep supervision (<c>--deep-supervision W</c>, as in nnU-Net and MemBrain-seg): 1×1 logit heads on the
/// annotation decoder's output at the levels below full resolution (level k: 1/2^k of the side), trained
/// with the label loss against the labels pooled to that level (<see cref="PoolTargets"/>), the loss of level
/// k weighted W/2^(k−1). The heads exist in training only: they start at zero weight (so their first
/// gradients reach the decoder only as they learn), are kept in the checkpoint for <c>--resume</c>, and are
/// not part of the model file, which segments as any other.
/// </summary>
public sealed class DeepSupervisionHeads : nn.Module
{
    /// <summary>Levels supervised below full resolution (1/2 and 1/4 of the side), when the network has them.</summary>
    public const int DefaultLevels = 2;

    /// <summary>Checkpoint section holding the heads' weights.</summary>
    public const string CheckpointSection = "deep-supervision";

    // Field name is a weight key: renaming it breaks checkpoints.
    private readonly ModuleList<Conv2d> heads;

    /// <summary>Creates zero-weight heads for the coarse levels of <paramref name="net"/> (at most <see cref="DefaultLevels"/>), their losses weighted from <paramref name="weight"/> (<see cref="LevelWeight"/>).</summary>
    public DeepSupervisionHeads(SegmentationNetwork net, double weight = 1) : base(nameof(DeepSupervisionHeads))
    {
        if (!(weight > 0)) throw new ArgumentOutOfRangeException(nameof(weight), "the deep-supervision weight is above 0");
        Weight = weight;
        var widths = net.DecoderWidths;
        int levels = Math.Min(DefaultLevels, widths.Count - 1);
        if (levels < 1) throw new ArgumentException($"{net.Architecture.Spec} has no coarse annotation-decoder levels for deep supervision", nameof(net));
        heads = new ModuleList<Conv2d>();
        for (int k = 1; k <= levels; k++) heads.Add(nn.Conv2d(widths[k], 1, 1, bias: true));
        RegisterComponents();
        using (no_grad())
            foreach (var h in heads)
            {
                h.weight!.zero_();
                h.bias!.zero_();
            }
    }

    /// <summary>Weight W of the heads' losses (<c>--deep-supervision W</c>): level k's is W/2^(k−1).</summary>
    public double Weight { get; }

    /// <summary>Coarse levels supervised (level 1 = half the side).</summary>
    public int Levels => heads.Count;

    /// <summary>Logits of coarse level <paramref name="level"/> (1-based) from that level's decoder features.</summary>
    public Tensor Logits(int level, Tensor features) => heads[level - 1].forward(features);

    /// <summary>Weight of level <paramref name="level"/>'s loss relative to the full-resolution one, for option weight <paramref name="w"/>: w / 2^(level − 1).</summary>
    public static double LevelWeight(double w, int level) => w / (1 << (level - 1));

    /// <summary>
    /// The labels of a batch (targets 1 = membrane, weights 0 = ignored; N×1×H×W, float) pooled by
    /// <paramref name="factor"/>: a coarse pixel is membrane when any weighted pixel of its block is (a thin
    /// membrane stays a line at every level), and is counted when it is membrane or when no pixel of its block
    /// is ignored (a block that holds only ignored membrane and background is ignored: its label is unknown).
    /// Tensors belong to the caller's scope.
    /// </summary>
    public static (Tensor Target, Tensor Weight) PoolTargets(Tensor target, Tensor weight, int factor)
    {
        var t = nn.functional.max_pool2d(target * weight, factor, factor);
        var allWeighted = nn.functional.max_pool2d(-weight, factor, factor).neg(); // the block's minimum weight
        return (t, maximum(t, allWeighted));
    }

    /// <summary>Loads the heads' weights saved by <see cref="Save"/>.</summary>
    public void Load(BinaryReader reader)
    {
        using (no_grad()) load(reader, strict: true);
    }

    /// <summary>The heads' weights as bytes (a checkpoint section).</summary>
    public byte[] Save()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) save(w);
        return ms.ToArray();
    }
}
