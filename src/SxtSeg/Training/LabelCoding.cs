using System.Globalization;

namespace SxtSeg.Training;

/// <summary>
/// Decodes label values into a 0/1 target and a 0/1 weight per pixel (weight 0 = not annotated or
/// ignored). Values must be whole numbers; a value the coding does not define is an error naming the file.
/// </summary>
public sealed class LabelCoding
{
    private readonly Dictionary<int, LabelClass> _map;
    private readonly LabelClass? _other;

    private LabelCoding(LabelCodingKind kind, Dictionary<int, LabelClass> map, LabelClass? other)
    {
        Kind = kind;
        _map = map;
        _other = other;
    }

    /// <summary>Which coding.</summary>
    public LabelCodingKind Kind { get; }

    /// <summary>0 = background, anything else = membrane.</summary>
    public static LabelCoding Binary { get; } = new(LabelCodingKind.Binary, new() { [0] = LabelClass.Background }, LabelClass.Membrane);

    /// <summary>Binary unless a slice holds two different non-zero values (then refused, naming painted and membrain).</summary>
    public static LabelCoding Auto { get; } = new(LabelCodingKind.Auto, new() { [0] = LabelClass.Background }, LabelClass.Membrane);

    /// <summary>0 = not annotated, 1 = background, 2 = membrane.</summary>
    public static LabelCoding Painted { get; } = new(LabelCodingKind.Painted, new() { [0] = LabelClass.Ignore, [1] = LabelClass.Background, [2] = LabelClass.Membrane }, null);

    /// <summary>0 = background, 1 = membrane, 2 = ignore.</summary>
    public static LabelCoding MemBrain { get; } = new(LabelCodingKind.MemBrain, new() { [0] = LabelClass.Background, [1] = LabelClass.Membrane, [2] = LabelClass.Ignore }, null);

    /// <summary>
    /// Parses a coding name (binary, painted, membrain) or an explicit map "255=membrane,0=background,*=ignore"
    /// (classes membrane, background, ignore; * for every other value); throws <see cref="InvalidOptionException"/>.
    /// </summary>
    public static LabelCoding Parse(string text, string option = nameof(TrainingInputs.Coding))
    {
        string t = text.Trim().ToLowerInvariant();
        switch (t)
        {
            case "auto": return Auto;
            case "binary": return Binary;
            case "painted": case "napari": return Painted;
            case "membrain": case "membrain-seg": return MemBrain;
        }
        var map = new Dictionary<int, LabelClass>();
        LabelClass? other = null;
        foreach (string part in t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new InvalidOptionException(option, $"'{text}' is neither binary, painted, membrain nor a map like 255=membrane,0=background,*=ignore");
            string key = part[..eq].Trim(), value = part[(eq + 1)..].Trim();
            var cls = value switch
            {
                "membrane" or "m" => LabelClass.Membrane,
                "background" or "bg" or "b" => LabelClass.Background,
                "ignore" or "i" or "unannotated" => LabelClass.Ignore,
                _ => throw new InvalidOptionException(option, $"'{value}' is not membrane, background or ignore"),
            };
            if (key == "*") other = cls;
            else if (int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) map[v] = cls;
            else throw new InvalidOptionException(option, $"'{key}' is not a whole label value or *");
        }
        if (map.Count == 0 && other is null) throw new InvalidOptionException(option, $"'{text}' maps no value");
        if (!map.ContainsValue(LabelClass.Membrane) && other != LabelClass.Membrane)
            throw new InvalidOptionException(option, $"'{text}' maps no value to membrane");
        return new LabelCoding(LabelCodingKind.Map, map, other);
    }

    /// <summary>The class of a label value, or null when the coding does not define it.</summary>
    public LabelClass? ClassOf(int value) => _map.TryGetValue(value, out var c) ? c : _other;

    /// <summary>Name for cards and logs.</summary>
    public override string ToString() => Kind switch
    {
        LabelCodingKind.Binary => "binary",
        LabelCodingKind.Painted => "painted",
        LabelCodingKind.MemBrain => "membrain",
        LabelCodingKind.Auto => "auto",
        _ => string.Join(",", _map.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.ToString(CultureInfo.InvariantCulture)}={kv.Value.ToString().ToLowerInvariant()}"))
            + (_other is { } o ? $",*={o.ToString().ToLowerInvariant()}" : ""),
    };

    /// <summary>
    /// Decodes one slice: target 1 = membrane, weight 1 = annotated (background or membrane). Returns
    /// the number of annotated pixels; throws <see cref="InvalidInputException"/> (naming
    /// <paramref name="path"/>) for non-integer or undefined values.
    /// </summary>
    public long Decode(ReadOnlySpan<float> labels, Span<byte> target, Span<byte> weight, string path, int z)
    {
        long annotated = 0;
        if (Kind == LabelCodingKind.Auto)
        {
            float first = 0;
            foreach (float f in labels)
            {
                if (f == 0 || f == first) continue;
                if (first == 0) { first = f; continue; }
                throw new InvalidInputException(path, string.Create(CultureInfo.InvariantCulture,
                    $"slice {z} holds the values 0, {Math.Min(first, f):G6} and {Math.Max(first, f):G6}: say what they mean with --label-coding painted (0 = not annotated, 1 = background, 2 = membrane) or --label-coding membrain (0 = background, 1 = membrane, 2 = ignore), or --label-map"));
            }
        }
        // Fast path for the common values; the dictionary only for others.
        var c0 = ClassOf(0);
        var c1 = ClassOf(1);
        var c2 = ClassOf(2);
        for (int i = 0; i < labels.Length; i++)
        {
            float f = labels[i];
            LabelClass? c;
            if (f == 0) c = c0;
            else if (f == 1) c = c1;
            else if (f == 2) c = c2;
            else
            {
                if (!float.IsFinite(f) || f != MathF.Round(f) || Math.Abs(f) > int.MaxValue)
                    throw new InvalidInputException(path, string.Create(CultureInfo.InvariantCulture, $"slice {z} holds the label value {f:G6}; labels must be whole numbers ({this} coding)"));
                c = ClassOf((int)f);
            }
            if (c is null)
                throw new InvalidInputException(path, string.Create(CultureInfo.InvariantCulture, $"slice {z} holds the label value {f:G6}, which the {this} coding does not define{Hint()}"));
            target[i] = c == LabelClass.Membrane ? (byte)1 : (byte)0;
            bool a = c != LabelClass.Ignore;
            weight[i] = a ? (byte)1 : (byte)0;
            if (a) annotated++;
        }
        return annotated;
    }

    private string Hint() => Kind switch
    {
        LabelCodingKind.Painted => " (painted: 0 = not annotated, 1 = background, 2 = membrane; give --label-map for other values)",
        LabelCodingKind.MemBrain => " (membrain: 0 = background, 1 = membrane, 2 = ignore; give --label-map for other values)",
        _ => " (give --label-map, e.g. 255=membrane,0=background)",
    };
}
