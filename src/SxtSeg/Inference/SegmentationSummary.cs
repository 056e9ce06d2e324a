using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>What a segmentation run did.</summary>
public sealed record SegmentationSummary
{
    /// <summary>Output folder.</summary>
    public required string Folder { get; init; }
    /// <summary>Slices predicted.</summary>
    public int Slices { get; init; }
    /// <summary>Membrane voxels in the final labels (0 for a shard).</summary>
    public long LabelledVoxels { get; init; }
    /// <summary>Voxels in the labelled volume.</summary>
    public long TotalVoxels { get; init; }
    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Total { get; init; }
    /// <summary>Time inside the network, summed over workers.</summary>
    public TimeSpan Network { get; init; }
    /// <summary>Number of workers.</summary>
    public int Workers { get; init; }
    /// <summary>Pixels predicted per second of wall time (all axes).</summary>
    public double MegapixelsPerSecond { get; init; }
    /// <summary>Files written (names inside the folder).</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();
    /// <summary>The contrast polarity used (null for a merge).</summary>
    public PolarityDecision? Polarity { get; init; }
    /// <summary>In-plane rescaling applied (tomogram voxel size / voxel size predicted at; 1 = none).</summary>
    public double Scale { get; init; } = 1;
    /// <summary>True when <see cref="Scale"/> was chosen by resolution (--resolution), not by voxel size.</summary>
    public bool ScaledByResolution { get; init; }
    /// <summary>The scale search (<see cref="ScaleDetector"/>); not detected when none was done.</summary>
    public ScaleDecision? ScaleSearch { get; init; }
    /// <summary>Membrane probability threshold used.</summary>
    public double Threshold { get; init; } = 0.5;
    /// <summary>Voxel size of the labels (nm; the tomogram's or --voxel-size), null when unknown.</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>The model that segmented (for a model with context on a single image or with fusion: its embedded one-slice model); null for a merge.</summary>
    public SidecarModel? Model { get; init; }
    /// <summary>Warnings given (voxel size mismatch...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The in-plane resampling for the network in words, or null when there was none (<see cref="Scale"/> 1):
    /// "shrunk to 0.42 × in x and y for the network (2.381 × coarser pixels; why)" or
    /// "enlarged to 1.41 × in x and y for the network (1.41 × finer pixels; why)". <see cref="Scale"/> is the
    /// factor the slices' width and height are multiplied by, so below 1 they were shrunk.
    /// </summary>
    public string? ResamplingText()
    {
        if (Math.Abs(Scale - 1) <= 1e-6) return null;
        string why = ScaledByResolution ? "the resolution spans more or fewer pixels than in the model's training data"
            : ScaleSearch is { Detected: true } ss && Math.Abs(ss.Factor - 1) > 1e-9 ? "the model finds membranes best at this scale: scale_search in segment.json"
            : "voxel size outside the model's range";
        return Scale < 1
            ? string.Create(CultureInfo.InvariantCulture, $"shrunk to {Scale:0.###} × in x and y for the network ({1 / Scale:0.###} × coarser pixels; {why})")
            : string.Create(CultureInfo.InvariantCulture, $"enlarged to {Scale:0.###} × in x and y for the network ({Scale:0.###} × finer pixels; {why})");
    }
}
