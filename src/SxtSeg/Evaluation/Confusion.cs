namespace SxtSeg.Evaluation;

/// <summary>Voxel counts of a binary comparison and the scores derived from them.</summary>
/// <param name="TruePositives">Labelled in both.</param>
/// <param name="FalsePositives">Labelled in the prediction only.</param>
/// <param name="FalseNegatives">Labelled in the truth only.</param>
/// <param name="TrueNegatives">Labelled in neither.</param>
public readonly record struct Confusion(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>TP / (TP + FP); 1 when nothing was predicted and nothing is true, 0 when only the truth has labels.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives, FalseNegatives == 0);

    /// <summary>TP / (TP + FN).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives, FalsePositives == 0);

    /// <summary>F1 = Dice = 2TP / (2TP + FP + FN).</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives, true);

    /// <summary>IoU = TP / (TP + FP + FN).</summary>
    public double IoU => Ratio(TruePositives, TruePositives + FalsePositives + FalseNegatives, true);

    /// <summary>(TP + TN) / all.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, TruePositives + TrueNegatives + FalsePositives + FalseNegatives, true);

    /// <summary>All voxels.</summary>
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>Sum of two counts.</summary>
    public static Confusion operator +(Confusion a, Confusion b)
        => new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    private static double Ratio(long num, long den, bool emptyIsPerfect) => den == 0 ? (emptyIsPerfect ? 1 : 0) : (double)num / den;
}

/// <summary>
/// Scores with a boundary tolerance of k voxels (membranes are 1–3 voxels thick, so exact overlap
/// under-rates them): a predicted voxel counts as correct when a true voxel lies within Euclidean
/// distance k (in voxels, 3D), and a true voxel counts as found when a predicted one lies within k.
/// </summary>
/// <param name="Tolerance">k in voxels.</param>
/// <param name="Predicted">Predicted voxels.</param>
/// <param name="PredictedNearTruth">Predicted voxels within k of a true voxel.</param>
/// <param name="Truth">True voxels.</param>
/// <param name="TruthNearPrediction">True voxels within k of a predicted voxel.</param>
public readonly record struct TolerantScore(int Tolerance, long Predicted, long PredictedNearTruth, long Truth, long TruthNearPrediction)
{
    /// <summary>Fraction of predicted voxels near the truth.</summary>
    public double Precision => Predicted == 0 ? (Truth == 0 ? 1 : 0) : (double)PredictedNearTruth / Predicted;

    /// <summary>Fraction of true voxels near a prediction.</summary>
    public double Recall => Truth == 0 ? (Predicted == 0 ? 1 : 0) : (double)TruthNearPrediction / Truth;

    /// <summary>Harmonic mean of the two.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>False positives as a percentage of true (labelled) voxels: predicted voxels farther than k from any true voxel, over the true count.</summary>
    public double FalsePositivePercentOfTruth => Truth == 0 ? 0 : 100.0 * (Predicted - PredictedNearTruth) / Truth;

    /// <summary>Paper-style percentages with tolerance: found truth, missed truth and stray predictions over their sum.</summary>
    public (double TruePositive, double FalseNegative, double FalsePositive) PaperPercents
    {
        get
        {
            double tp = TruthNearPrediction, fn = Truth - TruthNearPrediction, fp = Predicted - PredictedNearTruth;
            double all = tp + fn + fp;
            return all == 0 ? (double.NaN, double.NaN, double.NaN) : (100 * tp / all, 100 * fn / all, 100 * fp / all);
        }
    }

    /// <summary>Sum of two partial scores with the same tolerance.</summary>
    public static TolerantScore operator +(TolerantScore a, TolerantScore b)
        => new(a.Tolerance, a.Predicted + b.Predicted, a.PredictedNearTruth + b.PredictedNearTruth, a.Truth + b.Truth, a.TruthNearPrediction + b.TruthNearPrediction);
}

/// <summary>
/// One slice in the paper's protocol: true positives, false negatives and false positives as
/// percentages of all labelled pixels of the slice (pixels labelled in either), so that they sum
/// to 100 % (Deep-SXT reports 69.8 / 27.7 / 1.3 %, plus 1.2 % artifacts).
/// </summary>
/// <param name="Z">Slice index.</param>
/// <param name="Counts">Pixel counts of the slice (exact overlap).</param>
/// <param name="Tolerant">The slice's counts with the boundary tolerance.</param>
public readonly record struct SliceScore(int Z, Confusion Counts, TolerantScore Tolerant)
{
    /// <summary>Labelled pixels (in either).</summary>
    public long Labelled => Counts.TruePositives + Counts.FalsePositives + Counts.FalseNegatives;

    /// <summary>TP as % of labelled pixels.</summary>
    public double TruePositivePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.TruePositives / Labelled;

    /// <summary>FN as % of labelled pixels.</summary>
    public double FalseNegativePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.FalseNegatives / Labelled;

    /// <summary>FP as % of labelled pixels.</summary>
    public double FalsePositivePercent => Labelled == 0 ? double.NaN : 100.0 * Counts.FalsePositives / Labelled;
}
