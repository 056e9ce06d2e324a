namespace SxtSeg.Simulation;

/// <summary>
/// A tube of constant radius along a polyline, closed by hemispherical caps (a ball swept along
/// the path): mitochondria, ER tubules, filopodia. The distance is exact for the polyline. Volume
/// πr²L + 4/3·πr³ and area 2πrL + 4πr² are the tube formulas (exact for a smooth path whose
/// curvature radius exceeds r; the polyline is fine enough that joints change them by &lt; 0.1 %).
/// </summary>
public sealed class TubeShape : Shape
{
    private readonly V3[] _p;
    private readonly Box3 _bounds;

    /// <summary>Creates a tube through <paramref name="points"/> (at least one) with radius <paramref name="radius"/>.</summary>
    public TubeShape(IReadOnlyList<V3> points, double radius, bool openBase = false)
    {
        if (points.Count < 1) throw new ArgumentException("a tube needs at least one point", nameof(points));
        _p = points.ToArray();
        Radius = radius;
        OpenBase = openBase;
        var lo = _p[0];
        var hi = _p[0];
        foreach (var q in _p) { lo = V3.Min(lo, q); hi = V3.Max(hi, q); }
        _bounds = new Box3(lo, hi).Inflate(radius);
        for (int i = 1; i < _p.Length; i++) Length += (_p[i] - _p[i - 1]).Length;
    }

    /// <summary>Path points.</summary>
    public IReadOnlyList<V3> Points => _p;

    /// <summary>Radius (nm).</summary>
    public double Radius { get; }

    /// <summary>Path length (nm).</summary>
    public double Length { get; }

    /// <summary>
    /// When true the first cap is not counted in the measures (a protrusion whose base is buried in
    /// the cell body: the truth then covers the cylinder and the tip cap only).
    /// </summary>
    public bool OpenBase { get; }

    /// <inheritdoc />
    public override Box3 Bounds => _bounds;

    /// <inheritdoc />
    public override double Distance(V3 p)
    {
        double best = double.MaxValue;
        if (_p.Length == 1) return (p - _p[0]).Length - Radius;
        for (int i = 1; i < _p.Length; i++)
        {
            double d = GeometryMath.PointSegmentDistance(p, _p[i - 1], _p[i]);
            if (d < best) best = d;
        }
        return best - Radius;
    }

    /// <summary>Distance and the arc-length position (nm from the first point) of the closest path point.</summary>
    public (double Distance, double Arc) DistanceAndArc(V3 p)
    {
        double best = double.MaxValue, arc = 0, run = 0;
        if (_p.Length == 1) return ((p - _p[0]).Length - Radius, 0);
        for (int i = 1; i < _p.Length; i++)
        {
            double t = GeometryMath.ClosestParameter(p, _p[i - 1], _p[i]);
            V3 seg = _p[i] - _p[i - 1];
            double d = (p - (_p[i - 1] + seg * t)).Length;
            double l = seg.Length;
            if (d < best) { best = d; arc = run + t * l; }
            run += l;
        }
        return (best - Radius, arc);
    }

    /// <inheritdoc />
    public override double Volume => Math.PI * Radius * Radius * Length + (OpenBase ? 2.0 / 3 : 4.0 / 3) * Math.PI * Radius * Radius * Radius;

    /// <inheritdoc />
    public override double SurfaceArea => 2 * Math.PI * Radius * Length + (OpenBase ? 2 : 4) * Math.PI * Radius * Radius;

    /// <inheritdoc />
    public override Moments Moments
    {
        get
        {
            var m = new Moments();
            double r = Radius, r2 = r * r;
            if (_p.Length == 1 || Length <= 0)
            {
                double v = r2 / 5;
                m.Add(4.0 / 3 * Math.PI * r2 * r, _p[0], Moments.Rotated(V3.UnitX, V3.UnitY, V3.UnitZ, new V3(v, v, v)));
                return m;
            }
            for (int i = 1; i < _p.Length; i++)
            {
                V3 seg = _p[i] - _p[i - 1];
                double l = seg.Length;
                if (l <= 0) continue;
                V3 a = seg / l, b = a.AnyPerpendicular(), c = V3.Cross(a, b);
                m.Add(Math.PI * r2 * l, (_p[i - 1] + _p[i]) * 0.5, Moments.Rotated(a, b, c, new V3(l * l / 12, r2 / 4, r2 / 4)));
            }
            // Hemispherical caps: centroid 3r/8 outward, ⟨s sᵀ⟩ = r²/5 · I about the flat face centre.
            void Cap(V3 end, V3 outward)
            {
                double mc = 2.0 / 3 * Math.PI * r2 * r;
                V3 cen = end + outward * (3 * r / 8);
                // Central covariance: r²/5 I − (3r/8)² a aᵀ.
                V3 b = outward.AnyPerpendicular(), c = V3.Cross(outward, b);
                double along = r2 / 5 - 9 * r2 / 64;
                m.Add(mc, cen, Moments.Rotated(outward, b, c, new V3(along, r2 / 5, r2 / 5)));
            }
            if (!OpenBase) Cap(_p[0], (_p[0] - FirstDistinct(1)).Normalized());
            Cap(_p[^1], (_p[^1] - LastDistinct()).Normalized());
            return m;
        }
    }

    private V3 FirstDistinct(int from)
    {
        for (int i = from; i < _p.Length; i++) if ((_p[i] - _p[0]).LengthSquared > 0) return _p[i];
        return _p[0] - V3.UnitX;
    }

    private V3 LastDistinct()
    {
        for (int i = _p.Length - 2; i >= 0; i--) if ((_p[i] - _p[^1]).LengthSquared > 0) return _p[i];
        return _p[^1] - V3.UnitX;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Capsule> Capsules
    {
        get
        {
            if (_p.Length == 1) return new[] { new Capsule(_p[0], _p[0], Radius) };
            var list = new Capsule[_p.Length - 1];
            for (int i = 1; i < _p.Length; i++) list[i - 1] = new Capsule(_p[i - 1], _p[i], Radius);
            return list;
        }
    }

    /// <inheritdoc />
    public override string Type => "tube";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Describe() => new Dictionary<string, object>
    {
        ["radius_nm"] = Radius,
        ["length_nm"] = Length,
        ["path_points"] = _p.Length,
    };

    /// <inheritdoc />
    public override void Distances(double y, double x0, double z0, double step, int nx, int nz, double maxDistance, Span<float> dst)
    {
        dst[..(nx * nz)].Fill(float.MaxValue);
        double reach = maxDistance + Radius;
        int nseg = Math.Max(1, _p.Length - 1);
        for (int s = 0; s < nseg; s++)
        {
            V3 a = _p[s], b = _p.Length == 1 ? _p[0] : _p[s + 1];
            // Rows of the plane y this segment can reach.
            double ylo = Math.Min(a.Y, b.Y) - reach, yhi = Math.Max(a.Y, b.Y) + reach;
            if (y < ylo || y > yhi) continue;
            int i0 = Math.Max(0, (int)Math.Floor((Math.Min(a.X, b.X) - reach - x0) / step));
            int i1 = Math.Min(nx - 1, (int)Math.Ceiling((Math.Max(a.X, b.X) + reach - x0) / step));
            int k0 = Math.Max(0, (int)Math.Floor((Math.Min(a.Z, b.Z) - reach - z0) / step));
            int k1 = Math.Min(nz - 1, (int)Math.Ceiling((Math.Max(a.Z, b.Z) + reach - z0) / step));
            V3 ab = b - a;
            double l2 = ab.LengthSquared, inv = l2 > 0 ? 1 / l2 : 0;
            for (int k = k0; k <= k1; k++)
            {
                double pz = z0 + k * step;
                int row = k * nx;
                for (int i = i0; i <= i1; i++)
                {
                    double px = x0 + i * step;
                    double dx = px - a.X, dy = y - a.Y, dz = pz - a.Z;
                    double t = (dx * ab.X + dy * ab.Y + dz * ab.Z) * inv;
                    t = t < 0 ? 0 : t > 1 ? 1 : t;
                    double ex = dx - ab.X * t, ey = dy - ab.Y * t, ez = dz - ab.Z * t;
                    float d = (float)(Math.Sqrt(ex * ex + ey * ey + ez * ez) - Radius);
                    if (d < dst[row + i]) dst[row + i] = d;
                }
            }
        }
    }
}
