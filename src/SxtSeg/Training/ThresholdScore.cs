namespace SxtSeg.Training;

/// <summary>Scores of a network on the validation slices, pooled over them, at one threshold.</summary>
/// <param name="Threshold">Probability threshold.</param>
/// <param name="Predicted">Predicted membrane pixels (annotated, not ignored).</param>
/// <param name="PredictedNearTruth">Of those, pixels within 1 pixel (in the slice) of a true membrane pixel.</param>
/// <param name="Truth">True membrane pixels (annotated, not ignored).</param>
/// <param name="TruthNearPrediction">Of those, pixels within 1 pixel of a predicted one.</param>
public readonly record struct ThresholdScore(double Threshold, long Predicted, long PredictedNearTruth, long Truth, long TruthNearPrediction)
{
    /// <summary>Tolerant precision.</summary>
    public double Precision => Predicted > 0 ? (double)PredictedNearTruth / Predicted : double.NaN;

    /// <summary>Tolerant recall.</summary>
    public double Recall => Truth > 0 ? (double)TruthNearPrediction / Truth : double.NaN;

    /// <summary>Tolerant F1 (0 when nothing is predicted or there is no truth).</summary>
    public double F1 => Precision + Recall is var s && s > 0 && double.IsFinite(s) ? 2 * Precision * Recall / s : 0;

    internal ThresholdScore Add(long p, long pn, long t, long tn) => this with
    {
        Predicted = Predicted + p, PredictedNearTruth = PredictedNearTruth + pn, Truth = Truth + t, TruthNearPrediction = TruthNearPrediction + tn,
    };
}
