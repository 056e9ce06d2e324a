namespace SxtSeg.Simulation;

/// <summary>Patch sampling and normalisation of the realism test.</summary>
/// <param name="Patch">Patch edge (pixels, a power of two ≥ 8).</param>
/// <param name="Stride">Step between patch origins (pixels).</param>
/// <param name="MinCellFraction">Fraction of a patch that must lie inside the cell mask.</param>
/// <param name="LowPercentile">In-cell percentile mapped to 0.</param>
/// <param name="HighPercentile">In-cell percentile mapped to 1.</param>
public sealed record RealismOptions(int Patch = 64, int Stride = 32, double MinCellFraction = 0.9, double LowPercentile = 1, double HighPercentile = 99)
{
    /// <summary>Key of the error of the percentiles (<see cref="InvalidOptionException.Option"/>): <see cref="LowPercentile"/> and <see cref="HighPercentile"/> together.</summary>
    public const string PercentilesKey = "Percentiles";

    /// <summary>Throws when the options cannot work.</summary>
    public void Validate()
    {
        if (Patch < 8 || (Patch & (Patch - 1)) != 0) throw new InvalidOptionException(nameof(Patch), $"patch size must be a power of two ≥ 8, got {Patch}");
        if (Stride < 1) throw new InvalidOptionException(nameof(Stride), "stride must be at least 1");
        if (!(LowPercentile >= 0 && LowPercentile < HighPercentile && HighPercentile <= 100))
            throw new InvalidOptionException(PercentilesKey, "need 0 ≤ low < high ≤ 100");
    }
}
