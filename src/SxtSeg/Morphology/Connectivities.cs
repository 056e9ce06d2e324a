namespace SxtSeg.Morphology;

/// <summary>Parsing and facts about <see cref="Connectivity"/>.</summary>
public static class Connectivities
{
    /// <summary>Parses "6", "18" or "26".</summary>
    public static Connectivity Parse(string s, string option = nameof(LabelSourceOptions.Connectivity)) => s.Trim() switch
    {
        "6" => Connectivity.Six,
        "18" => Connectivity.Eighteen,
        "26" => Connectivity.TwentySix,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a connectivity (use 6, 18 or 26)"),
    };

    /// <summary>The connectivity of the background that is complementary to a foreground connectivity (6 ↔ 26, 18 → 6).</summary>
    public static Connectivity Complement(this Connectivity c) => c == Connectivity.Six ? Connectivity.TwentySix : Connectivity.Six;

    /// <summary>True when diagonal neighbours within a slice count (18 and 26).</summary>
    public static bool EightInPlane(this Connectivity c) => c != Connectivity.Six;
}
