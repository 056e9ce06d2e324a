namespace SxtSeg.Simulation;

/// <summary>Nuclear pores on an envelope: centres on the outer membrane, outward normals, one radius; looked up by a hash grid.</summary>
public sealed class NuclearPores
{
    private readonly List<(V3 Q, V3 N)> _pores = new();
    private readonly Dictionary<long, List<int>> _grid = new();
    private readonly double _cell;

    /// <summary>Creates an empty set with pore radius <paramref name="radius"/> (nm).</summary>
    public NuclearPores(double radius)
    {
        Radius = radius;
        _cell = Math.Max(4 * radius, 300);
    }

    /// <summary>Pore radius (nm).</summary>
    public double Radius { get; }

    /// <summary>Number of pores.</summary>
    public int Count => _pores.Count;

    private long Key(int i, int j, int k) => ((long)(i & 0x1FFFFF) << 42) | ((long)(j & 0x1FFFFF) << 21) | (long)(k & 0x1FFFFF);

    /// <summary>Adds a pore at <paramref name="q"/> with outward normal <paramref name="n"/>.</summary>
    public void Add(V3 q, V3 n)
    {
        int id = _pores.Count;
        _pores.Add((q, n.Normalized()));
        var key = Key((int)Math.Floor(q.X / _cell), (int)Math.Floor(q.Y / _cell), (int)Math.Floor(q.Z / _cell));
        if (!_grid.TryGetValue(key, out var list)) _grid[key] = list = new List<int>();
        list.Add(id);
    }

    /// <summary>The pore whose axis is laterally nearest to <paramref name="p"/> (within reach), as lateral distance; false when none is near.</summary>
    public bool Nearest(V3 p, double reach, out double lateral)
    {
        lateral = double.MaxValue;
        int ci = (int)Math.Floor(p.X / _cell), cj = (int)Math.Floor(p.Y / _cell), ck = (int)Math.Floor(p.Z / _cell);
        bool found = false;
        for (int di = -1; di <= 1; di++)
            for (int dj = -1; dj <= 1; dj++)
                for (int dk = -1; dk <= 1; dk++)
                {
                    if (!_grid.TryGetValue(Key(ci + di, cj + dj, ck + dk), out var list)) continue;
                    foreach (int id in list)
                    {
                        var (q, n) = _pores[id];
                        V3 d = p - q;
                        double along = V3.Dot(d, n);
                        if (Math.Abs(along) > reach) continue;
                        double lat = Math.Sqrt(Math.Max(0, d.LengthSquared - along * along));
                        if (lat < lateral) { lateral = lat; found = true; }
                    }
                }
        return found && lateral <= reach;
    }
}
