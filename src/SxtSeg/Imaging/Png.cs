using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SxtSeg.Imaging;

/// <summary>Minimal PNG encoder (8-bit grey, RGB or RGBA; zlib via System.IO.Compression), written atomically.</summary>
public static class Png
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes 8-bit greyscale pixels (row-major, top row first).</summary>
    public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> pixels) => Encode(width, height, 1, pixels, null);

    /// <summary>Encodes 8-bit RGB pixels (3 bytes per pixel).</summary>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> pixels, IReadOnlyDictionary<string, string>? text = null)
        => Encode(width, height, 3, pixels, text);

    /// <summary>Encodes 8-bit RGBA pixels (4 bytes per pixel).</summary>
    public static byte[] EncodeRgba(int width, int height, ReadOnlySpan<byte> pixels, IReadOnlyDictionary<string, string>? text = null)
        => Encode(width, height, 4, pixels, text);

    /// <summary>Writes an RGB image to a file atomically.</summary>
    public static void WriteRgb(string path, int width, int height, ReadOnlySpan<byte> pixels, IReadOnlyDictionary<string, string>? text = null)
        => AtomicFile.WriteAllBytes(path, EncodeRgb(width, height, pixels, text));

    /// <summary>Writes a greyscale image to a file atomically.</summary>
    public static void WriteGray(string path, int width, int height, ReadOnlySpan<byte> pixels)
        => AtomicFile.WriteAllBytes(path, EncodeGray(width, height, pixels));

    /// <summary>Encodes with the given channel count (1 grey, 3 RGB, 4 RGBA) and optional tEXt chunks.</summary>
    public static byte[] Encode(int width, int height, int channels, ReadOnlySpan<byte> pixels, IReadOnlyDictionary<string, string>? text)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width));
        int stride = width * channels;
        if (pixels.Length < (long)stride * height) throw new ArgumentException("too few pixels", nameof(pixels));
        using var ms = new MemoryStream();
        ms.Write(stackalloc byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;
        ihdr[9] = channels switch { 1 => 0, 3 => 2, 4 => 6, _ => throw new ArgumentOutOfRangeException(nameof(channels)) };
        ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
        Chunk(ms, "IHDR", ihdr);
        if (text is not null)
            foreach (var kv in text)
                Chunk(ms, "tEXt", Encoding.Latin1.GetBytes(kv.Key + "\0" + kv.Value));
        using (var z = new MemoryStream())
        {
            using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true))
            {
                byte[] row = new byte[stride + 1];
                for (int y = 0; y < height; y++)
                {
                    row[0] = 0; // filter: none
                    pixels.Slice(y * stride, stride).CopyTo(row.AsSpan(1));
                    zs.Write(row);
                }
            }
            Chunk(ms, "IDAT", z.GetBuffer().AsSpan(0, (int)z.Length));
        }
        Chunk(ms, "IEND", ReadOnlySpan<byte>.Empty);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc(0xFFFFFFFFu, head[4..]);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, crc);
        s.Write(c);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>Decodes a PNG written by this encoder or any 8-bit non-interlaced grey/RGB/RGBA PNG (for tests and tools).</summary>
    public static (int Width, int Height, int Channels, byte[] Pixels) Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || png[0] != 0x89 || png[1] != 'P') throw new InvalidDataException("not a PNG");
        int pos = 8, w = 0, h = 0, ch = 0;
        using var idat = new MemoryStream();
        while (pos + 8 <= png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            string type = Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
            var data = png.Slice(pos + 8, len);
            if (type == "IHDR")
            {
                w = BinaryPrimitives.ReadInt32BigEndian(data);
                h = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0) throw new InvalidDataException("only 8-bit non-interlaced PNG");
                ch = data[9] switch { 0 => 1, 2 => 3, 6 => 4, 4 => 2, _ => throw new InvalidDataException("unsupported colour type") };
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + len;
        }
        idat.Position = 0;
        using var zs = new ZLibStream(idat, CompressionMode.Decompress);
        int stride = w * ch;
        var raw = new byte[(stride + 1) * h];
        zs.ReadExactly(raw);
        var px = new byte[stride * h];
        for (int y = 0; y < h; y++)
        {
            int f = raw[y * (stride + 1)];
            var src = raw.AsSpan(y * (stride + 1) + 1, stride);
            var dst = px.AsSpan(y * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= ch ? dst[i - ch] : 0;
                int b = y > 0 ? px[(y - 1) * stride + i] : 0;
                int c = i >= ch && y > 0 ? px[(y - 1) * stride + i - ch] : 0;
                int pred = f switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException("bad filter"),
                };
                dst[i] = (byte)(src[i] + pred);
            }
        }
        return (w, h, ch, px);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
