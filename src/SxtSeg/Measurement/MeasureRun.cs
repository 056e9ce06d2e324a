using System.Text;
using System.Text.Json;
using SxtSeg.Morphology;

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

/// <summary>What a measurement run found.</summary>
/// <param name="Measured">Every kept object's measures.</param>
/// <param name="TruthMatches">Each simulated object with its measurement (with a truth only).</param>
/// <param name="TruthSummary">The comparison as Markdown, as written to truth_comparison.md (with a truth only).</param>
public sealed record MeasureRunResult(MeasurementResult Measured, IReadOnlyList<TruthMatch>? TruthMatches, string? TruthSummary);

/// <summary>
/// The measurement pipeline: every object measured (3D and per slice) → objects.csv, slices.csv,
/// summary.csv, summary.md, measure.json and, against a simulation's truth, truth_comparison.csv/.md.
/// </summary>
public static class MeasureRun
{
    /// <summary>Measures <paramref name="labels"/> (read as <paramref name="description"/> says) into <paramref name="folder"/> (the caller commits it).</summary>
    public static MeasureRunResult Run(ILabelStream labels, string description, OutputFolder folder, MeasureRunOptions options, Provenance provenance,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        MeasurementResult result;
        StreamWriter? slices = null;
        try
        {
            if (options.Slices)
            {
                slices = new StreamWriter(folder.File("slices.csv"), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
                slices.Write(MeasurementTables.SliceCsvHeader());
            }
            var sink = slices is null ? null : new Action<SliceMeasurement>(s => slices.Write(MeasurementTables.SliceRow(s) + "\n"));
            result = ObjectMeasurer.Measure(labels, options.Measure, sink, progress: progress, cancellation: cancel);
        }
        finally
        {
            slices?.Dispose();
        }
        AtomicFile.WriteAllText(folder.File("objects.csv"), MeasurementTables.ObjectsCsv(result));
        AtomicFile.WriteAllText(folder.File("summary.csv"), MeasurementTables.SummaryCsv(result));
        AtomicFile.WriteAllText(folder.File("summary.md"), MeasurementTables.SummaryMarkdown(result, options.Title));
        var json = MeasurementTables.Sidecar(result, provenance, description, slicesWritten: options.Slices, truthCompared: options.Truth is not null);
        AtomicFile.WriteAllText(folder.File("measure.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (options.Truth is null) return new MeasureRunResult(result, null, null);
        var matches = TruthComparison.Match(options.Truth, result);
        string summary = TruthComparison.Markdown(matches);
        AtomicFile.WriteAllText(folder.File("truth_comparison.csv"), TruthComparison.Csv(matches));
        AtomicFile.WriteAllText(folder.File("truth_comparison.md"), summary);
        return new MeasureRunResult(result, matches, summary);
    }
}
