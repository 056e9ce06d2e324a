using System.Runtime.InteropServices;

namespace SxtSeg.Volumes;

/// <summary>
/// Streams a volume from disk slice by slice without loading the whole file. Slices are x–y
/// planes in z order. Implementations are not thread-safe unless stated.
/// </summary>
public interface IVolumeReader : IDisposable
{
    /// <summary>The file or folder being read.</summary>
    string Path { get; }

    /// <summary>Shape, element type and metadata.</summary>
    VolumeInfo Info { get; }

    /// <summary>Reads slice <paramref name="z"/> in the file's own element type (native byte order).</summary>
    void ReadRawSlice(int z, Span<byte> dest);

    /// <summary>Reads slice <paramref name="z"/> converted to <typeparamref name="T"/>.</summary>
    void ReadSlice<T>(int z, Span<T> dest) where T : unmanaged;
}

/// <summary>Base class doing type conversion on top of <see cref="ReadRawSlice"/>.</summary>
public abstract class VolumeReaderBase : IVolumeReader
{
    private byte[]? _raw;

    /// <inheritdoc />
    public abstract string Path { get; }

    /// <inheritdoc />
    public abstract VolumeInfo Info { get; }

    /// <inheritdoc />
    public abstract void ReadRawSlice(int z, Span<byte> dest);

    /// <inheritdoc />
    public virtual void ReadSlice<T>(int z, Span<T> dest) where T : unmanaged
    {
        var info = Info;
        if ((uint)z >= (uint)info.Nz) throw new ArgumentOutOfRangeException(nameof(z), $"slice {z} outside 0..{info.Nz - 1}");
        if (dest.Length != info.SliceLength) throw new ArgumentException($"destination holds {dest.Length} voxels, a slice has {info.SliceLength}", nameof(dest));
        if (VoxelTypes.Of<T>() == info.Type)
        {
            ReadRawSlice(z, MemoryMarshal.AsBytes(dest));
            return;
        }
        int bytes = (int)(info.SliceLength * info.Type.Size());
        if (_raw is null || _raw.Length < bytes) _raw = GC.AllocateUninitializedArray<byte>(bytes);
        var raw = _raw.AsSpan(0, bytes);
        ReadRawSlice(z, raw);
        VoxelConvert.FromRaw(raw, info.Type, dest);
    }

    /// <summary>Releases resources.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Convenience reads on top of <see cref="IVolumeReader"/>.</summary>
public static class VolumeReaderExtensions
{
    /// <summary>Reads one slice into a new array.</summary>
    public static T[] ReadSlice<T>(this IVolumeReader r, int z) where T : unmanaged
    {
        var a = new T[r.Info.SliceLength];
        r.ReadSlice<T>(z, a);
        return a;
    }

    /// <summary>Reads slices [z0, z0+count) into <paramref name="dest"/> (count·Nx·Ny voxels).</summary>
    public static void ReadSlab<T>(this IVolumeReader r, int z0, int count, Span<T> dest) where T : unmanaged
    {
        int n = (int)r.Info.SliceLength;
        if (z0 < 0 || count < 0 || z0 + count > r.Info.Nz) throw new ArgumentOutOfRangeException(nameof(z0), $"slab {z0}..{z0 + count - 1} outside 0..{r.Info.Nz - 1}");
        for (int i = 0; i < count; i++) r.ReadSlice(z0 + i, dest.Slice(i * n, n));
    }

    /// <summary>Reads slices [z0, z0+count) as a volume (all of it when count is omitted).</summary>
    public static Volume<T> ReadVolume<T>(this IVolumeReader r, int z0 = 0, int count = -1) where T : unmanaged
    {
        var info = r.Info;
        if (count < 0) count = info.Nz - z0;
        var v = new Volume<T>(info.Nx, info.Ny, count, info.VoxelSize)
        {
            OriginNm = (info.OriginNm.X, info.OriginNm.Y, info.OriginNm.Z + z0 * (info.VoxelSize?.Z ?? 0)),
        };
        r.ReadSlab<T>(z0, count, v.Data);
        return v;
    }
}

/// <summary>A view of slices [first, first+count) of another reader as a volume of its own (origin shifted in z).</summary>
public sealed class SubVolumeReader : VolumeReaderBase
{
    private readonly IVolumeReader _inner;
    private readonly int _first;

    /// <summary>Wraps <paramref name="inner"/> (not owned), optionally with another voxel size.</summary>
    public SubVolumeReader(IVolumeReader inner, int first, int count, VoxelSize? voxelSize = null)
    {
        var i = inner.Info;
        if (first < 0 || count < 1 || first + count > i.Nz) throw new ArgumentOutOfRangeException(nameof(first), $"slices {first}..{first + count - 1} outside 0..{i.Nz - 1}");
        _inner = inner;
        _first = first;
        var vs = voxelSize ?? i.VoxelSize;
        Info = i with { Nz = count, VoxelSize = vs, OriginNm = (i.OriginNm.X, i.OriginNm.Y, i.OriginNm.Z + first * (vs?.Z ?? 0)) };
    }

    /// <inheritdoc />
    public override string Path => _inner.Path;

    /// <inheritdoc />
    public override VolumeInfo Info { get; }

    /// <inheritdoc />
    public override void ReadRawSlice(int z, Span<byte> dest) => _inner.ReadRawSlice(_first + z, dest);

    /// <inheritdoc />
    public override void ReadSlice<T>(int z, Span<T> dest) => _inner.ReadSlice(_first + z, dest);
}
