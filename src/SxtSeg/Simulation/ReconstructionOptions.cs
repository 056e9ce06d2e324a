namespace SxtSeg.Simulation;

/// <summary>Reconstruction settings.</summary>
/// <param name="Method">WBP or SIRT.</param>
/// <param name="Filter">Window of the WBP ramp filter.</param>
/// <param name="Iterations">SIRT iterations.</param>
/// <param name="Relaxation">SIRT relaxation factor (1 is the classic update).</param>
/// <param name="Cutoff">WBP radial filter cutoff (cycles/pixel; 0.5 = none): above it the filter falls off as a Gaussian, like IMOD's RADIAL option.</param>
/// <param name="Falloff">Standard deviation of that Gaussian fall-off (cycles/pixel).</param>
public sealed record ReconstructionOptions(
    ReconstructionMethod Method = ReconstructionMethod.Wbp,
    FbpFilter Filter = FbpFilter.Ramp,
    int Iterations = 20,
    double Relaxation = 1.0,
    double Cutoff = 0.5,
    double Falloff = 0.05);
