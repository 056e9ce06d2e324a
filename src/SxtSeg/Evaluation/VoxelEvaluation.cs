namespace SxtSeg.Evaluation;

/// <summary>Voxel-level result of comparing a predicted label volume with the truth.</summary>
public sealed record VoxelEvaluation
{
    /// <summary>Exact-overlap counts over the evaluated slices.</summary>
    public required Confusion Exact { get; init; }

    /// <summary>Counts with the boundary tolerance.</summary>
    public required TolerantScore Tolerant { get; init; }

    /// <summary>Per-slice scores (the paper's protocol).</summary>
    public required IReadOnlyList<SliceScore> Slices { get; init; }

    /// <summary>Mean and SD over slices with labels of the paper's TP/FN/FP percentages (exact overlap).</summary>
    public (Summary TruePositive, Summary FalseNegative, Summary FalsePositive) PaperExact => (
        Summary.Of(Slices.Select(s => s.TruePositivePercent)),
        Summary.Of(Slices.Select(s => s.FalseNegativePercent)),
        Summary.Of(Slices.Select(s => s.FalsePositivePercent)));

    /// <summary>The same with the boundary tolerance.</summary>
    public (Summary TruePositive, Summary FalseNegative, Summary FalsePositive) PaperTolerant => (
        Summary.Of(Slices.Select(s => s.Tolerant.PaperPercents.TruePositive)),
        Summary.Of(Slices.Select(s => s.Tolerant.PaperPercents.FalseNegative)),
        Summary.Of(Slices.Select(s => s.Tolerant.PaperPercents.FalsePositive)));
}
