namespace SxtSeg.Measurement.Filopodia;

/// <summary>The outcome of <see cref="FilopodiaRun.Execute"/>.</summary>
/// <param name="Result">Every filopodium found, the counts and the rule that filled the cells.</param>
/// <param name="Accuracy">Scores against the simulation, when <see cref="FilopodiaRunRequest.TruthFolder"/> was given.</param>
/// <param name="Summary">The Table S1 rows (mean ± SD, n) of the filopodia in the summary.</param>
/// <param name="Files">Final paths of the files written.</param>
public sealed record FilopodiaRunResult(FilopodiaResult Result, FilopodiaAccuracy? Accuracy, IReadOnlyList<SummaryRow> Summary, IReadOnlyList<string> Files);
