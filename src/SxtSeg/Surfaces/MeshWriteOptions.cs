namespace SxtSeg.Surfaces;

/// <summary>How meshes are written.</summary>
public sealed record MeshWriteOptions
{
    /// <summary>Seed of the per-object colours.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Split the combined file into parts of at most this many triangles (whole objects per part); the format's own limit always applies.</summary>
    public long MaxTrianglesPerFile { get; init; } = long.MaxValue;

    /// <summary>Provenance written into each file's header or comments.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Unit of the coordinates in the file (meshes are built in nm).</summary>
    public MeshUnits Units { get; init; } = MeshUnits.Nanometre;
}
