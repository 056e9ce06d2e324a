using System.CommandLine;
using System.Globalization;

namespace SxtSeg.Cli.Commands;

/// <summary>
/// Bounds on numeric options, stated in their --help text and checked while the command line is
/// parsed (one-line error, exit 2, before any file is opened). The library checks the same bounds
/// again in its option records; these only make the error come first and the bound visible.
/// </summary>
internal static class OptionBounds
{
    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>Accepts <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> Within(this Option<int> o, int min, int max)
    {
        o.Description += $" [{min}..{max}]";
        o.Validators.Add(r =>
        {
            if (!TryGet(r, out int v)) return;
            if (v < min || v > max) r.AddError($"{Typed(r, o)}: must be {min}..{max}, got {v}");
        });
        return o;
    }

    /// <summary>Accepts <paramref name="min"/>..<paramref name="max"/> when given.</summary>
    public static Option<int?> Within(this Option<int?> o, int min, int max)
    {
        o.Description += $" [{min}..{max}]";
        o.Validators.Add(r =>
        {
            if (TryGet(r, out int? n) && n is int v && (v < min || v > max)) r.AddError($"{Typed(r, o)}: must be {min}..{max}, got {v}");
        });
        return o;
    }

    /// <summary>Accepts <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<long> Within(this Option<long> o, long min, long max)
    {
        o.Description += max == long.MaxValue ? $" [≥ {min}]" : $" [{min}..{max}]";
        o.Validators.Add(r =>
        {
            if (!TryGet(r, out long v)) return;
            if (v < min || v > max) r.AddError(max == long.MaxValue ? $"{Typed(r, o)}: must be ≥ {min}, got {v}" : $"{Typed(r, o)}: must be {min}..{max}, got {v}");
        });
        return o;
    }

    /// <summary>Accepts <paramref name="min"/>..<paramref name="max"/> when given.</summary>
    public static Option<long?> Within(this Option<long?> o, long min, long max)
    {
        o.Description += max == long.MaxValue ? $" [≥ {min}]" : $" [{min}..{max}]";
        o.Validators.Add(r =>
        {
            if (TryGet(r, out long? n) && n is long v && (v < min || v > max))
                r.AddError(max == long.MaxValue ? $"{Typed(r, o)}: must be ≥ {min}, got {v}" : $"{Typed(r, o)}: must be {min}..{max}, got {v}");
        });
        return o;
    }

    /// <summary>Accepts finite numbers in [<paramref name="min"/>, <paramref name="max"/>] (bounds exclusive when asked).</summary>
    public static Option<double> Within(this Option<double> o, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        o.Description += Range(min, max, minExclusive, maxExclusive);
        o.Validators.Add(r =>
        {
            if (!TryGet(r, out double v)) return;
            if (!Inside(v, min, max, minExclusive, maxExclusive)) r.AddError($"{Typed(r, o)}: must be a number in{Range(min, max, minExclusive, maxExclusive)}, got {F(v)}");
        });
        return o;
    }

    /// <summary>Accepts finite numbers in [<paramref name="min"/>, <paramref name="max"/>] when given.</summary>
    public static Option<double?> Within(this Option<double?> o, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        o.Description += Range(min, max, minExclusive, maxExclusive);
        o.Validators.Add(r =>
        {
            if (TryGet(r, out double? n) && n is double v && !Inside(v, min, max, minExclusive, maxExclusive))
                r.AddError($"{Typed(r, o)}: must be a number in{Range(min, max, minExclusive, maxExclusive)}, got {F(v)}");
        });
        return o;
    }

    /// <summary>Accepts finite floats in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<float> Within(this Option<float> o, float min, float max)
    {
        o.Description += Range(min, max, false, false);
        o.Validators.Add(r =>
        {
            if (!TryGet(r, out float v)) return;
            if (!Inside(v, min, max, false, false)) r.AddError($"{Typed(r, o)}: must be a number in{Range(min, max, false, false)}, got {F(v)}");
        });
        return o;
    }

    /// <summary>Accepts only the listed values.</summary>
    public static Option<int> OneOf(this Option<int> o, params int[] allowed)
    {
        string list = string.Join(", ", allowed);
        o.Description += $" [{list}]";
        o.Validators.Add(r =>
        {
            if (TryGet(r, out int v) && Array.IndexOf(allowed, v) < 0) r.AddError($"{Typed(r, o)}: must be one of {list}, got {v}");
        });
        return o;
    }

    /// <summary>Accepts any finite number (no NaN or infinity).</summary>
    public static Option<double?> Finite(this Option<double?> o)
    {
        o.Validators.Add(r =>
        {
            if (TryGet(r, out double? n) && n is double v && !double.IsFinite(v)) r.AddError($"{Typed(r, o)}: must be a finite number, got {F(v)}");
        });
        return o;
    }

    /// <summary>The option's name as the user typed it (an old name of a renamed option stays recognisable in the error).</summary>
    private static string Typed(System.CommandLine.Parsing.OptionResult r, Option o) => r.IdentifierToken?.Value is { Length: > 0 } t ? t : o.Name;

    /// <summary>The value, unless it did not convert (that error is reported by the parser itself).</summary>
    private static bool TryGet<T>(System.CommandLine.Parsing.OptionResult r, out T value)
    {
        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static bool Inside(double v, double min, double max, bool minEx, bool maxEx)
        => double.IsFinite(v) && (minEx ? v > min : v >= min) && (maxEx ? v < max : v <= max);

    private static string Range(double min, double max, bool minEx, bool maxEx)
        => double.IsPositiveInfinity(max)
            ? $" [{(minEx ? ">" : "≥")} {F(min)}]"
            : $" [{(minEx ? "(" : "")}{F(min)}..{F(max)}{(maxEx ? ")" : "")}]";

    /// <summary>True when the user gave <paramref name="option"/> on the command line (not its default).</summary>
    public static bool Given(this ParseResult pr, Option option) => pr.GetResult(option) is { Implicit: false };
}
