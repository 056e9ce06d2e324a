using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// A two-headed semi-supervised segmentation network in the Deep-SXT mould: a shared encoder, an
/// image decoder that reconstructs the input (trained on unannotated slices) and an annotation
/// decoder with U-Net skips whose tanh output is the membrane label in [−1, 1]. <c>forward</c>
/// runs the label path only. Implemented by <see cref="DeepSxtNet"/> (the published network) and
/// <see cref="SxtUNet"/> (CPU-efficient variants); <see cref="NetworkArchitecture"/> builds either.
/// Inputs are N×C×H×W float tensors (C = <see cref="InputChannels"/>: the slice, with its neighbours
/// for a network with context) with H and W multiples of <see cref="InputMultiple"/>; outputs, and the
/// image reconstruction, are N×1×H×W (the middle slice).
/// </summary>
public abstract class SegmentationNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module (the name is part of nothing persistent).</summary>
    protected SegmentationNetwork(string name) : base(name) { }

    /// <summary>What this network is (family and configuration), as recorded in model cards.</summary>
    public abstract NetworkArchitecture Architecture { get; }

    /// <summary>Input height and width must be multiples of this.</summary>
    public abstract int InputMultiple { get; }

    /// <summary>Input channels: 1, or 2c + 1 neighbouring slices for a network with context c (the segmented slice in the middle).</summary>
    public virtual int InputChannels => 1;

    /// <summary>The middle channel of an N×C×H×W input: the slice that is segmented and reconstructed (the input itself when C = 1).</summary>
    public static Tensor MiddleSlice(Tensor x) => x.shape[1] == 1 ? x : x.narrow(1, x.shape[1] / 2, 1);

    /// <summary>Convolution FLOPs (2 per multiply–add) per input pixel of the label path.</summary>
    public abstract double LabelPathFlopsPerPixel { get; }

    /// <summary>Parameters trained in image mode: the encoder, the bottleneck and the image decoder (not the annotation decoder).</summary>
    public abstract IEnumerable<TorchSharp.Modules.Parameter> ImagePathParameters();

    /// <summary>Image path only (encoder, bottleneck, image decoder): the reconstruction N×1×H×W.</summary>
    public abstract Tensor ForwardImage(Tensor x);

    /// <summary>Both heads from one encoder pass: (tanh label, image reconstruction).</summary>
    public abstract (Tensor Label, Tensor Image) ForwardBoth(Tensor x);

    /// <summary>True when the annotation head is trained as a logit (binary cross-entropy) rather than a tanh.</summary>
    public virtual bool HasLogitHead => false;

    /// <summary>
    /// Both heads for training: (raw label output, image reconstruction). The raw label output is the
    /// logit when <see cref="HasLogitHead"/>, else the tanh output of <see cref="ForwardBoth"/>.
    /// </summary>
    public virtual (Tensor Label, Tensor Image) ForwardRaw(Tensor x) => ForwardBoth(x);

    /// <summary>
    /// Channels of the annotation decoder's output at each level, full resolution first (level k has
    /// 1/2^k of the input's side); empty for networks without a level-wise decoder. Deep supervision
    /// (<see cref="ForwardRawDeep"/>) reads levels 1 and up.
    /// </summary>
    public virtual IReadOnlyList<long> DecoderWidths => Array.Empty<long>();

    /// <summary>
    /// As <see cref="ForwardRaw"/>, plus the annotation decoder's features at the <paramref name="coarseLevels"/>
    /// levels below full resolution (index 0 = level 1, half the side; N×<see cref="DecoderWidths"/>[k + 1]×H/2^(k+1)×W/2^(k+1)),
    /// for auxiliary heads in training (deep supervision). Not every network has them.
    /// </summary>
    public virtual (Tensor Label, Tensor Image, Tensor[] Coarse) ForwardRawDeep(Tensor x, int coarseLevels)
        => throw new NotSupportedException($"{Architecture.Spec} has no level-wise annotation decoder for deep supervision");

    /// <summary>Trainable parameters.</summary>
    public long TrainableParameterCount
    {
        get
        {
            long n = 0;
            foreach (var p in parameters()) if (p.requires_grad) n += p.numel();
            return n;
        }
    }

    /// <summary>Batch-norm running statistics (means and variances).</summary>
    public long BatchNormStatisticCount
    {
        get
        {
            long n = 0;
            foreach (var (name, b) in named_buffers())
                if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)) n += b.numel();
            return n;
        }
    }

    /// <summary>True after <see cref="FoldBatchNorm"/>: the network is then for inference only.</summary>
    public bool IsFolded { get; private set; }

    /// <summary>
    /// Folds every batch norm that directly follows a convolution into it, removing a full pass
    /// over those activations. Inference only: the module must be in eval mode, and training it
    /// afterwards is refused. Call after moving the module to its device and dtype. The saved
    /// weights are unchanged (the folded tensors are not module state).
    /// </summary>
    public void FoldBatchNorm()
    {
        if (training) throw new InvalidOperationException("batch norm can only be folded in eval mode");
        if (IsFolded) return;
        FoldBatchNormCore();
        IsFolded = true;
    }

    /// <summary>Does the folding of <see cref="FoldBatchNorm"/>.</summary>
    protected abstract void FoldBatchNormCore();

    /// <summary>
    /// Re-estimates every batch norm's running statistics as the plain average over train-mode forward
    /// passes of <paramref name="batches"/> (no gradients; each batch made into the network's input by
    /// <paramref name="toInput"/> inside its own dispose scope; the momenta are restored afterwards) and
    /// leaves the network in eval mode.
    /// </summary>
    public void ReestimateBatchNorm<TBatch>(IEnumerable<TBatch> batches, Func<TBatch, Tensor> toInput)
    {
        var norms = modules().OfType<BatchNorm2d>().ToList();
        if (norms.Count == 0) return;
        var momenta = norms.Select(n => n.momentum).ToList();
        using var grad = no_grad();
        foreach (var n in norms)
        {
            n.reset_running_stats();
            n.momentum = null; // cumulative average
        }
        train();
        foreach (var b in batches)
        {
            using var scope = NewDisposeScope();
            ForwardRaw(toInput(b));
        }
        for (int i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
        eval();
    }

    /// <inheritdoc />
    public override void train(bool train = true)
    {
        if (train && IsFolded) throw new InvalidOperationException("a network with folded batch norm is for inference only");
        base.train(train);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="x"/> is N×C×H×W (C = <see cref="InputChannels"/>) with H, W multiples of <see cref="InputMultiple"/>.</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != InputChannels)
            throw new ArgumentException($"expected an N×{InputChannels}×H×W tensor, got [{string.Join(", ", x.shape)}]", nameof(x));
        if (x.shape[2] % InputMultiple != 0 || x.shape[3] % InputMultiple != 0)
            throw new ArgumentException($"height and width must be multiples of {InputMultiple}, got {x.shape[2]} × {x.shape[3]}", nameof(x));
    }
}
