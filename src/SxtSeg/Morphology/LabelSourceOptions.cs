using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>How a label file is turned into objects (shared by components, measure, mesh, render and the demo).</summary>
public sealed record LabelSourceOptions
{
    /// <summary>Voxel size overriding the file's (nm).</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>Each non-zero value is an object id (instance map): no connected components.</summary>
    public bool Instances { get; init; }
    /// <summary>Every non-zero voxel is foreground.</summary>
    public bool NonZero { get; init; }
    /// <summary>Only voxels equal to this value are foreground.</summary>
    public double? Select { get; init; }
    /// <summary>Voxels above this value are foreground.</summary>
    public double? Threshold { get; init; }
    /// <summary>Neighbourhood joining objects.</summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;
    /// <summary>Remove objects with fewer voxels.</summary>
    public long? MinVoxels { get; init; }
    /// <summary>Remove objects below this volume (nm³).</summary>
    public double? MinVolumeNm3 { get; init; }
    /// <summary>Remove objects with more voxels.</summary>
    public long? MaxVoxels { get; init; }

    /// <summary>
    /// Remove objects larger than this volume in nm³ (needs the voxel size; combined with
    /// <see cref="MaxVoxels"/> by taking the smaller): drops a filled cell body or a merged mass
    /// that no organelle could be.
    /// </summary>
    public double? MaxVolumeNm3 { get; init; }
    /// <summary>"none", "3d" (enclosed cavities) or "2d" (per slice).</summary>
    public string FillHoles { get; init; } = "none";
    /// <summary>Closing steps before filling.</summary>
    public int Close { get; init; }
    /// <summary>Erosion steps after filling.</summary>
    public int Erode { get; init; }
    /// <summary>Dilation steps after erosion.</summary>
    public int Dilate { get; init; }
    /// <summary>Separate touching objects by watershed with this minimum neck depth (nm); loads the labels in memory.</summary>
    public double? SplitTouchingNm { get; init; }

    /// <summary>Most closing, erosion or dilation steps (each holds a few slices in memory and is one pass over the volume).</summary>
    public const int MaxSteps = 50;

    /// <summary>Key of a setting error about the way the labels are read (<see cref="Instances"/>, <see cref="NonZero"/>, <see cref="Select"/>, <see cref="Threshold"/>: at most one).</summary>
    public const string ModeKey = "Mode";

    /// <summary>Key of a setting error about the morphology steps together (<see cref="Close"/>, <see cref="Erode"/>, <see cref="Dilate"/>).</summary>
    public const string StepsKey = "Steps";

    /// <summary>Largest --split-touching depth (nm).</summary>
    public const double MaxSplitDepthNm = 1e6;

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/>.</summary>
    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (VoxelSize is { IsPlausible: false } vs) throw new InvalidOptionException(nameof(VoxelSize), $"voxel size must be {Volumes.VoxelSize.RangeText} on every axis, got {vs}");
        if (Select is { } sel && !double.IsFinite(sel)) throw new InvalidOptionException(nameof(Select), $"must be a finite number, got {F(sel)}");
        if (Threshold is { } th && !double.IsFinite(th)) throw new InvalidOptionException(nameof(Threshold), $"must be a finite number, got {F(th)}");
        if (MinVoxels is < 0) throw new InvalidOptionException(nameof(MinVoxels), "must be ≥ 0");
        if (MaxVoxels is < 1) throw new InvalidOptionException(nameof(MaxVoxels), "must be ≥ 1");
        if (MinVolumeNm3 is { } mv && !(mv >= 0 && double.IsFinite(mv))) throw new InvalidOptionException(nameof(MinVolumeNm3), $"must be a finite number ≥ 0 nm³, got {F(mv)}");
        if (MaxVolumeNm3 is { } xv && !(xv > 0 && double.IsFinite(xv))) throw new InvalidOptionException(nameof(MaxVolumeNm3), $"must be a finite number > 0 nm³, got {F(xv)}");
        foreach (var (name, steps) in new[] { (nameof(Close), Close), (nameof(Erode), Erode), (nameof(Dilate), Dilate) })
            if (steps < 0 || steps > MaxSteps) throw new InvalidOptionException(name, $"must be 0..{MaxSteps} steps, got {steps}");
        if (SplitTouchingNm is { } d && !(d > 0 && d <= MaxSplitDepthNm)) throw new InvalidOptionException(nameof(SplitTouchingNm), $"must be a depth in (0, {MaxSplitDepthNm:0}] nm, got {F(d)}");
    }
}
