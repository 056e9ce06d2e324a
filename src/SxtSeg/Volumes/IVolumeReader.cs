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
