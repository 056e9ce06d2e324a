namespace SxtSeg.Evaluation;

/// <summary>
/// Scores of one segmentation (the prediction or a baseline): on visible membranes when an ignore
/// mask was given (then <paramref name="AllMembranes"/> holds the scores against every membrane voxel).
/// </summary>
public sealed record MethodScores(string Name, VoxelEvaluation Voxels, ObjectEvaluation? Objects, VoxelEvaluation? AllMembranes = null)
{
    /// <summary>
    /// Thickness of the predicted membranes relative to the true ones: (predicted voxels within 2
    /// voxels of a true one) / (true voxels within 2 voxels of a predicted one), on the same truth
    /// scope as <see cref="Voxels"/>. Both count the bands over the surface they share, so the ratio is
    /// the mean predicted thickness over the mean true thickness (1 = as thick; a prediction grown by
    /// one voxel on each side of a 2.5-voxel band gives 1.8); bands up to 4 voxels thicker are seen whole.
    /// </summary>
    public double ThicknessRatio { get; init; } = double.NaN;

    /// <summary>Organelles traced (with object scoring and a truth instance map), on the same truth scope as <see cref="Voxels"/>.</summary>
    public InstanceRecovery? Organelles { get; init; }

    /// <summary>
    /// Recall by structure (<see cref="StructureRecall"/>; with object scoring, a truth instance map and
    /// the simulation's <c>truth.json</c> beside the truth), on the same truth scope as <see cref="Voxels"/>.
    /// </summary>
    public IReadOnlyList<StructureRecallRow>? Structures { get; init; }
}
