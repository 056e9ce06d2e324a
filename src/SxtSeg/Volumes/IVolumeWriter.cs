namespace SxtSeg.Volumes;

/// <summary>
/// Writes a volume slice by slice, in z order, to a temporary file that becomes the destination only
/// on <see cref="Commit"/>. Disposing without committing leaves nothing behind.
/// </summary>
public interface IVolumeWriter : IDisposable
{
    /// <summary>The destination path.</summary>
    string Path { get; }

    /// <summary>What is being written: shape, file element type, voxel size.</summary>
    VolumeInfo Info { get; }

    /// <summary>Slices written so far.</summary>
    int SlicesWritten { get; }

    /// <summary>Appends the next slice, converting from <typeparamref name="T"/> to the file type (round, saturate).</summary>
    void WriteSlice<T>(ReadOnlySpan<T> slice) where T : unmanaged;

    /// <summary>Finishes the file (headers, statistics) and moves it into place. All slices must have been written.</summary>
    void Commit();
}
