namespace SxtSeg.Evaluation;

/// <summary>Classical segmentations of the tomogram to put the network's scores in context.</summary>
public enum BaselineKind
{
    /// <summary>One global Otsu threshold of the per-slice z-scored tomogram (bright = dense material).</summary>
    Otsu,
    /// <summary>Local mean threshold per slice: brighter than the surrounding ~(2r+1)² window by a fraction of the slice's std (finds thin bright rims).</summary>
    Adaptive,
}
