using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// 3×3 stride-2 transposed convolution with bias and TensorFlow "same" semantics: the output is
/// exactly twice the input size. The full transposed convolution (padding 0) yields 2n + 1 pixels;
/// TensorFlow's padding of 1 is placed entirely after, so the last row and column are cropped
/// (not PyTorch's padding 1 + output_padding 1, which crops the first row and column instead).
/// </summary>
public sealed class TransposedUpsample : nn.Module<Tensor, Tensor>
{
    private readonly ConvTranspose2d deconv;

    /// <summary>Creates the upsampling from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public TransposedUpsample(long inChannels, long outChannels) : base(nameof(TransposedUpsample))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        deconv = nn.ConvTranspose2d(inChannels, outChannels, 3, stride: 2, padding: 0, bias: true);
        RegisterComponents();
        Init.HeUniform(deconv.weight!, deconv.bias);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>FLOPs per input pixel (each input pixel scatters a 3×3 kernel to every output channel).</summary>
    public long FlopsPerInputPixel => 2 * InChannels * OutChannels * 9;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long h = x.shape[2], w = x.shape[3];
        var full = deconv.forward(x);
        // A strided view: the next concatenation or convolution reads it without an extra copy here.
        return full.narrow(2, 0, 2 * h).narrow(3, 0, 2 * w).MoveToOuterDisposeScope();
    }
}
