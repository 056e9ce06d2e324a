namespace SxtSeg.Simulation;

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
