namespace SxtSeg.Simulation;

/// <summary>Requested and achieved amounts of one organelle type.</summary>
/// <param name="Class">The class.</param>
/// <param name="Kind">Kind placed ("mitochondrion", "tubule"...).</param>
/// <param name="Count">Objects placed in the simulated domain.</param>
/// <param name="RequestedVolumeNm3">Target volume (fraction × cytoplasm volume).</param>
/// <param name="PlacedVolumeNm3">Volume placed.</param>
public sealed record PlacementSummary(SimClass Class, string Kind, int Count, double RequestedVolumeNm3, double PlacedVolumeNm3);
