namespace SxtSeg.Volumes;

/// <summary>
/// Writes an MRC2014 file (little-endian, IMOD stamp, nversion 20140) slice by slice. The header's
/// min, max, mean and rms are computed from the data written and filled in on commit; labels carry
/// provenance. Mode follows the element type: uint8 → 0, int8 → 0 (IMOD signed flag), int16 → 1,
/// float32 → 2, uint16 → 6, float16 → 12. MRC2014 defines mode 0 as signed, IMOD reads it as
/// unsigned: uint8 data within 0..127 read the same either way and stay mode 0; uint8 data with a
/// value above 127 are rewritten as mode 6 (uint16) on commit, so that every reader (mrcfile,
/// napari, IMOD, ChimeraX, SxtSeg) sees the same values.
/// </summary>
public sealed class MrcWriter : IVolumeWriter
{
    private readonly AtomicFile _file;
    private readonly MrcHeader _header;
    private readonly byte[] _buffer;
    private readonly MrcStatistics _statistics = new();

    /// <summary>Starts a file at <paramref name="path"/>; nothing appears there until <see cref="Commit"/>.</summary>
    public MrcWriter(string path, VolumeInfo info, Provenance? provenance = null)
    {
        Path = path;
        Info = info;
        _header = MrcHeader.ForVolume(info, provenance);
        _buffer = GC.AllocateUninitializedArray<byte>(checked((int)(info.SliceLength * info.Type.Size())));
        _file = AtomicFile.Create(path);
        Span<byte> hb = stackalloc byte[MrcHeader.Size];
        _header.Write(hb);
        _file.Stream.Write(hb);
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public int SlicesWritten { get; private set; }

    /// <inheritdoc />
    public void WriteSlice<T>(ReadOnlySpan<T> slice) where T : unmanaged
    {
        if (SlicesWritten >= Info.Nz) throw new InvalidOperationException($"all {Info.Nz} slices already written");
        if (slice.Length != Info.SliceLength) throw new ArgumentException($"slice holds {slice.Length} voxels, expected {Info.SliceLength}", nameof(slice));
        VoxelConvert.ToRaw(slice, Info.Type, _buffer);
        _statistics.AddSlice(_buffer, Info.Type, slice.Length);
        try
        {
            _file.Stream.Write(_buffer);
        }
        catch (IOException e)
        {
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
        SlicesWritten++;
    }

    /// <inheritdoc />
    public void Commit()
    {
        if (SlicesWritten != Info.Nz) throw new InvalidOperationException($"{SlicesWritten} of {Info.Nz} slices written");
        _statistics.Apply(_header);
        if (Info.Type == VoxelType.UInt8 && _header.DMax > sbyte.MaxValue)
        {
            CommitWidened();
            return;
        }
        Span<byte> hb = stackalloc byte[MrcHeader.Size];
        _header.Write(hb);
        try
        {
            _file.Stream.Position = 0;
            _file.Stream.Write(hb);
        }
        catch (IOException e)
        {
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
        _file.Commit();
    }

    /// <summary>True when the committed file holds uint16 (mode 6) because uint8 data went above 127.</summary>
    public bool Widened { get; private set; }

    /// <summary>Copies the bytes written so far into a mode-6 (uint16) file of the same values and commits that instead.</summary>
    private void CommitWidened()
    {
        _header.Mode = MrcHeader.ModeFor(VoxelType.UInt16);
        using var wide = AtomicFile.Create(Path);
        Span<byte> hb = stackalloc byte[MrcHeader.Size];
        _header.Write(hb);
        var src = new byte[1 << 16];
        var dst = new byte[2 << 16];
        try
        {
            wide.Stream.Write(hb);
            _file.Stream.Position = MrcHeader.Size;
            int n;
            while ((n = _file.Stream.Read(src, 0, src.Length)) > 0)
            {
                for (int i = 0; i < n; i++) { dst[2 * i] = src[i]; dst[2 * i + 1] = 0; }
                wide.Stream.Write(dst, 0, 2 * n);
            }
        }
        catch (IOException e)
        {
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
        wide.Commit();
        _file.Dispose();
        Widened = true;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
