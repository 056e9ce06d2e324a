namespace SxtSeg.Simulation;

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
