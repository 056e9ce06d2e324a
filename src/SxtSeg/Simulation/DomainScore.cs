namespace SxtSeg.Simulation;

/// <summary>Result of the domain classifier two-sample test.</summary>
/// <param name="HeldOutAccuracy">Mean balanced accuracy over all held-out pairs: 0.5 = indistinguishable.</param>
/// <param name="HeldOutAuc">Mean held-out area under the ROC curve over all pairs: 0.5 = indistinguishable.</param>
/// <param name="Pairs">Every held-out pair.</param>
/// <param name="ResubstitutionAccuracy">Balanced accuracy of a classifier trained and tested on all patches (optimistic; for comparison only).</param>
public sealed record DomainScore(double HeldOutAccuracy, double HeldOutAuc, IReadOnlyList<DomainPairScore> Pairs, double ResubstitutionAccuracy);
