namespace SxtSeg;

/// <summary>Helpers for optional progress sinks.</summary>
public static class ProgressExtensions
{
    /// <summary>Reports if a sink is present.</summary>
    public static void Report(this IProgress<ProgressUpdate>? progress, string stage, long done, long total, string unit = "items")
        => progress?.Report(new ProgressUpdate(stage, done, total, unit));
}
