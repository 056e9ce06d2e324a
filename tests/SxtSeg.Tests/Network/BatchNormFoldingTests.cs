using SxtSeg.Network;
using TorchSharp;
using SxtSeg.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

[Collection(TorchCollection.Name)]
public sealed class BatchNormFoldingTests
{
    [Fact]
    public void FoldedNetworkComputesTheSameLabels()
    {
        using var scope = NewDisposeScope();
        // Given a tiny network whose batch norms have non-trivial statistics and affine parameters
        using var net = DeepSxtNet.Create(2, 21);
        random.manual_seed(5);
        using (no_grad())
        {
            foreach (var (name, t) in net.state_dict())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) t.copy_(rand_like(t) - 0.5);
                else if (name.EndsWith("running_var", StringComparison.Ordinal)) t.copy_(rand_like(t) * 1.5 + 0.5);
                else if (name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal)) t.copy_(rand_like(t) * 0.5 + 0.75);
                else if (name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("bias", StringComparison.Ordinal)) t.copy_(rand_like(t) * 0.2 - 0.1);
            }
        }
        // (in float64, so that the comparison sees the algebra and not 40 layers of float32 rounding)
        net.to(float64);
        net.eval();
        var x = randn(2, 1, 32, 32, dtype: float64);
        var before = net.forward(x);
        var weightsBefore = ModelFile.SerializeWeights(net);
        Assert.True(before.abs().max().item<double>() <= 1.0);
        // When the batch norms are folded
        net.FoldBatchNorm();
        var after = net.forward(x);
        // Then the label outputs agree to float rounding, the saved weights are unchanged, and training is refused
        double maxDiff = (before - after).abs().max().item<double>();
        Assert.True(maxDiff < 1e-9, $"max difference {maxDiff}");
        Assert.Equal(weightsBefore, ModelFile.SerializeWeights(net));
        Assert.Throws<InvalidOperationException>(() => net.train());
    }
}
