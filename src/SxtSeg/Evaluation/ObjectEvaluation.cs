namespace SxtSeg.Evaluation;

/// <summary>Object-level comparison of predicted and true objects (3D connected components or instances).</summary>
public sealed record ObjectEvaluation
{
    /// <summary>True objects.</summary>
    public int TruthObjects { get; init; }
    /// <summary>Predicted objects.</summary>
    public int PredictedObjects { get; init; }
    /// <summary>Pairs with IoU above the matching threshold (one-to-one, since IoU &gt; 0.5 is unique).</summary>
    public int Matched { get; init; }
    /// <summary>True objects shared out among two or more predicted objects that each lie mostly inside it.</summary>
    public int Split { get; init; }
    /// <summary>Predicted objects covering two or more true objects that each lie mostly inside it.</summary>
    public int Merged { get; init; }
    /// <summary>True objects no predicted voxel touches.</summary>
    public int Missed { get; init; }
    /// <summary>Predicted objects touching no true voxel.</summary>
    public int Spurious { get; init; }
    /// <summary>IoU threshold used for matching.</summary>
    public double MatchIoU { get; init; }
    /// <summary>
    /// True objects with a predicted object whose tolerant IoU exceeds <see cref="MatchIoU"/>: the exact
    /// overlap is replaced by the mean of |predicted voxels within ±1 voxel (self or a face neighbour) of
    /// the true object| and |true voxels within ±1 of the predicted object|, so a trace one voxel beside
    /// a 1-voxel-thin membrane matches, as the voxel scores' ±1 tolerance allows.
    /// </summary>
    public int MatchedTolerant { get; init; }
    /// <summary><see cref="MatchedTolerant"/> / true objects.</summary>
    public double RecallTolerant => TruthObjects == 0 ? (PredictedObjects == 0 ? 1 : 0) : (double)MatchedTolerant / TruthObjects;
    /// <summary>Matched / predicted.</summary>
    public double Precision => PredictedObjects == 0 ? (TruthObjects == 0 ? 1 : 0) : (double)Matched / PredictedObjects;
    /// <summary>Matched / true.</summary>
    public double Recall => TruthObjects == 0 ? (PredictedObjects == 0 ? 1 : 0) : (double)Matched / TruthObjects;
}
