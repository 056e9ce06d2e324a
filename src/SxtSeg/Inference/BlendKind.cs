namespace SxtSeg.Inference;

/// <summary>Shape of the weighting window used to blend overlapping tiles.</summary>
public enum BlendKind
{
    /// <summary>Gaussian centred on the tile, σ = tile/8 per axis (nnU-Net's choice).</summary>
    Gaussian,
    /// <summary>Raised cosine (Hann) per axis.</summary>
    Cosine,
    /// <summary>Plain average (the published Deep-SXT code); shows seams, kept for comparison.</summary>
    Average,
}
