using System.Buffers.Binary;

namespace SxtSeg.Volumes;

/// <summary>The facts of one TIFF page (image file directory) that reading needs, as stored.</summary>
internal sealed class TiffPage
{
    /// <summary>Offset of the directory in the file.</summary>
    public long Offset;
    /// <summary>ImageWidth, ImageLength.</summary>
    public long Width, Height;
    /// <summary>BitsPerSample (first sample), SamplesPerPixel, Compression, SampleFormat, PlanarConfiguration.</summary>
    public long Bits = 1, SamplesPerPixel = 1, Compression = 1, SampleFormat = 1, Planar = 1;
    /// <summary>RowsPerStrip (default: all rows).</summary>
    public long RowsPerStrip = uint.MaxValue;
    /// <summary>TileWidth, TileLength (0 for strips).</summary>
    public long TileWidth, TileLength;
    /// <summary>Offsets and byte counts of the strips or tiles.</summary>
    public long[]? DataOffsets, DataCounts;
    /// <summary>XResolution, YResolution as stored (numerator, denominator).</summary>
    public (ulong Num, ulong Den)? XResolution, YResolution;
    /// <summary>ResolutionUnit (1 none, 2 inch, 3 cm).</summary>
    public long ResolutionUnit = 2;

    /// <summary>True for a tiled page.</summary>
    public bool Tiled => TileWidth > 0 || TileLength > 0;
}

/// <summary>
/// A strict reading of a TIFF file's structure (header, chain of directories, the tags that locate
/// and describe the pixels) made before LibTiff is given the file, so that truncated, looping or
/// corrupt files are refused with a message that says what is wrong and where, instead of being
/// read as a shorter stack or failing deep inside the decoder. Every directory, every value array
/// and every strip or tile must lie inside the file; the chain must not loop.
/// </summary>
internal sealed class TiffStructure
{
    /// <summary>Most pages accepted in one file.</summary>
    public const int MaxPages = 1_000_000;

    private readonly Stream _s;
    private readonly string _path;
    private readonly byte[] _buf = new byte[24];

    private TiffStructure(string path, Stream s)
    {
        _path = path;
        _s = s;
        Length = s.Length;
    }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Big-endian (MM) byte order.</summary>
    public bool BigEndian { get; private set; }

    /// <summary>BigTIFF (64-bit offsets).</summary>
    public bool BigTiff { get; private set; }

    /// <summary>The pages in chain order.</summary>
    public List<TiffPage> Pages { get; } = new();

    /// <summary>Reads and checks the structure of <paramref name="path"/>; throws <see cref="InvalidInputException"/>.</summary>
    public static TiffStructure Read(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, "cannot be read (permission denied)");
        }
        catch (IOException e)
        {
            throw new InvalidInputException(path, $"cannot be read ({InputPaths.OneLine(e.Message)})");
        }
        using (fs)
        {
            var t = new TiffStructure(path, fs);
            try
            {
                t.Parse();
            }
            catch (IOException e)
            {
                throw new InvalidInputException(path, $"cannot be read ({InputPaths.OneLine(e.Message)})");
            }
            return t;
        }
    }

    private InvalidInputException Corrupt(string problem) => new(_path, $"corrupt TIFF: {problem}");

    private void Parse()
    {
        if (Length < 8) throw new InvalidInputException(_path, $"not a TIFF file (only {Length} bytes)");
        ReadAt(0, 4);
        bool ii = _buf[0] == 'I' && _buf[1] == 'I', mm = _buf[0] == 'M' && _buf[1] == 'M';
        if (!ii && !mm) throw new InvalidInputException(_path, "not a TIFF file (no II*/MM* signature)");
        BigEndian = mm;
        int magic = U16(2);
        if (magic is not (42 or 43)) throw new InvalidInputException(_path, "not a TIFF file (no II*/MM* signature)");
        BigTiff = magic == 43;
        long next;
        if (BigTiff)
        {
            if (Length < 16) throw Corrupt($"BigTIFF header needs 16 bytes, the file has {Length}");
            ReadAt(4, 12);
            if (U16(0) != 8 || U16(2) != 0) throw Corrupt("BigTIFF header has an offset size other than 8");
            next = Offset(U64(4));
        }
        else
        {
            ReadAt(4, 4);
            next = U32(0);
        }
        if (next == 0) throw Corrupt("the header points to no page (first directory offset 0)");
        var seen = new HashSet<long>();
        int entrySize = BigTiff ? 20 : 12, countSize = BigTiff ? 8 : 2, nextSize = BigTiff ? 8 : 4;
        while (next != 0)
        {
            int index = Pages.Count;
            string which = $"the directory of page {index}";
            if (index >= MaxPages) throw Corrupt($"more than {MaxPages:N0} pages");
            if (!seen.Add(next)) throw Corrupt($"{which} (offset {next}) is an earlier page's directory again: the chain of pages loops");
            if (next < (BigTiff ? 16 : 8) || next > Length - countSize)
                throw index == 0
                    ? Corrupt($"{which} is at offset {next}, outside the file ({Length:N0} bytes)")
                    : Corrupt($"{which} is at offset {next:N0}, beyond the end of the file ({Length:N0} bytes): the file is truncated");
            ReadAt(next, countSize);
            long n = BigTiff ? Offset(U64(0)) : U16(0);
            if (n == 0) throw Corrupt($"{which} (offset {next}) has no entries");
            if (n < 0 || n > 65535 || next + countSize + n * entrySize + nextSize > Length)
                throw Corrupt($"{which} (offset {next}) claims {n} entries, which run past the end of the file ({Length:N0} bytes)");
            var page = new TiffPage { Offset = next };
            long entries = next + countSize;
            for (long e = 0; e < n; e++) ReadEntry(page, entries + e * entrySize, index);
            ReadAt(entries + n * entrySize, nextSize);
            next = BigTiff ? Offset(U64(0)) : U32(0);
            Check(page, index);
            Pages.Add(page);
        }
    }

    private static int TypeSize(int type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private void ReadEntry(TiffPage page, long at, int index)
    {
        ReadAt(at, BigTiff ? 20 : 12);
        int tag = U16(0), type = U16(2);
        long count = BigTiff ? Offset(U64(4)) : U32(4);
        int size = TypeSize(type);
        bool ours = tag is 256 or 257 or 258 or 259 or 273 or 277 or 278 or 279 or 282 or 283 or 284 or 296 or 322 or 323 or 324 or 325 or 339;
        if (size == 0)
        {
            if (ours) throw Corrupt($"page {index}: tag {tag} has unknown type {type}");
            return; // unknown types are skipped by readers
        }
        if (count < 0 || count > Length) throw Corrupt($"page {index}: tag {tag} claims {count:N0} values, more than the file holds");
        long bytes = count * size;
        int inline = BigTiff ? 8 : 4;
        long valueOffset;
        if (bytes <= inline) valueOffset = at + (BigTiff ? 12 : 8);
        else
        {
            valueOffset = BigTiff ? Offset(U64(12)) : U32(8);
            if (valueOffset < 0 || valueOffset > Length - bytes)
                throw Corrupt($"page {index}: the values of tag {tag} ({bytes:N0} bytes at offset {valueOffset:N0}) lie beyond the end of the file ({Length:N0} bytes): the file is truncated or corrupt");
        }
        if (!ours || count == 0) return;
        switch (tag)
        {
            case 256: page.Width = Scalar(type, valueOffset, tag, index); break;
            case 257: page.Height = Scalar(type, valueOffset, tag, index); break;
            case 258: page.Bits = Scalar(type, valueOffset, tag, index); break;
            case 259: page.Compression = Scalar(type, valueOffset, tag, index); break;
            case 277: page.SamplesPerPixel = Scalar(type, valueOffset, tag, index); break;
            case 278: page.RowsPerStrip = Scalar(type, valueOffset, tag, index); break;
            case 284: page.Planar = Scalar(type, valueOffset, tag, index); break;
            case 296: page.ResolutionUnit = Scalar(type, valueOffset, tag, index); break;
            case 322: page.TileWidth = Scalar(type, valueOffset, tag, index); break;
            case 323: page.TileLength = Scalar(type, valueOffset, tag, index); break;
            case 339: page.SampleFormat = Scalar(type, valueOffset, tag, index); break;
            case 273 or 324: page.DataOffsets = ReadArray(type, valueOffset, count, tag, index); break;
            case 279 or 325: page.DataCounts = ReadArray(type, valueOffset, count, tag, index); break;
            case 282 or 283:
                if (type != 5) throw Corrupt($"page {index}: {(tag == 282 ? "XResolution" : "YResolution")} is not a rational (type {type})");
                ReadAt(valueOffset, 8);
                var r = ((ulong)U32(0), (ulong)U32(4));
                if (tag == 282) page.XResolution = r; else page.YResolution = r;
                break;
        }
    }

    private long Scalar(int type, long at, int tag, int index)
    {
        if (type is not (1 or 3 or 4 or 16)) throw Corrupt($"page {index}: tag {tag} has type {type}, expected an unsigned integer");
        int size = TypeSize(type);
        ReadAt(at, size);
        return Unsigned(type, 0);
    }

    private long[] ReadArray(int type, long at, long count, int tag, int index)
    {
        if (type is not (3 or 4 or 16)) throw Corrupt($"page {index}: tag {tag} has type {type}, expected offsets or byte counts");
        int size = TypeSize(type);
        var a = new long[count];
        var chunk = new byte[Math.Min(count * size, 1 << 16)];
        long done = 0;
        while (done < count)
        {
            int m = (int)Math.Min(count - done, chunk.Length / size);
            _s.Position = at + done * size;
            _s.ReadExactly(chunk.AsSpan(0, m * size));
            for (int i = 0; i < m; i++)
            {
                var b = chunk.AsSpan(i * size, size);
                a[done + i] = size switch
                {
                    2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
                    4 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
                    _ => Offset(BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b)),
                };
            }
            done += m;
        }
        return a;
    }

    private void Check(TiffPage p, int index)
    {
        string pg = $"page {index}";
        if (p.Width <= 0 || p.Height <= 0) throw new InvalidInputException(_path, $"TIFF {pg} has impossible size {p.Width} × {p.Height}");
        if (p.Width * p.Height > int.MaxValue) throw new InvalidInputException(_path, $"TIFF {pg} of {p.Width} × {p.Height} exceeds 2^31 pixels");
        if (p.SamplesPerPixel != 1)
            throw new InvalidInputException(_path, $"TIFF has {p.SamplesPerPixel} samples per pixel (colour) in {pg}; only greyscale stacks are supported, convert to 8/16/32-bit grey first");
        if (p.Bits is not (8 or 16 or 32))
            throw new InvalidInputException(_path, $"TIFF {pg} has {p.Bits}-bit samples; supported: 8/16/32-bit unsigned, 8/16-bit signed, 16/32-bit float");
        if (p.Compression is not (1 or 5 or 7 or 8 or 32946 or 32773))
            throw new InvalidInputException(_path, $"TIFF {pg} uses compression scheme {p.Compression}; supported: none, LZW, deflate, PackBits, JPEG");
        if (p.DataOffsets is null) throw Corrupt($"{pg} has no image data (no strip or tile offsets)");
        long bytesPerPixel = p.Bits / 8;
        long expected;
        if (p.Tiled)
        {
            if (p.TileWidth <= 0 || p.TileLength <= 0) throw Corrupt($"{pg} has tiles of {p.TileWidth} × {p.TileLength}");
            long tileBytes = p.TileWidth * p.TileLength * bytesPerPixel;
            if (tileBytes > Math.Max(64L << 20, 4 * p.Width * p.Height * bytesPerPixel))
                throw Corrupt($"{pg} has tiles of {p.TileWidth} × {p.TileLength}, implausibly large for a {p.Width} × {p.Height} image");
            expected = ((p.Width + p.TileWidth - 1) / p.TileWidth) * ((p.Height + p.TileLength - 1) / p.TileLength);
        }
        else
        {
            long rps = p.RowsPerStrip <= 0 || p.RowsPerStrip > p.Height ? p.Height : p.RowsPerStrip;
            p.RowsPerStrip = rps;
            expected = (p.Height + rps - 1) / rps;
        }
        if (p.DataOffsets.Length < expected)
            throw Corrupt($"{pg} lists {p.DataOffsets.Length} {(p.Tiled ? "tiles" : "strips")} but its size needs {expected}");
        if (p.DataCounts is not null && p.DataCounts.Length < expected)
            throw Corrupt($"{pg} lists {p.DataCounts.Length} {(p.Tiled ? "tile" : "strip")} byte counts but its size needs {expected}");
        for (int i = 0; i < expected; i++)
        {
            long off = p.DataOffsets[i];
            long need = p.Compression == 1 ? UncompressedBytes(p, i, bytesPerPixel) : 0;
            long count = p.DataCounts is null ? need : p.DataCounts[i];
            if (p.DataCounts is null && p.Compression != 1) throw Corrupt($"{pg} is compressed but has no strip byte counts");
            if (off < 0 || count < 0 || off > Length - count)
                throw Corrupt($"{pg}: {(p.Tiled ? "tile" : "strip")} {i} ({count:N0} bytes at offset {off:N0}) lies beyond the end of the file ({Length:N0} bytes): the file is truncated");
            if (p.Compression == 1 && count < need)
                throw Corrupt($"{pg}: uncompressed {(p.Tiled ? "tile" : "strip")} {i} holds {count:N0} bytes, its pixels need {need:N0}");
        }
    }

    private static long UncompressedBytes(TiffPage p, int i, long bpp)
    {
        if (p.Tiled) return p.TileWidth * p.TileLength * bpp;
        long rows = Math.Min(p.RowsPerStrip, p.Height - i * p.RowsPerStrip);
        return rows * p.Width * bpp;
    }

    /// <summary>The voxel-size resolution of a page as pixels per unit, or null when absent; throws on a zero denominator.</summary>
    public double? Resolution((ulong Num, ulong Den)? r, string name)
    {
        if (r is not { } v) return null;
        if (v.Den == 0) throw new InvalidInputException(_path, $"TIFF {name} is {v.Num}/0 (division by zero), so the pixel size is undefined; fix the file or give the voxel size with --voxel-size");
        return (double)v.Num / v.Den;
    }

    private void ReadAt(long offset, int count)
    {
        if (offset < 0 || offset > Length - count) throw Corrupt($"a value at offset {offset} lies beyond the end of the file ({Length:N0} bytes)");
        _s.Position = offset;
        _s.ReadExactly(_buf.AsSpan(0, count));
    }

    private int U16(int at) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_buf.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan(at));

    private long U32(int at) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_buf.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(at));

    private ulong U64(int at) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(_buf.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(_buf.AsSpan(at));

    private long Unsigned(int type, int at) => TypeSize(type) switch
    {
        1 => _buf[at],
        2 => U16(at),
        4 => U32(at),
        _ => Offset(U64(at)),
    };

    /// <summary>A 64-bit value as an offset: values past long.MaxValue become -1 (outside any file).</summary>
    private static long Offset(ulong v) => v > long.MaxValue ? -1 : (long)v;
}
