namespace SxtSeg.Simulation;

/// <summary>
/// One phantom object: its analytic shape, class, instance id, absorption and membranes.
/// Objects are painted in list order; children (nucleolus, intraluminal vesicles) follow their parent.
/// </summary>
public sealed class SimObject
{
    /// <summary>Creates an object.</summary>
    public SimObject(SimClass cls, string kind, Shape shape, double lac)
    {
        Class = cls;
        Kind = kind;
        Shape = shape;
        Lac = lac;
    }

    /// <summary>Position in the phantom's list.</summary>
    public int Index { get; internal set; }

    /// <summary>Instance id in instances.mrc and truth.json (0 when the object lies outside the field of view).</summary>
    public int Id { get; internal set; }

    /// <summary>Class.</summary>
    public SimClass Class { get; }

    /// <summary>Finer kind ("lysosome", "multivesicular body", "tubule", "sheet"...).</summary>
    public string Kind { get; }

    /// <summary>Shape used for rendering.</summary>
    public Shape Shape { get; }

    /// <summary>Shape whose measures go into truth.json (defaults to <see cref="Shape"/>; a filopodium reports only its protruding part).</summary>
    public Shape? TruthShape { get; set; }

    /// <summary>Index of the enclosing object (−1 for none).</summary>
    public int Parent { get; internal set; } = -1;

    /// <summary>Mean LAC of the content (1/µm).</summary>
    public double Lac { get; set; }

    /// <summary>Content model.</summary>
    public ContentKind Content { get; set; } = ContentKind.Textured;

    /// <summary>Relative texture amplitude.</summary>
    public double TextureAmplitude { get; set; }

    /// <summary>Texture feature size (nm per noise-tile cell).</summary>
    public double TextureScaleNm { get; set; } = 50;

    /// <summary>Relative amplitude of a smooth large-scale density variation (cytoplasm: denser and lighter regions, µm scale).</summary>
    public double CoarseAmplitude { get; set; }

    /// <summary>Feature size of the large-scale variation (nm per noise-tile cell).</summary>
    public double CoarseScaleNm { get; set; } = 400;

    /// <summary>Random offset into the noise tile (tile cells).</summary>
    public V3 TextureOffset { get; internal set; }

    /// <summary>Membrane surfaces as offsets of the signed distance (nm, 0 = the surface, −g = g inside).</summary>
    public double[] MembraneOffsetsNm { get; set; } = Array.Empty<double>();

    /// <summary>Excess absorption of each membrane: thickness × (LAC of lipid − LAC around) in nm/µm.</summary>
    public double MembraneExcess { get; set; }

    /// <summary>Second LAC used by <see cref="ContentKind.Nucleoplasm"/> (heterochromatin) and <see cref="ContentKind.DenseCore"/> (core).</summary>
    public double DenseLac { get; set; }

    /// <summary>Dense core centre (nm) for <see cref="ContentKind.DenseCore"/>.</summary>
    public V3 CoreCentre { get; set; }

    /// <summary>Dense core radius (nm).</summary>
    public double CoreRadius { get; set; }

    /// <summary>Relative LAC amplitude of the cristae lamellae (<see cref="ContentKind.Cristae"/>).</summary>
    public double CristaeAmplitude { get; set; }

    /// <summary>Mean spacing of the cristae along the tube axis (nm).</summary>
    public double CristaeSpacingNm { get; set; } = 80;

    /// <summary>Nuclear pores (nuclei only).</summary>
    public NuclearPores? Pores { get; set; }

    /// <summary>Indices of protrusions (filopodia) painted together with this cell body.</summary>
    public List<int> Protrusions { get; } = new();

    /// <summary>True for a protrusion, painted with its cell (<see cref="Parent"/>).</summary>
    public bool IsProtrusion { get; internal set; }

    /// <summary>True when the object extends outside the field of view.</summary>
    public bool CutByFieldOfView { get; internal set; }

    /// <summary>The shape used for the truth measures.</summary>
    public Shape MeasuredShape => TruthShape ?? Shape;
}
