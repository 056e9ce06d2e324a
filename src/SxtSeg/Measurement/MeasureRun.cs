using System.Text;
using System.Text.Json;
using SxtSeg.Morphology;

namespace SxtSeg.Measurement;

/// <summary>
/// The measurement pipeline: every object measured (3D and per slice) → objects.csv, slices.csv,
/// summary.csv, summary.md, measure.json and, against a simulation's truth, truth_comparison.csv/.md.
/// </summary>
public static class MeasureRun
{
    /// <summary>
    /// Measures <paramref name="labels"/> (read as <paramref name="description"/> says) into <paramref name="folder"/> (the caller commits it).
    /// <paramref name="removedBySize"/>: objects the label stream's own size filters already dropped
    /// (<see cref="OpenedLabels.RemovedBySize"/>), counted with those the measurement leaves out by size.
    /// </summary>
    public static MeasureRunResult Run(ILabelStream labels, string description, OutputFolder folder, MeasureRunOptions options, Provenance provenance,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default, int removedBySize = 0)
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
            result = ObjectMeasurer.Measure(labels, options.Measure, sink, progress: progress, cancellation: cancel).WithMoreExcludedBySize(removedBySize);
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
