namespace SxtSeg.Simulation;

/// <summary>
/// An analytic solid: a signed distance (nm, negative inside; exact or first-order exact at the
/// surface), bounds, and exact measures (volume, surface area, second moments) for the ground truth.
/// </summary>
public abstract class Shape
{
    /// <summary>Signed distance from <paramref name="p"/> to the surface (nm).</summary>
    public abstract double Distance(V3 p);

    /// <summary>Axis-aligned bounds.</summary>
    public abstract Box3 Bounds { get; }

    /// <summary>Volume (nm³).</summary>
    public abstract double Volume { get; }

    /// <summary>Surface area (nm²).</summary>
    public abstract double SurfaceArea { get; }

    /// <summary>Volume moments (centroid, covariance).</summary>
    public abstract Moments Moments { get; }

    /// <summary>Capsules covering the solid (for collision tests; may be slightly larger).</summary>
    public abstract IReadOnlyList<Capsule> Capsules { get; }

    /// <summary>Short type name for truth.json ("sphere", "ellipsoid", "tube", "disk"...).</summary>
    public abstract string Type { get; }

    /// <summary>Defining parameters for truth.json (nm).</summary>
    public abstract IReadOnlyDictionary<string, object> Describe();

    /// <summary>
    /// Signed distances on a patch of the plane at <paramref name="y"/>: dst[k·nx + i] = distance at
    /// (x0 + i·step, y, z0 + k·step). Values are exact below <paramref name="maxDistance"/>; farther
    /// points may get any value ≥ <paramref name="maxDistance"/>.
    /// </summary>
    public virtual void Distances(double y, double x0, double z0, double step, int nx, int nz, double maxDistance, Span<float> dst)
    {
        for (int k = 0; k < nz; k++)
        {
            double z = z0 + k * step;
            for (int i = 0; i < nx; i++) dst[k * nx + i] = (float)Distance(new V3(x0 + i * step, y, z));
        }
    }
}

/// <summary>A ball.</summary>
public sealed class SphereShape : Shape
{
    /// <summary>Creates a ball of radius <paramref name="radius"/> at <paramref name="centre"/>.</summary>
    public SphereShape(V3 centre, double radius)
    {
        Centre = centre;
        Radius = radius;
    }

    /// <summary>Centre (nm).</summary>
    public V3 Centre { get; }

    /// <summary>Radius (nm).</summary>
    public double Radius { get; }

    /// <inheritdoc />
    public override double Distance(V3 p) => (p - Centre).Length - Radius;

    /// <inheritdoc />
    public override Box3 Bounds => Box3.Around(Centre, Radius);

    /// <inheritdoc />
    public override double Volume => 4.0 / 3 * Math.PI * Radius * Radius * Radius;

    /// <inheritdoc />
    public override double SurfaceArea => 4 * Math.PI * Radius * Radius;

    /// <inheritdoc />
    public override Moments Moments
    {
        get
        {
            var m = new Moments();
            double v = Radius * Radius / 5;
            m.Add(Volume, Centre, Moments.Rotated(V3.UnitX, V3.UnitY, V3.UnitZ, new V3(v, v, v)));
            return m;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Capsule> Capsules => new[] { new Capsule(Centre, Centre, Radius) };

    /// <inheritdoc />
    public override string Type => "sphere";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Describe() => new Dictionary<string, object> { ["radius_nm"] = Radius };

    /// <inheritdoc />
    public override void Distances(double y, double x0, double z0, double step, int nx, int nz, double maxDistance, Span<float> dst)
    {
        double dy2 = (y - Centre.Y) * (y - Centre.Y);
        for (int k = 0; k < nz; k++)
        {
            double dz = z0 + k * step - Centre.Z, base2 = dy2 + dz * dz;
            for (int i = 0; i < nx; i++)
            {
                double dx = x0 + i * step - Centre.X;
                dst[k * nx + i] = (float)(Math.Sqrt(base2 + dx * dx) - Radius);
            }
        }
    }
}

/// <summary>
/// A triaxial ellipsoid with semi-axes A ≥ B ≥ C along orthonormal axes E1, E2, E3. The signed
/// distance is the first-order estimate k0(k0 − 1)/k1 (exact on the surface, within a few percent
/// near it for moderate eccentricity); the area is integrated numerically to 1e-9.
/// </summary>
public sealed class EllipsoidShape : Shape
{
    /// <summary>Creates an ellipsoid; semi-axes are sorted so that A ≥ B ≥ C.</summary>
    public EllipsoidShape(V3 centre, V3 e1, V3 e2, double a, double b, double c)
    {
        Centre = centre;
        e1 = e1.Normalized();
        e2 = (e2 - e1 * V3.Dot(e2, e1)).Normalized();
        var e3 = V3.Cross(e1, e2);
        var list = new List<(double r, V3 e)> { (a, e1), (b, e2), (c, e3) };
        list.Sort((p, q) => q.r.CompareTo(p.r));
        (A, E1) = list[0];
        (B, E2) = list[1];
        (C, E3) = list[2];
        _area = ComputeArea(A, B, C);
        // Exact bounds of a rotated ellipsoid: half-extent along axis i = √Σ (r_k e_k,i)².
        double hx = Math.Sqrt(Sq(A * E1.X) + Sq(B * E2.X) + Sq(C * E3.X));
        double hy = Math.Sqrt(Sq(A * E1.Y) + Sq(B * E2.Y) + Sq(C * E3.Y));
        double hz = Math.Sqrt(Sq(A * E1.Z) + Sq(B * E2.Z) + Sq(C * E3.Z));
        Bounds = new Box3(centre - new V3(hx, hy, hz), centre + new V3(hx, hy, hz));
    }

    private readonly double _area;

    private static double Sq(double v) => v * v;

    /// <summary>Centre.</summary>
    public V3 Centre { get; }

    /// <summary>Longest semi-axis and its direction.</summary>
    public double A { get; }

    /// <summary>Middle semi-axis.</summary>
    public double B { get; }

    /// <summary>Shortest semi-axis.</summary>
    public double C { get; }

    /// <summary>Axis directions.</summary>
    public V3 E1 { get; }

    /// <summary>Axis of B.</summary>
    public V3 E2 { get; }

    /// <summary>Axis of C.</summary>
    public V3 E3 { get; }

    /// <inheritdoc />
    public override Box3 Bounds { get; }

    /// <inheritdoc />
    public override double Distance(V3 p)
    {
        V3 d = p - Centre;
        double x = V3.Dot(d, E1), y = V3.Dot(d, E2), z = V3.Dot(d, E3);
        return LocalDistance(x, y, z);
    }

    private double LocalDistance(double x, double y, double z)
    {
        double qx = x / A, qy = y / B, qz = z / C;
        double k0 = Math.Sqrt(qx * qx + qy * qy + qz * qz);
        double rx = qx / A, ry = qy / B, rz = qz / C;
        double k1 = Math.Sqrt(rx * rx + ry * ry + rz * rz);
        if (k1 < 1e-300) return -C;
        return k0 * (k0 - 1) / k1;
    }

    /// <summary>Local coordinates (along E1, E2, E3) of a point.</summary>
    public V3 ToLocal(V3 p)
    {
        V3 d = p - Centre;
        return new V3(V3.Dot(d, E1), V3.Dot(d, E2), V3.Dot(d, E3));
    }

    /// <summary>World position of local coordinates.</summary>
    public V3 ToWorld(V3 l) => Centre + E1 * l.X + E2 * l.Y + E3 * l.Z;

    /// <summary>Outward unit normal at the surface point nearest the direction of local point <paramref name="l"/>.</summary>
    public V3 LocalNormal(V3 l) => new V3(l.X / (A * A), l.Y / (B * B), l.Z / (C * C)).Normalized();

    /// <inheritdoc />
    public override double Volume => 4.0 / 3 * Math.PI * A * B * C;

    /// <inheritdoc />
    public override double SurfaceArea => _area;

    /// <inheritdoc />
    public override Moments Moments
    {
        get
        {
            var m = new Moments();
            m.Add(Volume, Centre, Moments.Rotated(E1, E2, E3, new V3(A * A / 5, B * B / 5, C * C / 5)));
            return m;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Capsule> Capsules => new[] { new Capsule(Centre - E1 * (A - B), Centre + E1 * (A - B), B) };

    /// <inheritdoc />
    public override string Type => "ellipsoid";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Describe() => new Dictionary<string, object>
    {
        ["semi_axes_nm"] = new[] { A, B, C },
        ["axis_directions"] = new[] { E1.ToArray(), E2.ToArray(), E3.ToArray() },
    };

    /// <inheritdoc />
    public override void Distances(double y, double x0, double z0, double step, int nx, int nz, double maxDistance, Span<float> dst)
    {
        double dy = y - Centre.Y;
        for (int k = 0; k < nz; k++)
        {
            double dz = z0 + k * step - Centre.Z;
            double bx = dy * E1.Y + dz * E1.Z, by = dy * E2.Y + dz * E2.Z, bz = dy * E3.Y + dz * E3.Z;
            for (int i = 0; i < nx; i++)
            {
                double dx = x0 + i * step - Centre.X;
                dst[k * nx + i] = (float)LocalDistance(bx + dx * E1.X, by + dx * E2.X, bz + dx * E3.X);
            }
        }
    }

    /// <summary>Surface area of an ellipsoid by Gauss–Legendre (t = cos θ) × trapezoid (φ) quadrature.</summary>
    public static double ComputeArea(double a, double b, double c)
    {
        var (t, w) = GeometryMath.GaussLegendre(96);
        const int nphi = 192;
        double sum = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double s2 = 1 - t[i] * t[i], inner = 0;
            for (int j = 0; j < nphi; j++)
            {
                double phi = 2 * Math.PI * j / nphi, cp = Math.Cos(phi), sp = Math.Sin(phi);
                inner += Math.Sqrt(b * b * c * c * s2 * cp * cp + a * a * c * c * s2 * sp * sp + a * a * b * b * t[i] * t[i]);
            }
            sum += w[i] * inner * (2 * Math.PI / nphi);
        }
        return sum;
    }
}

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

/// <summary>
/// A flat disk of radius R swept by a ball of radius r (a cisterna: ER sheet): signed distance
/// exact; volume 2πR²r + π²Rr² + 4/3·πr³ and area 2πR² + 2π²Rr + 4πr² (Steiner formulas).
/// </summary>
public sealed class DiskShape : Shape
{
    /// <summary>Creates a sheet of half-thickness <paramref name="halfThickness"/> around a disk of radius <paramref name="radius"/>.</summary>
    public DiskShape(V3 centre, V3 normal, double radius, double halfThickness)
    {
        Centre = centre;
        Normal = normal.Normalized();
        R = radius;
        T = halfThickness;
        // Bounds: disk extent along axis i is R·√(1 − n_i²), plus the sweep radius.
        double hx = R * Math.Sqrt(Math.Max(0, 1 - Normal.X * Normal.X)) + T;
        double hy = R * Math.Sqrt(Math.Max(0, 1 - Normal.Y * Normal.Y)) + T;
        double hz = R * Math.Sqrt(Math.Max(0, 1 - Normal.Z * Normal.Z)) + T;
        Bounds = new Box3(centre - new V3(hx, hy, hz), centre + new V3(hx, hy, hz));
    }

    /// <summary>Centre.</summary>
    public V3 Centre { get; }

    /// <summary>Unit normal.</summary>
    public V3 Normal { get; }

    /// <summary>Disk radius (nm).</summary>
    public double R { get; }

    /// <summary>Half thickness (nm).</summary>
    public double T { get; }

    /// <inheritdoc />
    public override Box3 Bounds { get; }

    /// <inheritdoc />
    public override double Distance(V3 p)
    {
        V3 d = p - Centre;
        double h = V3.Dot(d, Normal);
        double rho = Math.Sqrt(Math.Max(0, d.LengthSquared - h * h));
        return rho <= R ? Math.Abs(h) - T : Math.Sqrt((rho - R) * (rho - R) + h * h) - T;
    }

    /// <inheritdoc />
    public override double Volume => 2 * Math.PI * R * R * T + Math.PI * Math.PI * R * T * T + 4.0 / 3 * Math.PI * T * T * T;

    /// <inheritdoc />
    public override double SurfaceArea => 2 * Math.PI * R * R + 2 * Math.PI * Math.PI * R * T + 4 * Math.PI * T * T;

    /// <inheritdoc />
    public override Moments Moments
    {
        get
        {
            // Axisymmetric body: ∫h² dV and ∫ρ² dV; the rim (R < ρ < R + T) by Gauss–Legendre over
            // ψ with ρ = R + T sin ψ (half-height T cos ψ), which removes the square-root endpoint.
            double t = T, r = R;
            double ih2 = Math.PI * r * r * (2 * t * t * t / 3);          // core: ∫2πρ dρ · ∫h² dh
            double irho2 = Math.PI * r * r * r * r * t;                   // core: ∫2πρ³ dρ · 2t
            var (x, w) = GeometryMath.GaussLegendre(48);
            for (int i = 0; i < x.Length; i++)
            {
                double psi = (x[i] + 1) * Math.PI / 4, wt = w[i] * Math.PI / 4;
                double rho = r + t * Math.Sin(psi), half = t * Math.Cos(psi), drho = t * Math.Cos(psi);
                ih2 += wt * 2 * Math.PI * rho * (2 * half * half * half / 3) * drho;
                irho2 += wt * 2 * Math.PI * rho * rho * rho * (2 * half) * drho;
            }
            double v = Volume;
            V3 e3 = Normal, e1 = Normal.AnyPerpendicular(), e2 = V3.Cross(e3, e1);
            var m = new Moments();
            m.Add(v, Centre, Moments.Rotated(e1, e2, e3, new V3(irho2 / v / 2, irho2 / v / 2, ih2 / v)));
            return m;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Capsule> Capsules
    {
        get
        {
            // Parallel chords every 2T across the disk, each swept by √(T² + T²) to cover the gaps.
            V3 e1 = Normal.AnyPerpendicular(), e2 = V3.Cross(Normal, e1);
            var list = new List<Capsule>();
            double spacing = Math.Max(2 * T, 1e-6);
            int n = Math.Max(1, (int)Math.Ceiling(2 * R / spacing));
            double cover = Math.Sqrt(T * T + spacing * spacing / 4);
            for (int i = 0; i <= n; i++)
            {
                double off = -R + 2 * R * i / n;
                double half = Math.Sqrt(Math.Max(0, R * R - off * off));
                list.Add(new Capsule(Centre + e2 * off - e1 * half, Centre + e2 * off + e1 * half, cover));
            }
            return list;
        }
    }

    /// <inheritdoc />
    public override string Type => "sheet";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object> Describe() => new Dictionary<string, object>
    {
        ["disk_radius_nm"] = R,
        ["half_thickness_nm"] = T,
        ["normal"] = Normal.ToArray(),
    };
}
