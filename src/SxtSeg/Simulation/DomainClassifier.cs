namespace SxtSeg.Simulation;

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
