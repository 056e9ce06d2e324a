namespace SxtSeg.Measurement.Filopodia;

/// <summary>How many protrusions were found and why some were not counted as filopodia.</summary>
/// <param name="Candidates">Protrusions found (thin parts of the cell, at least the minimum diameter thick somewhere).</param>
/// <param name="Detached">Not attached to a cell body (nothing to be a base on).</param>
/// <param name="TooShort">Shorter than the minimum length.</param>
/// <param name="TooThin">Mean diameter below the minimum.</param>
/// <param name="TooWide">Mean diameter above the maximum (sheets, not rods).</param>
/// <param name="CutByFieldOfView">Filopodia touching a face of the volume.</param>
/// <param name="NearBead">Filopodia near a gold bead.</param>
/// <param name="InSummary">Filopodia in the summary.</param>
public sealed record FilopodiaCounts(int Candidates, int Detached, int TooShort, int TooThin, int TooWide, int CutByFieldOfView, int NearBead, int InSummary)
{
    /// <summary>Filopodia found (in the summary or not).</summary>
    public int Found => Candidates - Detached - TooShort - TooThin - TooWide;
}
