using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace SxtSeg.Volumes;

/// <summary>
/// The MRC/CCP4 header (MRC2014 as IMOD and mrcfile use it). Fields are parsed from and written
/// to the 1024-byte header; voxel size and origin are exposed in nm.
/// </summary>
public sealed class MrcHeader
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 1024;

    /// <summary>IMOD's stamp at byte 152.</summary>
    public const int ImodStamp = 1146047817;

    /// <summary>Columns, rows, sections.</summary>
    public int Nx, Ny, Nz;
    /// <summary>MRC mode (0, 1, 2, 6, 12 supported).</summary>
    public int Mode;
    /// <summary>Start indices.</summary>
    public int NxStart, NyStart, NzStart;
    /// <summary>Sampling intervals along x, y, z.</summary>
    public int Mx, My, Mz;
    /// <summary>Cell dimensions in Å.</summary>
    public float CellX, CellY, CellZ;
    /// <summary>Cell angles in degrees.</summary>
    public float Alpha = 90, Beta = 90, Gamma = 90;
    /// <summary>Axis correspondence (1, 2, 3 = x, y, z).</summary>
    public int MapC = 1, MapR = 2, MapS = 3;
    /// <summary>Value statistics.</summary>
    public float DMin, DMax, DMean, Rms;
    /// <summary>Space group (0 image stack, 1 volume).</summary>
    public int Ispg = 1;
    /// <summary>Extended header length in bytes.</summary>
    public int NSymBt;
    /// <summary>Extended header type (4 characters).</summary>
    public string ExtType = "";
    /// <summary>Format version (20140 for MRC2014).</summary>
    public int NVersion = 20140;
    /// <summary>IMOD stamp and flags (bit 0: signed bytes; bit 2: inverted origin).</summary>
    public int ImodStampValue, ImodFlags;
    /// <summary>Origin in Å.</summary>
    public float OriginX, OriginY, OriginZ;
    /// <summary>True when the file is big-endian.</summary>
    public bool BigEndian;
    /// <summary>Text labels (at most 10 of 80 characters).</summary>
    public List<string> Labels = new();

    /// <summary>Voxel size in nm from cell/sampling, or null when the header does not define it.</summary>
    public VoxelSize? VoxelSizeNm
    {
        get
        {
            if (Mx <= 0 || My <= 0 || Mz <= 0 || !(CellX > 0) || !(CellY > 0) || !(CellZ > 0)) return null;
            var v = new VoxelSize(CellX / Mx / 10.0, CellY / My / 10.0, CellZ / Mz / 10.0);
            return v.IsValid ? v : null;
        }
    }

    /// <summary>
    /// Whether mode-0 bytes are signed, by IMOD's rule: with the IMOD stamp, flag bit 0 decides;
    /// without it, the header's min/max decide (unsigned when ambiguous).
    /// </summary>
    public bool BytesSigned
    {
        get
        {
            if (Mode != 0) return false;
            if (ImodStampValue == ImodStamp) return (ImodFlags & 1) != 0;
            if (DMin < 0 && DMax < 128) return true;
            if (DMin >= 0 && DMax >= 128) return false;
            if (DMin < 0 && DMax >= 128) return -DMin > DMax - 128;
            return false;
        }
    }

    /// <summary>The element type this header's mode stores.</summary>
    public VoxelType VoxelType => Mode switch
    {
        0 => BytesSigned ? VoxelType.Int8 : VoxelType.UInt8,
        1 => VoxelType.Int16,
        2 => VoxelType.Float32,
        6 => VoxelType.UInt16,
        12 => VoxelType.Float16,
        _ => throw new NotSupportedException($"MRC mode {Mode}"),
    };

    /// <summary>The MRC mode for an element type (UInt32 has none).</summary>
    public static int ModeFor(VoxelType t) => t switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 0,
        VoxelType.Int16 => 1,
        VoxelType.Float32 => 2,
        VoxelType.UInt16 => 6,
        VoxelType.Float16 => 12,
        _ => throw new NotSupportedException($"{t.Name()} cannot be stored in MRC (modes 0, 1, 2, 6, 12); use TIFF or convert to float32"),
    };

    private static string ModeName(int mode) => mode switch
    {
        3 => "3 (complex int16)", 4 => "4 (complex float32)", 101 => "101 (4-bit)", _ => mode.ToString(),
    };

    /// <summary>Parses a header; throws <see cref="InvalidInputException"/> naming <paramref name="path"/> on nonsense.</summary>
    public static MrcHeader Parse(ReadOnlySpan<byte> b, string path)
    {
        if (b.Length < Size) throw new InvalidInputException(path, $"file is {b.Length} bytes, too short for an MRC header ({Size} bytes)");
        var h = new MrcHeader();
        // Byte order from the machine stamp; fall back to what makes the mode plausible.
        byte st = b[212];
        if (st == 0x44) h.BigEndian = false;
        else if (st == 0x11) h.BigEndian = true;
        else
        {
            int le = BinaryPrimitives.ReadInt32LittleEndian(b[12..]);
            int be = BinaryPrimitives.ReadInt32BigEndian(b[12..]);
            h.BigEndian = !IsKnownMode(le) && IsKnownMode(be);
        }
        byte[] copy = b[..Size].ToArray();
        bool big = h.BigEndian;
        int I(int o) => big ? BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(o)) : BinaryPrimitives.ReadInt32LittleEndian(copy.AsSpan(o));
        float F(int o) => big ? BinaryPrimitives.ReadSingleBigEndian(copy.AsSpan(o)) : BinaryPrimitives.ReadSingleLittleEndian(copy.AsSpan(o));
        h.Nx = I(0); h.Ny = I(4); h.Nz = I(8); h.Mode = I(12);
        h.NxStart = I(16); h.NyStart = I(20); h.NzStart = I(24);
        h.Mx = I(28); h.My = I(32); h.Mz = I(36);
        h.CellX = F(40); h.CellY = F(44); h.CellZ = F(48);
        h.Alpha = F(52); h.Beta = F(56); h.Gamma = F(60);
        h.MapC = I(64); h.MapR = I(68); h.MapS = I(72);
        h.DMin = F(76); h.DMax = F(80); h.DMean = F(84);
        h.Ispg = I(88); h.NSymBt = I(92);
        h.ExtType = Encoding.ASCII.GetString(copy, 104, 4).TrimEnd('\0', ' ');
        h.NVersion = I(108);
        h.ImodStampValue = I(152); h.ImodFlags = I(156);
        h.OriginX = F(196); h.OriginY = F(200); h.OriginZ = F(204);
        h.Rms = F(216);
        int nlabl = Math.Clamp(I(220), 0, 10);
        for (int i = 0; i < nlabl; i++)
            h.Labels.Add(Encoding.ASCII.GetString(copy, 224 + 80 * i, 80).TrimEnd('\0', ' '));

        if (h.Nx <= 0 || h.Ny <= 0 || h.Nz <= 0)
            throw new InvalidInputException(path, $"MRC header gives impossible dimensions {h.Nx} × {h.Ny} × {h.Nz}");
        if ((long)h.Nx * h.Ny > int.MaxValue)
            throw new InvalidInputException(path, $"MRC header gives a slice of {h.Nx} × {h.Ny} voxels (over 2^31), which is not a plausible tomogram");
        if (!IsKnownMode(h.Mode))
            throw new InvalidInputException(path, $"MRC mode {ModeName(h.Mode)} is not supported (supported: 0, 1, 2, 6, 12)");
        if (h.NSymBt < 0)
            throw new InvalidInputException(path, $"MRC header gives a negative extended header length ({h.NSymBt})");
        bool identity = (h.MapC, h.MapR, h.MapS) is (1, 2, 3) or (0, 0, 0);
        if (!identity)
            throw new InvalidInputException(path, $"MRC axis order mapc/mapr/maps = {h.MapC},{h.MapR},{h.MapS} is not supported (only 1,2,3); reorder it first, e.g. with IMOD's clip");
        if ((h.ImodStampValue == ImodStamp) && (h.ImodFlags & 4) != 0)
        {
            h.OriginX = -h.OriginX; h.OriginY = -h.OriginY; h.OriginZ = -h.OriginZ;
        }
        return h;
    }

    private static bool IsKnownMode(int m) => m is 0 or 1 or 2 or 6 or 12;

    /// <summary>
    /// The header SxtSeg writes for a volume: mode from the element type, cell from the voxel size
    /// (nm → Å), origin, IMOD signed-byte flag, provenance lines then the volume's own labels (10 at most).
    /// Statistics are filled in later (<see cref="MrcStatistics"/>).
    /// </summary>
    public static MrcHeader ForVolume(VolumeInfo info, Provenance? provenance)
    {
        var vs = info.VoxelSize;
        var labels = new List<string>();
        if (provenance is not null) labels.AddRange(provenance.ToLines(10));
        foreach (var l in info.Labels)
        {
            if (labels.Count >= 10) break;
            if (!labels.Contains(l)) labels.Add(l);
        }
        return new MrcHeader
        {
            Nx = info.Nx, Ny = info.Ny, Nz = info.Nz, Mode = ModeFor(info.Type),
            Mx = info.Nx, My = info.Ny, Mz = info.Nz,
            CellX = vs is { } a ? (float)(a.X * 10 * info.Nx) : 0,
            CellY = vs is { } b ? (float)(b.Y * 10 * info.Ny) : 0,
            CellZ = vs is { } c ? (float)(c.Z * 10 * info.Nz) : 0,
            OriginX = (float)(info.OriginNm.X * 10), OriginY = (float)(info.OriginNm.Y * 10), OriginZ = (float)(info.OriginNm.Z * 10),
            ImodFlags = info.Type == VoxelType.Int8 ? 1 : 0,
            Labels = labels,
        };
    }

    /// <summary>Writes the header (little-endian, MRC2014, IMOD stamp) into 1024 bytes.</summary>
    public void Write(Span<byte> dest)
    {
        byte[] b = new byte[Size];
        void I(int o, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v);
        void F(int o, float v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v);
        I(0, Nx); I(4, Ny); I(8, Nz); I(12, Mode);
        I(16, NxStart); I(20, NyStart); I(24, NzStart);
        I(28, Mx); I(32, My); I(36, Mz);
        F(40, CellX); F(44, CellY); F(48, CellZ);
        F(52, Alpha); F(56, Beta); F(60, Gamma);
        I(64, MapC); I(68, MapR); I(72, MapS);
        F(76, DMin); F(80, DMax); F(84, DMean);
        I(88, Ispg); I(92, NSymBt);
        Encoding.ASCII.GetBytes(ExtType.PadRight(4, '\0').AsSpan(0, 4), b.AsSpan(104, 4));
        I(108, NVersion);
        I(152, ImodStamp); I(156, ImodFlags & ~4);
        F(196, OriginX); F(200, OriginY); F(204, OriginZ);
        Encoding.ASCII.GetBytes("MAP ", b.AsSpan(208, 4));
        b[212] = 0x44; b[213] = 0x44; b[214] = 0; b[215] = 0;
        F(216, Rms);
        int n = Math.Min(Labels.Count, 10);
        I(220, n);
        for (int i = 0; i < n; i++)
        {
            string s = Labels[i].Length > 80 ? Labels[i].Substring(0, 80) : Labels[i];
            var dst = b.AsSpan(224 + 80 * i, 80);
            dst.Fill((byte)' ');
            for (int k = 0; k < s.Length; k++) dst[k] = s[k] is >= ' ' and <= '~' ? (byte)s[k] : (byte)'?';
        }
        b.CopyTo(dest);
    }
}

/// <summary>
/// Minimum, maximum, mean and RMS deviation of the voxels written to an MRC file, accumulated slice
/// by slice (per-slice mean and sum of squares in double, merged with Chan's formula); NaN is skipped.
/// Shared by every MRC writer so that files written in any order are byte-identical.
/// </summary>
public sealed class MrcStatistics
{
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _mean, _m2;
    private long _count;
    private readonly double[] _values = new double[1024];

    /// <summary>Adds one slice of <paramref name="n"/> voxels given as raw bytes of <paramref name="type"/>.</summary>
    public void AddSlice(ReadOnlySpan<byte> raw, VoxelType type, int n)
    {
        double sMin = double.PositiveInfinity, sMax = double.NegativeInfinity, sum = 0;
        int size = type.Size();
        for (int i = 0; i < n; i += _values.Length)
        {
            int m = Math.Min(_values.Length, n - i);
            var t = _values.AsSpan(0, m);
            VoxelConvert.ToDouble(raw.Slice(i * size, m * size), type, t);
            foreach (double v in t)
            {
                if (double.IsNaN(v)) continue;
                if (v < sMin) sMin = v;
                if (v > sMax) sMax = v;
                sum += v;
            }
        }
        double sMean = sum / n, sM2 = 0;
        for (int i = 0; i < n; i += _values.Length)
        {
            int m = Math.Min(_values.Length, n - i);
            var t = _values.AsSpan(0, m);
            VoxelConvert.ToDouble(raw.Slice(i * size, m * size), type, t);
            foreach (double v in t)
            {
                if (double.IsNaN(v)) continue;
                double d = v - sMean;
                sM2 += d * d;
            }
        }
        _min = Math.Min(_min, sMin);
        _max = Math.Max(_max, sMax);
        long total = _count + n;
        double delta = sMean - _mean;
        _mean += delta * n / total;
        _m2 += sM2 + delta * delta * _count * n / total;
        _count = total;
    }

    /// <summary>Copies the statistics into the header's dmin, dmax, dmean and rms.</summary>
    public void Apply(MrcHeader header)
    {
        header.DMin = (float)_min;
        header.DMax = (float)_max;
        header.DMean = (float)_mean;
        header.Rms = (float)Math.Sqrt(_m2 / Math.Max(1, _count));
    }
}

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
            Info = new VolumeInfo(Header.Nx, Header.Ny, Header.Nz, Header.VoxelType, Header.VoxelSizeNm)
            {
                OriginNm = (Header.OriginX / 10.0, Header.OriginY / 10.0, Header.OriginZ / 10.0),
                Labels = Header.Labels,
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
