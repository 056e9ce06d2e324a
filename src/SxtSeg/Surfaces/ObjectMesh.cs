using System.Runtime.CompilerServices;
using SxtSeg.Volumes;

namespace SxtSeg.Surfaces;

/// <summary>
/// A triangle mesh of one object: vertex positions in nm (x, y, z interleaved, float32) and
/// triangles as vertex index triples, counter-clockwise seen from outside (normals point out of
/// the object). Coordinates follow the volume: voxel (x, y, z) has its centre at
/// origin + (x·vx, y·vy, z·vz), as ChimeraX and IMOD place an MRC map, so meshes overlay the map.
/// </summary>
public sealed class ObjectMesh
{
    /// <summary>Creates a mesh from arrays (not copied).</summary>
    public ObjectMesh(int label, uint sourceId, float[] vertices, int[] triangles)
    {
        if (vertices.Length % 3 != 0) throw new ArgumentException("vertex array length must be a multiple of 3", nameof(vertices));
        if (triangles.Length % 3 != 0) throw new ArgumentException("triangle array length must be a multiple of 3", nameof(triangles));
        Label = label;
        SourceId = sourceId;
        Vertices = vertices;
        Triangles = triangles;
    }

    /// <summary>Dense object label (1..N) in the label stream it came from.</summary>
    public int Label { get; }

    /// <summary>The object's id in the source (instance value or component number).</summary>
    public uint SourceId { get; }

    /// <summary>Vertex positions in nm: x0, y0, z0, x1, y1, z1, ...</summary>
    public float[] Vertices { get; private set; }

    /// <summary>Triangles: three vertex indices each, outward (counter-clockwise) orientation.</summary>
    public int[] Triangles { get; private set; }

    /// <summary>Number of vertices.</summary>
    public int VertexCount => Vertices.Length / 3;

    /// <summary>Number of triangles.</summary>
    public int TriangleCount => Triangles.Length / 3;

    /// <summary>Replaces the geometry (used by smoothing and decimation).</summary>
    public void Replace(float[] vertices, int[] triangles)
    {
        if (vertices.Length % 3 != 0 || triangles.Length % 3 != 0) throw new ArgumentException("arrays must hold triples");
        Vertices = vertices;
        Triangles = triangles;
    }

    /// <summary>Moves every vertex by (<paramref name="dx"/>, <paramref name="dy"/>, <paramref name="dz"/>) nm.</summary>
    public void Translate(double dx, double dy, double dz)
    {
        var v = Vertices;
        for (int i = 0; i < v.Length; i += 3)
        {
            v[i] = (float)(v[i] + dx);
            v[i + 1] = (float)(v[i + 1] + dy);
            v[i + 2] = (float)(v[i + 2] + dz);
        }
    }

    /// <summary>Total triangle area in nm².</summary>
    public double Area()
    {
        double a = 0;
        var v = Vertices;
        var t = Triangles;
        for (int i = 0; i < t.Length; i += 3)
        {
            int p = t[i] * 3, q = t[i + 1] * 3, r = t[i + 2] * 3;
            double ux = v[q] - v[p], uy = v[q + 1] - v[p + 1], uz = v[q + 2] - v[p + 2];
            double wx = v[r] - v[p], wy = v[r + 1] - v[p + 1], wz = v[r + 2] - v[p + 2];
            double cx = uy * wz - uz * wy, cy = uz * wx - ux * wz, cz = ux * wy - uy * wx;
            a += 0.5 * Math.Sqrt(cx * cx + cy * cy + cz * cz);
        }
        return a;
    }

    /// <summary>
    /// Enclosed volume in nm³ by the divergence theorem (sum of signed tetrahedra against the
    /// centroid of the vertices, for precision). Positive for a closed, outward-oriented mesh.
    /// </summary>
    public double EnclosedVolume()
    {
        var v = Vertices;
        var t = Triangles;
        if (t.Length == 0) return 0;
        double ox = 0, oy = 0, oz = 0;
        int n = VertexCount;
        for (int i = 0; i < v.Length; i += 3) { ox += v[i]; oy += v[i + 1]; oz += v[i + 2]; }
        ox /= n; oy /= n; oz /= n;
        double vol = 0;
        for (int i = 0; i < t.Length; i += 3)
        {
            int p = t[i] * 3, q = t[i + 1] * 3, r = t[i + 2] * 3;
            double ax = v[p] - ox, ay = v[p + 1] - oy, az = v[p + 2] - oz;
            double bx = v[q] - ox, by = v[q + 1] - oy, bz = v[q + 2] - oz;
            double cx = v[r] - ox, cy = v[r + 1] - oy, cz = v[r + 2] - oz;
            vol += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        }
        return vol / 6;
    }

    /// <summary>Axis-aligned bounds of the vertices in nm (min, max); zeros for an empty mesh.</summary>
    public (Vec3 Min, Vec3 Max) Bounds()
    {
        if (Vertices.Length == 0) return (default, default);
        var min = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var max = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        var v = Vertices;
        for (int i = 0; i < v.Length; i += 3)
        {
            min = new Vec3(Math.Min(min.X, v[i]), Math.Min(min.Y, v[i + 1]), Math.Min(min.Z, v[i + 2]));
            max = new Vec3(Math.Max(max.X, v[i]), Math.Max(max.Y, v[i + 1]), Math.Max(max.Z, v[i + 2]));
        }
        return (min, max);
    }
}

/// <summary>A growable array with span access (no per-element allocation).</summary>
internal sealed class GrowList<T> where T : unmanaged
{
    private T[] _items;

    public GrowList(int capacity = 64) => _items = new T[Math.Max(4, capacity)];

    public int Count { get; private set; }

    public Span<T> Span => _items.AsSpan(0, Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        if (Count == _items.Length) Grow();
        _items[Count++] = item;
    }

    public ref T this[int i] => ref _items[i];

    /// <summary>The backing array (valid up to <see cref="Count"/>).</summary>
    public T[] Items => _items;

    public T[] ToArray() => _items.AsSpan(0, Count).ToArray();

    public void Clear() => Count = 0;

    /// <summary>Drops the first <paramref name="n"/> items, moving the rest to the front.</summary>
    public void RemovePrefix(int n)
    {
        if (n <= 0) return;
        if (n > Count) throw new ArgumentOutOfRangeException(nameof(n));
        Array.Copy(_items, n, _items, 0, Count - n);
        Count -= n;
        // Give memory back when the list has shrunk a lot.
        if (_items.Length > 1024 && Count < _items.Length / 2) Array.Resize(ref _items, Math.Max(1024, Count + Count / 2));
    }

    private void Grow()
    {
        long n = Math.Min(_items.Length + Math.Max(16L, _items.Length / 2), Array.MaxLength);
        if (n <= _items.Length) throw new InvalidOperationException("list too large");
        Array.Resize(ref _items, (int)n);
    }
}

/// <summary>
/// A list stored in 64 KB chunks: appending never copies, dropping a prefix frees whole chunks,
/// and no array lands on the large-object heap (which the GC rarely compacts). Used for the
/// geometry of surfaces that are built and released layer by layer.
/// </summary>
internal sealed class ChunkList<T> where T : unmanaged
{
    private static readonly int Shift = System.Runtime.CompilerServices.Unsafe.SizeOf<T>() switch { 1 => 16, 2 => 15, 4 => 14, _ => 13 };
    private static readonly int Size = 1 << Shift;
    private static readonly int Mask = Size - 1;
    private readonly List<T[]> _chunks = new();
    private int _start;

    public int Count { get; private set; }

    public T this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int p = _start + i;
            return _chunks[p >> Shift][p & Mask];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        int p = _start + Count;
        int c = p >> Shift;
        if (c == _chunks.Count) _chunks.Add(new T[Size]);
        _chunks[c][p & Mask] = item;
        Count++;
    }

    /// <summary>Drops the first <paramref name="n"/> items.</summary>
    public void RemovePrefix(int n)
    {
        if (n <= 0) return;
        if (n > Count) throw new ArgumentOutOfRangeException(nameof(n));
        _start += n;
        Count -= n;
        int drop = _start >> Shift;
        if (drop > 0)
        {
            _chunks.RemoveRange(0, drop);
            _start -= drop << Shift;
        }
    }

    /// <summary>Copies items [from, from + dest.Length) into <paramref name="dest"/>.</summary>
    public void CopyTo(int from, Span<T> dest)
    {
        int i = 0;
        while (i < dest.Length)
        {
            int p = _start + from + i;
            int c = p >> Shift, o = p & Mask;
            int n = Math.Min(Size - o, dest.Length - i);
            _chunks[c].AsSpan(o, n).CopyTo(dest.Slice(i, n));
            i += n;
        }
    }

    public T[] ToArray()
    {
        var a = new T[Count];
        CopyTo(0, a);
        return a;
    }
}
