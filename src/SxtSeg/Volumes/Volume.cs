using System.Runtime.CompilerServices;

namespace SxtSeg.Volumes;

/// <summary>
/// A volume held in memory: voxels in z, y, x order in one contiguous array, with voxel size (nm)
/// and origin. Use it for volumes that fit comfortably in memory; stream larger ones slice by
/// slice with <see cref="IVolumeReader"/>.
/// </summary>
/// <typeparam name="T">byte, sbyte, short, ushort, uint, float or Half.</typeparam>
public sealed class Volume<T> where T : unmanaged
{
    /// <summary>Allocates a zero-filled volume.</summary>
    public Volume(int nx, int ny, int nz, VoxelSize? voxelSize = null)
        : this(nx, ny, nz, NewArray(nx, ny, nz), voxelSize) { }

    /// <summary>Wraps an existing array of length nx·ny·nz (not copied).</summary>
    public Volume(int nx, int ny, int nz, T[] data, VoxelSize? voxelSize = null)
    {
        CheckShape(nx, ny, nz);
        if (data.LongLength != (long)nx * ny * nz)
            throw new ArgumentException($"data holds {data.LongLength} voxels, expected {(long)nx * ny * nz}", nameof(data));
        Nx = nx; Ny = ny; Nz = nz; Data = data; VoxelSize = voxelSize;
        _ = VoxelTypes.Of<T>();
    }

    /// <summary>Voxels along x.</summary>
    public int Nx { get; }

    /// <summary>Voxels along y.</summary>
    public int Ny { get; }

    /// <summary>Voxels along z (slices).</summary>
    public int Nz { get; }

    /// <summary>All voxels, z-major: index = (z·Ny + y)·Nx + x.</summary>
    public T[] Data { get; }

    /// <summary>Voxel size in nm, or null when unknown.</summary>
    public VoxelSize? VoxelSize { get; set; }

    /// <summary>Origin in nm.</summary>
    public (double X, double Y, double Z) OriginNm { get; set; }

    /// <summary>Voxels per slice.</summary>
    public int SliceLength => Nx * Ny;

    /// <summary>Total voxels.</summary>
    public long Length => Data.LongLength;

    /// <summary>The element type.</summary>
    public static VoxelType Type => VoxelTypes.Of<T>();

    /// <summary>Metadata describing this volume.</summary>
    public VolumeInfo Info => new(Nx, Ny, Nz, Type, VoxelSize) { OriginNm = OriginNm };

    /// <summary>The x–y plane at <paramref name="z"/>.</summary>
    public Span<T> Slice(int z)
    {
        if ((uint)z >= (uint)Nz) throw new ArgumentOutOfRangeException(nameof(z), $"slice {z} outside 0..{Nz - 1}");
        return Data.AsSpan((int)((long)z * SliceLength), SliceLength);
    }

    /// <summary>Row <paramref name="y"/> of slice <paramref name="z"/>.</summary>
    public Span<T> Row(int z, int y) => Data.AsSpan((int)(((long)z * Ny + y) * Nx), Nx);

    /// <summary>A voxel by reference.</summary>
    public ref T this[int z, int y, int x]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Data[((long)z * Ny + y) * Nx + x];
    }

    /// <summary>Linear index of (z, y, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Index(int z, int y, int x) => ((long)z * Ny + y) * Nx + x;

    /// <summary>True when (z, y, x) lies inside the volume.</summary>
    public bool Contains(int z, int y, int x) => (uint)x < (uint)Nx && (uint)y < (uint)Ny && (uint)z < (uint)Nz;

    /// <summary>A deep copy.</summary>
    public Volume<T> Clone() => new(Nx, Ny, Nz, (T[])Data.Clone(), VoxelSize) { OriginNm = OriginNm };

    /// <summary>A volume of the same shape and metadata with another element type, zero-filled.</summary>
    public Volume<TOut> Like<TOut>() where TOut : unmanaged => new(Nx, Ny, Nz, VoxelSize) { OriginNm = OriginNm };

    /// <summary>A copy of slices [z0, z0+count).</summary>
    public Volume<T> SubVolume(int z0, int count)
    {
        if (z0 < 0 || count <= 0 || z0 + count > Nz) throw new ArgumentOutOfRangeException(nameof(z0));
        var v = new Volume<T>(Nx, Ny, count, VoxelSize) { OriginNm = OriginNm };
        Data.AsSpan((int)((long)z0 * SliceLength), count * SliceLength).CopyTo(v.Data);
        return v;
    }

    /// <summary>"Volume&lt;Single&gt; 64 × 64 × 32".</summary>
    public override string ToString() => $"Volume<{typeof(T).Name}> {Nx} × {Ny} × {Nz}";

    internal static void CheckShape(int nx, int ny, int nz)
    {
        if (nx <= 0 || ny <= 0 || nz <= 0)
            throw new ArgumentOutOfRangeException(nameof(nx), $"dimensions must be positive, got {nx} × {ny} × {nz}");
        if ((long)nx * ny > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(nx), $"a slice of {nx} × {ny} exceeds 2^31 voxels");
    }

    private static T[] NewArray(int nx, int ny, int nz)
    {
        CheckShape(nx, ny, nz);
        long n = (long)nx * ny * nz;
        if (n > Array.MaxLength)
            throw new SxtSegException($"a volume of {nx} × {ny} × {nz} ({n} voxels) is too large to hold in memory; process it in slabs");
        MemoryBudget.Require((double)n * Unsafe.SizeOf<T>(), $"a {nx} × {ny} × {nz} {typeof(T).Name} volume in memory", "use a smaller volume (crop it, or leave out the option that loads it whole)");
        return new T[n];
    }
}
