namespace SxtSeg.Simulation;

/// <summary>Tomographic reconstruction algorithm.</summary>
public enum ReconstructionMethod
{
    /// <summary>Weighted (filtered) back-projection: ramp filter with an apodising window, then back-projection.</summary>
    Wbp,
    /// <summary>Simultaneous iterative reconstruction technique (SIRT), starting from zero.</summary>
    Sirt,
}
