using SxtSeg.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// The optimisation steps of SxtSeg's recipe, each with its own Adam optimiser as in Deep-SXT:
/// <see cref="LabelStep"/> (annotated crops; all weights train; loss = BCE + soft Dice, exact or
/// within ±1 pixel, on the logit head over weighted pixels, optionally plus a weighted skeleton recall, plus 0.01·Huber of the image reconstruction) and
/// <see cref="ImageStep"/> (any crops; encoder and image decoder train; 0.5·(1 − SSIM with a
/// per-crop range) + 0.5·Huber). The image decoder's target is the middle input plane, or a given
/// target plane per crop (the noise-free twin: <see cref="TrainingOptions.CleanTarget"/>). The learning rate is set before every step (warm-up, cosine).
/// Every step runs in its own dispose scope: native memory stays flat.
/// </summary>
public sealed class RecipeSteps : IDisposable
{
    private readonly SegmentationNetwork _net;
    private readonly Device _device;
    private byte[] _skeleton = Array.Empty<byte>(); // the skeleton-recall target of the last batch, reused across steps

    /// <summary>Creates the optimisers for <paramref name="net"/> (already on <paramref name="device"/>).</summary>
    /// <param name="net">The network.</param>
    /// <param name="learningRate">Peak learning rate.</param>
    /// <param name="adamEpsilon">Adam's ε.</param>
    /// <param name="device">Device of the network.</param>
    /// <param name="tolerantDice">Tolerant instead of exact Dice.</param>
    /// <param name="skeletonRecall">Weight of the skeleton-recall term (0 = off).</param>
    /// <param name="deepSupervision">Heads of coarse decoder levels (on <paramref name="device"/>, with their loss weight), trained with the label optimiser; null = no deep supervision.</param>
    public RecipeSteps(SegmentationNetwork net, double learningRate, double adamEpsilon, Device device, bool tolerantDice = false, double skeletonRecall = 0,
        DeepSupervisionHeads? deepSupervision = null)
    {
        TolerantDice = tolerantDice;
        if (!(skeletonRecall >= 0)) throw new ArgumentOutOfRangeException(nameof(skeletonRecall), "the skeleton-recall weight is at least 0");
        SkeletonRecallWeight = skeletonRecall;
        if (!net.HasLogitHead) throw new ArgumentException("the SxtSeg recipe trains a network with a logit head (head=logit)", nameof(net));
        _net = net;
        _device = device;
        DeepSupervision = deepSupervision;
        var labelParameters = deepSupervision is null ? net.parameters() : net.parameters().Concat(deepSupervision.parameters());
        LabelOptimizer = optim.Adam(labelParameters, lr: learningRate, beta1: 0.9, beta2: 0.999, eps: adamEpsilon);
        ImageOptimizer = optim.Adam(net.ImagePathParameters(), lr: learningRate, beta1: 0.9, beta2: 0.999, eps: adamEpsilon);
    }

    /// <summary>True when the label loss is <see cref="Losses.BceTolerantDice"/> instead of <see cref="Losses.BceDice"/>.</summary>
    public bool TolerantDice { get; }

    /// <summary>Weight of <see cref="Losses.SkeletonRecall"/> in the label loss (0 = not used).</summary>
    public double SkeletonRecallWeight { get; }

    /// <summary>Heads of deep supervision, with their loss weight (null when off).</summary>
    public DeepSupervisionHeads? DeepSupervision { get; }

    /// <summary>Adam of label mode (all parameters, and the deep-supervision heads).</summary>
    public Adam LabelOptimizer { get; }

    /// <summary>Adam of image mode (encoder, bottleneck, image decoder).</summary>
    public Adam ImageOptimizer { get; }

    /// <summary>Sets the learning rate of both optimisers.</summary>
    public void SetLearningRate(double lr)
    {
        foreach (var g in LabelOptimizer.ParamGroups) g.LearningRate = lr;
        foreach (var g in ImageOptimizer.ParamGroups) g.LearningRate = lr;
    }

    private Tensor Batch<T>(ReadOnlySpan<T> values, int batch, int size, ScalarType type, int planes = 1) where T : unmanaged
    {
        if (values.Length != batch * planes * size * size) throw new ArgumentException($"expected {batch} × {planes} × {size}² values, got {values.Length}", nameof(values));
        var t = empty(new long[] { batch, planes, size, size }, type);
        using (var acc = t.data<T>()) acc.CopyFrom(values);
        if (type != float32) t = t.to(float32);
        return _device.type == DeviceType.CPU ? t : t.to(_device);
    }

    /// <summary>
    /// One label-mode step on <paramref name="batch"/> crops of <paramref name="size"/>²: images
    /// (normalised; <see cref="SegmentationNetwork.InputChannels"/> planes per crop), targets
    /// (1 = membrane) and weights (0 = ignored) of the middle plane; returns (total loss, label loss).
    /// The image head's small reconstruction term aims at <paramref name="imageTargets"/> (one plane per
    /// crop, e.g. noise-free twins) when given, else at the middle input plane.
    /// </summary>
    public (double Loss, double LabelLoss) LabelStep(ReadOnlySpan<float> images, ReadOnlySpan<byte> targets, ReadOnlySpan<byte> weights, int batch, int size, ReadOnlySpan<float> imageTargets = default)
    {
        using var scope = NewDisposeScope();
        _net.train();
        var x = Batch(images, batch, size, float32, _net.InputChannels);
        var t = Batch(targets, batch, size, ScalarType.Byte);
        var w = Batch(weights, batch, size, ScalarType.Byte);
        Tensor logits, image;
        Tensor[] coarse = Array.Empty<Tensor>();
        if (DeepSupervision is null) (logits, image) = _net.ForwardRaw(x);
        else (logits, image, coarse) = _net.ForwardRawDeep(x, DeepSupervision.Levels);
        var label = LabelLoss(logits, t, w);
        if (DeepSupervision is not null)
        {
            for (int k = 1; k <= coarse.Length; k++)
            {
                var (tk, wk) = DeepSupervisionHeads.PoolTargets(t, w, 1 << k);
                label = label + LabelLoss(DeepSupervision.Logits(k, coarse[k - 1]), tk, wk) * DeepSupervisionHeads.LevelWeight(DeepSupervision.Weight, k);
            }
        }
        if (SkeletonRecallWeight > 0)
        {
            if (_skeleton.Length != targets.Length) _skeleton = new byte[targets.Length];
            TubedSkeleton.Compute(targets, weights, batch, size, _skeleton);
            label = label + Losses.SkeletonRecall(logits, Batch<byte>(_skeleton, batch, size, ScalarType.Byte)) * SkeletonRecallWeight;
        }
        var loss = label + Losses.Huber(image, ImageTarget(x, imageTargets, batch, size)) * 0.01;
        LabelOptimizer.zero_grad();
        loss.backward();
        LabelOptimizer.step();
        return (loss.item<float>(), label.item<float>());
    }

    private Tensor LabelLoss(Tensor logits, Tensor target, Tensor weight)
        => TolerantDice ? Losses.BceTolerantDice(logits, target, weight) : Losses.BceDice(logits, target, weight);

    /// <summary>
    /// One image-mode step; returns the loss. The reconstruction aims at <paramref name="imageTargets"/>
    /// (one plane per crop: the denoising target of <see cref="TrainingOptions.CleanTarget"/>) when
    /// given, else at the middle input plane (the paper's autoencoder).
    /// </summary>
    public double ImageStep(ReadOnlySpan<float> images, int batch, int size, ReadOnlySpan<float> imageTargets = default)
    {
        using var scope = NewDisposeScope();
        _net.train();
        var x = Batch(images, batch, size, float32, _net.InputChannels);
        var image = _net.ForwardImage(x);
        var loss = Losses.ImageModePerCrop(ImageTarget(x, imageTargets, batch, size), image);
        ImageOptimizer.zero_grad();
        loss.backward();
        ImageOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>The image decoder's target: the given planes, else the middle plane of the input.</summary>
    private Tensor ImageTarget(Tensor x, ReadOnlySpan<float> imageTargets, int batch, int size) =>
        imageTargets.IsEmpty ? SegmentationNetwork.MiddleSlice(x) : Batch(imageTargets, batch, size, float32);

    /// <summary>
    /// Re-estimates every batch norm's running statistics as the plain average over the given
    /// batches (train-mode forward passes without gradients; momentum restored afterwards): running
    /// averages trained at momentum 0.01 lag the weights, and inference folds them into the convolutions.
    /// </summary>
    public void RecalibrateBatchNorm(IEnumerable<float[]> batches, int size) =>
        _net.ReestimateBatchNorm(batches, b => Batch<float>(b, b.Length / (_net.InputChannels * size * size), size, float32, _net.InputChannels));

    /// <inheritdoc />
    public void Dispose()
    {
        LabelOptimizer.Dispose();
        ImageOptimizer.Dispose();
    }
}
