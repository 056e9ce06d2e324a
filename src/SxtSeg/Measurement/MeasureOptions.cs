namespace SxtSeg.Measurement;

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
