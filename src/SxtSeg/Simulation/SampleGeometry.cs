namespace SxtSeg.Simulation;

/// <summary>How the specimen is held.</summary>
public enum SampleGeometry
{
    /// <summary>Adherent cells on a grid in a flat vitreous-ice slab (BESSY, ALBA, Diamond): tilt range limited, missing wedge.</summary>
    Slab,
    /// <summary>Cells suspended in a thin glass capillary filled with ice, capillary axis along y (ALS XM-2): full ±90° rotation.</summary>
    Capillary,
}
