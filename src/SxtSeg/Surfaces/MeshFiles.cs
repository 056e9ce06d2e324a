using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SxtSeg.Surfaces;

/// <summary>Mesh file formats.</summary>
public enum MeshFormat
{
    /// <summary>Stanford PLY, binary little-endian, with per-vertex RGB colour (MeshLab, ParaView, ChimeraX, Blender).</summary>
    Ply,
    /// <summary>Binary STL (3D printing, MIB, Biomedisa); triangle attribute holds a VisCAM-style 15-bit colour.</summary>
    Stl,
    /// <summary>Wavefront OBJ text with one named group per object and vertex colours (x y z r g b).</summary>
    Obj,
}

/// <summary>Names, extensions and size limits of <see cref="MeshFormat"/>.</summary>
public static class MeshFormats
{
    /// <summary>Parses "ply", "stl" or "obj".</summary>
    public static MeshFormat Parse(string s, string option = "--format") => s.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "ply" => MeshFormat.Ply,
        "stl" => MeshFormat.Stl,
        "obj" => MeshFormat.Obj,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a mesh format (use ply, stl or obj)"),
    };

    /// <summary>The file extension with its dot.</summary>
    public static string Extension(this MeshFormat f) => f switch { MeshFormat.Ply => ".ply", MeshFormat.Stl => ".stl", _ => ".obj" };

    /// <summary>The format implied by a file name.</summary>
    public static MeshFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".ply" => MeshFormat.Ply,
        ".stl" => MeshFormat.Stl,
        ".obj" => MeshFormat.Obj,
        var e => throw new InvalidInputException(path, $"unknown mesh format '{e}' (use .ply, .stl or .obj)"),
    };

    /// <summary>Most triangles one file of the format can hold (binary STL counts triangles in a uint32).</summary>
    public static long MaxTriangles(this MeshFormat f) => f == MeshFormat.Stl ? uint.MaxValue : int.MaxValue;

    /// <summary>Most vertices one file can hold (PLY and OBJ index vertices with 32-bit integers in every common reader).</summary>
    public static long MaxVertices(this MeshFormat f) => f == MeshFormat.Stl ? long.MaxValue : int.MaxValue;
}

/// <summary>Length unit of mesh coordinates in a file.</summary>
public enum MeshUnits
{
    /// <summary>Nanometres (SxtSeg's unit; MeshLab, ParaView, Blender take coordinates as they are).</summary>
    Nanometre,
    /// <summary>Ångström (ChimeraX and IMOD place maps in Å: a mesh in Å sits on its tomogram there).</summary>
    Angstrom,
}

/// <summary>Names and scale of <see cref="MeshUnits"/>.</summary>
public static class MeshUnitNames
{
    /// <summary>Parses "nm" or "angstrom" ("a", "å", "ang" too).</summary>
    public static MeshUnits Parse(string s, string option = "--units") => s.Trim().ToLowerInvariant() switch
    {
        "nm" or "nanometre" or "nanometer" or "nanometres" or "nanometers" => MeshUnits.Nanometre,
        "angstrom" or "angstroms" or "a" or "å" or "ang" or "ångström" => MeshUnits.Angstrom,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a length unit (use nm or angstrom)"),
    };

    /// <summary>The unit's name as written into files ("nm" or "angstrom").</summary>
    public static string Name(this MeshUnits u) => u == MeshUnits.Angstrom ? "angstrom" : "nm";

    /// <summary>File units per nanometre (1 or 10).</summary>
    public static float PerNanometre(this MeshUnits u) => u == MeshUnits.Angstrom ? 10f : 1f;
}

/// <summary>How meshes are written.</summary>
public sealed record MeshWriteOptions
{
    /// <summary>Seed of the per-object colours.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Split the combined file into parts of at most this many triangles (whole objects per part); the format's own limit always applies.</summary>
    public long MaxTrianglesPerFile { get; init; } = long.MaxValue;

    /// <summary>Provenance written into each file's header or comments.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Unit of the coordinates in the file (meshes are built in nm).</summary>
    public MeshUnits Units { get; init; } = MeshUnits.Nanometre;
}

/// <summary>Writes meshes to PLY, STL and OBJ, atomically.</summary>
public static class MeshWriter
{
    /// <summary>Files a mesh folder (<c>sxtseg mesh --out</c>) may hold; stale ones are removed when a new run does not write them.</summary>
    public static readonly string[] OwnedFiles =
    {
        "meshes.ply", "meshes.stl", "meshes.obj", "meshes.part*.ply", "meshes.part*.stl", "meshes.part*.obj",
        "objects/object_*.ply", "objects/object_*.stl", "objects/object_*.obj", "preview.png", "mesh.json",
    };

    /// <summary>
    /// Writes all meshes into <paramref name="path"/>, or, when they exceed the triangle or vertex
    /// limit of one file, into numbered parts "name.part01.ext", "name.part02.ext", ... each holding
    /// whole objects. An object larger than the limit on its own is refused with a message.
    /// Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteCombined(string path, IReadOnlyList<ObjectMesh> meshes, MeshFormat format, MeshWriteOptions? options = null)
    {
        options ??= new MeshWriteOptions();
        var parts = Partition(path, meshes, format, options);
        if (parts.Count == 1)
        {
            WriteFile(path, meshes, format, options);
            return new[] { path };
        }
        var files = new List<string>();
        string dir = Path.GetDirectoryName(path) ?? ".", stem = Path.GetFileNameWithoutExtension(path), ext = Path.GetExtension(path);
        for (int i = 0; i < parts.Count; i++)
        {
            string p = Path.Combine(dir, $"{stem}.part{(i + 1).ToString("D2", CultureInfo.InvariantCulture)}{ext}");
            WriteFile(p, parts[i], format, options);
            files.Add(p);
        }
        return files;
    }

    /// <summary>Groups whole objects into files under the limits; throws when one object alone is too large.</summary>
    internal static List<List<ObjectMesh>> Partition(string path, IReadOnlyList<ObjectMesh> meshes, MeshFormat format, MeshWriteOptions options)
    {
        long maxT = Math.Min(options.MaxTrianglesPerFile, format.MaxTriangles()), maxV = format.MaxVertices();
        var parts = new List<List<ObjectMesh>> { new() };
        long t = 0, v = 0;
        foreach (var m in meshes)
        {
            if (m.TriangleCount > maxT || m.VertexCount > maxV)
                throw new OutputException(path, string.Create(CultureInfo.InvariantCulture,
                    $"object {m.SourceId} alone has {m.TriangleCount:N0} triangles, more than one {format.Extension()} file may hold here ({maxT:N0}); decimate it (--decimate) or raise --max-triangles"));
            if (parts[^1].Count > 0 && (t + m.TriangleCount > maxT || v + m.VertexCount > maxV))
            {
                parts.Add(new List<ObjectMesh>());
                t = 0; v = 0;
            }
            parts[^1].Add(m);
            t += m.TriangleCount;
            v += m.VertexCount;
        }
        return parts;
    }

    /// <summary>Writes one file holding the given meshes (no splitting).</summary>
    public static void WriteFile(string path, IReadOnlyList<ObjectMesh> meshes, MeshFormat format, MeshWriteOptions? options = null)
    {
        options ??= new MeshWriteOptions();
        using var f = AtomicFile.Create(path);
        // Not disposed: disposing a BufferedStream would close the atomic file before its commit.
        var s = new BufferedStream(f.Stream, 1 << 20);
        switch (format)
        {
            case MeshFormat.Ply: WritePly(s, meshes, options); break;
            case MeshFormat.Stl: WriteStl(s, meshes, options); break;
            default: WriteObj(s, meshes, options); break;
        }
        s.Flush();
        f.Commit();
    }

    private static string HeaderText(MeshWriteOptions o, IReadOnlyList<ObjectMesh> meshes)
        => o.Provenance is { } p ? p.ToJson() : $"{ToolInfo.NameAndVersion} meshes ({meshes.Count} objects)";

    private static void WritePly(Stream s, IReadOnlyList<ObjectMesh> meshes, MeshWriteOptions o)
    {
        long nv = 0, nf = 0;
        foreach (var m in meshes) { nv += m.VertexCount; nf += m.TriangleCount; }
        var header = new StringBuilder();
        header.Append("ply\nformat binary_little_endian 1.0\n");
        header.Append("comment ").Append(OneLine(HeaderText(o, meshes))).Append('\n');
        header.Append("comment units ").Append(o.Units.Name()).Append("; one colour per object (seed ").Append(o.Seed.ToString(CultureInfo.InvariantCulture)).Append(")\n");
        header.Append("comment objects ").Append(meshes.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        header.Append("element vertex ").Append(nv.ToString(CultureInfo.InvariantCulture)).Append('\n');
        header.Append("property float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\n");
        header.Append("element face ").Append(nf.ToString(CultureInfo.InvariantCulture)).Append('\n');
        header.Append("property list uchar int vertex_indices\nend_header\n");
        s.Write(Encoding.ASCII.GetBytes(header.ToString()));
        var buf = new byte[15 * 4096];
        float u = o.Units.PerNanometre();
        foreach (var m in meshes)
        {
            var c = MeshColors.ForObject(m.SourceId, o.Seed);
            var v = m.Vertices;
            int k = 0;
            for (int i = 0; i < v.Length; i += 3)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(k), v[i] * u);
                BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(k + 4), v[i + 1] * u);
                BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(k + 8), v[i + 2] * u);
                buf[k + 12] = c.R; buf[k + 13] = c.G; buf[k + 14] = c.B;
                k += 15;
                if (k == buf.Length) { s.Write(buf, 0, k); k = 0; }
            }
            s.Write(buf, 0, k);
        }
        long offset = 0;
        var fb = new byte[13 * 4096];
        foreach (var m in meshes)
        {
            var t = m.Triangles;
            int k = 0;
            for (int i = 0; i < t.Length; i += 3)
            {
                fb[k] = 3;
                BinaryPrimitives.WriteInt32LittleEndian(fb.AsSpan(k + 1), (int)(t[i] + offset));
                BinaryPrimitives.WriteInt32LittleEndian(fb.AsSpan(k + 5), (int)(t[i + 1] + offset));
                BinaryPrimitives.WriteInt32LittleEndian(fb.AsSpan(k + 9), (int)(t[i + 2] + offset));
                k += 13;
                if (k == fb.Length) { s.Write(fb, 0, k); k = 0; }
            }
            s.Write(fb, 0, k);
            offset += m.VertexCount;
        }
    }

    private static void WriteStl(Stream s, IReadOnlyList<ObjectMesh> meshes, MeshWriteOptions o)
    {
        var head = new byte[80];
        // Must not start with "solid" (ASCII STL marker).
        string text = $"sxtseg binary STL, {o.Units.Name()}: " + OneLine(HeaderText(o, meshes));
        Encoding.ASCII.GetBytes(text.Length > 80 ? text[..80] : text, head);
        s.Write(head);
        long nf = 0;
        foreach (var m in meshes) nf += m.TriangleCount;
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)nf);
        s.Write(count);
        var buf = new byte[50 * 2048];
        float u = o.Units.PerNanometre();
        foreach (var m in meshes)
        {
            var c = MeshColors.ForObject(m.SourceId, o.Seed);
            ushort attr = (ushort)(0x8000 | (c.R >> 3) << 10 | (c.G >> 3) << 5 | (c.B >> 3));
            var v = m.Vertices;
            var t = m.Triangles;
            int k = 0;
            for (int i = 0; i < t.Length; i += 3)
            {
                int a = t[i] * 3, b = t[i + 1] * 3, d = t[i + 2] * 3;
                float ux = v[b] - v[a], uy = v[b + 1] - v[a + 1], uz = v[b + 2] - v[a + 2];
                float wx = v[d] - v[a], wy = v[d + 1] - v[a + 1], wz = v[d + 2] - v[a + 2];
                float nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
                float len = MathF.Sqrt(nx * nx + ny * ny + nz * nz);
                if (len > 0) { nx /= len; ny /= len; nz /= len; }
                var span = buf.AsSpan(k, 50);
                BinaryPrimitives.WriteSingleLittleEndian(span, nx);
                BinaryPrimitives.WriteSingleLittleEndian(span[4..], ny);
                BinaryPrimitives.WriteSingleLittleEndian(span[8..], nz);
                WriteVertex(span[12..], v, a, u);
                WriteVertex(span[24..], v, b, u);
                WriteVertex(span[36..], v, d, u);
                BinaryPrimitives.WriteUInt16LittleEndian(span[48..], attr);
                k += 50;
                if (k == buf.Length) { s.Write(buf, 0, k); k = 0; }
            }
            s.Write(buf, 0, k);
        }
    }

    private static void WriteVertex(Span<byte> dest, float[] v, int i, float scale)
    {
        BinaryPrimitives.WriteSingleLittleEndian(dest, v[i] * scale);
        BinaryPrimitives.WriteSingleLittleEndian(dest[4..], v[i + 1] * scale);
        BinaryPrimitives.WriteSingleLittleEndian(dest[8..], v[i + 2] * scale);
    }

    private static void WriteObj(Stream s, IReadOnlyList<ObjectMesh> meshes, MeshWriteOptions o)
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine("# " + OneLine(HeaderText(o, meshes)));
        w.WriteLine($"# units {o.Units.Name()}; vertex colours (x y z r g b), one colour per object");
        long offset = 1;
        float u = o.Units.PerNanometre();
        var ci = CultureInfo.InvariantCulture;
        foreach (var m in meshes)
        {
            var c = MeshColors.ForObject(m.SourceId, o.Seed);
            string rgb = string.Create(ci, $" {c.R / 255.0:0.###} {c.G / 255.0:0.###} {c.B / 255.0:0.###}");
            w.Write("o object_");
            w.WriteLine(m.SourceId.ToString(ci));
            var v = m.Vertices;
            for (int i = 0; i < v.Length; i += 3)
            {
                w.Write("v ");
                w.Write((v[i] * u).ToString("G7", ci)); w.Write(' ');
                w.Write((v[i + 1] * u).ToString("G7", ci)); w.Write(' ');
                w.Write((v[i + 2] * u).ToString("G7", ci));
                w.WriteLine(rgb);
            }
            var t = m.Triangles;
            for (int i = 0; i < t.Length; i += 3)
            {
                w.Write("f ");
                w.Write((t[i] + offset).ToString(ci)); w.Write(' ');
                w.Write((t[i + 1] + offset).ToString(ci)); w.Write(' ');
                w.WriteLine((t[i + 2] + offset).ToString(ci));
            }
            offset += m.VertexCount;
        }
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>A mesh read back from a file: positions, triangles and a colour per vertex.</summary>
/// <param name="Vertices">x, y, z per vertex.</param>
/// <param name="Triangles">Vertex index triples.</param>
/// <param name="Colors">r, g, b per vertex (null when the file has none).</param>
public sealed record LoadedMesh(float[] Vertices, int[] Triangles, byte[]? Colors);

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
