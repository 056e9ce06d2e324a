namespace SxtSeg.Training;

/// <summary>The crop augmentations of a training run (recorded in the model card).</summary>
/// <param name="Appearance">Blur, noise and contrast changes (<see cref="CropSampler.Augment"/>).</param>
/// <param name="Strong">The stronger appearance ranges and shading (<see cref="CropSampler.Strong"/>); implies <paramref name="Appearance"/>.</param>
/// <param name="ScaleMin">Smallest source pixels per crop pixel (1 = no rescaling).</param>
/// <param name="ScaleMax">Largest source pixels per crop pixel.</param>
/// <param name="RescaleProbability">Fraction of the draws that are rescaled (the others keep the source's pixel size).</param>
public sealed record CropAugmentation(bool Appearance, bool Strong, double ScaleMin, double ScaleMax, double RescaleProbability = 0.5)
{
    /// <summary>Key of the errors of the scale range (<see cref="InvalidOptionException.Option"/>): its <c>MIN-MAX</c> text, <see cref="ScaleMin"/> and <see cref="ScaleMax"/>.</summary>
    public const string ScaleRangeKey = "ScaleRange";

    /// <summary>Parses a scale range "MIN-MAX" (e.g. "0.5-2.5"; "off" or null = none); throws for anything else or a range outside 0.25–4 that excludes 1.</summary>
    public static (double Min, double Max)? ParseScaleRange(string? text)
    {
        if (text is null || text.Trim().Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, inv, out double lo) || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, inv, out double hi))
            throw new InvalidOptionException(ScaleRangeKey, $"'{text}' is not a range MIN-MAX such as 0.5-2.5");
        new CropAugmentation(true, false, lo, hi).Validate();
        return (lo, hi);
    }

    /// <summary>Checks the scale range (0.25 ≤ min ≤ max ≤ 4) and the probability (0–1).</summary>
    public void Validate()
    {
        if (!(ScaleMin >= 0.25 && ScaleMin <= ScaleMax && ScaleMax <= 4))
            throw new InvalidOptionException(ScaleRangeKey, $"the range {ScaleMin.ToString(System.Globalization.CultureInfo.InvariantCulture)}–{ScaleMax.ToString(System.Globalization.CultureInfo.InvariantCulture)} must lie in 0.25–4, smallest first");
        if (!(RescaleProbability >= 0 && RescaleProbability <= 1))
            throw new InvalidOptionException(ScaleRangeKey, "the fraction of rescaled crops must be 0–1");
    }
}
