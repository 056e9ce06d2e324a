namespace SxtSeg.Simulation;

/// <summary>
/// Volume moments of a body: mass (volume), first moment and second moments about the origin,
/// accumulated from parts; yields centroid, covariance and equivalent-ellipsoid axes.
/// </summary>
public sealed class Moments
{
    private double _m;
    private V3 _m1;
    private readonly double[,] _m2 = new double[3, 3];

    /// <summary>Volume (nm³).</summary>
    public double Volume => _m;

    /// <summary>Adds a part of volume <paramref name="m"/> with centroid <paramref name="c"/> and central covariance <paramref name="cov"/> (per unit volume).</summary>
    public void Add(double m, V3 c, double[,] cov)
    {
        _m += m;
        _m1 += c * m;
        var cc = c.ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                _m2[i, j] += m * (cov[i, j] + cc[i] * cc[j]);
    }

    /// <summary>Adds a part whose raw moments about the origin are given: ∫dV, ∫x dV, ∫x xᵀ dV.</summary>
    public void AddRaw(double m, V3 m1, double[,] m2)
    {
        _m += m;
        _m1 += m1;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                _m2[i, j] += m2[i, j];
    }

    /// <summary>Centroid.</summary>
    public V3 Centroid => _m > 0 ? _m1 / _m : V3.Zero;

    /// <summary>Central covariance per unit volume (nm²).</summary>
    public double[,] Covariance
    {
        get
        {
            var c = Centroid.ToArray();
            var r = new double[3, 3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    r[i, j] = _m > 0 ? _m2[i, j] / _m - c[i] * c[j] : 0;
            return r;
        }
    }

    /// <summary>
    /// Full axis lengths (descending, nm) of the ellipsoid with the same second moments
    /// (2·√(5λ) for each eigenvalue λ): exact diameters for spheres and ellipsoids.
    /// </summary>
    public static double[] AxisLengths(double[,] covariance)
    {
        var ev = SymmetricEigen.Symmetric3(covariance[0, 0], covariance[0, 1], covariance[0, 2], covariance[1, 1], covariance[1, 2], covariance[2, 2]).Values;
        return ev.Select(l => 2 * Math.Sqrt(5 * Math.Max(l, 0))).ToArray();
    }

    /// <summary>Covariance of a body with per-axis variances <paramref name="var"/> along orthonormal axes e1, e2, e3.</summary>
    public static double[,] Rotated(V3 e1, V3 e2, V3 e3, V3 var)
    {
        var r = new double[3, 3];
        var E = new[] { e1.ToArray(), e2.ToArray(), e3.ToArray() };
        var s = var.ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    r[i, j] += s[k] * E[k][i] * E[k][j];
        return r;
    }
}
