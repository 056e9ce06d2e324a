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

    /// <summary>Channels per group of <see cref="CreateGroup"/>.</summary>
    public const int GroupChannels = 4;

    /// <summary>A GroupNorm with groups of 4 channels (at most 8 groups; ε 1e-5): statistics per image, not per batch.</summary>
    public static GroupNorm CreateGroup(long channels)
    {
        long groups = Math.Clamp(channels / GroupChannels, 1, 8);
        while (channels % groups != 0) groups--;
        return nn.GroupNorm(groups, channels, eps: 1e-5);
    }
}
