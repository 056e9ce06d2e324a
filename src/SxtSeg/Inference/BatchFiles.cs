namespace SxtSeg.Inference;

/// <summary>File names of a batch's output folder.</summary>
public static class BatchFiles
{
    /// <summary>The summary table, one row per tomogram.</summary>
    public const string Table = "batch.csv";
    /// <summary>The list of tomograms and output names of the batch (with provenance).</summary>
    public const string Manifest = "batch.json";
    /// <summary>Folder of one status file per tomogram (NAME.json), written as each finishes or fails.</summary>
    public const string StatusFolder = "batch-status";
}
