using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SxtSeg.Surfaces;

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
    /// whole objects. An object larger than the limit on its own is refused with a message naming
    /// <paramref name="shownAs"/> (the destination, when <paramref name="path"/> is in a staging folder;
    /// default <paramref name="path"/>). Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteCombined(string path, IReadOnlyList<ObjectMesh> meshes, MeshFormat format, MeshWriteOptions? options = null, string? shownAs = null)
    {
        options ??= new MeshWriteOptions();
        var parts = Partition(shownAs ?? path, meshes, format, options);
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

    /// <summary>Groups whole objects into files under the limits; throws when one object alone is too large (naming <paramref name="path"/>, used for nothing else).</summary>
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
