namespace SxtSeg.Simulation;

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
