namespace SxtSeg.Inference;

/// <summary>The result of a batch run (or of collecting the rows of an array job's tasks).</summary>
/// <param name="Folder">The batch's output folder.</param>
/// <param name="Rows">One row per tomogram of the batch, in the order given.</param>
/// <param name="Ran">How many tomograms this run segmented or tried (its task's share).</param>
public sealed record BatchSummary(string Folder, IReadOnlyList<BatchRow> Rows, int Ran)
{
    /// <summary>Tomograms that failed.</summary>
    public int Failed => Rows.Count(r => r.Status == "failed");
    /// <summary>Tomograms not segmented yet (other tasks, or not finished).</summary>
    public int NotRun => Rows.Count(r => r.Status == "not run");
    /// <summary>The summary table's path.</summary>
    public string Table => Path.Combine(Folder, BatchFiles.Table);
}
