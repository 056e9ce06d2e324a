using SxtSeg.Morphology;

namespace SxtSeg.Measurement;

/// <summary>Running mean and variance (Welford).</summary>
internal struct Welford
{
    private double _mean, _m2;
    private int _n;

    public void Add(double x)
    {
        _n++;
        double d = x - _mean;
        _mean += d / _n;
        _m2 += d * (x - _mean);
    }

    public readonly MeanSd Result => new(_n > 0 ? _mean : double.NaN, _n > 1 ? Math.Sqrt(_m2 / (_n - 1)) : double.NaN, _n);
}

/// <summary>
/// The 3D measurements of one object, in nm, plus the mean and SD of its 2D cross-section measures
/// over the slices it occupies.
/// </summary>
public sealed record ObjectMeasurement
{
    /// <summary>Object id (instance value or component number).</summary>
    public required uint ObjectId { get; init; }

    /// <summary>Dense label (1..N) in the label stream.</summary>
    public required int Label { get; init; }

    /// <summary>Voxel count.</summary>
    public required long Voxels { get; init; }

    /// <summary>Volume: voxels × voxel volume (nm³), as MIB and regionprops3.</summary>
    public required double VolumeNm3 { get; init; }

    /// <summary>
    /// Smallest ratio of the volume the smoothed surface encloses to the voxel volume at which the
    /// surface is taken as resolved (<see cref="SurfaceResolved"/>). Below it the object is too small or
    /// too thin for its voxels to have a surface: smoothing shrinks it towards a point or a line (a
    /// single voxel encloses 0.005 % of its volume after 10 iterations, a one-voxel-thick line a few
    /// per cent). Measured on voxelised spheres at 10 iterations: radius 2 voxels (32 voxels) encloses
    /// 0.87 of its voxel volume, area within 5 % of the sphere of that volume; radius 1.5 (14 voxels)
    /// 0.66, area 19 % short (docs/morphometrics.md).
    /// </summary>
    public const double MinEnclosedFraction = 0.85;

    /// <summary>
    /// True when the smoothed surface encloses at least <see cref="MinEnclosedFraction"/> of the voxel
    /// volume. When false, every measure of the surface (<see cref="MeshVolumeNm3"/>,
    /// <see cref="SurfaceAreaNm2"/>, <see cref="SurfaceToVolumePerUm"/>, <see cref="Sphericity"/> and the
    /// three extents) is NaN (an empty cell), not a value that is wrong by a factor.
    /// </summary>
    public required bool SurfaceResolved { get; init; }

    /// <summary>Volume enclosed by the smoothed surface mesh (nm³); close to <see cref="VolumeNm3"/> for bulky objects; NaN unless <see cref="SurfaceResolved"/>.</summary>
    public required double MeshVolumeNm3 { get; init; }

    /// <summary>Area of the smoothed marching-cubes surface (nm²); NaN unless <see cref="SurfaceResolved"/>.</summary>
    public required double SurfaceAreaNm2 { get; init; }

    /// <summary>Surface area / the volume the surface encloses, in 1/µm (both of the same surface).</summary>
    public double SurfaceToVolumePerUm => MeshVolumeNm3 > 0 ? SurfaceAreaNm2 / MeshVolumeNm3 * 1000 : double.NaN;

    /// <summary>
    /// Sphericity π^(1/3)·(6V)^(2/3)/A with A the surface's area and V the volume it encloses: 1 for a
    /// sphere, smaller for any other closed surface (the isoperimetric inequality), so never above 1.
    /// </summary>
    public double Sphericity => SurfaceAreaNm2 > 0 && MeshVolumeNm3 > 0 ? Math.Cbrt(Math.PI) * Math.Pow(6 * MeshVolumeNm3, 2.0 / 3) / SurfaceAreaNm2 : double.NaN;

    /// <summary>Centroid (nm, with the volume's origin).</summary>
    public required Vec3Nm Centroid { get; init; }

    /// <summary>Bounding box in voxel indices (inclusive).</summary>
    public required VoxelBox Box { get; init; }

    /// <summary>True when the object touches a face of the volume (cut by the field of view).</summary>
    public required bool TouchesBorder { get; init; }

    /// <summary>Major axis of the ellipsoid with the same second moments (the fitted, equivalent ellipsoid), 2·√(5λ1) (nm); 2a for an ellipsoid of semi-axis a.</summary>
    public required double MajorAxisNm { get; init; }

    /// <summary>Second axis of the equivalent ellipsoid, 2·√(5λ2) (nm).</summary>
    public required double SecondAxisNm { get; init; }

    /// <summary>Third axis of the equivalent ellipsoid, 2·√(5λ3) (nm).</summary>
    public required double ThirdAxisNm { get; init; }

    /// <summary>Extent of the smoothed surface along the first principal axis (MIB's MajorAxisLength, which MIB takes between voxel centres) (nm).</summary>
    public required double MajorExtentNm { get; init; }

    /// <summary>Extent along the second principal axis (MIB's SecondAxisLength) (nm).</summary>
    public required double SecondExtentNm { get; init; }

    /// <summary>Extent along the third principal axis (MIB's ThirdAxisLength) (nm).</summary>
    public required double ThirdExtentNm { get; init; }

    /// <summary>Unit direction of the first principal axis (x, y, z), largest component positive.</summary>
    public required Vec3Nm MajorDirection { get; init; }

    /// <summary>Number of slices the object occupies.</summary>
    public required int Slices { get; init; }

    /// <summary>Cross-section area over the object's slices (nm²).</summary>
    public required MeanSd Area2D { get; init; }

    /// <summary>Cross-section perimeter over the object's slices (nm).</summary>
    public required MeanSd Perimeter2D { get; init; }

    /// <summary>First axis of the equivalent ellipse over the object's slices (nm).</summary>
    public required MeanSd FirstAxis2D { get; init; }

    /// <summary>Second axis of the equivalent ellipse over the object's slices (nm).</summary>
    public required MeanSd SecondAxis2D { get; init; }

    /// <summary>First extent (MIB's FirstAxisLength) over the object's slices (nm).</summary>
    public required MeanSd FirstExtent2D { get; init; }

    /// <summary>Second extent (MIB's SecondAxisLength) over the object's slices (nm).</summary>
    public required MeanSd SecondExtent2D { get; init; }

    /// <summary>Eccentricity over the object's slices.</summary>
    public required MeanSd Eccentricity2D { get; init; }
}
