namespace SxtSeg.Volumes;

/// <summary>How values are mapped when converting to another element type.</summary>
public enum ScaleMode
{
    /// <summary>Keep values if the target type can hold the source's range, otherwise <see cref="MinMax"/>.</summary>
    Auto,
    /// <summary>Keep values (round and saturate).</summary>
    None,
    /// <summary>Map the volume's [min, max] onto the target type's full range.</summary>
    MinMax,
    /// <summary>Map the volume's [0.5 %, 99.5 %] percentiles onto the target's full range, clipping outside.</summary>
    Percentile,
    /// <summary>Map a given [low, high] onto the target's full range.</summary>
    Range,
}
