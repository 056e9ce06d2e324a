using SxtSeg.Inference;

namespace SxtSeg.Evaluation;

/// <summary>What to evaluate.</summary>
public sealed record EvaluationRequest
{
    /// <summary>Predicted labels (non-zero = membrane; float maps thresholded at 0.5).</summary>
    public required string Prediction { get; init; }
    /// <summary>True labels.</summary>
    public required string Truth { get; init; }
    /// <summary>Tomogram for the threshold baselines (optional).</summary>
    public string? Tomogram { get; init; }
    /// <summary>Model for the image-decoder metrics (optional; needs the tomogram).</summary>
    public string? Model { get; init; }
    /// <summary>Boundary tolerance in voxels.</summary>
    public int Tolerance { get; init; } = 1;
    /// <summary>Post-processing applied to the baselines (as the prediction had).</summary>
    public SegmentOptions PostProcessing { get; init; } = new();
    /// <summary>Evaluate object matching (3D components) as well.</summary>
    public bool Objects { get; init; } = true;
    /// <summary>
    /// Ignore mask (non-zero = ignored: membranes a slice cannot show, <see cref="IgnoreRule"/>); the
    /// scores are then on visible membranes, with the all-membrane scores beside them.
    /// </summary>
    public string? Ignore { get; init; }
    /// <summary>
    /// Instance map of the truth (organelle ids) for <see cref="InstanceRecovery"/>; null = the
    /// simulation's <c>instances.mrc</c> beside a <c>membranes.mrc</c> truth, when there is one.
    /// </summary>
    public string? Instances { get; init; }

    /// <summary>The simulation's <c>instances.mrc</c> beside a <c>membranes.mrc</c> truth, or null.</summary>
    public static string? FindInstances(string truth) => BesideSimulationTruth(truth, "instances.mrc");

    /// <summary>The simulation's <c>truth.json</c> beside a <c>membranes.mrc</c> truth, or null.</summary>
    public static string? FindTruthObjects(string truth) => BesideSimulationTruth(truth, "truth.json");

    /// <summary>
    /// The ignore mask to use for <paramref name="truth"/>: <paramref name="explicitMask"/>, or the
    /// simulation's <c>ignore.mrc</c> beside a <c>membranes.mrc</c> truth unless <paramref name="none"/>.
    /// </summary>
    public static string? FindIgnore(string truth, string? explicitMask, bool none)
    {
        if (none) return null;
        return explicitMask ?? BesideSimulationTruth(truth, "ignore.mrc");
    }

    /// <summary>The simulation file <paramref name="name"/> beside a <c>membranes.mrc</c> truth, or null.</summary>
    private static string? BesideSimulationTruth(string truth, string name)
    {
        if (!string.Equals(Path.GetFileName(truth), "membranes.mrc", StringComparison.Ordinal)) return null;
        string candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(truth)) ?? ".", name);
        return File.Exists(candidate) ? candidate : null;
    }
}
