namespace SxtSeg.Surfaces;

/// <summary>
/// Quadric-error edge-collapse decimation (Garland and Heckbert, 1997) that keeps a closed mesh
/// closed: an edge is collapsed only when its end points share exactly the two neighbours of the
/// edge (the link condition, which preserves a 2-manifold), and no surrounding triangle would flip
/// or degenerate. Each collapse moves the surviving vertex to the position minimising the summed
/// squared distances to the planes of the original triangles around it. Deterministic: ties in the
/// queue are broken by edge index.
/// </summary>
public static class MeshDecimation
{
    /// <summary>
    /// Reduces <paramref name="mesh"/> in place to about <paramref name="keepFraction"/> of its
    /// triangles (0 &lt; fraction ≤ 1). Stops early when no collapse is allowed. Returns the new triangle count.
    /// </summary>
    public static int Decimate(ObjectMesh mesh, double keepFraction)
    {
        if (!(keepFraction > 0 && keepFraction <= 1)) throw new InvalidOptionException(nameof(MeshRunOptions.Decimate), $"fraction of triangles to keep must be in (0, 1], got {keepFraction}");
        int target = Math.Max(4, (int)Math.Round(mesh.TriangleCount * keepFraction));
        if (target >= mesh.TriangleCount) return mesh.TriangleCount;
        return new Decimator(mesh).Run(target);
    }

    /// <summary>Decimates every mesh of a set (objects in parallel).</summary>
    public static void Decimate(MeshSet meshes, double keepFraction)
        => Parallel.ForEach(meshes.Objects, m => Decimate(m, keepFraction));

    private sealed class Decimator
    {
        private readonly ObjectMesh _mesh;
        private readonly double[] _p;          // positions
        private readonly int[] _t;             // triangles (−1 when removed)
        private readonly List<int>[] _vt;      // triangles around each vertex
        private readonly double[][] _q;        // quadric per vertex (10 coefficients)
        private readonly int[] _version;
        private readonly bool[] _dead;
        private readonly PriorityQueue<(int A, int B, int Va, int Vb), (double Cost, long Key)> _queue = new();
        private int _alive;

        public Decimator(ObjectMesh mesh)
        {
            _mesh = mesh;
            int nv = mesh.VertexCount;
            _p = new double[nv * 3];
            for (int i = 0; i < _p.Length; i++) _p[i] = mesh.Vertices[i];
            _t = (int[])mesh.Triangles.Clone();
            _vt = new List<int>[nv];
            for (int v = 0; v < nv; v++) _vt[v] = new List<int>(7);
            _q = new double[nv][];
            for (int v = 0; v < nv; v++) _q[v] = new double[10];
            _version = new int[nv];
            _dead = new bool[nv];
            _alive = mesh.TriangleCount;
            for (int f = 0; f < mesh.TriangleCount; f++)
            {
                for (int k = 0; k < 3; k++) _vt[_t[f * 3 + k]].Add(f);
                AddPlaneQuadric(f);
            }
        }

        public int Run(int target)
        {
            for (int f = 0; f < _t.Length / 3; f++)
                for (int k = 0; k < 3; k++)
                {
                    int a = _t[f * 3 + k], b = _t[f * 3 + (k + 1) % 3];
                    if (a < b) Push(a, b);
                }
            while (_alive > target && _queue.TryDequeue(out var e, out _))
            {
                if (_dead[e.A] || _dead[e.B] || _version[e.A] != e.Va || _version[e.B] != e.Vb) continue;
                TryCollapse(e.A, e.B);
            }
            Compact();
            return _alive;
        }

        private void AddPlaneQuadric(int f)
        {
            int a = _t[f * 3], b = _t[f * 3 + 1], c = _t[f * 3 + 2];
            var n = Normal(a, b, c, out double area2);
            if (area2 <= 0) return;
            double d = -(n.X * _p[a * 3] + n.Y * _p[a * 3 + 1] + n.Z * _p[a * 3 + 2]);
            // Area-weighted plane quadric: (n, d)(n, d)ᵀ.
            double w = 0.5 * area2;
            Span<double> k = stackalloc double[10]
            {
                n.X * n.X, n.X * n.Y, n.X * n.Z, n.X * d,
                n.Y * n.Y, n.Y * n.Z, n.Y * d,
                n.Z * n.Z, n.Z * d,
                d * d,
            };
            foreach (int v in new[] { a, b, c })
                for (int i = 0; i < 10; i++) _q[v][i] += w * k[i];
        }

        private Vec3 Normal(int a, int b, int c, out double length)
        {
            var pa = P(a);
            var n = (P(b) - pa).Cross(P(c) - pa);
            length = n.Length;
            return length > 0 ? (1 / length) * n : n;
        }

        private Vec3 P(int v) => new(_p[v * 3], _p[v * 3 + 1], _p[v * 3 + 2]);

        private static double Error(double[] q, Vec3 v)
            => q[0] * v.X * v.X + 2 * q[1] * v.X * v.Y + 2 * q[2] * v.X * v.Z + 2 * q[3] * v.X
             + q[4] * v.Y * v.Y + 2 * q[5] * v.Y * v.Z + 2 * q[6] * v.Y
             + q[7] * v.Z * v.Z + 2 * q[8] * v.Z + q[9];

        private (Vec3 Position, double Cost) Optimal(int a, int b)
        {
            var q = new double[10];
            for (int i = 0; i < 10; i++) q[i] = _q[a][i] + _q[b][i];
            // Solve the 3×3 system A v = −b of the quadric's minimum when well conditioned.
            double a00 = q[0], a01 = q[1], a02 = q[2], a11 = q[4], a12 = q[5], a22 = q[7];
            double det = a00 * (a11 * a22 - a12 * a12) - a01 * (a01 * a22 - a12 * a02) + a02 * (a01 * a12 - a11 * a02);
            var pa = P(a);
            var pb = P(b);
            double scale = (pa - pb).Length;
            double trace = a00 + a11 + a22;
            Vec3 best = 0.5 * (pa + pb);
            double bestCost = Error(q, best);
            if (Math.Abs(det) > 1e-9 * trace * trace * trace && trace > 0)
            {
                double bx = -q[3], by = -q[6], bz = -q[8];
                double x = (bx * (a11 * a22 - a12 * a12) - a01 * (by * a22 - a12 * bz) + a02 * (by * a12 - a11 * bz)) / det;
                double y = (a00 * (by * a22 - a12 * bz) - bx * (a01 * a22 - a12 * a02) + a02 * (a01 * bz - by * a02)) / det;
                double z = (a00 * (a11 * bz - by * a12) - a01 * (a01 * bz - by * a02) + bx * (a01 * a12 - a11 * a02)) / det;
                var v = new Vec3(x, y, z);
                // Keep the optimum near the edge: far jumps come from nearly flat, ill-conditioned quadrics.
                if ((v - best).Length <= 2 * scale)
                {
                    double c = Error(q, v);
                    if (c < bestCost) { best = v; bestCost = c; }
                }
            }
            foreach (var cand in new[] { pa, pb })
            {
                double c = Error(q, cand);
                if (c < bestCost) { best = cand; bestCost = c; }
            }
            return (best, Math.Max(0, bestCost));
        }

        private void Push(int a, int b)
        {
            var (_, cost) = Optimal(a, b);
            long key = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
            _queue.Enqueue((a, b, _version[a], _version[b]), (cost, key));
        }

        private void TryCollapse(int a, int b)
        {
            // Link condition: the vertices adjacent to both a and b must be exactly the two opposite the edge.
            var na = Neighbours(a);
            var nb = Neighbours(b);
            int shared = 0;
            foreach (int v in na) if (nb.Contains(v)) shared++;
            int edgeTris = 0;
            foreach (int f in _vt[a]) if (Has(f, b)) edgeTris++;
            if (edgeTris != 2 || shared != 2) return;
            var (pos, _) = Optimal(a, b);
            // Reject flips and slivers among the triangles that move.
            if (!MovesSafely(a, b, pos) || !MovesSafely(b, a, pos)) return;
            // Collapse b into a.
            foreach (int f in _vt[b].ToArray())
            {
                if (Has(f, a))
                {
                    RemoveTriangle(f);
                    continue;
                }
                for (int k = 0; k < 3; k++) if (_t[f * 3 + k] == b) _t[f * 3 + k] = a;
                _vt[a].Add(f);
            }
            _vt[b].Clear();
            _dead[b] = true;
            _p[a * 3] = pos.X; _p[a * 3 + 1] = pos.Y; _p[a * 3 + 2] = pos.Z;
            for (int i = 0; i < 10; i++) _q[a][i] += _q[b][i];
            _version[a]++;
            foreach (int v in Neighbours(a))
            {
                _version[v]++;
                foreach (int w in Neighbours(v)) Push(v, w);
            }
        }

        private bool MovesSafely(int moving, int other, Vec3 pos)
        {
            foreach (int f in _vt[moving])
            {
                if (Has(f, other)) continue;
                int i0 = _t[f * 3], i1 = _t[f * 3 + 1], i2 = _t[f * 3 + 2];
                var before = Normal(i0, i1, i2, out _);
                var p0 = i0 == moving ? pos : P(i0);
                var p1 = i1 == moving ? pos : P(i1);
                var p2 = i2 == moving ? pos : P(i2);
                var after = (p1 - p0).Cross(p2 - p0);
                double len = after.Length;
                if (len <= 0) return false;
                if (before.Dot((1 / len) * after) < 0.2) return false;
            }
            return true;
        }

        private bool Has(int f, int v) => _t[f * 3] == v || _t[f * 3 + 1] == v || _t[f * 3 + 2] == v;

        private HashSet<int> Neighbours(int v)
        {
            var s = new HashSet<int>();
            foreach (int f in _vt[v])
                for (int k = 0; k < 3; k++)
                {
                    int w = _t[f * 3 + k];
                    if (w != v) s.Add(w);
                }
            return s;
        }

        private void RemoveTriangle(int f)
        {
            for (int k = 0; k < 3; k++)
            {
                int v = _t[f * 3 + k];
                _vt[v].Remove(f);
                _t[f * 3 + k] = -1;
            }
            _alive--;
        }

        private void Compact()
        {
            int nv = _p.Length / 3;
            var map = new int[nv];
            Array.Fill(map, -1);
            var verts = new List<float>();
            var tris = new List<int>(_alive * 3);
            for (int f = 0; f < _t.Length / 3; f++)
            {
                if (_t[f * 3] < 0) continue;
                for (int k = 0; k < 3; k++)
                {
                    int v = _t[f * 3 + k];
                    if (map[v] < 0)
                    {
                        map[v] = verts.Count / 3;
                        verts.Add((float)_p[v * 3]); verts.Add((float)_p[v * 3 + 1]); verts.Add((float)_p[v * 3 + 2]);
                    }
                    tris.Add(map[v]);
                }
            }
            _mesh.Replace(verts.ToArray(), tris.ToArray());
        }
    }
}
