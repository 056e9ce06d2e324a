using System.Globalization;

namespace SxtSeg.Volumes;

/// <summary>ImageJ's description block ("ImageJ=1.53t\nimages=10\nunit=nm\n...").</summary>
public sealed class ImageJDescription
{
    /// <summary>All key=value pairs in order of appearance.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses a description; returns null unless it starts with "ImageJ=".</summary>
    public static ImageJDescription? TryParse(string? text)
    {
        if (text is null || !text.StartsWith("ImageJ=", StringComparison.Ordinal)) return null;
        var d = new ImageJDescription();
        foreach (string line in text.Split('\n'))
        {
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            d.Values[line[..eq].Trim()] = Unescape(line[(eq + 1)..].Trim().TrimEnd('\0'));
        }
        return d;
    }

    /// <summary>
    /// ImageJ writes characters outside ASCII as Java escapes ("unit=\u00B5m" for µm, FileSaver's
    /// appendEscapedLine): turns every \uXXXX back into its character.
    /// </summary>
    internal static string Unescape(string value)
    {
        if (!value.Contains("\\u", StringComparison.Ordinal)) return value;
        var sb = new System.Text.StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 5 < value.Length && value[i + 1] == 'u'
                && int.TryParse(value.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
            {
                sb.Append((char)code);
                i += 5;
            }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }

    /// <summary>An integer value or null.</summary>
    public int? Int(string key) => Values.TryGetValue(key, out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

    /// <summary>A floating-point value or null.</summary>
    public double? Double(string key) => Values.TryGetValue(key, out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;

    /// <summary>Nanometres per ImageJ unit name ("nm", "micron", "µm", "um", "mm", "Å"...); null when unknown.</summary>
    public static double? NmPerUnit(string? unit) => unit?.Trim().ToLowerInvariant() switch
    {
        "nm" or "nanometer" or "nanometre" => 1,
        "micron" or "microns" or "um" or "µm" or "\u03bcm" or "micrometer" or "micrometre" => 1000,
        "mm" or "millimeter" => 1e6,
        "cm" => 1e7,
        "m" or "meter" => 1e9,
        "a" or "å" or "angstrom" or "\u00c5" or "\u212b" => 0.1,
        "pm" => 0.001,
        "inch" => 2.54e7,
        _ => null,
    };
}
