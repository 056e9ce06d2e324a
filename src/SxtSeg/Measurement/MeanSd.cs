namespace SxtSeg.Measurement;

/// <summary>Mean and sample standard deviation of a quantity over several values.</summary>
/// <param name="Mean">Mean (NaN when there are no values).</param>
/// <param name="Sd">Sample standard deviation (n − 1; NaN with fewer than two values).</param>
/// <param name="N">Number of values.</param>
public readonly record struct MeanSd(double Mean, double Sd, int N)
{
    /// <summary>Mean and SD of the values (NaN values skipped).</summary>
    public static MeanSd Of(IEnumerable<double> values)
    {
        var w = new Welford();
        foreach (double v in values) if (!double.IsNaN(v)) w.Add(v);
        return w.Result;
    }
}
