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
    /// True for mode-0 bytes without IMOD's stamp whose header states no usable min/max (MRC2014's
    /// "not determined", max &lt; min, or both 0): <see cref="BytesSigned"/> cannot tell then, and
    /// <see cref="MrcReader"/> decides by the data (<see cref="SignedByData"/>).
    /// </summary>
    public bool ByteSignednessUnstated => Mode == 0 && ImodStampValue != ImodStamp
        && (!(DMax >= DMin) || (DMin == 0 && DMax == 0) || !float.IsFinite(DMin) || !float.IsFinite(DMax));

    /// <summary>
    /// Whether bytes are signed, judged by a histogram of their values (<paramref name="counts"/>[b] =
    /// how many bytes b): the non-zero values read as signed spread less than read as unsigned
    /// (signed data near 0 read as unsigned jump between 1 and 255; unsigned data spanning 128 read
    /// as signed jump between 127 and −128). Zeros are left out: padding and mask background, which
    /// would otherwise make a 0/255 mask or zero-padded bright data look like −1 and small
    /// negatives. Equal spread (non-zero values all on one side of 128, e.g. a 0/255 mask): unsigned.
    /// </summary>
    public static bool SignedByData(ReadOnlySpan<long> counts)
    {
        if (counts.Length != 256) throw new ArgumentException("a histogram of 256 byte values", nameof(counts));
        double n = 0, su = 0, ss = 0, qu = 0, qs = 0;
        for (int b = 1; b < 256; b++)
        {
            double c = counts[b];
            if (c == 0) continue;
            int v = (sbyte)b;
            n += c; su += c * b; ss += c * v; qu += c * b * b; qs += c * v * v;
        }
        if (n == 0) return false;
        double varU = qu / n - su / n * (su / n), varS = qs / n - ss / n * (ss / n);
        return varS < varU - 1e-9 * Math.Max(1, varU);
    }

    /// <summary>The histogram of <paramref name="bytes"/> for <see cref="SignedByData(ReadOnlySpan{long})"/>, added to <paramref name="counts"/>.</summary>
    public static void AddHistogram(ReadOnlySpan<byte> bytes, Span<long> counts)
    {
        foreach (byte b in bytes) counts[b]++;
    }

    /// <summary>
    /// Whether mode-0 bytes are signed, by IMOD's rule: with the IMOD stamp, flag bit 0 decides;
    /// without it, the header's min/max decide (unsigned when ambiguous; when they are missing,
    /// <see cref="ByteSignednessUnstated"/>, the reader decides by the data).
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
        if (h.Mode == 0 && h.ImodStampValue == ImodStamp && (h.ImodFlags & 16) != 0)
            throw new InvalidInputException(path, "MRC holds 4-bit values packed two per byte (mode 0 with IMOD's flag 16), which is not supported (supported: 0, 1, 2, 6, 12); unpack it first, e.g. with IMOD's newstack -mode 0");
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
