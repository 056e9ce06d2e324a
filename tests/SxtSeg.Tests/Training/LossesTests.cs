using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class LossesTests
{
    [Fact]
    public void HuberMatchesTheKerasFormByHand()
    {
        using var scope = NewDisposeScope();
        // Given differences 0, 0.05 (quadratic zone) and 0.3, −0.2 (linear zone) with δ = 0.1
        var pred = tensor(new float[] { 0f, 0.05f, 0.3f, -0.2f });
        var target = zeros(4);
        // When
        double h = Losses.Huber(pred, target).item<float>();
        // Then mean(0, 0.5·0.05², 0.1·(0.3 − 0.05), 0.1·(0.2 − 0.05)) = (0.00125 + 0.025 + 0.015) / 4
        Assert.Equal(0.0103125, h, 1e-7);
    }

    [Fact]
    public void SsimOfConstantImagesIsTheLuminanceTerm()
    {
        using var scope = NewDisposeScope();
        // Given constant images 1 and 3 and range L = 10 (c1 = 0.01, c2 = 0.09)
        var x = full(new long[] { 1, 1, 16, 16 }, 1f);
        var y = full(new long[] { 1, 1, 16, 16 }, 3f);
        // When / Then: (2·1·3 + c1)/(1 + 9 + c1) · (0 + c2)/(0 + c2) = 6.01/10.01
        Assert.Equal(6.01 / 10.01, Losses.Ssim(x, y, 10).item<float>(), 1e-5);
        Assert.Equal(1.0, Losses.Ssim(x, x, 10).item<float>(), 1e-5);
    }

    [Fact]
    public void SsimMatchesAnIndependentDirectComputation()
    {
        using var scope = NewDisposeScope();
        // Given two 13 × 12 images (a 3 × 2 map of 11 × 11 windows)
        const int h = 13, w = 12;
        var rng = new Random(4);
        var a = new float[h * w];
        var b = new float[h * w];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 4 - 2);
            b[i] = 0.7f * a[i] + (float)(rng.NextDouble() - 0.5);
        }
        const double range = 6;
        // When SSIM is computed with tensors
        double got = Losses.Ssim(tensor(a, new long[] { 1, 1, h, w }), tensor(b, new long[] { 1, 1, h, w }), range).item<float>();
        // Then it equals a direct double-precision evaluation of the TensorFlow formula
        var g = new double[11];
        for (int i = 0; i < 11; i++) g[i] = Math.Exp(-(i - 5) * (i - 5) / (2 * 1.5 * 1.5));
        double gs = g.Sum();
        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2), total = 0;
        int count = 0;
        for (int oy = 0; oy + 11 <= h; oy++)
            for (int ox = 0; ox + 11 <= w; ox++)
            {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int i = 0; i < 11; i++)
                    for (int j = 0; j < 11; j++)
                    {
                        double wt = g[i] * g[j] / (gs * gs), xv = a[(oy + i) * w + ox + j], yv = b[(oy + i) * w + ox + j];
                        mx += wt * xv; my += wt * yv; mxx += wt * xv * xv; myy += wt * yv * yv; mxy += wt * xv * yv;
                    }
                double lum = (2 * mx * my + c1) / (mx * mx + my * my + c1);
                double cs = (2 * (mxy - mx * my) + c2) / ((mxx - mx * mx) + (myy - my * my) + c2);
                total += lum * cs;
                count++;
            }
        Assert.Equal(6, count);
        Assert.Equal(total / count, got, 1e-4);
    }

    [Fact]
    public void ModeLossesWeightTheirTerms()
    {
        using var scope = NewDisposeScope();
        // Given input 0, reconstruction 0.05 everywhere (Huber 0.00125), label 1 and label output 0.8 (Huber 0.1·(0.2 − 0.05) = 0.015)
        var x = zeros(1, 1, 16, 16);
        var rec = full(new long[] { 1, 1, 16, 16 }, 0.05f);
        var label = ones(1, 1, 16, 16);
        var output = full(new long[] { 1, 1, 16, 16 }, 0.8f);
        // Then label mode = 0.01·0.00125 + 0.99·0.015
        Assert.Equal(0.01 * 0.00125 + 0.99 * 0.015, Losses.LabelMode(x, rec, label, output).item<float>(), 1e-7);
        // and image mode with identical images is 0.5·(1 − 1) + 0.5·0 = 0
        Assert.Equal(0.0, Losses.ImageMode(rec, rec, 10).item<float>(), 1e-6);
    }

    [Fact]
    public void MembraneWeightWeighsMembranePixelsInTheLabelTerm()
    {
        using var scope = NewDisposeScope();
        // Given 4 pixels: two membrane pixels (label 1) predicted 0.8 (Huber 0.015 each) and two
        // background pixels (label −1) predicted −0.95 (Huber 0.5·0.05² = 0.00125 each); perfect reconstruction
        var x = zeros(1, 1, 2, 2);
        var label = tensor(new float[] { 1, 1, -1, -1 }, new long[] { 1, 1, 2, 2 });
        var output = tensor(new float[] { 0.8f, 0.8f, -0.95f, -0.95f }, new long[] { 1, 1, 2, 2 });
        // When membrane pixels weigh 4
        double weighted = Losses.LabelMode(x, x, label, output, 4).item<float>();
        // Then the label term is (4·0.015·2 + 0.00125·2) / (4·2 + 2) and weight 1 is the published plain mean
        Assert.Equal(0.99 * (4 * 0.015 * 2 + 0.00125 * 2) / 10, weighted, 1e-7);
        Assert.Equal(0.99 * (0.015 + 0.00125) / 2, Losses.LabelMode(x, x, label, output, 1).item<float>(), 1e-7);
    }
}
