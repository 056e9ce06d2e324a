using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// The losses and image metrics of Deep-SXT training: Huber in the Keras form, SSIM as in
/// TensorFlow's <c>tf.image.ssim</c> (11 × 11 Gaussian window, σ = 1.5, k1 = 0.01, k2 = 0.03,
/// valid convolution, mean over the map), and the two mode losses.
/// </summary>
public static class Losses
{
    /// <summary>Huber δ used for every term.</summary>
    public const double HuberDelta = 0.1;

    /// <summary>SSIM window size.</summary>
    public const int SsimWindow = 11;

    /// <summary>SSIM Gaussian σ.</summary>
    public const double SsimSigma = 1.5;

    /// <summary>SSIM constants.</summary>
    public const double SsimK1 = 0.01, SsimK2 = 0.03;

    /// <summary>Huber loss, mean over all elements: 0.5·x² where |x| ≤ δ, δ·(|x| − 0.5·δ) elsewhere.</summary>
    public static Tensor Huber(Tensor prediction, Tensor target, double delta = HuberDelta)
        => nn.functional.huber_loss(prediction, target, delta);

    /// <summary>The normalised 11 × 11 Gaussian window as a 1×1×11×11 tensor like <paramref name="like"/>.</summary>
    public static Tensor GaussianWindow(Tensor like)
    {
        var g = new float[SsimWindow];
        double sum = 0;
        for (int i = 0; i < SsimWindow; i++)
        {
            double d = i - (SsimWindow - 1) / 2.0;
            g[i] = (float)Math.Exp(-d * d / (2 * SsimSigma * SsimSigma));
            sum += g[i];
        }
        var w = new float[SsimWindow * SsimWindow];
        for (int i = 0; i < SsimWindow; i++)
            for (int j = 0; j < SsimWindow; j++)
                w[i * SsimWindow + j] = (float)(g[i] * g[j] / (sum * sum));
        return tensor(w, new long[] { 1, 1, SsimWindow, SsimWindow }, dtype: like.dtype, device: like.device);
    }

    /// <summary>
    /// Mean SSIM of single-channel images N×1×H×W (H, W ≥ 11) with dynamic range
    /// <paramref name="range"/>, per image then averaged over the batch (differentiable).
    /// </summary>
    public static Tensor Ssim(Tensor x, Tensor y, double range)
    {
        using var scope = NewDisposeScope();
        double c1 = Math.Pow(SsimK1 * range, 2), c2 = Math.Pow(SsimK2 * range, 2);
        return SsimMap(x, y, t => t + c1, t => t + c2).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean SSIM with the dynamic range of each target image (max − min of <paramref name="x"/> per
    /// image, at least 1, the robust SD of normalised slices, so flat crops stay stable): the published global range (≈ 76–110 on standardised slices) puts c2
    /// far above local variances, so 1 − SSIM hardly moves; a per-crop range keeps the term informative.
    /// </summary>
    public static Tensor SsimPerImage(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var flat = x.detach().flatten(1);
        var range = (flat.amax(new long[] { 1 }) - flat.amin(new long[] { 1 })).clamp_min(1.0).reshape(-1, 1, 1, 1);
        var c1 = (range * SsimK1).square();
        var c2 = (range * SsimK2).square();
        return SsimMap(x, y, t => t + c1, t => t + c2).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The SSIM map of <paramref name="x"/> and <paramref name="y"/> in a Gaussian window: luminance ×
    /// contrast-structure, each stabilised by adding its constant (<paramref name="addC1"/>,
    /// <paramref name="addC2"/>: a number for one range, a per-image tensor for per-image ranges).
    /// Tensors belong to the caller's scope.
    /// </summary>
    private static Tensor SsimMap(Tensor x, Tensor y, Func<Tensor, Tensor> addC1, Func<Tensor, Tensor> addC2)
    {
        var w = GaussianWindow(x);
        Tensor Filter(Tensor t) => nn.functional.conv2d(t, w);
        var mx = Filter(x);
        var my = Filter(y);
        var num0 = mx * my * 2;
        var den0 = mx.square() + my.square();
        var luminance = addC1(num0) / addC1(den0);
        var num1 = Filter(x * y) * 2;
        var den1 = Filter(x.square() + y.square());
        var cs = addC2(num1 - num0) / addC2(den1 - den0);
        return luminance * cs;
    }

    /// <summary>
    /// Image-mode loss of the SxtSeg recipe: 0.5·(1 − SSIM with per-crop range) + 0.5·Huber(input, reconstruction).
    /// </summary>
    public static Tensor ImageModePerCrop(Tensor input, Tensor reconstruction)
    {
        using var scope = NewDisposeScope();
        var loss = (1 - SsimPerImage(input, reconstruction)) * 0.5 + Huber(reconstruction, input) * 0.5;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Label loss of the SxtSeg recipe on logits N×1×H×W: binary cross-entropy plus soft Dice, both
    /// over the pixels with weight 1 (<paramref name="weight"/> 0 = ignored: membranes a slice cannot
    /// show, unannotated pixels). BCE is the mean over weighted pixels; Dice = 1 − (2Σwpt + 1)/(Σwp + Σwt + 1)
    /// over the whole batch, p = σ(logit). Targets are 0/1.
    /// </summary>
    public static Tensor BceDice(Tensor logits, Tensor target, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var bce = WeightedBce(logits, target, weight);
        var p = logits.sigmoid() * weight;
        var inter = (p * target).sum();
        var dice = 1 - (inter * 2 + 1) / (p.sum() + (target * weight).sum() + 1);
        return (bce + dice).MoveToOuterDisposeScope();
    }

    /// <summary>Binary cross-entropy of logits, the mean over the weighted pixels (weight 0 = ignored).</summary>
    private static Tensor WeightedBce(Tensor logits, Tensor target, Tensor weight)
        => nn.functional.binary_cross_entropy_with_logits(logits, target, weight, reduction: nn.Reduction.Sum) / weight.sum().clamp_min(1);

    /// <summary>
    /// The largest of each pixel and its four edge neighbours (N×1×H×W, zero outside the image): a
    /// dilation by the in-plane part of the ±1-voxel tolerance the evaluation uses (Euclidean ≤ 1).
    /// </summary>
    public static Tensor DilateByOne(Tensor x)
    {
        using var scope = NewDisposeScope();
        long h = x.shape[2], w = x.shape[3];
        var pad = nn.functional.pad(x, new long[] { 1, 1, 1, 1 });
        Tensor Shift(long dy, long dx) => pad.narrow(2, 1 + dy, h).narrow(3, 1 + dx, w);
        var m = maximum(maximum(Shift(-1, 0), Shift(1, 0)), maximum(Shift(0, -1), Shift(0, 1)));
        return maximum(x, m).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Label loss with a tolerant Dice (<c>--dice tolerant</c>): BCE as in <see cref="BceDice"/> plus
    /// 1 − F1 within ±1 pixel, the soft form of the score the evaluation reports. Over the weighted
    /// pixels of the batch, with p = σ(logit)·w and t = target·w: recall = (Σ t·D(p) + 1)/(Σ t + 1),
    /// precision = (Σ p·D(t) + 1)/(Σ p + 1), F1 = 2PR/(P + R), D = <see cref="DilateByOne"/>. A
    /// prediction one pixel beside the truth costs nothing in this term, as in the score; the exact
    /// Dice counts it as a miss and a false positive at once.
    /// </summary>
    public static Tensor BceTolerantDice(Tensor logits, Tensor target, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var bce = WeightedBce(logits, target, weight);
        var p = logits.sigmoid() * weight;
        var t = target * weight;
        var recall = ((t * DilateByOne(p)).sum() + 1) / (t.sum() + 1);
        var precision = ((p * DilateByOne(t)).sum() + 1) / (p.sum() + 1);
        var f1 = precision * recall * 2 / (precision + recall);
        return (bce + (1 - f1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The skeleton-recall term (<c>--skeleton-recall W</c>; Kirchhoff et al., ECCV 2024) on logits
    /// N×1×H×W: 1 − (Σ p·s + 1)/(Σ s + 1) over the batch, p = σ(logit), s = the tubed skeleton of the
    /// label (<see cref="TubedSkeleton.Compute"/>, already restricted to weighted pixels). It rewards
    /// covering the middle of every membrane line, however faint or short, and is weighed against
    /// precision only by the other terms.
    /// </summary>
    public static Tensor SkeletonRecall(Tensor logits, Tensor skeleton)
    {
        using var scope = NewDisposeScope();
        var p = logits.sigmoid();
        var recall = ((p * skeleton).sum() + 1) / (skeleton.sum() + 1);
        return (1 - recall).MoveToOuterDisposeScope();
    }

    /// <summary>Image-mode loss: 0.5·(1 − SSIM) + 0.5·Huber(input, reconstruction).</summary>
    public static Tensor ImageMode(Tensor input, Tensor reconstruction, double range)
    {
        using var scope = NewDisposeScope();
        var loss = (1 - Ssim(input, reconstruction, range)) * 0.5 + Huber(reconstruction, input) * 0.5;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Label-mode loss: 0.01·Huber(input, reconstruction) + 0.99·Huber(label, label output) — the
    /// published loss when <paramref name="membraneWeight"/> is 1. Otherwise the label term is a
    /// weighted mean Σw·h / Σw with weight <paramref name="membraneWeight"/> on membrane pixels
    /// (label &gt; 0) and 1 elsewhere: the Huber loss on ±1 targets behaves like L1 and so predicts
    /// membrane only where it is more likely than not; with weight w the break-even point moves to a
    /// membrane probability of 1/(1 + w), trading a little precision for recall of faint membranes.
    /// </summary>
    public static Tensor LabelMode(Tensor input, Tensor reconstruction, Tensor label, Tensor labelOutput, double membraneWeight = 1)
    {
        using var scope = NewDisposeScope();
        Tensor labelTerm;
        if (membraneWeight == 1) labelTerm = Huber(labelOutput, label);
        else
        {
            var h = nn.functional.huber_loss(labelOutput, label, HuberDelta, reduction: nn.Reduction.None);
            var w = (label > 0).to(h.dtype) * (membraneWeight - 1) + 1;
            labelTerm = (h * w).sum() / w.sum();
        }
        var loss = Huber(reconstruction, input) * 0.01 + labelTerm * 0.99;
        return loss.MoveToOuterDisposeScope();
    }
}
