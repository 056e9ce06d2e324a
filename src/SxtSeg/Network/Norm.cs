using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>Batch normalisation with the TensorFlow defaults the authors trained with.</summary>
internal static class Norm
{
    /// <summary>Keras BatchNormalization epsilon.</summary>
    public const double Epsilon = 1e-3;

    /// <summary>PyTorch-convention momentum equal to Keras momentum 0.99.</summary>
    public const double Momentum = 0.01;

    /// <summary>A BatchNorm2d with ε = 1e-3 and momentum 0.01.</summary>
    public static BatchNorm2d Create(long channels) => nn.BatchNorm2d(channels, eps: Epsilon, momentum: Momentum);
}
