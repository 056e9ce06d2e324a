namespace SxtSeg.Evaluation;

/// <summary>One threshold's pooled visible-membrane scores (tolerance ±1 voxel, Euclidean in 3D).</summary>
/// <param name="Threshold">Membrane where p &gt; this.</param>
/// <param name="Visible">Voxel tallies pooled over the validation tomograms.</param>
public sealed record ThresholdRow(double Threshold, TolerantScore Visible);
