namespace SxtSeg.Training;

/// <summary>
/// A training run's output folder as both recipes open it: with resume, its checkpoint (refused when
/// missing); without, a folder that must not already hold a run. What a resumed run takes from the
/// checkpoint is each recipe's own rule.
/// </summary>
internal static class TrainingRunFolder
{
    /// <summary>The folder's full path, its checkpoint's path, and when resuming the checkpoint with its sections.</summary>
    public static (string OutputFolder, string CheckpointPath, TrainingCheckpoint? Resumed, Dictionary<string, byte[]>? Sections) Open(TrainingRequest request)
    {
        string outDir = Path.GetFullPath(request.OutputFolder);
        string checkpointPath = Path.Combine(outDir, TrainingCheckpoint.FileName);
        if (request.Resume)
        {
            if (!File.Exists(checkpointPath))
                throw new InvalidInputException(outDir, $"has no {TrainingCheckpoint.FileName} to resume (start a new run without --resume)");
            var (resumed, sections) = TrainingCheckpoint.Read(checkpointPath);
            return (outDir, checkpointPath, resumed, sections);
        }
        if (File.Exists(checkpointPath) || File.Exists(Path.Combine(outDir, SemiSupervisedTrainer.BestModelFileName)))
            throw new OutputException(outDir, "already holds a training run; add --resume to continue it, or choose another --out");
        return (outDir, checkpointPath, null, null);
    }
}
