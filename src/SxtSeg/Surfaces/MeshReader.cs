using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SxtSeg.Surfaces;

/// <summary>Reads PLY (binary and ASCII), STL (binary and ASCII) and OBJ meshes.</summary>
public static class MeshReader
{
    /// <summary>Reads a mesh file; throws <see cref="InvalidInputException"/> naming the file and the problem.</summary>
    public static LoadedMesh Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException(path, "file not found");
        try
        {
            var mesh = MeshFormats.FromPath(path) switch
            {
                MeshFormat.Ply => ReadPly(path),
                MeshFormat.Stl => ReadStl(path),
                _ => ReadObj(path),
            };
            // Meshes written with --units angstrom are read back in nm.
            if (StatedUnits(path) == MeshUnits.Angstrom)
                for (int i = 0; i < mesh.Vertices.Length; i++) mesh.Vertices[i] /= 10f;
            return mesh;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or OverflowException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new InvalidInputException(path, $"not a readable mesh ({e.Message})", e);
        }
    }

    /// <summary>The unit an SxtSeg mesh file states in its header ("units angstrom"); nm for any other file.</summary>
    public static MeshUnits StatedUnits(string path)
    {
        var head = new byte[4096];
        int n;
        using (var f = File.OpenRead(path)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        string text = Encoding.ASCII.GetString(head, 0, n);
        return text.Contains("units angstrom", StringComparison.Ordinal) || text.StartsWith("sxtseg binary STL, angstrom", StringComparison.Ordinal)
            ? MeshUnits.Angstrom : MeshUnits.Nanometre;
    }

    private static LoadedMesh ReadPly(string path)
    {
        using var file = File.OpenRead(path);
        using var fs = new BufferedStream(file, 1 << 20);
        var header = new List<string>();
        var line = new StringBuilder();
        while (true)
        {
            int b = fs.ReadByte();
            if (b < 0) throw new InvalidInputException(path, "PLY header has no end_header");
            if (b == '\n')
            {
                string l = line.ToString().TrimEnd('\r');
                header.Add(l);
                line.Clear();
                if (l == "end_header") break;
                if (header.Count > 10000) throw new InvalidInputException(path, "PLY header too long");
                continue;
            }
            line.Append((char)b);
        }
        if (header[0] != "ply") throw new InvalidInputException(path, "not a PLY file (no 'ply' magic)");
        string format = header.FirstOrDefault(h => h.StartsWith("format ", StringComparison.Ordinal)) ?? throw new InvalidInputException(path, "PLY header has no format line");
        bool ascii = format.Contains("ascii", StringComparison.Ordinal), big = format.Contains("big_endian", StringComparison.Ordinal);
        // Elements and their properties.
        var elements = new List<(string Name, long Count, List<(string Type, string Name, string? ListCount)> Props)>();
        foreach (var h in header)
        {
            var p = h.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 0) continue;
            if (p[0] == "element") elements.Add((p[1], long.Parse(p[2], CultureInfo.InvariantCulture), new()));
            else if (p[0] == "property" && elements.Count > 0)
            {
                if (p[1] == "list") elements[^1].Props.Add((p[3], p[4], p[2]));
                else elements[^1].Props.Add((p[1], p[2], null));
            }
        }
        var vertexEl = elements.FirstOrDefault(e => e.Name == "vertex");
        if (vertexEl.Name is null) throw new InvalidInputException(path, "PLY file has no vertex element");
        if (vertexEl.Count > int.MaxValue / 3) throw new InvalidInputException(path, "too many vertices");
        var verts = new float[vertexEl.Count * 3];
        bool hasColor = vertexEl.Props.Any(p => p.Name == "red");
        var colors = hasColor ? new byte[vertexEl.Count * 3] : null;
        var tris = new List<int>();
        TextReader? text = ascii ? new StreamReader(fs, Encoding.ASCII) : null;
        string[]? tokens = null;
        int tokenPos = 0;
        double NextNumber(string type)
        {
            if (text is not null)
            {
                while (tokens is null || tokenPos >= tokens.Length)
                {
                    tokens = (text.ReadLine() ?? throw new EndOfStreamException("PLY data ends early")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    tokenPos = 0;
                }
                return double.Parse(tokens[tokenPos++], CultureInfo.InvariantCulture);
            }
            return ReadBinary(fs, type, big);
        }
        var listBuffer = new int[16];
        foreach (var el in elements)
        {
            for (long i = 0; i < el.Count; i++)
            {
                foreach (var (type, name, listCount) in el.Props)
                {
                    if (listCount is not null)
                    {
                        int n = (int)NextNumber(listCount);
                        if (n < 0 || n > 1 << 20) throw new FormatException($"face with {n} vertices");
                        if (listBuffer.Length < n) listBuffer = new int[n];
                        var idx = listBuffer;
                        for (int k = 0; k < n; k++) idx[k] = (int)NextNumber(type);
                        if (el.Name == "face" && name is "vertex_indices" or "vertex_index")
                            for (int k = 1; k + 1 < n; k++) { tris.Add(idx[0]); tris.Add(idx[k]); tris.Add(idx[k + 1]); }
                        continue;
                    }
                    double value = NextNumber(type);
                    if (el.Name != "vertex") continue;
                    switch (name)
                    {
                        case "x": verts[i * 3] = (float)value; break;
                        case "y": verts[i * 3 + 1] = (float)value; break;
                        case "z": verts[i * 3 + 2] = (float)value; break;
                        case "red": colors![i * 3] = ColorByte(value, type); break;
                        case "green": colors![i * 3 + 1] = ColorByte(value, type); break;
                        case "blue": colors![i * 3 + 2] = ColorByte(value, type); break;
                    }
                }
            }
        }
        return Validate(path, new LoadedMesh(verts, tris.ToArray(), colors));
    }

    private static byte ColorByte(double v, string type) => type is "float" or "float32" or "double" or "float64" ? (byte)Math.Clamp(v * 255, 0, 255) : (byte)Math.Clamp(v, 0, 255);

    private static double ReadBinary(Stream s, string type, bool big)
    {
        Span<byte> b = stackalloc byte[8];
        int size = type switch
        {
            "char" or "int8" or "uchar" or "uint8" => 1,
            "short" or "int16" or "ushort" or "uint16" => 2,
            "int" or "int32" or "uint" or "uint32" or "float" or "float32" => 4,
            "double" or "float64" => 8,
            _ => throw new FormatException($"unknown PLY type '{type}'"),
        };
        s.ReadExactly(b[..size]);
        var d = b[..size];
        return type switch
        {
            "char" or "int8" => (sbyte)d[0],
            "uchar" or "uint8" => d[0],
            "short" or "int16" => big ? BinaryPrimitives.ReadInt16BigEndian(d) : BinaryPrimitives.ReadInt16LittleEndian(d),
            "ushort" or "uint16" => big ? BinaryPrimitives.ReadUInt16BigEndian(d) : BinaryPrimitives.ReadUInt16LittleEndian(d),
            "int" or "int32" => big ? BinaryPrimitives.ReadInt32BigEndian(d) : BinaryPrimitives.ReadInt32LittleEndian(d),
            "uint" or "uint32" => big ? BinaryPrimitives.ReadUInt32BigEndian(d) : BinaryPrimitives.ReadUInt32LittleEndian(d),
            "float" or "float32" => big ? BinaryPrimitives.ReadSingleBigEndian(d) : BinaryPrimitives.ReadSingleLittleEndian(d),
            _ => big ? BinaryPrimitives.ReadDoubleBigEndian(d) : BinaryPrimitives.ReadDoubleLittleEndian(d),
        };
    }

    private static LoadedMesh ReadStl(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bool binary = bytes.Length >= 84 && 84 + 50L * BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(80)) == bytes.Length;
        var verts = new List<float>();
        var colors = new List<byte>();
        bool anyColor = false;
        if (binary)
        {
            long n = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(80));
            for (long i = 0; i < n; i++)
            {
                var t = bytes.AsSpan((int)(84 + 50 * i), 50);
                ushort attr = BinaryPrimitives.ReadUInt16LittleEndian(t[48..]);
                bool hasColor = (attr & 0x8000) != 0;
                anyColor |= hasColor;
                for (int k = 0; k < 3; k++)
                {
                    for (int j = 0; j < 3; j++) verts.Add(BinaryPrimitives.ReadSingleLittleEndian(t[(12 + 12 * k + 4 * j)..]));
                    colors.Add(hasColor ? (byte)((attr >> 10 & 31) << 3) : (byte)200);
                    colors.Add(hasColor ? (byte)((attr >> 5 & 31) << 3) : (byte)200);
                    colors.Add(hasColor ? (byte)((attr & 31) << 3) : (byte)200);
                }
            }
        }
        else
        {
            foreach (var raw in Encoding.ASCII.GetString(bytes).Split('\n'))
            {
                var p = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (p.Length == 4 && p[0] == "vertex")
                    for (int j = 1; j < 4; j++) verts.Add(float.Parse(p[j], CultureInfo.InvariantCulture));
            }
            if (verts.Count == 0 || verts.Count % 9 != 0) throw new InvalidInputException(path, "not a binary or ASCII STL file");
        }
        // STL stores each triangle's corners separately: weld identical positions.
        var map = new Dictionary<(float, float, float), int>();
        var pos = new List<float>();
        var col = new List<byte>();
        var tris = new int[verts.Count / 3];
        for (int i = 0; i < tris.Length; i++)
        {
            var key = (verts[i * 3], verts[i * 3 + 1], verts[i * 3 + 2]);
            if (!map.TryGetValue(key, out int id))
            {
                id = map.Count;
                map[key] = id;
                pos.Add(key.Item1); pos.Add(key.Item2); pos.Add(key.Item3);
                if (anyColor) { col.Add(colors[i * 3]); col.Add(colors[i * 3 + 1]); col.Add(colors[i * 3 + 2]); }
            }
            tris[i] = id;
        }
        return Validate(path, new LoadedMesh(pos.ToArray(), tris, anyColor ? col.ToArray() : null));
    }

    private static LoadedMesh ReadObj(string path)
    {
        var verts = new List<float>();
        var colors = new List<byte>();
        var tris = new List<int>();
        bool allColored = true;
        foreach (var raw in File.ReadLines(path))
        {
            var p = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 0) continue;
            if (p[0] == "v" && p.Length >= 4)
            {
                for (int j = 1; j < 4; j++) verts.Add(float.Parse(p[j], CultureInfo.InvariantCulture));
                if (p.Length >= 7)
                    for (int j = 4; j < 7; j++) colors.Add((byte)Math.Clamp(double.Parse(p[j], CultureInfo.InvariantCulture) * 255, 0, 255));
                else allColored = false;
            }
            else if (p[0] == "f" && p.Length >= 4)
            {
                int n = p.Length - 1;
                var idx = new int[n];
                int vcount = verts.Count / 3;
                for (int k = 0; k < n; k++)
                {
                    int v = int.Parse(p[k + 1].Split('/')[0], CultureInfo.InvariantCulture);
                    idx[k] = v > 0 ? v - 1 : vcount + v;
                }
                for (int k = 1; k + 1 < n; k++) { tris.Add(idx[0]); tris.Add(idx[k]); tris.Add(idx[k + 1]); }
            }
        }
        return Validate(path, new LoadedMesh(verts.ToArray(), tris.ToArray(), allColored && colors.Count == verts.Count ? colors.ToArray() : null));
    }

    private static LoadedMesh Validate(string path, LoadedMesh m)
    {
        int n = m.Vertices.Length / 3;
        foreach (int i in m.Triangles)
            if ((uint)i >= (uint)n) throw new InvalidInputException(path, $"a face refers to vertex {i}, but there are {n} vertices");
        return m;
    }
}
