namespace SxtSeg.Simulation;

/// <summary>Radially averaged power spectrum of a slice.</summary>
/// <param name="Frequency">Bin centres in cycles per pixel (0 .. 0.5).</param>
/// <param name="Power">Mean power per bin.</param>
public sealed record RadialSpectrum(double[] Frequency, double[] Power);
