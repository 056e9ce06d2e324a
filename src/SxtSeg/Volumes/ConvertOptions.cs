using System.Globalization;

namespace SxtSeg.Volumes;

/// <summary>Options for <see cref="VolumeConverter.Convert"/>.</summary>
public sealed record ConvertOptions
{
    /// <summary>Output element type (null: same as input).</summary>
    public VoxelType? Type { get; init; }
    /// <summary>Value mapping.</summary>
    public ScaleMode Scale { get; init; } = ScaleMode.Auto;
    /// <summary>Input range for <see cref="ScaleMode.Range"/>.</summary>
    public (double Low, double High)? Range { get; init; }
    /// <summary>Voxel size to write instead of the input's.</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>Reverse row order (y) in each slice, as IMOD's mrc2tif/tif2mrc do.</summary>
    public bool FlipY { get; init; }
    /// <summary>Compression of TIFF output.</summary>
    public TiffCompression TiffCompression { get; init; } = TiffCompression.None;

    /// <summary>Parses "LOW:HIGH" (finite numbers, HIGH > LOW).</summary>
    public static (double, double) ParseRange(string s)
    {
        var p = s.Split(':');
        if (p.Length == 2 && double.TryParse(p[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && b > a
            && double.IsFinite(a) && double.IsFinite(b) && double.IsFinite(b - a))
            return (a, b);
        throw new InvalidOptionException(nameof(Range), $"'{s}' is not LOW:HIGH with finite numbers and HIGH > LOW");
    }

    /// <summary>
    /// Refuses options that would be ignored: <see cref="Range"/> without <see cref="ScaleMode.Range"/>,
    /// a range mode without a range, compression for an MRC output, an implausible voxel size.
    /// </summary>
    public void Validate(string outputPath)
    {
        if (Range is not null && Scale != ScaleMode.Range)
            throw new InvalidOptionException(nameof(Range), $"is used only with --scale range (the scale is {Scale.ToString().ToLowerInvariant()}); add --scale range or leave --range out");
        if (Scale == ScaleMode.Range && Range is null) throw new InvalidOptionException(nameof(Range), "give LOW:HIGH with --scale range");
        if (TiffCompression != TiffCompression.None && VolumeIO.FormatOf(outputPath) == VolumeFormat.Mrc)
            throw new InvalidOptionException(nameof(TiffCompression), "applies to TIFF output only; MRC files are always written uncompressed");
        if (VoxelSize is { IsPlausible: false } v) throw new InvalidOptionException(nameof(VoxelSize), $"voxel size must be {Volumes.VoxelSize.RangeText} on every axis, got {v}");
    }
}
