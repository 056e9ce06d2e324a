namespace SxtSeg.Surfaces;

/// <summary>
/// Measures an object's smoothed marching-cubes surface band by band along z, so that a surface
/// spanning the whole volume (a plasma membrane) never has to be held in memory at once.
/// <para>
/// Why this is exact: Taubin smoothing with N λ|μ pairs is 2N umbrella steps; after 2N steps a
/// vertex depends only on vertices within 2N edges of it. Every triangle lies in one cube layer and
/// every vertex is used by the two layers around it, so one edge moves at most one layer. A band of
/// layers [b0, b1) is therefore smoothed exactly on a window of layers [b0 − 2N − 1, b1 + 2N]:
/// the result equals smoothing the whole mesh, up to rounding. Each triangle is counted in the band
/// of its layer and each vertex in the band it was created in, so nothing is counted twice.
/// </para>
/// </summary>
internal sealed class SurfaceBands
{
    /// <summary>Layers finalised per band (bands are larger when the object ends).</summary>
    public const int BandLayers = 64;

    private readonly int _iterations;
    private readonly double _lambda, _mu;

    // Work arrays reused across bands (one set per thread): bands of a large surface would
    // otherwise allocate hundreds of MB each time.
    private readonly ThreadLocal<Scratch> _scratch = new(() => new Scratch());
    private readonly Scratch _shared = new();

    /// <summary>Windows with more triangles than this are large: process them one at a time.</summary>
    public const int LargeWindow = 200_000;

    /// <summary>True when the next band of this buffer is a large window (see <see cref="LargeWindow"/>).</summary>
    public bool IsLarge(ObjectMeshBuffer buffer, Accumulator acc)
    {
        int windowStart = acc.NextLayer == int.MinValue ? int.MinValue : acc.NextLayer - Margin;
        return buffer.TriangleCount - buffer.TriangleAt(windowStart) > LargeWindow;
    }

    private sealed class Scratch
    {
        private float[] _p = Array.Empty<float>(), _q = Array.Empty<float>();
        private int[] _start = Array.Empty<int>(), _nb = Array.Empty<int>(), _fill = Array.Empty<int>();

        public float[] Positions(int n) => _p.Length >= n ? _p : _p = new float[Grow(n)];

        public (int[] Start, int[] Nb, int[] Fill, float[] Q) Smoothing(int vertices, int corners)
        {
            if (_start.Length < vertices + 1) _start = new int[Grow(vertices + 1)];
            if (_fill.Length < vertices) _fill = new int[Grow(vertices)];
            if (_nb.Length < corners) _nb = new int[Grow(corners)];
            if (_q.Length < vertices * 3) _q = new float[Grow(vertices * 3)];
            return (_start, _nb, _fill, _q);
        }

        private static int Grow(int n) => (int)Math.Min(Array.MaxLength, n + n / 4L);
    }

    public SurfaceBands(int iterations, double lambda = MeshSmoothing.DefaultLambda, double mu = MeshSmoothing.DefaultMu)
    {
        _iterations = iterations;
        _lambda = lambda;
        _mu = mu;
    }

    /// <summary>Window margin in layers: 2N + 1.</summary>
    public int Margin => 2 * _iterations + 1;

    /// <summary>Per-object sums over its bands.</summary>
    public sealed class Accumulator
    {
        public Accumulator(Vec3 origin, Vec3[] axes)
        {
            Origin = origin;
            Axes = axes;
            Min = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
            Max = new[] { double.MinValue, double.MinValue, double.MinValue };
        }

        /// <summary>Reference point for the enclosed volume and the extents (nm).</summary>
        public Vec3 Origin { get; }

        /// <summary>Unit directions along which extents are taken.</summary>
        public Vec3[] Axes { get; }

        public double Area { get; set; }

        public double SignedVolume { get; set; }

        public double[] Min { get; }

        public double[] Max { get; }

        public long Triangles { get; set; }

        /// <summary>First cube layer not yet measured.</summary>
        public int NextLayer { get; set; } = int.MinValue;

        /// <summary>Extent along axis k (0 when no vertex was seen).</summary>
        public double Extent(int k) => Max[k] >= Min[k] ? Max[k] - Min[k] : 0;
    }

    /// <summary>True when enough layers have been swept to measure a full band ahead of the margin.</summary>
    public bool BandReady(Accumulator acc, ObjectMeshBuffer buffer, int lastLayer)
    {
        if (buffer.Marks.Count == 0) return false;
        int b0 = Math.Max(acc.NextLayer, buffer.Marks[0].Layer);
        return lastLayer - 2 * _iterations - b0 >= BandLayers;
    }

    /// <summary>
    /// Measures the next band of <paramref name="buffer"/>: up to the layer whose 2N-layer
    /// neighbourhood has been swept (<paramref name="lastLayer"/>), or everything when the object is
    /// <paramref name="complete"/>; then releases what later bands no longer need.
    /// </summary>
    public void Process(ObjectMeshBuffer buffer, Accumulator acc, int lastLayer, bool complete)
    {
        int b0 = acc.NextLayer;
        int b1 = complete ? int.MaxValue : lastLayer - 2 * _iterations; // owned cube layers [b0, b1)
        int m = Margin;
        int windowStart = b0 == int.MinValue ? int.MinValue : b0 - m;
        int t0 = buffer.TriangleAt(windowStart), t1 = buffer.TriangleCount;
        int vBase = buffer.VertexBase, nv = buffer.VertexCount - vBase;
        int nt = t1 - t0;
        // Large windows use one shared scratch (callers run them one at a time; smoothing is parallel
        // inside); small ones use per-thread scratch so many small objects run in parallel.
        var scratch = IsLarge(buffer, acc) ? _shared : _scratch.Value!;
        var tris = buffer.Triangles;
        int from = (t0 - buffer.TriangleBase) * 3;
        var p = scratch.Positions(nv * 3);
        buffer.Vertices.CopyTo(0, p.AsSpan(0, nv * 3));
        if (_iterations > 0 && nt > 0)
        {
            var (start, nb, fill, q) = scratch.Smoothing(nv, nt * 3);
            MeshSmoothing.Adjacency(new MeshSmoothing.ChunkCorners(tris), from, from + nt * 3, vBase, nv, start, nb, fill);
            for (int it = 0; it < _iterations; it++)
            {
                MeshSmoothing.Step(p, q, start, nb, _lambda, nv);
                MeshSmoothing.Step(q, p, start, nb, _mu, nv);
            }
        }
        // Owned triangles: area and signed volume against the object's reference point.
        int own0 = buffer.TriangleAt(b0), own1 = complete ? t1 : buffer.TriangleAt(b1);
        double area = 0, vol = 0;
        var o = acc.Origin;
        for (int t = own0; t < own1; t++)
        {
            int k = from + (t - t0) * 3;
            int a = (tris[k] - vBase) * 3, b = (tris[k + 1] - vBase) * 3, c = (tris[k + 2] - vBase) * 3;
            double ax = p[a] - o.X, ay = p[a + 1] - o.Y, az = p[a + 2] - o.Z;
            double bx = p[b] - o.X, by = p[b + 1] - o.Y, bz = p[b + 2] - o.Z;
            double cx = p[c] - o.X, cy = p[c + 1] - o.Y, cz = p[c + 2] - o.Z;
            double ux = bx - ax, uy = by - ay, uz = bz - az, wx = cx - ax, wy = cy - ay, wz = cz - az;
            double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
            area += 0.5 * Math.Sqrt(nx * nx + ny * ny + nz * nz);
            vol += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        }
        acc.Area += area;
        acc.SignedVolume += vol / 6;
        acc.Triangles += own1 - own0;
        // Owned vertices: extents along the axes.
        int v0 = buffer.VertexAt(b0), v1 = complete ? buffer.VertexCount : buffer.VertexAt(b1);
        for (int v = v0; v < v1; v++)
        {
            int k = (v - vBase) * 3;
            double x = p[k] - o.X, y = p[k + 1] - o.Y, z = p[k + 2] - o.Z;
            for (int d = 0; d < acc.Axes.Length; d++)
            {
                var u = acc.Axes[d];
                double proj = x * u.X + y * u.Y + z * u.Z;
                if (proj < acc.Min[d]) acc.Min[d] = proj;
                if (proj > acc.Max[d]) acc.Max[d] = proj;
            }
        }
        if (!complete)
        {
            acc.NextLayer = b1;
            buffer.ReleaseBelow(b1 - m, b1 - m - 1);
        }
    }
}
