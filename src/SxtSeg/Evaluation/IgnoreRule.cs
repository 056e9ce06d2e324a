namespace SxtSeg.Evaluation;

/// <summary>
/// How an ignore mask (e.g. a simulation's <c>ignore.mrc</c>: membranes a slice cannot show, and a
/// band around them) enters the scores: ignored voxels are neither true nor predicted membrane —
/// they count in no tally — and the truth is the membranes outside the mask ("visible membranes").
/// A predicted voxel is within tolerance when a visible true voxel lies within k (Euclidean, 3D);
/// a true voxel is found when any predicted voxel (ignored or not) lies within k.
/// </summary>
public static class IgnoreRule
{
    /// <summary>One line for reports.</summary>
    public const string Description = "visible membranes: voxels of the ignore mask (membranes a slice cannot show, and a band around them) count as neither truth nor prediction";
}
