namespace SxtSeg.Measurement.Filopodia;

/// <summary>Detection and measurement accuracy against a simulation's truth.</summary>
/// <param name="Matches">One row per truth filopodium in the field of view.</param>
/// <param name="Detections">Detections in the summary.</param>
/// <param name="TruePositives">Detections in the summary matched to a truth filopodium (the majority of their voxels inside it).</param>
public sealed record FilopodiaAccuracy(IReadOnlyList<FilopodiumMatch> Matches, int Detections, int TruePositives)
{
    /// <summary>Scored truth filopodia (not cut by the field of view, analytically or in their voxels).</summary>
    public int TruthCount => Matches.Count(m => m.Scored);

    /// <summary>Scored truth filopodia that were found.</summary>
    public int Found => Matches.Count(m => m.Scored && m.Found is not null);

    /// <summary>Found / truth.</summary>
    public double Recall => TruthCount == 0 ? double.NaN : (double)Found / TruthCount;

    /// <summary>True positives / detections.</summary>
    public double Precision => Detections == 0 ? double.NaN : (double)TruePositives / Detections;

    /// <summary>Median of |error| over the found, scored filopodia.</summary>
    public double MedianAbs(Func<FilopodiumMatch, double> error)
    {
        var v = Matches.Where(m => m.Scored && m.Found is not null).Select(error).Where(double.IsFinite).Select(Math.Abs).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}
