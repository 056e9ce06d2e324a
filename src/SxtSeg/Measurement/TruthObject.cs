namespace SxtSeg.Measurement;

/// <summary>An object of a simulation's <c>truth.json</c> (analytic measures of the whole object).</summary>
/// <param name="Id">Object id, as in the simulator's instance map.</param>
/// <param name="Class">Class name ("mitochondrion", ...).</param>
/// <param name="Kind">Kind ("lysosome", "ER sheet", ...).</param>
/// <param name="ParentId">Id of the enclosing object, if any.</param>
/// <param name="VolumeNm3">Analytic volume.</param>
/// <param name="SurfaceAreaNm2">Analytic surface area.</param>
/// <param name="AxesNm">Full axis lengths of the equivalent ellipsoid (descending).</param>
/// <param name="CutByFieldOfView">True when part of the object lies outside the volume.</param>
public sealed record TruthObject(uint Id, string Class, string Kind, uint? ParentId, double VolumeNm3, double SurfaceAreaNm2, double[] AxesNm, bool CutByFieldOfView);
