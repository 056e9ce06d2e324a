namespace SxtSeg.Network;

/// <summary>
/// A named network. <c>paper</c> is the published network (m = 64, 76.5 M parameters); the smaller
/// Deep-SXT widths trade accuracy for CPU speed (FLOPs scale with m²); the U-Net presets are the
/// CPU-efficient variants measured in docs/models.md.
/// </summary>
/// <param name="Name">Preset name.</param>
/// <param name="Architecture">The network.</param>
/// <param name="Description">One line for listings.</param>
public sealed record NetworkPreset(string Name, NetworkArchitecture Architecture, string Description)
{
    /// <summary>All presets: Deep-SXT widest first, then the U-Net variants.</summary>
    public static IReadOnlyList<NetworkPreset> All { get; } = new[]
    {
        new NetworkPreset("paper", NetworkArchitecture.DeepSxt(64), "the published Deep-SXT network (GPU)"),
        new NetworkPreset("large", NetworkArchitecture.DeepSxt(32), "Deep-SXT m = 32, a quarter of the paper's FLOPs"),
        new NetworkPreset("medium", NetworkArchitecture.DeepSxt(16), "Deep-SXT m = 16, 4.8 M parameters"),
        new NetworkPreset("small", NetworkArchitecture.DeepSxt(8), "Deep-SXT m = 8, 1.2 M parameters"),
        new NetworkPreset("tiny", NetworkArchitecture.DeepSxt(4), "Deep-SXT m = 4: smoke tests and quick experiments"),
        new NetworkPreset("unet-s", NetworkArchitecture.FromUNet(UNetConfig.Parse("w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2")),
            "two-headed U-Net of plain 3×3 convolutions, widths 8–128: fast CPU inference"),
        new NetworkPreset("unet-m", NetworkArchitecture.FromUNet(UNetConfig.Parse("w=16-32-64-128-256,enc=1-2-2-2-2,dec=1-2-2-2")),
            "two-headed U-Net of plain 3×3 convolutions, widths 16–256"),
    };

    /// <summary>Deep-SXT base width m, or the full-resolution width of a U-Net.</summary>
    public int Width => Architecture.Width;

    /// <summary>Key of a setting error about a preset name (<see cref="Get"/>).</summary>
    public const string PresetKey = "Preset";

    /// <summary>The preset called <paramref name="name"/> (case-insensitive); throws <see cref="InvalidOptionException"/> keyed <paramref name="option"/>.</summary>
    public static NetworkPreset Get(string name, string option = PresetKey)
    {
        foreach (var p in All) if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p;
        throw new InvalidOptionException(option, $"unknown preset '{name}' (use {string.Join(", ", All.Select(p => p.Name))})");
    }

    /// <summary>The preset name of the Deep-SXT network of width m, or "custom".</summary>
    public static string NameOf(int width) => NameOf(NetworkArchitecture.DeepSxt(width));

    /// <summary>
    /// The preset name of an architecture, or "custom"; a U-Net preset with a logit head and/or group
    /// norm is named after the preset with "+logit" / "+gn".
    /// </summary>
    public static string NameOf(NetworkArchitecture architecture)
    {
        var b = architecture.Base;
        foreach (var p in All)
            if (p.Architecture.Equals(b))
                return p.Name + (architecture.UNet?.Head == LabelHead.Logit ? "+logit" : "") + (architecture.UNet?.Norm == NormKind.Group ? "+gn" : "");
        return "custom";
    }

    /// <summary>Trainable parameters of the Deep-SXT network of width m, from the closed form (exact for even m).</summary>
    public static long TrainableParameters(int m) => 18658L * m * m + (1885L * m) / 2 + 14;

    /// <summary>Batch-norm running statistics of the Deep-SXT network of width m (902·m).</summary>
    public static long BatchNormStatistics(int m) => 902L * m;
}
