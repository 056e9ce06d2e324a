namespace SxtSeg.Measurement.Filopodia;

/// <summary>How <see cref="CellBody"/> turns a body model's output into a cell mask.</summary>
public sealed record CellBodyOptions
{
    /// <summary>Pixel size (nm) the tomogram's x–y slices are binned to before the body model sees them (the bin factor is round(this / voxel size), at least 1).</summary>
    public double PixelNm { get; init; } = CellBody.DefaultPixelNm;

    /// <summary>Probability above which a binned pixel is cell (null: the model card's threshold).</summary>
    public double? Threshold { get; init; }

    /// <summary>3D components (6-connected, binned) smaller than this fraction of the largest are dropped.</summary>
    public double MinComponentFraction { get; init; } = 0.1;

    /// <summary>Network workers (each one libtorch thread).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        if (!(PixelNm > 0) || !double.IsFinite(PixelNm)) throw new InvalidOptionException(nameof(PixelNm), $"the binned pixel size must be a positive number of nm, got {PixelNm}");
        if (Threshold is { } t && !(t > 0 && t < 1)) throw new InvalidOptionException(nameof(Threshold), $"the threshold must be between 0 and 1, got {t}");
        if (!(MinComponentFraction >= 0 && MinComponentFraction <= 1)) throw new InvalidOptionException("MinComponentFraction", $"must be 0–1, got {MinComponentFraction}");
        if (Workers < 1 || Workers > 64) throw new InvalidOptionException(nameof(Workers), $"must be 1..64, got {Workers}");
    }
}
