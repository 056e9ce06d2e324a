using System.Buffers.Binary;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// Byte-level editing of a little-endian classic TIFF (what our writer produces on x86/ARM), for
/// building malformed files from valid ones. Independent of the reader under test: it walks the
/// chain of directories itself.
/// </summary>
public sealed class TiffBytes
{
    /// <summary>Wraps the bytes of a file (edited in place).</summary>
    public TiffBytes(byte[] bytes)
    {
        if (!(bytes.Length >= 8 && bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42)) throw new ArgumentException("not a little-endian classic TIFF", nameof(bytes));
        Bytes = bytes;
    }

    /// <summary>The bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>Offset of the first directory (header bytes 4..7).</summary>
    public uint FirstDirectory
    {
        get => U32(4);
        set => W32(4, value);
    }

    /// <summary>Offsets of every directory in chain order.</summary>
    public List<uint> Directories()
    {
        var list = new List<uint>();
        for (uint o = FirstDirectory; o != 0 && o + 2 <= Bytes.Length && list.Count < 10_000 && !list.Contains(o); o = NextPointer(o) + 4 <= Bytes.Length ? U32(NextPointer(o)) : 0) list.Add(o);
        return list;
    }

    /// <summary>Position of the "next directory" pointer of the directory at <paramref name="ifd"/>.</summary>
    public int NextPointer(uint ifd) => (int)ifd + 2 + 12 * U16((int)ifd);

    /// <summary>Position of the entry count of page <paramref name="page"/>'s directory.</summary>
    public int EntryCountPosition(int page) => (int)Directories()[page];

    /// <summary>Sets page <paramref name="page"/>'s next-directory pointer.</summary>
    public void SetNext(int page, uint value) => W32(NextPointer(Directories()[page]), value);

    /// <summary>Position of the 12-byte entry of <paramref name="tag"/> in page <paramref name="page"/>.</summary>
    public int Entry(int page, ushort tag)
    {
        uint ifd = Directories()[page];
        int n = U16((int)ifd);
        for (int i = 0; i < n; i++)
        {
            int at = (int)ifd + 2 + 12 * i;
            if (U16(at) == tag) return at;
        }
        throw new InvalidOperationException($"page {page} has no tag {tag}");
    }

    /// <summary>Overwrites an inline SHORT value of a tag.</summary>
    public void SetShort(int page, ushort tag, ushort value)
    {
        int at = Entry(page, tag);
        if (U16(at + 2) != 3) throw new InvalidOperationException($"tag {tag} is not a SHORT");
        BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(at + 8), value);
    }

    /// <summary>The value-or-offset field of a tag.</summary>
    public uint ValueField(int page, ushort tag) => U32(Entry(page, tag) + 8);

    /// <summary>Reads a little-endian uint16.</summary>
    public int U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(at));

    /// <summary>Reads a little-endian uint32.</summary>
    public uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(at));

    /// <summary>Writes a little-endian uint16.</summary>
    public void W16(int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(at), v);

    /// <summary>Writes a little-endian uint32.</summary>
    public void W32(int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(at), v);

    /// <summary>Tag numbers used by the tests.</summary>
    public const ushort ImageWidth = 256, BitsPerSample = 258, Compression = 259, ImageDescription = 270, StripOffsets = 273,
        SamplesPerPixel = 277, StripByteCounts = 279, XResolution = 282;
}
