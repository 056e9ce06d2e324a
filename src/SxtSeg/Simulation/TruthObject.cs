namespace SxtSeg.Simulation;

/// <summary>Ground truth of one object in the field of view (all lengths in nm, coordinates with voxel (i, j, k) centred at (i·Δ, j·Δ, k·Δ)).</summary>
/// <param name="Id">Instance id (as in instances.mrc).</param>
/// <param name="Class">Class.</param>
/// <param name="Kind">Finer kind.</param>
/// <param name="ParentId">Instance id of the enclosing object (0 for none or when the parent lies outside the field of view).</param>
/// <param name="VolumeNm3">Analytic volume of the whole object (also outside the field of view).</param>
/// <param name="SurfaceAreaNm2">Analytic surface area.</param>
/// <param name="AxisLengthsNm">Full lengths of the principal axes of the equivalent ellipsoid (same second moments), descending.</param>
/// <param name="CentreNm">Centroid.</param>
/// <param name="CutByFieldOfView">True when part of the object lies outside the field of view.</param>
/// <param name="Shape">Shape type ("sphere", "ellipsoid", "tube", "sheet", "adherent-cell").</param>
/// <param name="ShapeParameters">Defining parameters of the shape.</param>
/// <param name="MembraneCount">Membrane surfaces labelled for this object.</param>
/// <param name="Lac">Mean LAC of the content (1/µm).</param>
public sealed record TruthObject(int Id, SimClass Class, string Kind, int ParentId, double VolumeNm3, double SurfaceAreaNm2,
    double[] AxisLengthsNm, V3 CentreNm, bool CutByFieldOfView, string Shape, IReadOnlyDictionary<string, object> ShapeParameters, int MembraneCount, double Lac);
