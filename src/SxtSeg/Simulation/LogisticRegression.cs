namespace SxtSeg.Simulation;

/// <summary>
/// L2-regularised logistic regression on standardised features, fitted by Newton's method
/// (iteratively reweighted least squares) with per-sample weights. Small and deterministic.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _mean, _scale, _w;

    private LogisticRegression(double[] mean, double[] scale, double[] w)
    {
        _mean = mean;
        _scale = scale;
        _w = w;
    }

    /// <summary>Weights on the standardised features (last entry: intercept).</summary>
    public IReadOnlyList<double> Weights => _w;

    /// <summary>
    /// Fits P(y = 1 | x). Each class gets the same total weight (so an unbalanced training set does
    /// not bias the decision), features are standardised with the weighted training mean and
    /// standard deviation, and <paramref name="l2"/> penalises the squared weights (not the
    /// intercept) per unit of total sample weight.
    /// </summary>
    public static LogisticRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, double l2 = 1e-2, int iterations = 50)
    {
        int n = x.Count;
        if (n == 0 || y.Count != n) throw new ArgumentException("need as many labels as samples, and at least one", nameof(y));
        int d = x[0].Length;
        int pos = y.Count(v => v), neg = n - pos;
        if (pos == 0 || neg == 0) throw new ArgumentException("both classes are needed", nameof(y));
        var sw = new double[n];
        for (int i = 0; i < n; i++) sw[i] = y[i] ? 0.5 / pos : 0.5 / neg; // total weight 1
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += sw[i] * x[i][j];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) scale[j] += sw[i] * (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
        for (int j = 0; j < d; j++) scale[j] = Math.Sqrt(scale[j]) is var s && s > 1e-12 ? 1 / s : 0;
        var z = new double[n][];
        for (int i = 0; i < n; i++)
        {
            z[i] = new double[d + 1];
            for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) * scale[j];
            z[i][d] = 1;
        }
        int m = d + 1;
        var w = new double[m];
        var g = new double[m];
        var h = new double[m * m];
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(g);
            Array.Clear(h);
            for (int i = 0; i < n; i++)
            {
                double p = Sigmoid(Dot(w, z[i]));
                double r = sw[i] * (p - (y[i] ? 1 : 0)), c = sw[i] * Math.Max(p * (1 - p), 1e-10);
                var zi = z[i];
                for (int a = 0; a < m; a++)
                {
                    g[a] += r * zi[a];
                    double ca = c * zi[a];
                    for (int b = 0; b <= a; b++) h[a * m + b] += ca * zi[b];
                }
            }
            for (int a = 0; a < m; a++)
                for (int b = 0; b < a; b++) h[b * m + a] = h[a * m + b];
            for (int a = 0; a < d; a++) { g[a] += l2 * w[a]; h[a * m + a] += l2; }
            h[d * m + d] += 1e-9;
            var step = CholeskySolve(h, g, m);
            double norm = 0;
            for (int a = 0; a < m; a++) { w[a] -= step[a]; norm += step[a] * step[a]; }
            if (norm < 1e-14) break;
        }
        return new LogisticRegression(mean, scale, w);
    }

    /// <summary>P(y = 1 | x).</summary>
    public double Probability(double[] x)
    {
        double s = _w[^1];
        for (int j = 0; j < _mean.Length; j++) s += _w[j] * (x[j] - _mean[j]) * _scale[j];
        return Sigmoid(s);
    }

    /// <summary>True when P(y = 1 | x) &gt; 0.5.</summary>
    public bool Predict(double[] x) => Probability(x) > 0.5;

    private static double Sigmoid(double s) => s >= 0 ? 1 / (1 + Math.Exp(-s)) : Math.Exp(s) / (1 + Math.Exp(s));

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Solves H x = g for a symmetric positive definite H (m × m, row-major).</summary>
    private static double[] CholeskySolve(double[] h, double[] g, int m)
    {
        var l = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = h[i * m + j];
                for (int k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
                l[i * m + j] = i == j ? Math.Sqrt(Math.Max(s, 1e-12)) : s / l[j * m + j];
            }
        var y = new double[m];
        for (int i = 0; i < m; i++)
        {
            double s = g[i];
            for (int k = 0; k < i; k++) s -= l[i * m + k] * y[k];
            y[i] = s / l[i * m + i];
        }
        var x = new double[m];
        for (int i = m - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < m; k++) s -= l[k * m + i] * x[k];
            x[i] = s / l[i * m + i];
        }
        return x;
    }
}
