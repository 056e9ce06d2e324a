using System.Globalization;

namespace SxtSeg.Morphology;

/// <summary>A rule turning label-file values into a binary mask.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Value">Threshold or selected value (unused for <see cref="ForegroundMode.Binary"/> and <see cref="ForegroundMode.NonZero"/>).</param>
public sealed record ForegroundRule(ForegroundMode Mode, double Value = 0)
{
    /// <summary>The default: binary masks (0 and one other value, such as 0/1 or 0/255 from MIB or Fiji).</summary>
    public static ForegroundRule Binary { get; } = new(ForegroundMode.Binary);

    /// <summary>Every non-zero voxel is foreground.</summary>
    public static ForegroundRule NonZero { get; } = new(ForegroundMode.NonZero);

    /// <summary>Values above <paramref name="t"/> are foreground.</summary>
    public static ForegroundRule Above(double t) => new(ForegroundMode.Threshold, t);

    /// <summary>Values equal to <paramref name="v"/> are foreground.</summary>
    public static ForegroundRule Equal(double v) => new(ForegroundMode.Select, v);

    /// <summary>One line describing the rule, for provenance and messages.</summary>
    public string Describe() => Mode switch
    {
        ForegroundMode.Binary => "binary mask: 0 = background, the other value = foreground",
        ForegroundMode.NonZero => "every non-zero voxel is foreground",
        ForegroundMode.Threshold => string.Create(CultureInfo.InvariantCulture, $"voxels > {Value} are foreground"),
        _ => string.Create(CultureInfo.InvariantCulture, $"voxels = {Value} are foreground"),
    };

    /// <summary>Short form for provenance ("binary", "nonzero", "threshold:0.5", "select:2").</summary>
    public override string ToString() => Mode switch
    {
        ForegroundMode.Binary => "binary",
        ForegroundMode.NonZero => "nonzero",
        ForegroundMode.Threshold => string.Create(CultureInfo.InvariantCulture, $"threshold:{Value}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"select:{Value}"),
    };
}
