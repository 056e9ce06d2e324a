namespace SxtSeg.Measurement;

/// <summary>One row of the summary table: a measure's mean ± SD over objects and n.</summary>
/// <param name="Section">"2D" (cross-sections, each object's mean over its slices) or "3D".</param>
/// <param name="Measure">Name as in the paper's Table S1.</param>
/// <param name="Unit">Unit ("nm", "nm²", "nm³", "1/µm", "" for ratios).</param>
/// <param name="Stats">Mean, sample SD and n over objects.</param>
public sealed record SummaryRow(string Section, string Measure, string Unit, MeanSd Stats);
