namespace SxtSeg.Morphology;

/// <summary>Voxel neighbourhoods in 3D (and the matching ones in a slice: 4 for 6, 8 for 18 and 26).</summary>
public enum Connectivity
{
    /// <summary>Face neighbours (6).</summary>
    Six = 6,
    /// <summary>Face and edge neighbours (18).</summary>
    Eighteen = 18,
    /// <summary>Face, edge and corner neighbours (26), MATLAB's and MIB's default.</summary>
    TwentySix = 26,
}
