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
