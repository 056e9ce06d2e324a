using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingStepsTests
{
    /// <summary>A 32² synthetic slice: noise plus a bright ring (the "membrane") and its label in ±1.</summary>
    internal static (float[] Image, float[] Label) Synthetic(int size, int seed)
    {
        var rng = new Random(seed);
        var image = new float[size * size];
        var label = new float[size * size];
        double cx = size / 2.0 + rng.Next(-3, 4), cy = size / 2.0 + rng.Next(-3, 4), r = size / 4.0 + rng.Next(0, 3);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double d = Math.Abs(Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r);
                bool membrane = d < 1.0;
                image[y * size + x] = (float)((membrane ? 2.0 : 0.0) + 0.3 * (rng.NextDouble() - 0.5));
                label[y * size + x] = membrane ? 1f : -1f;
            }
        SliceNormalization.Default.Apply(image, size, size);
        return (image, label);
    }

    [Fact]
    public void FiftyStepsKeepTheLiveTensorCountFlat()
    {
        // Given a tiny network, its two optimisers and a few synthetic crops
        const int size = 32;
        using var net = DeepSxtNet.Create(2, 3);
        using var steps = new TrainingSteps(net, 1e-3, 1e-7, 8.0, CPU);
        var (img, lbl) = Synthetic(size, 1);
        // When a few warm-up steps have created the optimiser state
        for (int i = 0; i < 4; i++)
        {
            steps.LabelStep(img, lbl, 1, size);
            steps.ImageStep(img, 1, size);
        }
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 25; i++)
        {
            steps.LabelStep(img, lbl, 1, size);
            steps.ImageStep(img, 1, size);
        }
        steps.EvaluateAnnotated(img, lbl, size);
        steps.EvaluateUnannotated(img, size);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        // Then 50 more steps (and two evaluations) leave no tensor behind
        Assert.Equal(before, after);
    }

    [Fact]
    public void LabelAndImageLossesFallOnTinySyntheticData()
    {
        // Given a tiny preset and two synthetic 32² slices
        const int size = 32;
        using var net = DeepSxtNet.Create(4, 5);
        using var steps = new TrainingSteps(net, 1e-3, 1e-7, 8.0, CPU);
        var a = Synthetic(size, 2);
        var b = Synthetic(size, 3);
        var images = a.Image.Concat(b.Image).ToArray();
        var labels = a.Label.Concat(b.Label).ToArray();
        // When it trains 30 steps of each mode
        var labelLoss = new List<double>();
        var imageLoss = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            labelLoss.Add(steps.LabelStep(images, labels, 2, size));
            imageLoss.Add(steps.ImageStep(images, 2, size));
        }
        // Then both losses fall clearly
        Assert.True(labelLoss.TakeLast(3).Average() < 0.6 * labelLoss.Take(3).Average(), $"label loss {string.Join(", ", labelLoss)}");
        Assert.True(imageLoss.TakeLast(3).Average() < 0.8 * imageLoss.Take(3).Average(), $"image loss {string.Join(", ", imageLoss)}");
    }

    [Fact]
    public void ImageStepLeavesTheAnnotationDecoderUntouched()
    {
        // Given a tiny network after one label step (so every parameter has Adam state and a gradient)
        const int size = 32;
        using var net = DeepSxtNet.Create(2, 9);
        using var steps = new TrainingSteps(net, 1e-3, 1e-7, 8.0, CPU);
        var (img, lbl) = Synthetic(size, 4);
        steps.LabelStep(img, lbl, 1, size);
        var labelDecoder = net.named_parameters().Where(p => p.name.StartsWith("label_decoder.", StringComparison.Ordinal)).ToArray();
        var encoder = net.named_parameters().Where(p => p.name.StartsWith("encoder.", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(labelDecoder);
        var beforeLabel = labelDecoder.Select(p => p.parameter.detach().clone()).ToArray();
        var beforeEncoder = encoder.Select(p => p.parameter.detach().clone()).ToArray();
        // When image-mode steps run
        for (int i = 0; i < 3; i++) steps.ImageStep(img, 1, size);
        // Then the annotation decoder's weights are unchanged and the encoder's have moved
        for (int i = 0; i < labelDecoder.Length; i++) Assert.True(labelDecoder[i].parameter.allclose(beforeLabel[i], 0, 0), labelDecoder[i].name);
        Assert.Contains(Enumerable.Range(0, encoder.Length), i => !encoder[i].parameter.allclose(beforeEncoder[i], 0, 0));
    }
}
