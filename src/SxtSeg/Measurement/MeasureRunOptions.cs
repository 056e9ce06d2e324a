namespace SxtSeg.Measurement;

/// <summary>Settings of a measurement run (<c>sxtseg measure</c>, the demo's measurements).</summary>
public sealed record MeasureRunOptions
{
    /// <summary>Filters and surface smoothing.</summary>
    public MeasureOptions Measure { get; init; } = new();
    /// <summary>Title of the summary table.</summary>
    public string Title { get; init; } = "Morphometrics";
    /// <summary>Write the per-slice table (slices.csv).</summary>
    public bool Slices { get; init; } = true;
    /// <summary>A simulation's truth: compare each object with it (truth_comparison.csv/.md); null: no comparison.</summary>
    public IReadOnlyList<TruthObject>? Truth { get; init; }

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> keyed by the property name of <see cref="MeasureOptions"/>.</summary>
    public void Validate() => Measure.Validate();

    /// <summary>Records the settings in <paramref name="provenance"/> (exclude_border, smooth).</summary>
    public Provenance Record(Provenance provenance) => provenance.Set("exclude_border", Measure.ExcludeBorder).Set("smooth", Measure.SurfaceSmoothing);
}
