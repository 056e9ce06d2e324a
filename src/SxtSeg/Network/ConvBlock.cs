namespace SxtSeg.Network;

/// <summary>
/// How an <see cref="SxtUNet"/> convolution unit is built.
/// </summary>
public enum ConvBlock
{
    /// <summary>A plain k×k convolution → BN → ReLU (one dense operation: what oneDNN runs fastest).</summary>
    Plain,
    /// <summary>Depthwise-separable: k×k depthwise convolution → 1×1 pointwise convolution → BN → ReLU (fewer FLOPs, one more pass over memory).</summary>
    Separable,
}
