namespace SxtSeg.Simulation;

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
