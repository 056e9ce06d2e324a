namespace SxtSeg.Measurement.Filopodia;

/// <summary>How <see cref="FilopodiaAnalysis"/> fills the cells from their membrane labels.</summary>
public enum FillMode
{
    /// <summary>In 3D; but when the 3D fill leaves almost nothing inside (labels open at the top and bottom), slice by slice.</summary>
    Auto,

    /// <summary>In 3D: the background connected to the volume's top or bottom face is outside (closed membranes, e.g. exact labels).</summary>
    Volume,

    /// <summary>Slice by slice in 2D (side walls seen as rings), then a majority over neighbouring slices.</summary>
    Slices,
}
