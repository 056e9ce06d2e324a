namespace SxtSeg.Surfaces;

/// <summary>Checks meshes for holes, non-manifold edges, orientation flips and degenerate triangles.</summary>
public static class MeshChecks
{
    /// <summary>Analyses one mesh.</summary>
    public static MeshReport Analyze(ObjectMesh mesh)
    {
        var t = mesh.Triangles;
        var v = mesh.Vertices;
        // Directed edge counts keyed by (min, max) with the direction of the first use.
        var edges = new Dictionary<long, (int Count, int Forward)>(t.Length);
        int degenerate = 0;
        for (int i = 0; i < t.Length; i += 3)
        {
            int a = t[i], b = t[i + 1], c = t[i + 2];
            if (a == b || b == c || a == c || Area2(v, a, b, c) <= 0) degenerate++;
            AddEdge(edges, a, b);
            AddEdge(edges, b, c);
            AddEdge(edges, c, a);
        }
        int boundary = 0, nonManifold = 0, inconsistent = 0;
        foreach (var (_, (count, forward)) in edges)
        {
            if (count == 1) boundary++;
            else if (count > 2) nonManifold++;
            else if (forward != 1) inconsistent++;
        }
        long euler = (long)mesh.VertexCount - edges.Count + mesh.TriangleCount;
        return new MeshReport(mesh.TriangleCount, edges.Count, boundary, nonManifold, inconsistent, degenerate, euler);
    }

    private static void AddEdge(Dictionary<long, (int Count, int Forward)> edges, int a, int b)
    {
        long key = a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
        int forward = a < b ? 1 : 0;
        edges[key] = edges.TryGetValue(key, out var e) ? (e.Count + 1, e.Forward + forward) : (1, forward);
    }

    private static double Area2(float[] v, int a, int b, int c)
    {
        double ux = v[b * 3] - v[a * 3], uy = v[b * 3 + 1] - v[a * 3 + 1], uz = v[b * 3 + 2] - v[a * 3 + 2];
        double wx = v[c * 3] - v[a * 3], wy = v[c * 3 + 1] - v[a * 3 + 1], wz = v[c * 3 + 2] - v[a * 3 + 2];
        double cx = uy * wz - uz * wy, cy = uz * wx - ux * wz, cz = ux * wy - uy * wx;
        return cx * cx + cy * cy + cz * cz;
    }
}
