namespace SxtSeg.Evaluation;

/// <summary>Options for <see cref="SegmentationEvaluator"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Boundary tolerance k in voxels (Euclidean, 3D) for the tolerant scores.</summary>
    public int Tolerance { get; init; } = 1;

    /// <summary>Slices [First, First+Count) to evaluate (null: all).</summary>
    public (int First, int Count)? Slices { get; init; }
}
