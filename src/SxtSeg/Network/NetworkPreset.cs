namespace SxtSeg.Network;

/// <summary>
/// A named network width. <c>paper</c> is the published network (m = 64, 76.5 M parameters);
/// the smaller ones trade accuracy for CPU speed (FLOPs scale with m²).
/// </summary>
/// <param name="Name">Preset name.</param>
/// <param name="Width">Base width m.</param>
/// <param name="Description">One line for listings.</param>
public sealed record NetworkPreset(string Name, int Width, string Description)
{
    /// <summary>All presets, widest first.</summary>
    public static IReadOnlyList<NetworkPreset> All { get; } = new[]
    {
        new NetworkPreset("paper", 64, "the published Deep-SXT network (GPU)"),
        new NetworkPreset("large", 32, "a quarter of the paper's FLOPs"),
        new NetworkPreset("medium", 16, "CPU-friendly, 4.8 M parameters"),
        new NetworkPreset("small", 8, "fast CPU inference, 1.2 M parameters"),
        new NetworkPreset("tiny", 4, "smoke tests and quick experiments"),
    };

    /// <summary>The preset called <paramref name="name"/> (case-insensitive); throws <see cref="InvalidOptionException"/>.</summary>
    public static NetworkPreset Get(string name, string option = "--preset")
    {
        foreach (var p in All) if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p;
        throw new InvalidOptionException(option, $"unknown preset '{name}' (use {string.Join(", ", All.Select(p => p.Name))})");
    }

    /// <summary>The preset name for a width, or "custom".</summary>
    public static string NameOf(int width)
    {
        foreach (var p in All) if (p.Width == width) return p.Name;
        return "custom";
    }

    /// <summary>Trainable parameters of width m, from the closed form (exact for even m).</summary>
    public static long TrainableParameters(int m) => 18658L * m * m + (1885L * m) / 2 + 14;

    /// <summary>Batch-norm running statistics of width m (902·m).</summary>
    public static long BatchNormStatistics(int m) => 902L * m;
}
