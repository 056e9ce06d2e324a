using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Surfaces;

/// <summary>
/// Marching cubes on label volumes: one closed, outward-oriented triangle mesh per object, in nm.
/// Each object's surface passes through the midpoints between its voxel centres and the centres
/// of neighbouring voxels that are not part of it (the binary iso-surface at 0.5), with voxels
/// outside the volume treated as background, so objects cut by the field of view are closed at
/// the border. Touching objects get separate, individually closed surfaces. The cube tables are
/// generated from one consistent rule (see <see cref="MarchingCubesTables"/>), so meshes are
/// watertight (every edge in exactly two triangles), have no degenerate triangles, and the volume
/// they enclose equals the sum of the per-cube inside volumes. Anisotropic voxels are honoured.
/// Slices are streamed: memory holds two slices plus the meshes.
/// </summary>
public static class MarchingCubes
{
    /// <summary>Extracts every object's mesh from a label stream.</summary>
    public static MeshSet Extract(ILabelStream labels, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        var info = labels.Info;
        var voxel = info.VoxelSize is { IsValid: true } v ? v : VoxelSize.Isotropic(1);
        var extractor = new MeshExtractor(info.Nx, info.Ny, labels.ObjectCount, voxel, info.OriginNm);
        int done = 0;
        labels.Stream(slab =>
        {
            for (int i = 0; i < slab.Count; i++)
            {
                extractor.PushSlice(slab.Slice(i));
                progress.Report("marching cubes", ++done, info.Nz, "slices");
            }
        }, cancellation);
        extractor.Finish();
        var meshes = new List<ObjectMesh>();
        for (int l = 1; l <= labels.ObjectCount; l++)
        {
            var m = extractor.Take(l, labels.SourceIds[l - 1]);
            if (m is not null) meshes.Add(m);
        }
        return new MeshSet(meshes, voxel);
    }

    /// <summary>The mesh of the non-zero voxels of a mask (one object; connectivity is irrelevant here).</summary>
    public static ObjectMesh ExtractMask(Volume<byte> mask)
    {
        var labels = new Volume<uint>(mask.Nx, mask.Ny, mask.Nz, mask.VoxelSize) { OriginNm = mask.OriginNm };
        for (long i = 0; i < mask.Length; i++) labels.Data[i] = mask.Data[i] != 0 ? 1u : 0u;
        var set = Extract(LabelStreams.FromVolume(labels, 1));
        return set.Objects.Count > 0 ? set.Objects[0] : new ObjectMesh(1, 1, Array.Empty<float>(), Array.Empty<int>());
    }
}

/// <summary>Streaming marching-cubes state: two padded label planes and the vertex ids on their edges.</summary>
internal sealed class MeshExtractor
{
    private readonly int _nx, _ny, _w, _h;
    private uint[] _lower, _upper;
    // Vertex ids on the grid edges; [plane * 2 + slot] for x and y edges, [slot] for z edges.
    // Slot 0 holds the vertex of the label at the edge's low end, slot 1 of the label at its high end.
    private readonly int[][] _xv = new int[4][], _yv = new int[4][], _zv = new int[2][];
    private readonly GrowList<int>[] _touchedXY = { new(), new() };
    private readonly GrowList<int> _touchedZ = new();
    private readonly ObjectMeshBuffer?[] _buffers;
    private readonly double _vx, _vy, _vz, _ox, _oy, _oz;
    private int _zLower = -1;
    private readonly EdgeInfo[] _edges = new EdgeInfo[12];
    private readonly bool[]? _active;

    private readonly record struct EdgeInfo(int Axis, int Plane, int Dx, int Dy, int CornerA, int CornerB, double Mx, double My, double Mz);

    /// <param name="nx">Voxels along x.</param>
    /// <param name="ny">Voxels along y.</param>
    /// <param name="objects">Highest label.</param>
    /// <param name="voxel">Voxel size (nm).</param>
    /// <param name="origin">Origin (nm).</param>
    /// <param name="active">Labels to mesh (index = label), or null for all.</param>
    public MeshExtractor(int nx, int ny, int objects, VoxelSize voxel, (double X, double Y, double Z) origin, bool[]? active = null)
    {
        _active = active;
        _nx = nx; _ny = ny; _w = nx + 2; _h = ny + 2;
        int n = _w * _h;
        _lower = new uint[n];
        _upper = new uint[n];
        for (int i = 0; i < 4; i++) { _xv[i] = NewFilled(n); _yv[i] = NewFilled(n); }
        for (int i = 0; i < 2; i++) _zv[i] = NewFilled(n);
        _buffers = new ObjectMeshBuffer?[objects + 1];
        (_vx, _vy, _vz) = (voxel.X, voxel.Y, voxel.Z);
        (_ox, _oy, _oz) = origin;
        for (int e = 0; e < 12; e++)
        {
            var (a, b, axis) = MarchingCubesTables.EdgeCorners[e];
            var ca = MarchingCubesTables.Corners[a];
            _edges[e] = new EdgeInfo(axis, ca.Z, ca.X, ca.Y, a, b,
                ca.X + (axis == 0 ? 0.5 : 0), ca.Y + (axis == 1 ? 0.5 : 0), ca.Z + (axis == 2 ? 0.5 : 0));
        }
    }

    private static int[] NewFilled(int n)
    {
        var a = new int[n];
        Array.Fill(a, -1);
        return a;
    }

    /// <summary>Adds the next slice (z order) and meshes the cube layer between it and the previous one.</summary>
    public void PushSlice(ReadOnlySpan<uint> slice)
    {
        for (int y = 0; y < _ny; y++) slice.Slice(y * _nx, _nx).CopyTo(_upper.AsSpan((y + 1) * _w + 1, _nx));
        ProcessLayer();
        Advance();
    }

    /// <summary>Meshes the last layer (against the empty plane beyond the volume).</summary>
    public void Finish()
    {
        Array.Clear(_upper);
        ProcessLayer();
        Advance();
    }

    /// <summary>Index of the cube layer processed last (−1 before the first); layer L lies between slices L and L + 1.</summary>
    public int LastLayer => _zLower - 1;

    /// <summary>The geometry collected so far for a label (null when it has none).</summary>
    public ObjectMeshBuffer? Buffer(int label) => _buffers[label];

    /// <summary>Takes the complete mesh of a label (all its geometry must still be in the buffer) and forgets it.</summary>
    public ObjectMesh? Take(int label, uint sourceId)
    {
        var b = _buffers[label];
        _buffers[label] = null;
        if (b is null || b.Triangles.Count == 0) return null;
        if (b.VertexBase != 0 || b.TriangleBase != 0) throw new InvalidOperationException("part of this mesh was already released");
        return new ObjectMesh(label, sourceId, b.Vertices.ToArray(), b.Triangles.ToArray());
    }

    /// <summary>Forgets a label's geometry.</summary>
    public void Release(int label) => _buffers[label] = null;

    private void Advance()
    {
        (_lower, _upper) = (_upper, _lower);
        // The upper plane's edge vertices become the lower plane's; clear the old lower ones for reuse.
        (_xv[0], _xv[2]) = (_xv[2], _xv[0]);
        (_xv[1], _xv[3]) = (_xv[3], _xv[1]);
        (_yv[0], _yv[2]) = (_yv[2], _yv[0]);
        (_yv[1], _yv[3]) = (_yv[3], _yv[1]);
        (_touchedXY[0], _touchedXY[1]) = (_touchedXY[1], _touchedXY[0]);
        foreach (int i in _touchedXY[1].Span) { _xv[2][i] = -1; _xv[3][i] = -1; _yv[2][i] = -1; _yv[3][i] = -1; }
        _touchedXY[1].Clear();
        foreach (int i in _touchedZ.Span) { _zv[0][i] = -1; _zv[1][i] = -1; }
        _touchedZ.Clear();
        _zLower++;
    }

    private void ProcessLayer()
    {
        int w = _w;
        Span<uint> vals = stackalloc uint[8];
        Span<uint> done = stackalloc uint[8];
        for (int y = 0; y <= _ny; y++)
        {
            var l0 = _lower.AsSpan(y * w, w);
            var l1 = _lower.AsSpan((y + 1) * w, w);
            var u0 = _upper.AsSpan(y * w, w);
            var u1 = _upper.AsSpan((y + 1) * w, w);
            int first = int.MaxValue, last = -1;
            Extent(l0, ref first, ref last);
            Extent(l1, ref first, ref last);
            Extent(u0, ref first, ref last);
            Extent(u1, ref first, ref last);
            if (last < 0) continue;
            int x0 = Math.Max(0, first - 1), x1 = Math.Min(_nx, last);
            for (int x = x0; x <= x1; x++)
            {
                uint a = l0[x], b = l0[x + 1], c = l1[x], d = l1[x + 1], e = u0[x], f = u0[x + 1], g = u1[x], h = u1[x + 1];
                if (((a ^ b) | (a ^ c) | (a ^ d) | (a ^ e) | (a ^ f) | (a ^ g) | (a ^ h)) == 0) continue;
                vals[0] = a; vals[1] = b; vals[2] = c; vals[3] = d; vals[4] = e; vals[5] = f; vals[6] = g; vals[7] = h;
                int nDone = 0;
                for (int i = 0; i < 8; i++)
                {
                    uint lab = vals[i];
                    if (lab == 0 || done[..nDone].Contains(lab)) continue;
                    done[nDone++] = lab;
                    if (_active is not null && !_active[lab]) continue;
                    EmitLabel(lab, vals, x, y);
                }
            }
        }
    }

    private static void Extent(ReadOnlySpan<uint> row, ref int first, ref int last)
    {
        int f = row.IndexOfAnyExcept(0u);
        if (f < 0) return;
        if (f < first) first = f;
        int l = row.LastIndexOfAnyExcept(0u);
        if (l > last) last = l;
    }

    private void EmitLabel(uint lab, ReadOnlySpan<uint> vals, int x, int y)
    {
        int config = 0;
        for (int i = 0; i < 8; i++) if (vals[i] == lab) config |= 1 << i;
        var table = MarchingCubesTables.Triangles[config];
        var buffer = _buffers[lab] ??= new ObjectMeshBuffer();
        buffer.Mark(_zLower);
        var tris = buffer.Triangles;
        for (int k = 0; k < table.Length; k++) tris.Add(Vertex(buffer, lab, table[k], vals, x, y));
    }

    private int Vertex(ObjectMeshBuffer buffer, uint lab, int edge, ReadOnlySpan<uint> vals, int x, int y)
    {
        ref readonly var e = ref _edges[edge];
        int slot = vals[e.CornerA] == lab ? 0 : 1;
        int idx = (y + e.Dy) * _w + x + e.Dx;
        int[] arr;
        switch (e.Axis)
        {
            case 0: arr = _xv[e.Plane * 2 + slot]; break;
            case 1: arr = _yv[e.Plane * 2 + slot]; break;
            default: arr = _zv[slot]; break;
        }
        int id = arr[idx];
        if (id >= 0) return id;
        var verts = buffer.Vertices;
        id = buffer.VertexBase + verts.Count / 3;
        // Padded column x corresponds to voxel x − 1.
        verts.Add((float)(_ox + (x - 1 + e.Mx) * _vx));
        verts.Add((float)(_oy + (y - 1 + e.My) * _vy));
        verts.Add((float)(_oz + (_zLower + e.Mz) * _vz));
        arr[idx] = id;
        if (e.Axis == 2) _touchedZ.Add(idx);
        else _touchedXY[e.Plane].Add(idx);
        return id;
    }
}

/// <summary>
/// One object's marching-cubes geometry as the sweep produces it: vertices (global ids from
/// <see cref="VertexBase"/>), triangles (global vertex ids), and per cube layer the first triangle
/// and vertex created in it. Old layers can be released once no later work needs them, which is
/// how surfaces spanning the whole volume are measured in bounded memory.
/// </summary>
internal sealed class ObjectMeshBuffer
{
    public ChunkList<float> Vertices { get; } = new();

    public ChunkList<int> Triangles { get; } = new();

    /// <summary>Global id of the first vertex still held.</summary>
    public int VertexBase { get; private set; }

    /// <summary>Global index of the first triangle still held.</summary>
    public int TriangleBase { get; private set; }

    /// <summary>Layer marks: cube layer, first global triangle index and first global vertex id created in it.</summary>
    public List<(int Layer, int Triangle, int Vertex)> Marks { get; } = new();

    public int VertexCount => VertexBase + Vertices.Count / 3;

    public int TriangleCount => TriangleBase + Triangles.Count / 3;

    /// <summary>Records that geometry of cube layer <paramref name="layer"/> starts here (once per layer).</summary>
    public void Mark(int layer)
    {
        if (Marks.Count > 0 && Marks[^1].Layer == layer) return;
        Marks.Add((layer, TriangleCount, VertexCount));
    }

    /// <summary>First global triangle index of cube layers ≥ <paramref name="layer"/>.</summary>
    public int TriangleAt(int layer)
    {
        foreach (var m in Marks) if (m.Layer >= layer) return m.Triangle;
        return TriangleCount;
    }

    /// <summary>First global vertex id created in cube layers ≥ <paramref name="layer"/>.</summary>
    public int VertexAt(int layer)
    {
        foreach (var m in Marks) if (m.Layer >= layer) return m.Vertex;
        return VertexCount;
    }

    /// <summary>Releases the triangles of cube layers below <paramref name="triangleLayer"/> and the vertices created below <paramref name="vertexLayer"/>.</summary>
    public void ReleaseBelow(int triangleLayer, int vertexLayer)
    {
        int t = TriangleAt(triangleLayer), v = VertexAt(vertexLayer);
        if (t > TriangleBase)
        {
            Triangles.RemovePrefix((t - TriangleBase) * 3);
            TriangleBase = t;
        }
        if (v > VertexBase)
        {
            Vertices.RemovePrefix((v - VertexBase) * 3);
            VertexBase = v;
        }
        Marks.RemoveAll(m => m.Layer < Math.Min(triangleLayer, vertexLayer));
    }
}
