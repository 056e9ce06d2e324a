using SxtSeg.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// The two optimisation steps of semi-supervised Deep-SXT training, each with its own Adam
/// optimiser: <see cref="LabelStep"/> (annotated crops; all weights train; loss
/// 0.01·Huber(input, reconstruction) + 0.99·Huber(label, label output)) and <see cref="ImageStep"/>
/// (unannotated crops; only the encoder, bottleneck and image decoder train; loss
/// 0.5·(1 − SSIM) + 0.5·Huber). Every step runs in its own dispose scope: native memory stays flat.
/// </summary>
public sealed class TrainingSteps : IDisposable
{
    private readonly SegmentationNetwork _net;
    private readonly Device _device;

    /// <summary>Creates the optimisers for <paramref name="net"/> (already on <paramref name="device"/>); <paramref name="membraneWeight"/> weights membrane pixels in the label loss (1 = published loss).</summary>
    public TrainingSteps(SegmentationNetwork net, double learningRate, double adamEpsilon, double ssimRange, Device device, double membraneWeight = 1)
    {
        _net = net;
        _device = device;
        SsimRange = ssimRange;
        MembraneWeight = membraneWeight;
        LabelOptimizer = optim.Adam(net.parameters(), lr: learningRate, beta1: 0.9, beta2: 0.999, eps: adamEpsilon);
        ImageOptimizer = optim.Adam(net.ImagePathParameters(), lr: learningRate, beta1: 0.9, beta2: 0.999, eps: adamEpsilon);
    }

    /// <summary>Adam of label mode (all parameters).</summary>
    public Adam LabelOptimizer { get; }

    /// <summary>Adam of image mode (encoder, bottleneck, image decoder).</summary>
    public Adam ImageOptimizer { get; }

    /// <summary>SSIM dynamic range L.</summary>
    public double SsimRange { get; }

    /// <summary>Weight of membrane pixels in the label loss (1 = the published loss).</summary>
    public double MembraneWeight { get; }

    private Tensor Batch(ReadOnlySpan<float> values, int batch, int size)
    {
        if (values.Length != batch * size * size) throw new ArgumentException($"expected {batch} × {size}² values, got {values.Length}", nameof(values));
        var t = empty(new long[] { batch, 1, size, size }, float32);
        using (var acc = t.data<float>()) acc.CopyFrom(values);
        return _device.type == DeviceType.CPU ? t : t.to(_device);
    }

    /// <summary>One label-mode step on <paramref name="batch"/> crops of <paramref name="size"/>²; returns the loss.</summary>
    public double LabelStep(ReadOnlySpan<float> images, ReadOnlySpan<float> labels, int batch, int size)
    {
        using var scope = NewDisposeScope();
        _net.train();
        var x = Batch(images, batch, size);
        var t = Batch(labels, batch, size);
        var (label, image) = _net.ForwardBoth(x);
        var loss = Losses.LabelMode(x, image, t, label, MembraneWeight);
        LabelOptimizer.zero_grad();
        loss.backward();
        LabelOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>One image-mode step on <paramref name="batch"/> crops of <paramref name="size"/>²; returns the loss.</summary>
    public double ImageStep(ReadOnlySpan<float> images, int batch, int size)
    {
        using var scope = NewDisposeScope();
        _net.train();
        var x = Batch(images, batch, size);
        var image = _net.ForwardImage(x);
        var loss = Losses.ImageMode(x, image, SsimRange);
        ImageOptimizer.zero_grad();
        loss.backward();
        ImageOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>Evaluates one annotated crop in eval mode: (label-mode loss, SSIM, label output, reconstruction).</summary>
    public (double Loss, double Ssim, float[] Label, float[] Image) EvaluateAnnotated(ReadOnlySpan<float> image, ReadOnlySpan<float> label, int size)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        _net.eval();
        var x = Batch(image, 1, size);
        var t = Batch(label, 1, size);
        var (lab, rec) = _net.ForwardBoth(x);
        double loss = Losses.LabelMode(x, rec, t, lab, MembraneWeight).item<float>();
        double ssim = Losses.Ssim(x, rec, SsimRange).item<float>();
        return (loss, ssim, ToArray(lab), ToArray(rec));
    }

    /// <summary>Evaluates one unannotated crop in eval mode: (image-mode loss, SSIM, reconstruction).</summary>
    public (double Loss, double Ssim, float[] Image) EvaluateUnannotated(ReadOnlySpan<float> image, int size)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        _net.eval();
        var x = Batch(image, 1, size);
        var rec = _net.ForwardImage(x);
        double loss = Losses.ImageMode(x, rec, SsimRange).item<float>();
        double ssim = Losses.Ssim(x, rec, SsimRange).item<float>();
        return (loss, ssim, ToArray(rec));
    }

    private static float[] ToArray(Tensor t)
    {
        var c = t.to(float32).cpu().contiguous();
        var a = new float[c.numel()];
        using (var acc = c.data<float>()) acc.CopyTo(a);
        return a;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        LabelOptimizer.Dispose();
        ImageOptimizer.Dispose();
    }
}
