namespace SxtSeg.Imaging;

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure red, the default label overlay.</summary>
    public static Rgb Red => new(255, 0, 0);

    /// <summary>Key of a setting error about a colour (<see cref="Parse"/>).</summary>
    public const string ColorKey = "Color";

    /// <summary>Parses "red", "green", "blue", "yellow", "cyan", "magenta" or "#rrggbb"; a setting error names <paramref name="option"/>.</summary>
    public static Rgb Parse(string s, string option = ColorKey)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "red": return new(255, 0, 0);
            case "green": return new(0, 255, 0);
            case "blue": return new(40, 120, 255);
            case "yellow": return new(255, 230, 0);
            case "cyan": return new(0, 230, 255);
            case "magenta": return new(255, 0, 255);
        }
        string h = s.TrimStart('#');
        if (h.Length == 6 && int.TryParse(h, System.Globalization.NumberStyles.HexNumber, null, out int v))
            return new((byte)(v >> 16), (byte)(v >> 8), (byte)v);
        throw new InvalidOptionException(option, $"'{s}' is not a colour (use red, green, blue, yellow, cyan, magenta or #rrggbb)");
    }
}
