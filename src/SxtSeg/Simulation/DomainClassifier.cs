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

/// <summary>The feature vectors of one held-out unit: one real slice, or all slices of one simulated tomogram.</summary>
/// <param name="Name">Name of the slice or tomogram.</param>
/// <param name="Samples">One feature vector per patch.</param>
public sealed record FeatureGroup(string Name, IReadOnlyList<double[]> Samples);

/// <summary>Score of one held-out pair.</summary>
/// <param name="Real">Held-out real group.</param>
/// <param name="Simulated">Held-out simulated group.</param>
/// <param name="RealCorrect">Fraction of the real group's patches classified real.</param>
/// <param name="SimulatedCorrect">Fraction of the simulated group's patches classified simulated.</param>
/// <param name="Auc">
/// Area under the ROC curve of the classifier's score on the two held-out groups: the probability
/// that a held-out real patch scores more "real" than a held-out simulated one (ties count half).
/// Unlike the accuracy it does not depend on the decision threshold, which a held-out real slice
/// unlike the training ones can push to one side.
/// </param>
public sealed record DomainPairScore(string Real, string Simulated, double RealCorrect, double SimulatedCorrect, double Auc)
{
    /// <summary>Balanced accuracy of the pair: mean of the two fractions.</summary>
    public double Accuracy => 0.5 * (RealCorrect + SimulatedCorrect);
}

/// <summary>Result of the domain classifier two-sample test.</summary>
/// <param name="HeldOutAccuracy">Mean balanced accuracy over all held-out pairs: 0.5 = indistinguishable.</param>
/// <param name="HeldOutAuc">Mean held-out area under the ROC curve over all pairs: 0.5 = indistinguishable.</param>
/// <param name="Pairs">Every held-out pair.</param>
/// <param name="ResubstitutionAccuracy">Balanced accuracy of a classifier trained and tested on all patches (optimistic; for comparison only).</param>
public sealed record DomainScore(double HeldOutAccuracy, double HeldOutAuc, IReadOnlyList<DomainPairScore> Pairs, double ResubstitutionAccuracy);

/// <summary>
/// Classifier two-sample test between real and simulated images: a logistic regression on patch
/// texture features (<see cref="RealismFeatures"/>) is trained to tell real from simulated and
/// scored on images it never saw. For every pair (one real group, one simulated group) both are
/// left out, the classifier is trained on the other groups and its balanced accuracy is measured
/// on the two left out; the score is the mean over all pairs. 50 % means the simulation passes
/// for real; 100 % means every held-out patch is told apart. Testing on patches of the images
/// the classifier trained on would measure how well it memorises those images instead.
/// </summary>
public static class DomainClassifier
{
    /// <summary>Default L2 penalty (per unit of total sample weight, on standardised features).</summary>
    public const double DefaultL2 = 1e-2;

    /// <summary>Runs the leave-one-real-and-one-simulated-group-out test (at least two groups of each).</summary>
    public static DomainScore LeavePairOut(IReadOnlyList<FeatureGroup> real, IReadOnlyList<FeatureGroup> simulated, double l2 = DefaultL2)
    {
        if (real.Count < 2 || simulated.Count < 2)
            throw new ArgumentException("the test needs at least two real and two simulated groups (one of each is held out)");
        foreach (var g in real.Concat(simulated))
            if (g.Samples.Count == 0) throw new ArgumentException($"group '{g.Name}' has no samples");
        var pairs = new DomainPairScore[real.Count * simulated.Count];
        Parallel.For(0, pairs.Length, k =>
        {
            int i = k / simulated.Count, j = k % simulated.Count;
            var x = new List<double[]>();
            var y = new List<bool>();
            for (int a = 0; a < real.Count; a++) if (a != i) foreach (var s in real[a].Samples) { x.Add(s); y.Add(true); }
            for (int b = 0; b < simulated.Count; b++) if (b != j) foreach (var s in simulated[b].Samples) { x.Add(s); y.Add(false); }
            var model = LogisticRegression.Fit(x, y, l2);
            pairs[k] = new DomainPairScore(real[i].Name, simulated[j].Name, Fraction(model, real[i].Samples, true), Fraction(model, simulated[j].Samples, false),
                Auc(real[i].Samples.Select(model.Probability).ToArray(), simulated[j].Samples.Select(model.Probability).ToArray()));
        });
        var all = new List<double[]>();
        var labels = new List<bool>();
        foreach (var g in real) foreach (var s in g.Samples) { all.Add(s); labels.Add(true); }
        foreach (var g in simulated) foreach (var s in g.Samples) { all.Add(s); labels.Add(false); }
        var full = LogisticRegression.Fit(all, labels, l2);
        double resub = 0.5 * (real.Average(g => Fraction(full, g.Samples, true)) + simulated.Average(g => Fraction(full, g.Samples, false)));
        return new DomainScore(pairs.Average(p => p.Accuracy), pairs.Average(p => p.Auc), pairs, resub);
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a score of <paramref name="positive"/> exceeds
    /// one of <paramref name="negative"/>, ties counting half (the Mann–Whitney U statistic / n·m).
    /// </summary>
    public static double Auc(double[] positive, double[] negative)
    {
        if (positive.Length == 0 || negative.Length == 0) return double.NaN;
        var all = new (double S, bool Pos)[positive.Length + negative.Length];
        for (int i = 0; i < positive.Length; i++) all[i] = (positive[i], true);
        for (int i = 0; i < negative.Length; i++) all[positive.Length + i] = (negative[i], false);
        Array.Sort(all, (a, b) => a.S.CompareTo(b.S));
        // Sum of the (mid-)ranks of the positives.
        double rankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].S == all[i].S) j++;
            double mid = 0.5 * (i + 1 + j);
            for (int k = i; k < j; k++) if (all[k].Pos) rankSum += mid;
            i = j;
        }
        double n = positive.Length, m = negative.Length;
        return (rankSum - n * (n + 1) / 2) / (n * m);
    }

    /// <summary>Fraction of <paramref name="samples"/> predicted as <paramref name="real"/>.</summary>
    private static double Fraction(LogisticRegression model, IReadOnlyList<double[]> samples, bool real)
    {
        int ok = 0;
        foreach (var s in samples) if (model.Predict(s) == real) ok++;
        return (double)ok / samples.Count;
    }

    /// <summary>
    /// Standardised difference of each feature between two pools of samples: (mean_a − mean_b) /
    /// pooled standard deviation (Cohen's d). Tells which features give the domains away.
    /// </summary>
    public static double[] EffectSizes(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b)
    {
        int d = a[0].Length;
        var r = new double[d];
        for (int j = 0; j < d; j++)
        {
            double ma = a.Average(v => v[j]), mb = b.Average(v => v[j]);
            double va = a.Average(v => (v[j] - ma) * (v[j] - ma)), vb = b.Average(v => (v[j] - mb) * (v[j] - mb));
            double sd = Math.Sqrt(0.5 * (va + vb));
            r[j] = sd > 1e-12 ? (ma - mb) / sd : 0;
        }
        return r;
    }
}
