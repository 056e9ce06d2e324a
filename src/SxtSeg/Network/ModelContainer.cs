using System.Security.Cryptography;
using System.Text;

namespace SxtSeg.Network;

/// <summary>
/// The single-file container of SxtSeg model and checkpoint files: the 8-byte magic
/// <c>SXTSEGMF</c>, a little-endian int32 container version (1), then named sections
/// (int32 name length, UTF-8 name, int64 byte length, bytes), closed by a section named
/// <c>sha256</c> holding the SHA-256 of every byte before it. A file with another magic, a broken
/// structure or a wrong checksum is refused with a one-line error.
/// </summary>
public static class ModelContainer
{
    /// <summary>The file magic.</summary>
    public static ReadOnlySpan<byte> Magic => "SXTSEGMF"u8;

    /// <summary>Container version written by this tool.</summary>
    public const int Version = 1;

    private const string ChecksumSection = "sha256";

    /// <summary>Writes the sections atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, byte[]>> sections)
    {
        using var f = AtomicFile.Create(path);
        var w = new BinaryWriter(f.Stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        foreach (var (name, bytes) in sections)
        {
            if (name == ChecksumSection) throw new ArgumentException($"section name '{name}' is reserved", nameof(sections));
            WriteHeader(w, name, bytes.LongLength);
            w.Write(bytes);
        }
        w.Flush();
        f.Stream.Position = 0;
        byte[] hash = SHA256.HashData(f.Stream);
        f.Stream.Seek(0, SeekOrigin.End);
        WriteHeader(w, ChecksumSection, hash.Length);
        w.Write(hash);
        w.Flush();
        f.Commit();
    }

    private static void WriteHeader(BinaryWriter w, string name, long length)
    {
        byte[] n = Encoding.UTF8.GetBytes(name);
        w.Write(n.Length);
        w.Write(n);
        w.Write(length);
    }

    /// <summary>Reads and validates every section; throws <see cref="InvalidInputException"/> naming the problem.</summary>
    public static Dictionary<string, byte[]> Read(string path, string what = "sxtseg model file")
    {
        if (Directory.Exists(path)) throw new InvalidInputException(path, $"is a folder, expected a {what}");
        if (!File.Exists(path)) throw new InvalidInputException(path, "file not found");
        byte[] all;
        try
        {
            all = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, $"cannot read ({e.Message})", e);
        }
        if (all.Length < 12 || !all.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidInputException(path, $"not an {what} (no SXTSEGMF signature)");
        int version = BitConverter.ToInt32(all, 8);
        if (version != Version)
            throw new InvalidInputException(path, $"{what} container version {version} is not supported by this sxtseg (expects {Version})");
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        long pos = 12;
        while (true)
        {
            if (pos + 4 > all.Length) throw Truncated(path, what);
            int nameLen = BitConverter.ToInt32(all, (int)pos);
            if (nameLen <= 0 || nameLen > 256 || pos + 4 + nameLen + 8 > all.Length) throw Truncated(path, what);
            string name = Encoding.UTF8.GetString(all, (int)pos + 4, nameLen);
            long headerEnd = pos + 4 + nameLen + 8;
            long len = BitConverter.ToInt64(all, (int)(pos + 4 + nameLen));
            if (len < 0 || headerEnd + len > all.Length) throw Truncated(path, what);
            if (name == ChecksumSection)
            {
                if (len != 32 || headerEnd + len != all.Length) throw Truncated(path, what);
                byte[] actual = SHA256.HashData(all.AsSpan(0, (int)pos));
                if (!actual.AsSpan().SequenceEqual(all.AsSpan((int)headerEnd, 32)))
                    throw new InvalidInputException(path, $"{what} is corrupt (SHA-256 checksum mismatch)");
                return sections;
            }
            sections[name] = all.AsSpan((int)headerEnd, (int)len).ToArray();
            pos = headerEnd + len;
        }
    }

    private static InvalidInputException Truncated(string path, string what)
        => new(path, $"{what} is truncated or corrupt (broken section structure)");
}
