namespace SxtSeg.Surfaces;

/// <summary>
/// Taubin λ|μ smoothing (G. Taubin, "A signal processing approach to fair surface design", 1995):
/// alternating shrinking (λ &gt; 0) and inflating (μ &lt; −λ) umbrella-Laplacian steps. It removes
/// the voxel staircase of binary marching-cubes meshes without the shrinkage of plain Laplacian
/// smoothing, so the enclosed volume stays close to the voxel volume while the surface area
/// converges to that of the smooth object. Topology is unchanged (the mesh stays watertight).
/// </summary>
public static class MeshSmoothing
{
    /// <summary>Default λ.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>Default μ (pass-band frequency k_PB = 1/λ + 1/μ ≈ 0.1).</summary>
    public const double DefaultMu = -0.53;

    /// <summary>
    /// Applies <paramref name="iterations"/> λ|μ pairs in place. Neighbours come from the triangles
    /// (each directed edge of a closed mesh appears once), so no adjacency needs to be stored.
    /// </summary>
    public static void Taubin(ObjectMesh mesh, int iterations, double lambda = DefaultLambda, double mu = DefaultMu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        if (iterations == 0 || mesh.TriangleCount == 0) return;
        if (!(lambda > 0 && lambda < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), "λ must be in (0, 1)");
        if (!(mu < -lambda)) throw new ArgumentOutOfRangeException(nameof(mu), "μ must be below −λ");
        int n = mesh.VertexCount;
        var (start, neighbours) = Adjacency(mesh.Triangles, n);
        // Positions in float32 (as stored), neighbour sums in double.
        var p = (float[])mesh.Vertices.Clone();
        var q = new float[n * 3];
        for (int it = 0; it < iterations; it++)
        {
            Step(p, q, start, neighbours, lambda, n);
            Step(q, p, start, neighbours, mu, n);
        }
        mesh.Replace(p, mesh.Triangles);
    }

    /// <summary>Applies smoothing to every mesh of a set (objects in parallel).</summary>
    public static void Taubin(MeshSet meshes, int iterations, double lambda = DefaultLambda, double mu = DefaultMu)
        => Parallel.ForEach(meshes.Objects, m => Taubin(m, iterations, lambda, mu));

    /// <summary>Vertex neighbours in compressed rows: neighbours of v are [start[v], start[v+1]).</summary>
    internal static (int[] Start, int[] Neighbours) Adjacency(int[] triangles, int vertexCount)
    {
        var start = new int[vertexCount + 1];
        var nb = new int[triangles.Length];
        Adjacency(new ArrayCorners(triangles), 0, triangles.Length, 0, vertexCount, start, nb, new int[vertexCount]);
        return (start, nb);
    }

    /// <summary>Triangle corners (vertex ids) read by index; a struct so the generic code below is not virtual.</summary>
    internal interface ICorners
    {
        int this[int i] { get; }
    }

    internal readonly struct ArrayCorners(int[] a) : ICorners
    {
        public int this[int i] => a[i];
    }

    internal readonly struct ChunkCorners(ChunkList<int> a) : ICorners
    {
        public int this[int i] => a[i];
    }

    /// <summary>
    /// Fills <paramref name="start"/> (vertexCount + 1) and <paramref name="nb"/> (one per triangle corner)
    /// from corners [from, to), whose vertex ids minus <paramref name="idBase"/> are 0..vertexCount−1.
    /// <paramref name="fill"/> is scratch of vertexCount ints.
    /// </summary>
    internal static void Adjacency<TCorners>(TCorners triangles, int from, int to, int idBase, int vertexCount, int[] start, int[] nb, int[] fill)
        where TCorners : struct, ICorners
    {
        Array.Clear(start, 0, vertexCount + 1);
        for (int i = from; i < to; i++) start[triangles[i] - idBase + 1]++;
        for (int v = 0; v < vertexCount; v++) start[v + 1] += start[v];
        Array.Copy(start, fill, vertexCount);
        for (int i = from; i < to; i += 3)
        {
            int a = triangles[i] - idBase, b = triangles[i + 1] - idBase, c = triangles[i + 2] - idBase;
            // Directed edges a→b, b→c, c→a: in a closed oriented mesh every neighbour appears exactly once.
            nb[fill[a]++] = b;
            nb[fill[b]++] = c;
            nb[fill[c]++] = a;
        }
    }

    internal static void Step(float[] src, float[] dst, int[] start, int[] nb, double factor, int n)
    {
        Parallel.For(0, (n + 4095) / 4096, block =>
        {
            int v0 = block * 4096, v1 = Math.Min(n, v0 + 4096);
            for (int v = v0; v < v1; v++)
            {
                int s = start[v], e = start[v + 1];
                int k = v * 3;
                if (e == s)
                {
                    dst[k] = src[k]; dst[k + 1] = src[k + 1]; dst[k + 2] = src[k + 2];
                    continue;
                }
                double sx = 0, sy = 0, sz = 0;
                for (int j = s; j < e; j++)
                {
                    int m = nb[j] * 3;
                    sx += src[m]; sy += src[m + 1]; sz += src[m + 2];
                }
                double inv = 1.0 / (e - s);
                dst[k] = (float)(src[k] + factor * (sx * inv - src[k]));
                dst[k + 1] = (float)(src[k + 1] + factor * (sy * inv - src[k + 1]));
                dst[k + 2] = (float)(src[k + 2] + factor * (sz * inv - src[k + 2]));
            }
        });
    }
}
