namespace SxtSeg.Simulation;

/// <summary>Facts about the classes.</summary>
public static class SimClasses
{
    /// <summary>All classes in id order.</summary>
    public static IReadOnlyList<SimClass> All { get; } = Enum.GetValues<SimClass>();

    /// <summary>snake_case name used in truth.json.</summary>
    public static string Name(SimClass c) => c switch
    {
        SimClass.EndoplasmicReticulum => "endoplasmic_reticulum",
        SimClass.LipidDroplet => "lipid_droplet",
        SimClass.GoldBead => "gold_bead",
        _ => c.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether the class is bounded by a membrane that the membrane labels include.</summary>
    public static bool HasMembrane(SimClass c) => c is SimClass.Cytoplasm or SimClass.Nucleus or SimClass.Mitochondrion
        or SimClass.EndoplasmicReticulum or SimClass.Vesicle or SimClass.Endosome or SimClass.LipidDroplet or SimClass.Filopodium;

    /// <summary>What the membrane labels hold for the class.</summary>
    public static string MembraneNote(SimClass c) => c switch
    {
        SimClass.Cytoplasm => "plasma membrane (together with filopodia)",
        SimClass.Nucleus => "outer and inner nuclear membranes, joined around the pores",
        SimClass.Mitochondrion => "outer and inner membranes (cristae, below the resolution, only as texture)",
        SimClass.LipidDroplet => "phospholipid monolayer",
        SimClass.Filopodium => "plasma membrane",
        _ when HasMembrane(c) => "limiting membrane",
        _ => "none",
    };
}
