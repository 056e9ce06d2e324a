using System.Globalization;

namespace SxtSeg.Volumes;

/// <summary>Voxel edge lengths in nanometres along x, y and z.</summary>
public readonly record struct VoxelSize(double X, double Y, double Z)
{
    /// <summary>An isotropic voxel of edge <paramref name="nm"/>.</summary>
    public static VoxelSize Isotropic(double nm) => new(nm, nm, nm);

    /// <summary>True when every edge is a positive finite number.</summary>
    public bool IsValid => X > 0 && Y > 0 && Z > 0 && double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Smallest voxel edge accepted from a file or an option, in nm (1 Å).</summary>
    public const double MinNm = 0.1;

    /// <summary>Largest voxel edge accepted from a file or an option, in nm (10 µm).</summary>
    public const double MaxNm = 10_000;

    /// <summary>The accepted range in words, for messages and help.</summary>
    public const string RangeText = "0.1 nm (1 Å) to 10 µm";

    /// <summary>
    /// True when every edge lies in [<see cref="MinNm"/>, <see cref="MaxNm"/>] (with 0.1 % slack for
    /// single-precision headers): anything else in a file header is corruption or a print resolution.
    /// </summary>
    public bool IsPlausible => IsValid && InRange(X) && InRange(Y) && InRange(Z);

    /// <summary>True when one edge length (nm) is in the accepted range.</summary>
    public static bool InRange(double nm) => nm >= MinNm * 0.999 && nm <= MaxNm * 1.001;

    /// <summary>Voxel volume in nm³.</summary>
    public double Volume => X * Y * Z;

    /// <summary>"9.8 nm" or "10 × 10 × 12 nm".</summary>
    public override string ToString()
        => X == Y && Y == Z
            ? string.Create(CultureInfo.InvariantCulture, $"{X:0.####} nm")
            : string.Create(CultureInfo.InvariantCulture, $"{X:0.####} × {Y:0.####} × {Z:0.####} nm");

    /// <summary>Parses "10", "9.8" or "10,10,12" (nm); throws <see cref="InvalidOptionException"/>.</summary>
    public static VoxelSize Parse(string s, string option = "--voxel-size")
    {
        string[] parts = s.Split(',', 'x', 'X');
        var v = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                throw new InvalidOptionException(option, $"'{s}' is not a voxel size in nm (use 10 or 10,10,12)");
        var size = v.Length switch
        {
            1 => Isotropic(v[0]),
            3 => new VoxelSize(v[0], v[1], v[2]),
            _ => throw new InvalidOptionException(option, $"'{s}' is not a voxel size in nm (use 10 or 10,10,12)"),
        };
        if (!size.IsValid) throw new InvalidOptionException(option, $"voxel size must be a positive number of nm, got '{s}'");
        if (!size.IsPlausible) throw new InvalidOptionException(option, $"voxel size must be {RangeText} on every axis, got '{s}' nm");
        return size;
    }
}

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
