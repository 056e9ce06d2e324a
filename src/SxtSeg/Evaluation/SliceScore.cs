namespace SxtSeg.Evaluation;

/// <summary>
/// One slice in the paper's protocol: true positives, false negatives and false positives as
/// percentages of all labelled pixels of the slice (pixels labelled in either), so that they sum
/// to 100 % (Deep-SXT reports 69.8 / 27.7 / 1.3 %, plus 1.2 % artifacts).
/// </summary>
/// <param name="Z">Slice index.</param>
/// <param name="Counts">Pixel counts of the slice (exact overlap).</param>
/// <param name="Tolerant">The slice's counts with the boundary tolerance.</param>
public readonly record struct SliceScore(int Z, Confusion Counts, TolerantScore Tolerant)
{
    /// <summary>Labelled pixels (in either).</summary>
    public long Labelled => Counts.TruePositives + Counts.FalsePositives + Counts.FalseNegatives;

    /// <summary>TP as % of labelled pixels.</summary>
    public double TruePositivePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.TruePositives / Labelled;

    /// <summary>FN as % of labelled pixels.</summary>
    public double FalseNegativePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.FalseNegatives / Labelled;

    /// <summary>FP as % of labelled pixels.</summary>
    public double FalsePositivePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.FalsePositives / Labelled;
}
