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
