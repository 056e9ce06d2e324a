namespace SxtSeg.Inference;

/// <summary>How the probability map is written (if at all).</summary>
public enum ProbabilityOutput
{
    /// <summary>Not written.</summary>
    None,
    /// <summary>float32 in [0, 1] (MRC mode 2).</summary>
    Float32,
    /// <summary>float16 in [0, 1] (MRC mode 12, half the size of float32).</summary>
    Float16,
    /// <summary>
    /// One byte per voxel, round(p·127) in 0..127 (MRC mode 0): the same values whether a reader
    /// takes mode 0 as signed (MRC2014, mrcfile, napari) or unsigned (IMOD); divide by 127 for p.
    /// </summary>
    Byte,
}
