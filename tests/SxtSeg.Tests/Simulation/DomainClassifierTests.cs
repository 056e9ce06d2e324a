using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

/// <summary>The domain classifier two-sample test on synthetic features of known separability.</summary>
public sealed class DomainClassifierTests
{
    /// <summary>Groups of 1-D samples N(mean, 1) plus a pure-noise second feature.</summary>
    private static List<FeatureGroup> Groups(string name, double mean, int groups, int n, ulong seed)
    {
        var r = new SimRandom(seed);
        var list = new List<FeatureGroup>();
        for (int g = 0; g < groups; g++)
        {
            var s = new List<double[]>();
            for (int i = 0; i < n; i++) s.Add(new[] { r.Gaussian(mean, 1), r.Gaussian() });
            list.Add(new FeatureGroup($"{name}{g}", s));
        }
        return list;
    }

    private static double Phi(double x) => 0.5 * (1 + SimMath.Erf(x / Math.Sqrt(2)));

    [Fact]
    public void HeldOutAccuracyAndAucOfShiftedNormalsAreTheBayesValues()
    {
        // Given real ~ N(+0.5, 1) and simulated ~ N(−0.5, 1) on feature 1 (feature 2 is noise), three groups each
        var real = Groups("r", 0.5, 3, 1500, 1);
        var sim = Groups("s", -0.5, 3, 1500, 2);
        // When scored leave-one-pair-out
        var score = DomainClassifier.LeavePairOut(real, sim);
        // Then the accuracy is the Bayes accuracy Φ(0.5) = 0.691 and the AUC is Φ(1/√2) = 0.760
        Assert.Equal(9, score.Pairs.Count);
        Assert.InRange(score.HeldOutAccuracy, Phi(0.5) - 0.02, Phi(0.5) + 0.02);
        Assert.InRange(score.HeldOutAuc, Phi(1 / Math.Sqrt(2)) - 0.02, Phi(1 / Math.Sqrt(2)) + 0.02);
    }

    [Fact]
    public void IdenticalDistributionsScoreHalf()
    {
        var real = Groups("r", 0, 3, 1000, 3);
        var sim = Groups("s", 0, 3, 1000, 4);
        var score = DomainClassifier.LeavePairOut(real, sim);
        Assert.InRange(score.HeldOutAccuracy, 0.46, 0.54);
        Assert.InRange(score.HeldOutAuc, 0.46, 0.54);
    }

    [Fact]
    public void DisjointDistributionsScoreOne()
    {
        var real = Groups("r", 6, 2, 300, 5);
        var sim = Groups("s", -6, 2, 300, 6);
        var score = DomainClassifier.LeavePairOut(real, sim);
        Assert.True(score.HeldOutAccuracy > 0.999, $"{score.HeldOutAccuracy}");
        Assert.True(score.HeldOutAuc > 0.999, $"{score.HeldOutAuc}");
    }

    [Fact]
    public void AHeldOutGroupUnlikeItsTrainingGroupIsNotCalledReal()
    {
        // Given two real groups that differ from each other more than from the simulated ones (real A at +3,
        // real B at −3, simulated at 0): trained on A vs simulated, B is called simulated
        var real = new List<FeatureGroup> { Groups("a", 3, 1, 500, 7)[0], Groups("b", -3, 1, 500, 8)[0] };
        var sim = Groups("s", 0, 2, 500, 9);
        var score = DomainClassifier.LeavePairOut(real, sim);
        // Then held-out real patches are almost never called real, the balanced accuracy sits near 0.5, and the
        // AUC is far below 0.5 (the held-out real group lies beyond the simulated one): the case the AUC exposes
        Assert.All(score.Pairs, p => Assert.True(p.RealCorrect < 0.05, $"{p.Real}: {p.RealCorrect}"));
        Assert.InRange(score.HeldOutAccuracy, 0.4, 0.55);
        Assert.True(score.HeldOutAuc < 0.1, $"AUC {score.HeldOutAuc}");
    }

    [Fact]
    public void AucCountsOrderedPairsAndHalfTies()
    {
        // By hand: (0.9 > 0.5, 0.9 > 0.1, 0.4 < 0.5, 0.4 > 0.1) → 3 of 4
        Assert.Equal(0.75, DomainClassifier.Auc(new[] { 0.9, 0.4 }, new[] { 0.5, 0.1 }), 12);
        // Ties count half: {0.5, 1} vs {0.5}: 0.5 + 1 over 2
        Assert.Equal(0.75, DomainClassifier.Auc(new[] { 0.5, 1.0 }, new[] { 0.5 }), 12);
        Assert.Equal(0.0, DomainClassifier.Auc(new[] { 0.1 }, new[] { 0.2, 0.3 }), 12);
    }

    [Fact]
    public void LogisticRegressionRecoversTheLogOddsSlope()
    {
        // Given x ~ N(±1, 1) with equal class weights: log-odds = 2x, so P(real | x = 0.5) = σ(1) = 0.731
        var r = new SimRandom(10);
        var x = new List<double[]>();
        var y = new List<bool>();
        for (int i = 0; i < 20000; i++)
        {
            bool real = i % 2 == 0;
            x.Add(new[] { r.Gaussian(real ? 1 : -1, 1) });
            y.Add(real);
        }
        var model = LogisticRegression.Fit(x, y, l2: 1e-6);
        Assert.InRange(model.Probability(new[] { 0.5 }), 0.731 - 0.01, 0.731 + 0.01);
        Assert.InRange(model.Probability(new[] { 0.0 }), 0.49, 0.51);
    }

    [Fact]
    public void EffectSizeIsTheStandardisedMeanDifference()
    {
        var a = new List<double[]> { new[] { 1.0 }, new[] { 3.0 } };   // mean 2, variance 1
        var b = new List<double[]> { new[] { -1.0 }, new[] { 1.0 } };  // mean 0, variance 1
        Assert.Equal(2.0, DomainClassifier.EffectSizes(a, b)[0], 12);
    }
}
