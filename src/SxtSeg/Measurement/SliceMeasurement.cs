namespace SxtSeg.Measurement;

/// <summary>
/// An object's cross-section in one slice (all its voxels in that slice, even when they form
/// several pieces). Lengths in nm, areas in nm².
/// </summary>
/// <param name="ObjectId">Object id (instance value or component number).</param>
/// <param name="Z">Slice index.</param>
/// <param name="Pixels">Pixels of the cross-section.</param>
/// <param name="AreaNm2">Area: pixels × voxel width × voxel height.</param>
/// <param name="PerimeterNm">Boundary length by the Cauchy–Crofton formula over 8 directions (estimates the smooth outline; MATLAB's traced perimeter runs through pixel centres and is shorter on small objects).</param>
/// <param name="FirstAxisNm">First (major) axis of the ellipse with the same second moments, 4√λ1 (regionprops MajorAxisLength).</param>
/// <param name="SecondAxisNm">Second (minor) axis of that ellipse, 4√λ2 (regionprops MinorAxisLength).</param>
/// <param name="Eccentricity">Eccentricity of that ellipse, √(1 − λ2/λ1) (regionprops Eccentricity): 0 for a circle, towards 1 for a line.</param>
/// <param name="FirstExtentNm">Extent along the first principal axis between boundary midpoints (MIB's FirstAxisLength, which MIB takes between pixel centres).</param>
/// <param name="SecondExtentNm">Extent along the second principal axis (MIB's SecondAxisLength).</param>
/// <param name="CentroidXNm">Centroid x (nm, with the volume's origin).</param>
/// <param name="CentroidYNm">Centroid y (nm).</param>
public sealed record SliceMeasurement(
    uint ObjectId, int Z, long Pixels, double AreaNm2, double PerimeterNm, double FirstAxisNm, double SecondAxisNm, double Eccentricity,
    double FirstExtentNm, double SecondExtentNm, double CentroidXNm, double CentroidYNm);
