using SxtSeg.Volumes;

namespace SxtSeg.Measurement;

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

    /// <summary>Kept objects too small or thin to have a surface (<see cref="ObjectMeasurement.SurfaceResolved"/> false).</summary>
    public int WithoutSurface => Objects.Count(o => !o.SurfaceResolved);

    /// <summary>Marching-cubes triangles measured over all kept objects.</summary>
    public long SurfaceTriangles { get; init; }

    /// <summary>This result with <paramref name="more"/> objects added to <see cref="ExcludedBySize"/> (dropped by size before measuring).</summary>
    internal MeasurementResult WithMoreExcludedBySize(int more)
        => more == 0 ? this : new MeasurementResult(Objects, Info, VoxelSize, Options, ExcludedBySize + more, ExcludedByBorder) { SurfaceTriangles = SurfaceTriangles };
}
