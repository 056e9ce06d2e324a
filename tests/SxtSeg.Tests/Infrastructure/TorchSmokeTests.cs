using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// Proves the native libtorch loads (the build marks libLibTorchSharp.so's GLIBCXX_3.4.32
/// requirement weak; see docs/build.md) and that tensor maths and a convolution run.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TorchSmokeTests
{
    [Fact]
    public void TensorArithmeticGivesHandComputedValues()
    {
        using var scope = NewDisposeScope();
        // Given
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);
        // When
        var c = matmul(a, b);
        // Then: [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]]
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void ConvolutionWithKnownKernelMatchesHandComputation()
    {
        using var scope = NewDisposeScope();
        // Given a 3×3 input 1..9 and an all-ones 3×3 kernel with zero padding 1
        var x = arange(1, 10, dtype: float32).reshape(1, 1, 3, 3);
        var w = ones(1, 1, 3, 3);
        // When
        var y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });
        // Then each output is the sum of the 3×3 neighbourhood
        Assert.Equal(new float[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }, y.data<float>().ToArray());
        // and a module conv runs forward and backward
        var conv = nn.Conv2d(1, 4, 3, padding: 1);
        var o = conv.forward(randn(2, 1, 8, 8));
        o.sum().backward();
        Assert.Equal(new long[] { 2, 4, 8, 8 }, o.shape);
        Assert.NotNull(conv.weight!.grad);
    }
}
