namespace SxtSeg.Simulation;

/// <summary>One randomised appearance parameter: its name (as in the parameter table) and the range it is drawn from.</summary>
/// <param name="Parameter">Parameter name.</param>
/// <param name="Range">How it is drawn (human-readable, also written to truth.json).</param>
public sealed record AppearanceRange(string Parameter, string Range);
