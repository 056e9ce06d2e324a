using SxtSeg.Network;

namespace SxtSeg.Training;

/// <summary>An unannotated slice, read from its file when used (tomograms are never held whole).</summary>
public sealed class UnannotatedSlice
{
    internal UnannotatedSlice(int source, int z, ImageArea area, SliceStatistics statistics, float min, float max)
    {
        SourceIndex = source; Z = z; Area = area; Statistics = statistics; Min = min; Max = max;
    }

    /// <summary>Index of the source file in <see cref="TrainingData.Sources"/>.</summary>
    public int SourceIndex { get; }

    /// <summary>Slice index.</summary>
    public int Z { get; }

    /// <summary>Real image area.</summary>
    public ImageArea Area { get; }

    /// <summary>Raw statistics that define its z-score.</summary>
    public SliceStatistics Statistics { get; }

    /// <summary>Smallest normalised value inside the area.</summary>
    public float Min { get; }

    /// <summary>Largest normalised value inside the area.</summary>
    public float Max { get; }
}
