namespace SxtSeg.Simulation;

/// <summary>Class ids of the class map (classes.mrc); the table is also written to truth.json.</summary>
public enum SimClass : byte
{
    /// <summary>Outside the specimen.</summary>
    Vacuum = 0,
    /// <summary>Vitreous ice.</summary>
    Ice = 1,
    /// <summary>Capillary glass.</summary>
    Glass = 2,
    /// <summary>Cytoplasm of a cell (the cell body).</summary>
    Cytoplasm = 3,
    /// <summary>Nucleus (nucleoplasm and chromatin, inside the envelope).</summary>
    Nucleus = 4,
    /// <summary>Nucleolus.</summary>
    Nucleolus = 5,
    /// <summary>Mitochondrion.</summary>
    Mitochondrion = 6,
    /// <summary>Endoplasmic reticulum (tubules and sheets).</summary>
    EndoplasmicReticulum = 7,
    /// <summary>Small vesicle (including intraluminal vesicles).</summary>
    Vesicle = 8,
    /// <summary>Endosome or lysosome.</summary>
    Endosome = 9,
    /// <summary>Lipid droplet.</summary>
    LipidDroplet = 10,
    /// <summary>Filopodium (or microvillus) protruding from the plasma membrane.</summary>
    Filopodium = 11,
    /// <summary>Gold fiducial bead.</summary>
    GoldBead = 12,
}
