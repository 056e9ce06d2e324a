using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SxtSeg.Cli;

/// <summary>
/// One way to read the numbers of every numeric option: invariant culture, a point for decimals,
/// no thousands separators. System.CommandLine's own conversion reads "0,5" as 5 (the comma taken as
/// a thousands separator: <c>--low 1,5</c> stretched from the 15th percentile without a word) and
/// reports a bad number with .NET type names ("as expected type 'System.Nullable`1[System.Int32]'").
/// </summary>
internal static class NumberOptions
{
    /// <summary>Gives every numeric option below <paramref name="command"/> (without a parser of its own) this parser.</summary>
    public static void Install(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<double> o when o.CustomParser is null: o.CustomParser = r => Real(r) ?? 0; break;
                case Option<double?> o when o.CustomParser is null: o.CustomParser = Real; break;
                case Option<float> o when o.CustomParser is null: o.CustomParser = r => (float)(Real(r) ?? 0); break;
                case Option<float?> o when o.CustomParser is null: o.CustomParser = r => Real(r) is double v ? (float)v : null; break;
                case Option<int> o when o.CustomParser is null: o.CustomParser = r => (int)(Whole(r, int.MinValue, int.MaxValue) ?? 0); break;
                case Option<int?> o when o.CustomParser is null: o.CustomParser = r => Whole(r, int.MinValue, int.MaxValue) is long v ? (int)v : null; break;
                case Option<long> o when o.CustomParser is null: o.CustomParser = r => Whole(r, long.MinValue, long.MaxValue) ?? 0; break;
                case Option<long?> o when o.CustomParser is null: o.CustomParser = r => Whole(r, long.MinValue, long.MaxValue); break;
            }
        }
        foreach (var sub in command.Subcommands) Install(sub);
    }

    /// <summary>A decimal number such as 0.5, -3, 1e6 (NaN and infinity are left to the options' bounds to refuse).</summary>
    private static double? Real(ArgumentResult r)
    {
        if (Token(r) is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        r.AddError($"{Name(r)}: '{text}' is not a number{Hint(text, " (write decimals with a point and no thousands separators, e.g. 0.5 or 1000)")}");
        return null;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static long? Whole(ArgumentResult r, long min, long max)
    {
        if (Token(r) is not { } text) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max) return v;
        r.AddError(long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || BigEnough(text)
            ? $"{Name(r)}: '{text}' is too large"
            : $"{Name(r)}: '{text}' is not a whole number{(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "" : Hint(text, " (write it without thousands separators, e.g. 1000)"))}");
        return null;
    }

    private static bool BigEnough(string text) => text.Trim().TrimStart('+', '-').Length > 0 && text.Trim().TrimStart('+', '-').All(char.IsAsciiDigit);

    /// <summary>The one token given (null without one: the option's default applies).</summary>
    private static string? Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : null;

    private static string Name(ArgumentResult r)
        => r.Parent is OptionResult { IdentifierToken.Value: { Length: > 0 } typed } ? typed : (r.Parent as OptionResult)?.Option.Name ?? r.Argument.Name;

    private static string Hint(string text, string commaHint)
    {
        if (text.Contains(',')) return commaHint;
        string t = text.Trim();
        int i = 0;
        while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] is '.' or '-' or '+')) i++;
        return i > 0 && i < t.Length && char.IsLetter(t[i]) ? " (give it without a unit: the unit is the one --help states)" : "";
    }
}
