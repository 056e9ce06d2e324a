namespace SxtSeg.Network;

/// <summary>Normalisation layer after each convolution of an <see cref="SxtUNet"/>.</summary>
public enum NormKind
{
    /// <summary>Batch norm (ε 1e-3, momentum 0.01): folded into the convolution for inference.</summary>
    Batch,
    /// <summary>Group norm (groups of 4 channels, at most 8 groups): independent of the batch, not foldable.</summary>
    Group,
}
