using SxtSeg.Evaluation;

namespace SxtSeg.Reporting;

/// <summary>What the pipeline produced.</summary>
public sealed record DemoResult(string Report, IReadOnlyDictionary<string, double> Timings, EvaluationResult? Evaluation, int Objects);
