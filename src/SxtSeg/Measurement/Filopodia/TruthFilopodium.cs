namespace SxtSeg.Measurement.Filopodia;

/// <summary>A filopodium (or microvillus) of a simulation's <c>truth.json</c>: the protruding part's exact measures.</summary>
/// <param name="Id">Instance id (as in instances.mrc).</param>
/// <param name="Kind">"filopodium" or "microvillus".</param>
/// <param name="VolumeNm3">Volume of the protruding part (cylinder and tip cap).</param>
/// <param name="SurfaceAreaNm2">Its membrane area (no base).</param>
/// <param name="AxesNm">Equivalent-ellipsoid full axes, descending.</param>
/// <param name="RadiusNm">Tube radius.</param>
/// <param name="LengthNm">Length from the base to the tip: the tube's path length from where its axis leaves the cell plus the tip cap's radius.</param>
/// <param name="CutByFieldOfView">Part of it lies outside the volume.</param>
public sealed record TruthFilopodium(uint Id, string Kind, double VolumeNm3, double SurfaceAreaNm2, double[] AxesNm, double RadiusNm, double LengthNm, bool CutByFieldOfView);
