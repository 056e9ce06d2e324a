namespace SxtSeg.Simulation;

/// <summary>A capsule (segment A–B swept by a ball of radius R); a sphere when A = B. Used for collision tests.</summary>
public readonly record struct Capsule(V3 A, V3 B, double R)
{
    /// <summary>Bounding box.</summary>
    public Box3 Bounds => new(V3.Min(A, B) - new V3(R, R, R), V3.Max(A, B) + new V3(R, R, R));
}

/// <summary>Closest-point and eigen routines.</summary>
public static class GeometryMath
{
    /// <summary>Distance from <paramref name="p"/> to segment a–b.</summary>
    public static double PointSegmentDistance(V3 p, V3 a, V3 b)
    {
        V3 ab = b - a;
        double l2 = ab.LengthSquared;
        double t = l2 > 0 ? Math.Clamp(V3.Dot(p - a, ab) / l2, 0, 1) : 0;
        return (p - (a + ab * t)).Length;
    }

    /// <summary>Parameter (0..1) of the point of segment a–b closest to <paramref name="p"/>.</summary>
    public static double ClosestParameter(V3 p, V3 a, V3 b)
    {
        V3 ab = b - a;
        double l2 = ab.LengthSquared;
        return l2 > 0 ? Math.Clamp(V3.Dot(p - a, ab) / l2, 0, 1) : 0;
    }

    /// <summary>Shortest distance between segments p1–q1 and p2–q2 (Ericson, Real-Time Collision Detection 5.1.9).</summary>
    public static double SegmentSegmentDistance(V3 p1, V3 q1, V3 p2, V3 q2)
    {
        V3 d1 = q1 - p1, d2 = q2 - p2, r = p1 - p2;
        double a = d1.LengthSquared, e = d2.LengthSquared, f = V3.Dot(d2, r);
        double s, t;
        const double eps = 1e-12;
        if (a <= eps && e <= eps) return r.Length;
        if (a <= eps)
        {
            s = 0;
            t = Math.Clamp(f / e, 0, 1);
        }
        else
        {
            double c = V3.Dot(d1, r);
            if (e <= eps)
            {
                t = 0;
                s = Math.Clamp(-c / a, 0, 1);
            }
            else
            {
                double b = V3.Dot(d1, d2), denom = a * e - b * b;
                s = denom > eps ? Math.Clamp((b * f - c * e) / denom, 0, 1) : 0;
                t = (b * s + f) / e;
                if (t < 0) { t = 0; s = Math.Clamp(-c / a, 0, 1); }
                else if (t > 1) { t = 1; s = Math.Clamp((b - c) / a, 0, 1); }
            }
        }
        return ((p1 + d1 * s) - (p2 + d2 * t)).Length;
    }

    /// <summary>Gap between two capsules (negative when they overlap).</summary>
    public static double CapsuleGap(in Capsule x, in Capsule y) => SegmentSegmentDistance(x.A, x.B, y.A, y.B) - x.R - y.R;

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1].</summary>
    public static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var x = new double[n];
        var w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), pp = 0;
            for (int it = 0; it < 100; it++)
            {
                double p1 = 1, p2 = 0;
                for (int j = 0; j < n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
                }
                pp = n * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.Abs(z - z1) < 1e-15) break;
            }
            x[i] = -z; x[n - 1 - i] = z;
            w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
        }
        return (x, w);
    }
}

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
