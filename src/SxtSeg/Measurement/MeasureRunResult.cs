namespace SxtSeg.Measurement;

/// <summary>What a measurement run found.</summary>
/// <param name="Measured">Every kept object's measures.</param>
/// <param name="TruthMatches">Each simulated object with its measurement (with a truth only).</param>
/// <param name="TruthSummary">The comparison as Markdown, as written to truth_comparison.md (with a truth only).</param>
public sealed record MeasureRunResult(MeasurementResult Measured, IReadOnlyList<TruthMatch>? TruthMatches, string? TruthSummary);
