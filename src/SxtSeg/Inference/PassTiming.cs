namespace SxtSeg.Inference;

/// <summary>Time spent in one prediction pass.</summary>
/// <param name="Total">Wall time of the pass.</param>
/// <param name="Network">Time inside the tile predictor.</param>
/// <param name="Planes">Planes predicted.</param>
/// <param name="Pixels">Pixels predicted (without augmentation copies).</param>
/// <param name="NetworkPixels">Pixels given to the network (tile areas: padding, overlaps and augmented copies included).</param>
public readonly record struct PassTiming(TimeSpan Total, TimeSpan Network, long Planes, long Pixels, long NetworkPixels = 0)
{
    /// <summary>Sum of two timings.</summary>
    public static PassTiming operator +(PassTiming a, PassTiming b) => new(a.Total + b.Total, a.Network + b.Network, a.Planes + b.Planes, a.Pixels + b.Pixels, a.NetworkPixels + b.NetworkPixels);
}
