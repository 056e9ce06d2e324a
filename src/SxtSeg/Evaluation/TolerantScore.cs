namespace SxtSeg.Evaluation;

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
