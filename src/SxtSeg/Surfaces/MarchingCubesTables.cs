using SxtSeg.Volumes;

namespace SxtSeg.Surfaces;

/// <summary>
/// Marching-cubes case tables, generated (not typed in) from one rule so that they are consistent
/// by construction. A cube's corners are numbered i = x + 2y + 4z (bits of i are the corner's
/// x, y, z offsets); configuration bit i is set when corner i is inside the object.
/// <para>
/// Rule: on every cube face, each maximal run of inside corners (in cyclic order) is cut off by one
/// contour segment joining the midpoints of the two cut edges that bound the run. On an ambiguous
/// face (two diagonal corners inside) the inside corners are therefore separated, so the inside is
/// face-connected (6-connected) and the outside is connected across faces. Two cubes sharing a face
/// see the same segments traversed in opposite directions, so the surface has no cracks, every mesh
/// edge is shared by exactly two triangles with opposite orientation, and triangles face outwards.
/// Each closed loop of segments is triangulated by a minimum-weight triangulation that avoids
/// diagonals lying in a cube face.
/// </para>
/// </summary>
internal static class MarchingCubesTables
{
    /// <summary>Corner offsets (x, y, z) of corner i.</summary>
    public static readonly (int X, int Y, int Z)[] Corners = BuildCorners();

    /// <summary>Edge e joins corners EdgeCorners[e].A and .B (A has the lower coordinate along the edge axis).</summary>
    public static readonly (int A, int B, int Axis)[] EdgeCorners = BuildEdges();

    /// <summary>Triangles per configuration: flattened edge indices, three per triangle, outward orientation.</summary>
    public static readonly byte[][] Triangles;

    /// <summary>Volume of the inside part of a unit cube bounded by the configuration's triangles (voxel units).</summary>
    public static readonly double[] InsideVolume;

    /// <summary>Number of diagonals that lie in a cube face in the generated triangulations (should be 0).</summary>
    public static readonly int FaceDiagonals;

    static MarchingCubesTables()
    {
        Triangles = new byte[256][];
        InsideVolume = new double[256];
        int faceDiagonals = 0;
        var faces = BuildFaces();
        for (int config = 0; config < 256; config++)
        {
            var loops = BuildLoops(config, faces);
            var tris = new List<byte>();
            foreach (var loop in loops) faceDiagonals += Triangulate(loop, tris);
            Triangles[config] = tris.ToArray();
        }
        // Orientation check on the single-corner case: the normal must point away from corner 0.
        var t = Triangles[1];
        var n = Cross(Sub(Mid(t[1]), Mid(t[0])), Sub(Mid(t[2]), Mid(t[0])));
        if (n.X + n.Y + n.Z < 0)
            foreach (var tr in Triangles)
                for (int i = 0; i < tr.Length; i += 3) (tr[i + 1], tr[i + 2]) = (tr[i + 2], tr[i + 1]);
        for (int config = 0; config < 256; config++) InsideVolume[config] = ComputeInsideVolume(config, faces);
        FaceDiagonals = faceDiagonals;
    }

    /// <summary>Midpoint of edge e in unit-cube coordinates.</summary>
    public static (double X, double Y, double Z) Mid(int e)
    {
        var (a, b, _) = EdgeCorners[e];
        var ca = Corners[a];
        var cb = Corners[b];
        return (0.5 * (ca.X + cb.X), 0.5 * (ca.Y + cb.Y), 0.5 * (ca.Z + cb.Z));
    }

    /// <summary>Surface area of each configuration's triangles for voxels of the given size (nm²).</summary>
    public static double[] Areas(VoxelSize v)
    {
        var areas = new double[256];
        for (int c = 0; c < 256; c++)
        {
            var tr = Triangles[c];
            double a = 0;
            for (int i = 0; i < tr.Length; i += 3)
            {
                var p0 = Scale(Mid(tr[i]), v);
                var p1 = Scale(Mid(tr[i + 1]), v);
                var p2 = Scale(Mid(tr[i + 2]), v);
                a += 0.5 * Norm(Cross(Sub(p1, p0), Sub(p2, p0)));
            }
            areas[c] = a;
        }
        return areas;
    }

    private static (double X, double Y, double Z) Scale((double X, double Y, double Z) p, VoxelSize v) => (p.X * v.X, p.Y * v.Y, p.Z * v.Z);

    private static (int, int, int)[] BuildCorners()
    {
        var c = new (int, int, int)[8];
        for (int i = 0; i < 8; i++) c[i] = (i & 1, (i >> 1) & 1, (i >> 2) & 1);
        return c;
    }

    private static (int A, int B, int Axis)[] BuildEdges()
    {
        var edges = new List<(int, int, int)>();
        for (int axis = 0; axis < 3; axis++)
            for (int c = 0; c < 8; c++)
                if ((c & (1 << axis)) == 0) edges.Add((c, c | (1 << axis), axis));
        return edges.ToArray();
    }

    private static int EdgeOf(int a, int b)
    {
        for (int e = 0; e < 12; e++)
        {
            var (ea, eb, _) = EdgeCorners[e];
            if ((ea == a && eb == b) || (ea == b && eb == a)) return e;
        }
        throw new InvalidOperationException("corners are not adjacent");
    }

    /// <summary>The six faces, each as its four corners in counter-clockwise order seen from outside the cube.</summary>
    private static int[][] BuildFaces()
    {
        var faces = new List<int[]>();
        for (int axis = 0; axis < 3; axis++)
            for (int side = 0; side < 2; side++)
            {
                var corners = Enumerable.Range(0, 8).Where(c => ((c >> axis) & 1) == side).ToArray();
                int u = (axis + 1) % 3, w = (axis + 2) % 3;
                // Angle of each corner around the face centre in the (u, w) plane; (u × w) = +axis.
                var sorted = corners.OrderBy(c =>
                {
                    double cu = Get(Corners[c], u) - 0.5, cw = Get(Corners[c], w) - 0.5;
                    return Math.Atan2(cw, cu);
                }).ToArray();
                // Counter-clockwise about +axis; reverse for the face whose outward normal is −axis.
                if (side == 0) Array.Reverse(sorted);
                faces.Add(sorted);
            }
        return faces.ToArray();
    }

    private static double Get((int X, int Y, int Z) c, int axis) => axis == 0 ? c.X : axis == 1 ? c.Y : c.Z;

    /// <summary>The closed loops of cut edges for a configuration.</summary>
    private static List<List<int>> BuildLoops(int config, int[][] faces)
    {
        var next = new int[12];
        Array.Fill(next, -1);
        foreach (var f in faces)
        {
            bool[] inside = new bool[4];
            for (int i = 0; i < 4; i++) inside[i] = (config >> f[i] & 1) == 1;
            for (int i = 0; i < 4; i++)
            {
                // A run starts at i when corner i is inside and the previous corner is outside.
                if (!inside[i] || inside[(i + 3) % 4]) continue;
                int j = i;
                while (inside[(j + 1) % 4]) j = (j + 1) % 4;
                int entering = EdgeOf(f[(i + 3) % 4], f[i]);
                int leaving = EdgeOf(f[j], f[(j + 1) % 4]);
                if (next[entering] != -1) throw new InvalidOperationException($"config {config}: edge {entering} starts two segments");
                next[entering] = leaving;
            }
        }
        var loops = new List<List<int>>();
        var used = new bool[12];
        for (int e = 0; e < 12; e++)
        {
            if (next[e] < 0 || used[e]) continue;
            var loop = new List<int>();
            int cur = e;
            while (!used[cur])
            {
                used[cur] = true;
                loop.Add(cur);
                cur = next[cur];
                if (cur < 0) throw new InvalidOperationException($"config {config}: open contour");
            }
            if (cur != e) throw new InvalidOperationException($"config {config}: loop does not close");
            loops.Add(loop);
        }
        return loops;
    }

    private static bool ShareFace(int e1, int e2)
    {
        var (a1, b1, _) = EdgeCorners[e1];
        var (a2, b2, _) = EdgeCorners[e2];
        // Two edges lie in a common face when all four corners agree on some coordinate.
        for (int axis = 0; axis < 3; axis++)
        {
            int v = (a1 >> axis) & 1;
            if (((b1 >> axis) & 1) == v && ((a2 >> axis) & 1) == v && ((b2 >> axis) & 1) == v) return true;
        }
        return false;
    }

    /// <summary>
    /// Minimum-weight triangulation of one loop; returns how many diagonals lie in a face. The loop
    /// is first put in a canonical order (smallest edge first, then its smaller neighbour), so a
    /// configuration and its complement, whose loops are the same cycles reversed, get the same
    /// triangles with opposite orientation: their surfaces coincide.
    /// </summary>
    private static int Triangulate(List<int> original, List<byte> tris)
    {
        int n = original.Count;
        int start = original.IndexOf(original.Min());
        var loop = new List<int>(n);
        bool reversed = original[(start + n - 1) % n] < original[(start + 1) % n];
        for (int k = 0; k < n; k++) loop.Add(original[reversed ? (start - k + n) % n : (start + k) % n]);
        int first = tris.Count;
        int result = TriangulateCanonical(loop, tris);
        if (reversed)
            for (int i = first; i < tris.Count; i += 3) (tris[i + 1], tris[i + 2]) = (tris[i + 2], tris[i + 1]);
        return result;
    }

    private static int TriangulateCanonical(List<int> loop, List<byte> tris)
    {
        int n = loop.Count;
        if (n == 3)
        {
            tris.Add((byte)loop[0]); tris.Add((byte)loop[1]); tris.Add((byte)loop[2]);
            return 0;
        }
        double Weight(int i, int j)
        {
            if (j == i + 1 || (i == 0 && j == n - 1)) return 0; // polygon side
            double w = Norm(Sub(Mid(loop[i]), Mid(loop[j])));
            return ShareFace(loop[i], loop[j]) ? w + 1000 : w;
        }
        var cost = new double[n, n];
        var split = new int[n, n];
        for (int len = 2; len < n; len++)
            for (int i = 0; i + len < n; i++)
            {
                int j = i + len;
                cost[i, j] = double.MaxValue;
                for (int k = i + 1; k < j; k++)
                {
                    double c = cost[i, k] + cost[k, j] + Weight(i, k) + Weight(k, j);
                    if (c < cost[i, j] - 1e-12) { cost[i, j] = c; split[i, j] = k; }
                }
            }
        int faceDiagonals = 0;
        void Emit(int i, int j)
        {
            if (j - i < 2) return;
            int k = split[i, j];
            tris.Add((byte)loop[i]); tris.Add((byte)loop[k]); tris.Add((byte)loop[j]);
            if (k - i > 1 && ShareFace(loop[i], loop[k])) faceDiagonals++;
            if (j - k > 1 && ShareFace(loop[k], loop[j])) faceDiagonals++;
            Emit(i, k);
            Emit(k, j);
        }
        Emit(0, n - 1);
        return faceDiagonals;
    }

    /// <summary>Inside volume of a configuration in the unit cube, by the divergence theorem.</summary>
    private static double ComputeInsideVolume(int config, int[][] faces)
    {
        var o = (0.5, 0.5, 0.5);
        double sum = 0;
        var tr = Triangles[config];
        for (int i = 0; i < tr.Length; i += 3)
        {
            var p0 = Mid(tr[i]);
            var nrm = Cross(Sub(Mid(tr[i + 1]), p0), Sub(Mid(tr[i + 2]), p0));
            sum += Dot(Sub(p0, o), nrm) / 2;
        }
        // Inside parts of the cube faces: (x − o)·n = 1/2 on every face.
        foreach (var f in faces)
        {
            bool[] inside = new bool[4];
            for (int i = 0; i < 4; i++) inside[i] = (config >> f[i] & 1) == 1;
            if (inside.All(b => b)) { sum += 0.5; continue; }
            for (int i = 0; i < 4; i++)
            {
                if (!inside[i] || inside[(i + 3) % 4]) continue;
                var poly = new List<(double X, double Y, double Z)> { Mid(EdgeOf(f[(i + 3) % 4], f[i])) };
                int j = i;
                poly.Add(ToD(Corners[f[j]]));
                while (inside[(j + 1) % 4]) { j = (j + 1) % 4; poly.Add(ToD(Corners[f[j]])); }
                poly.Add(Mid(EdgeOf(f[j], f[(j + 1) % 4])));
                var acc = (0.0, 0.0, 0.0);
                for (int k = 0; k < poly.Count; k++) acc = Add(acc, Cross(poly[k], poly[(k + 1) % poly.Count]));
                sum += 0.5 * 0.5 * Norm(acc);
            }
        }
        return sum / 3;
    }

    private static (double X, double Y, double Z) ToD((int X, int Y, int Z) c) => (c.X, c.Y, c.Z);
    private static (double X, double Y, double Z) Sub((double X, double Y, double Z) a, (double X, double Y, double Z) b) => (a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    private static (double X, double Y, double Z) Add((double X, double Y, double Z) a, (double X, double Y, double Z) b) => (a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    private static (double X, double Y, double Z) Cross((double X, double Y, double Z) a, (double X, double Y, double Z) b)
        => (a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);
    private static double Dot((double X, double Y, double Z) a, (double X, double Y, double Z) b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
    private static double Norm((double X, double Y, double Z) a) => Math.Sqrt(Dot(a, a));
}
