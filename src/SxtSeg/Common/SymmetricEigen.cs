namespace SxtSeg;

/// <summary>Eigen-decomposition of small symmetric matrices (cyclic Jacobi; deterministic).</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues (descending) and unit eigenvectors (columns: vectors[k] belongs to values[k]) of the
    /// symmetric 3×3 matrix [a00 a01 a02; a01 a11 a12; a02 a12 a22].
    /// </summary>
    public static (double[] Values, double[][] Vectors) Symmetric3(double a00, double a01, double a02, double a11, double a12, double a22)
    {
        var a = new double[3, 3] { { a00, a01, a02 }, { a01, a11, a12 }, { a02, a12, a22 } };
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = a[0, 1] * a[0, 1] + a[0, 2] * a[0, 2] + a[1, 2] * a[1, 2];
            double diag = a[0, 0] * a[0, 0] + a[1, 1] * a[1, 1] + a[2, 2] * a[2, 2];
            if (off <= 1e-30 * Math.Max(diag, 1e-300)) break;
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = new[] { 0, 1, 2 };
        Array.Sort(order, (i, j) => a[j, j].CompareTo(a[i, i]));
        var values = new double[3];
        var vectors = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            int i = order[k];
            values[k] = a[i, i];
            var vec = new[] { v[0, i], v[1, i], v[2, i] };
            // Sign convention: the largest component positive, so directions are reproducible.
            int big = Math.Abs(vec[0]) >= Math.Abs(vec[1]) ? (Math.Abs(vec[0]) >= Math.Abs(vec[2]) ? 0 : 2) : (Math.Abs(vec[1]) >= Math.Abs(vec[2]) ? 1 : 2);
            if (vec[big] < 0) { vec[0] = -vec[0]; vec[1] = -vec[1]; vec[2] = -vec[2]; }
            vectors[k] = vec;
        }
        return (values, vectors);
    }

    /// <summary>Eigenvalues (λ1 ≥ λ2) and the unit eigenvector of λ1 of the symmetric 2×2 matrix [a b; b c].</summary>
    public static (double L1, double L2, double Ux, double Uy) Symmetric2(double a, double b, double c)
    {
        double m = 0.5 * (a + c), d = Math.Sqrt(0.25 * (a - c) * (a - c) + b * b);
        double l1 = m + d, l2 = m - d;
        double ux, uy;
        if (b != 0)
        {
            ux = l1 - c;
            uy = b;
            double n = Math.Sqrt(ux * ux + uy * uy);
            ux /= n; uy /= n;
        }
        else if (a >= c) { ux = 1; uy = 0; }
        else { ux = 0; uy = 1; }
        if (ux < 0 || (ux == 0 && uy < 0)) { ux = -ux; uy = -uy; }
        return (l1, Math.Max(l2, 0), ux, uy);
    }
}
