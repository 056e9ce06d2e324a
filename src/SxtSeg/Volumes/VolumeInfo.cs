namespace SxtSeg.Volumes;

/// <summary>
/// Shape and metadata of a volume: dimensions (x, y, z), element type, voxel size in nm (null when
/// the file does not say), origin in nm and free-text labels. Memory order is z, y, x: slices are
/// x–y planes; slice z holds Ny rows of Nx voxels.
/// </summary>
public sealed record VolumeInfo
{
    /// <summary>Creates a description; validates the dimensions.</summary>
    public VolumeInfo(int nx, int ny, int nz, VoxelType type, VoxelSize? voxelSize = null)
    {
        if (nx <= 0 || ny <= 0 || nz <= 0)
            throw new ArgumentOutOfRangeException(nameof(nx), $"dimensions must be positive, got {nx} × {ny} × {nz}");
        Nx = nx; Ny = ny; Nz = nz; Type = type; VoxelSize = voxelSize;
    }

    /// <summary>Voxels along x (columns).</summary>
    public int Nx { get; init; }

    /// <summary>Voxels along y (rows).</summary>
    public int Ny { get; init; }

    /// <summary>Voxels along z (slices).</summary>
    public int Nz { get; init; }

    /// <summary>Element type.</summary>
    public VoxelType Type { get; init; }

    /// <summary>Voxel size in nm, or null when unknown.</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>Origin (position of voxel 0,0,0) in nm.</summary>
    public (double X, double Y, double Z) OriginNm { get; init; }

    /// <summary>Free-text labels (MRC labels, TIFF description lines).</summary>
    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();

    /// <summary>
    /// What the reader decided that the file does not state, one sentence each (e.g. the signedness
    /// of MRC mode-0 bytes without IMOD's flag or header min/max); <c>info</c> shows them and
    /// <c>segment</c> reports them as warnings. Empty for a file that states everything it is read by.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    /// <summary>Voxels per slice.</summary>
    public long SliceLength => (long)Nx * Ny;

    /// <summary>Voxels in the volume.</summary>
    public long VoxelCount => SliceLength * Nz;

    /// <summary>Bytes of voxel data.</summary>
    public long DataBytes => VoxelCount * Type.Size();

    /// <summary>The voxel size, or a clear error asking for <c>--voxel-size</c>.</summary>
    public VoxelSize RequireVoxelSize(string path)
        => VoxelSize is { IsValid: true } v ? v : throw new InvalidInputException(path, "voxel size is not stored in the file; give it with --voxel-size (nm)");

    /// <summary>"984 × 974 × 1 float32, 13 nm".</summary>
    public override string ToString()
        => $"{Nx} × {Ny} × {Nz} {Type.Name()}" + (VoxelSize is { } v ? $", {v}" : ", voxel size unknown");
}
