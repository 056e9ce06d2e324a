using Microsoft.Win32.SafeHandles;

namespace SxtSeg.Volumes;

/// <summary>
/// Streams an MRC file slice by slice with positional reads (no whole-file load, thread-safe).
/// Extensions .mrc .rec .st .ali .map .mrcs; extended headers are skipped.
/// </summary>
public sealed class MrcReader : VolumeReaderBase
{
    private readonly SafeFileHandle _handle;
    private readonly long _dataOffset;
    private readonly int _elementSize;

    /// <summary>Opens and validates the file.</summary>
    public MrcReader(string path)
    {
        Path = path;
        InputPaths.RequireReadable(path);
        try
        {
            _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, $"cannot open ({e.Message})", e);
        }
        try
        {
            long length = RandomAccess.GetLength(_handle);
            Span<byte> hb = stackalloc byte[MrcHeader.Size];
            int got = length >= MrcHeader.Size ? RandomAccess.Read(_handle, hb, 0) : 0;
            if (got < MrcHeader.Size)
                throw new InvalidInputException(path, $"file is {length} bytes, too short for an MRC header ({MrcHeader.Size} bytes)");
            Header = MrcHeader.Parse(hb, path);
            _elementSize = Header.VoxelType.Size();
            _dataOffset = MrcHeader.Size + (long)Header.NSymBt;
            Int128 need = _dataOffset + (Int128)Header.Nx * Header.Ny * Header.Nz * _elementSize;
            if (length < need)
                throw new InvalidInputException(path, $"truncated: header promises {Header.Nx} × {Header.Ny} × {Header.Nz} voxels of {Header.VoxelType.Name()} ({need:N0} bytes with headers) but the file holds {length:N0} bytes");
            CheckPlausible(Header, path);
            var type = Header.VoxelType;
            string[] notes = [];
            if (Header.ByteSignednessUnstated)
            {
                type = SignednessFromData() ? VoxelType.Int8 : VoxelType.UInt8;
                notes = [$"MRC mode 0 without IMOD's signed-byte flag or header min/max: bytes read as {(type == VoxelType.Int8 ? "signed (int8)" : "unsigned (uint8)")}, the reading whose non-zero values spread less (docs/formats.md); check the overlay"];
            }
            Info = new VolumeInfo(Header.Nx, Header.Ny, Header.Nz, type, Header.VoxelSizeNm)
            {
                OriginNm = (Header.OriginX / 10.0, Header.OriginY / 10.0, Header.OriginZ / 10.0),
                Labels = Header.Labels,
                Notes = notes,
            };
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The parsed header.</summary>
    public MrcHeader Header { get; }

    /// <summary>
    /// Mode-0 signedness from the values of 8 slices spread over the central 60 % of the depth (end
    /// slices are often padding; all slices of a volume of up to 8), at most 1 MB of each, for
    /// headers that do not state it
    /// (<see cref="MrcHeader.ByteSignednessUnstated"/>).
    /// </summary>
    private bool SignednessFromData()
    {
        long slice = (long)Header.Nx * Header.Ny;
        int take = (int)Math.Min(slice, 1L << 20);
        var buffer = new byte[take];
        Span<long> counts = stackalloc long[256];
        counts.Clear();
        foreach (int z in SliceSampling.Central(Header.Nz, 8))
        {
            long at = _dataOffset + z * slice;
            for (int done = 0; done < take;)
            {
                int got = RandomAccess.Read(_handle, buffer.AsSpan(done), at + done);
                if (got <= 0) throw new InvalidInputException(Path, $"truncated: slice {z} cannot be read");
                done += got;
            }
            MrcHeader.AddHistogram(buffer, counts);
        }
        return MrcHeader.SignedByData(counts);
    }

    /// <summary>Refuses a header whose voxel size or origin cannot be a tomogram's (corrupt header).</summary>
    private static void CheckPlausible(MrcHeader h, string path)
    {
        bool samplingSet = h.Mx > 0 && h.My > 0 && h.Mz > 0;
        bool cellSet = (h.CellX > 0 && h.CellY > 0 && h.CellZ > 0) || !float.IsFinite(h.CellX) || !float.IsFinite(h.CellY) || !float.IsFinite(h.CellZ);
        if (samplingSet && cellSet)
        {
            double x = h.CellX / h.Mx / 10.0, y = h.CellY / h.My / 10.0, z = h.CellZ / h.Mz / 10.0;
            if (!VoxelSize.InRange(x) || !VoxelSize.InRange(y) || !VoxelSize.InRange(z))
                throw new InvalidInputException(path, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"MRC header gives a voxel size of {x:G4} × {y:G4} × {z:G4} nm (cell / sampling), outside the accepted {VoxelSize.RangeText}; the header is corrupt (fix it, e.g. with IMOD's alterheader -del)"));
        }
        if (!float.IsFinite(h.OriginX) || !float.IsFinite(h.OriginY) || !float.IsFinite(h.OriginZ))
            throw new InvalidInputException(path, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"MRC header gives a non-finite origin ({h.OriginX}, {h.OriginY}, {h.OriginZ} Å); the header is corrupt (fix it, e.g. with IMOD's alterheader -org)"));
    }

    /// <inheritdoc />
    public override string Path { get; }

    /// <inheritdoc />
    public override VolumeInfo Info { get; }

    /// <inheritdoc />
    public override void ReadRawSlice(int z, Span<byte> dest)
    {
        if ((uint)z >= (uint)Info.Nz) throw new ArgumentOutOfRangeException(nameof(z), $"slice {z} outside 0..{Info.Nz - 1}");
        int bytes = checked((int)(Info.SliceLength * _elementSize));
        if (dest.Length < bytes) throw new ArgumentException("destination too small", nameof(dest));
        var d = dest[..bytes];
        long offset = _dataOffset + (long)z * bytes;
        int total = 0;
        while (total < bytes)
        {
            int n = RandomAccess.Read(_handle, d[total..], offset + total);
            if (n <= 0) throw new InvalidInputException(Path, $"unexpected end of file reading slice {z}");
            total += n;
        }
        if (Header.BigEndian) VoxelConvert.SwapBytes(d, _elementSize);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle.Dispose();
    }
}
