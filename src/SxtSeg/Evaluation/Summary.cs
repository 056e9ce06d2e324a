namespace SxtSeg.Evaluation;

/// <summary>Mean ± SD (sample SD) and n of the finite values.</summary>
public readonly record struct Summary(double Mean, double Sd, int N)
{
    /// <summary>Summarises the finite values.</summary>
    public static Summary Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new Summary(double.NaN, double.NaN, 0);
        double m = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1)) : 0;
        return new Summary(m, sd, v.Length);
    }

    /// <summary>"69.8 ± 4.1".</summary>
    public string Format(string number = "0.0")
        => double.IsNaN(Mean) ? "n/a" : $"{Mean.ToString(number, System.Globalization.CultureInfo.InvariantCulture)} ± {Sd.ToString(number, System.Globalization.CultureInfo.InvariantCulture)}";
}
