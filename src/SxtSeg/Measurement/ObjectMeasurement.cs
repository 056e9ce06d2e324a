using SxtSeg.Morphology;
using SxtSeg.Volumes;

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

/// <summary>Mean and sample standard deviation of a quantity over several values.</summary>
/// <param name="Mean">Mean (NaN when there are no values).</param>
/// <param name="Sd">Sample standard deviation (n − 1; NaN with fewer than two values).</param>
/// <param name="N">Number of values.</param>
public readonly record struct MeanSd(double Mean, double Sd, int N)
{
    /// <summary>Mean and SD of the values (NaN values skipped).</summary>
    public static MeanSd Of(IEnumerable<double> values)
    {
        var w = new Welford();
        foreach (double v in values) if (!double.IsNaN(v)) w.Add(v);
        return w.Result;
    }
}

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

    /// <summary>Volume enclosed by the smoothed surface mesh (nm³); close to <see cref="VolumeNm3"/> for bulky objects.</summary>
    public required double MeshVolumeNm3 { get; init; }

    /// <summary>Area of the smoothed marching-cubes surface (nm²).</summary>
    public required double SurfaceAreaNm2 { get; init; }

    /// <summary>Surface area / volume in 1/µm.</summary>
    public double SurfaceToVolumePerUm => VolumeNm3 > 0 ? SurfaceAreaNm2 / VolumeNm3 * 1000 : double.NaN;

    /// <summary>Sphericity π^(1/3)·(6V)^(2/3)/A: 1 for a sphere, smaller for other shapes.</summary>
    public double Sphericity => SurfaceAreaNm2 > 0 ? Math.Cbrt(Math.PI) * Math.Pow(6 * VolumeNm3, 2.0 / 3) / SurfaceAreaNm2 : double.NaN;

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

/// <summary>A point or direction in nm (x, y, z).</summary>
/// <param name="X">x.</param>
/// <param name="Y">y.</param>
/// <param name="Z">z.</param>
public readonly record struct Vec3Nm(double X, double Y, double Z);

/// <summary>All objects' measurements and how they were made.</summary>
public sealed class MeasurementResult
{
    /// <summary>Creates a result.</summary>
    public MeasurementResult(IReadOnlyList<ObjectMeasurement> objects, VolumeInfo info, VoxelSize voxelSize, MeasureOptions options, int excludedBySize, int excludedByBorder)
    {
        Objects = objects;
        Info = info;
        VoxelSize = voxelSize;
        Options = options;
        ExcludedBySize = excludedBySize;
        ExcludedByBorder = excludedByBorder;
    }

    /// <summary>The kept objects, in label order.</summary>
    public IReadOnlyList<ObjectMeasurement> Objects { get; }

    /// <summary>The labelled volume's shape.</summary>
    public VolumeInfo Info { get; }

    /// <summary>Voxel size used (nm).</summary>
    public VoxelSize VoxelSize { get; }

    /// <summary>Options used.</summary>
    public MeasureOptions Options { get; }

    /// <summary>Objects left out by the size filters of <see cref="MeasureOptions"/>.</summary>
    public int ExcludedBySize { get; }

    /// <summary>Objects left out because they touch the volume's faces.</summary>
    public int ExcludedByBorder { get; }

    /// <summary>Marching-cubes triangles measured over all kept objects.</summary>
    public long SurfaceTriangles { get; init; }
}

/// <summary>Options of <see cref="ObjectMeasurer"/>.</summary>
public sealed record MeasureOptions
{
    /// <summary>Taubin λ|μ iterations applied to each marching-cubes mesh before its area is taken (default 10; 0 = raw staircase mesh, about 8 % too large).</summary>
    public int SurfaceSmoothing { get; init; } = 10;

    /// <summary>Objects with fewer voxels are left out (default 1).</summary>
    public long MinVoxels { get; init; } = 1;

    /// <summary>Objects with more voxels are left out.</summary>
    public long MaxVoxels { get; init; } = long.MaxValue;

    /// <summary>Leave out objects touching a face of the volume (cut by the field of view), as the paper did.</summary>
    public bool ExcludeBorder { get; init; }

    /// <summary>Most Taubin iterations (each is a pass over every surface; the area settles within a few dozen).</summary>
    public const int MaxSurfaceSmoothing = 1000;

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> keyed by the property name.</summary>
    public void Validate()
    {
        if (SurfaceSmoothing < 0 || SurfaceSmoothing > MaxSurfaceSmoothing) throw new InvalidOptionException(nameof(SurfaceSmoothing), $"must be 0..{MaxSurfaceSmoothing} iterations, got {SurfaceSmoothing}");
        if (MinVoxels < 0) throw new InvalidOptionException(nameof(MinVoxels), "must be ≥ 0");
        if (MaxVoxels < MinVoxels) throw new InvalidOptionException(nameof(MaxVoxels), "must not be below the minimum object size");
    }
}
