using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>What besides the membrane labels can help (all optional, same shape as the labels).</summary>
public sealed record FilopodiaExtras
{
    /// <summary>The tomogram: its gold beads (voxels above <see cref="FilopodiaOptions.BeadThreshold"/>) mark filopodia to leave out.</summary>
    public IVolumeReader? Tomogram { get; init; }

    /// <summary>A mask of gold beads (1 = gold); overrides the beads found in <see cref="Tomogram"/>.</summary>
    public IMaskStream? Beads { get; init; }

    /// <summary>
    /// A mask of the cells (1 = cell; rough is fine): its inside, eroded by
    /// <see cref="FilopodiaOptions.CellMaskMarginNm"/>, is never taken for the outside, so holes in the
    /// membrane labels (a top membrane the missing wedge blurred away) cannot flood the cell.
    /// </summary>
    public IMaskStream? CellMask { get; init; }
}
