namespace SxtSeg.Simulation;

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
