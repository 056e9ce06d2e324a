using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

[Collection(TorchCollection.Name)]
public sealed class NetworkArchitectureTests
{
    [Theory]
    [InlineData(64, 76_483_502L, 57_728L)]
    [InlineData(16, 4_791_542L, 14_432L)]
    [InlineData(8, 1_201_666L, 7_216L)]
    public void ParameterCountsMatchThePublishedNetwork(int m, long trainable, long statistics)
    {
        // Given the network of width m
        using var net = new DeepSxtNet(m);
        // When its parameters and batch-norm buffers are counted
        // Then they equal the counts of the authors' network and the closed form
        Assert.Equal(trainable, net.TrainableParameterCount);
        Assert.Equal(statistics, net.BatchNormStatisticCount);
        Assert.Equal(trainable, NetworkPreset.TrainableParameters(m));
        Assert.Equal(statistics, NetworkPreset.BatchNormStatistics(m));
    }

    [Fact]
    public void PaperPresetTotalsSeventySixPointFiveMillion()
    {
        Assert.Equal(76_541_230L, NetworkPreset.TrainableParameters(64) + NetworkPreset.BatchNormStatistics(64));
        Assert.Equal(64, NetworkPreset.Get("paper").Width);
    }

    [Fact]
    public void LabelPathFlopsMatchTheReferencePort()
    {
        // The PyTorch reference port measured 26.4 kFLOP/px at m = 8 and 106 at m = 16 (label path, convolutions).
        using var n8 = new DeepSxtNet(8);
        using var n16 = new DeepSxtNet(16);
        Assert.InRange(n8.LabelPathFlopsPerPixel / 1e3, 26.0, 26.9);
        Assert.InRange(n16.LabelPathFlopsPerPixel / 1e3, 104, 108);
    }

    [Fact]
    public void TransposedUpsampleHasTensorFlowSameSizeAndPlacement()
    {
        using var scope = NewDisposeScope();
        // Given a 1→1 channel upsampling with kernel 1..9 and zero bias
        using var up = new TransposedUpsample(1, 1);
        var w = up.parameters().First(p => p.dim() == 4);
        var b = up.parameters().First(p => p.dim() == 1);
        using (no_grad())
        {
            w.copy_(arange(1, 10, dtype: float32).reshape(1, 1, 3, 3));
            b.zero_();
        }
        // When a 2×2 input with a single 1 at (row 1, col 1) goes through
        var x = zeros(1, 1, 2, 2);
        x[0, 0, 1, 1] = tensor(1f);
        var y = up.forward(x);
        // Then the output is 4×4 and the kernel lands at rows/cols 2..4 (TF "same": output = 2i + k),
        // its last row and column cropped away
        Assert.Equal(new long[] { 1, 1, 4, 4 }, y.shape);
        var expected = new float[]
        {
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 1, 2,
            0, 0, 4, 5,
        };
        Assert.Equal(expected, y.contiguous().data<float>().ToArray());
        // and a 1 at (0, 0) places the whole kernel in the top-left corner
        var x0 = zeros(1, 1, 2, 2);
        x0[0, 0, 0, 0] = tensor(1f);
        var y0 = up.forward(x0).contiguous().data<float>().ToArray();
        Assert.Equal(new float[] { 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 0 }, y0);
    }

    [Fact]
    public void EvenKernelBottleneckPadsBottomAndRight()
    {
        using var scope = NewDisposeScope();
        // Given B(2, 2) on one channel with identity 1×1 convolutions and a 2×2 all-ones middle kernel
        using var unit = new Bottleneck(1, 2, 2, bias: false);
        var ws = unit.parameters().ToArray(); // conv1 [1,1,1,1], conv2 [1,1,2,2], conv3 [2,1,1,1]
        using (no_grad())
        {
            ws[0].fill_(1);
            ws[1].fill_(1);
            ws[2].fill_(1);
        }
        // When a 3×3 input 1..9 goes through
        var x = arange(1, 10, dtype: float32).reshape(1, 1, 3, 3);
        var y = unit.forward(x);
        // Then each output is the sum of the pixel, its right, lower and lower-right neighbours
        // (TensorFlow puts the one padding pixel after), same size as the input
        Assert.Equal(new long[] { 1, 2, 3, 3 }, y.shape);
        Assert.Equal(new float[] { 12, 16, 9, 24, 28, 15, 15, 17, 9 }, y[0, 0].contiguous().data<float>().ToArray());
    }

    [Fact]
    public void ForwardShapesAndLabelRange()
    {
        using var scope = NewDisposeScope();
        // Given a tiny network and a 2×1×32×48 input
        using var net = DeepSxtNet.Create(2, 7);
        net.eval();
        var x = randn(2, 1, 32, 48);
        // When both heads run
        var (label, image) = net.ForwardBoth(x);
        var labelOnly = net.forward(x);
        // Then the outputs have the input's shape, the label lies in [−1, 1] and the label path alone gives the same label
        Assert.Equal(x.shape, label.shape);
        Assert.Equal(x.shape, image.shape);
        Assert.True(label.abs().max().item<float>() <= 1f);
        Assert.True(labelOnly.allclose(label, rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => net.forward(randn(1, 1, 40, 32)));
    }

    [Fact]
    public void SameSeedGivesSameWeights()
    {
        using var a = DeepSxtNet.Create(2, 11);
        using var b = DeepSxtNet.Create(2, 11);
        using var c = DeepSxtNet.Create(2, 12);
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        var pc = c.parameters().ToArray();
        Assert.All(Enumerable.Range(0, pa.Length), i => Assert.True(pa[i].allclose(pb[i], 0, 0)));
        Assert.Contains(Enumerable.Range(0, pa.Length), i => !pa[i].allclose(pc[i], 0, 0));
    }
}
