using System.Runtime.InteropServices;

namespace SxtSeg.Volumes;

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
