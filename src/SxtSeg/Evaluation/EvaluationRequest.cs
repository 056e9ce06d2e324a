using SxtSeg.Inference;
using SxtSeg.Volumes;

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
    /// <summary>
    /// The slices [First, First + Count) of the truth (and of the ignore mask, instance map and
    /// tomogram) that the prediction holds, e.g. a <c>segment --slices</c> sub-volume
    /// (<see cref="SegmentationSidecar.SubVolumeOfTomogram"/>); null = the prediction covers the truth.
    /// </summary>
    public (int First, int Count)? TruthSlices { get; init; }

    /// <summary>
    /// The truth slices a prediction holds: <paramref name="given"/>, or, when the prediction is a
    /// <c>segment --slices</c> sub-volume (its <c>segment.json</c> says so) and the truth has more
    /// slices than it, the sub-volume's slices; otherwise null (the prediction covers the truth, or the
    /// truth was cut to it already).
    /// </summary>
    public static (int First, int Count)? ResolveTruthSlices(string prediction, string truth, (int First, int Count)? given)
    {
        if (given is not null) return given;
        if (SegmentationSidecar.SubVolumeBeside(prediction) is not { } sub) return null;
        using var p = VolumeIO.OpenRead(prediction);
        using var t = VolumeIO.OpenRead(truth);
        return t.Info.Nz != p.Info.Nz && p.Info.Nz == sub.Count ? sub : null;
    }

    /// <summary>
    /// Opens a volume on the truth's side (truth, ignore mask, instance map, tomogram): the slices of
    /// <see cref="TruthSlices"/> when set (a clear error when it has fewer), otherwise the whole file.
    /// </summary>
    public IVolumeReader OpenTruthSide(string path)
    {
        var reader = VolumeIO.OpenRead(path);
        if (TruthSlices is not { } s) return reader;
        if (s.First < 0 || s.Count < 1 || s.First + s.Count > reader.Info.Nz)
        {
            int nz = reader.Info.Nz;
            reader.Dispose();
            throw new InvalidInputException(path, $"has {nz} slices, so it holds no slices {s.First}-{s.First + s.Count - 1} to compare with the prediction");
        }
        return new SubVolumeReader(reader, s.First, s.Count, ownsInner: true);
    }

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
