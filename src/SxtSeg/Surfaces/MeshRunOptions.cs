using System.Globalization;

namespace SxtSeg.Surfaces;

/// <summary>Settings of a mesh run (<c>sxtseg mesh</c>, the demo's surfaces).</summary>
public sealed record MeshRunOptions
{
    /// <summary>File format.</summary>
    public MeshFormat Format { get; init; } = MeshFormat.Ply;
    /// <summary>Unit of the coordinates in the files.</summary>
    public MeshUnits Units { get; init; } = MeshUnits.Nanometre;
    /// <summary>Taubin smoothing iterations (0 = raw voxel-face-midpoint surface).</summary>
    public int Smoothing { get; init; } = 10;
    /// <summary>Fraction of the triangles to keep, in (0, 1]; null keeps them all.</summary>
    public double? Decimate { get; init; }
    /// <summary>Seed of the per-object colours.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Split the combined file into parts of at most this many triangles.</summary>
    public long MaxTrianglesPerFile { get; init; } = long.MaxValue;
    /// <summary>Also write one file per object (objects/object_ID.EXT).</summary>
    public bool PerObject { get; init; }
    /// <summary>Also render preview.png (two views).</summary>
    public bool Preview { get; init; }

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> keyed by the property name.</summary>
    public void Validate()
    {
        if (Smoothing < 0) throw new InvalidOptionException(nameof(Smoothing), "must be ≥ 0");
        if (Decimate is { } k && !(k > 0 && k <= 1))
            throw new InvalidOptionException(nameof(Decimate), $"fraction must be in (0, 1], got {k.ToString(CultureInfo.InvariantCulture)}");
        if (MaxTrianglesPerFile < 1) throw new InvalidOptionException(nameof(MaxTrianglesPerFile), "must be ≥ 1");
    }

    /// <summary>Records the settings in <paramref name="provenance"/> (format, smooth, seed, units, decimate).</summary>
    public Provenance Record(Provenance provenance)
    {
        provenance.Set("format", Format.ToString().ToLowerInvariant()).Set("smooth", Smoothing).Set("seed", Seed).Set("units", Units.Name());
        if (Decimate is { } d) provenance.Set("decimate", d);
        return provenance;
    }
}
