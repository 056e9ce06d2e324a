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

/// <summary>How an object's content absorbs.</summary>
public enum ContentKind
{
    /// <summary>Mean LAC with texture.</summary>
    Textured,
    /// <summary>Nucleoplasm with chromatin: heterochromatin clumps and a peripheral layer.</summary>
    Nucleoplasm,
    /// <summary>Granular content with a dense eccentric core (lysosomes).</summary>
    DenseCore,
    /// <summary>
    /// Mitochondrial matrix with cristae: dense lamellae across a tube (its shape must be a
    /// <see cref="TubeShape"/>), spaced along the axis with an irregular phase, inside the inner membrane.
    /// </summary>
    Cristae,
    /// <summary>Constant LAC (gold).</summary>
    Constant,
}

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

/// <summary>Nuclear pores on an envelope: centres on the outer membrane, outward normals, one radius; looked up by a hash grid.</summary>
public sealed class NuclearPores
{
    private readonly List<(V3 Q, V3 N)> _pores = new();
    private readonly Dictionary<long, List<int>> _grid = new();
    private readonly double _cell;

    /// <summary>Creates an empty set with pore radius <paramref name="radius"/> (nm).</summary>
    public NuclearPores(double radius)
    {
        Radius = radius;
        _cell = Math.Max(4 * radius, 300);
    }

    /// <summary>Pore radius (nm).</summary>
    public double Radius { get; }

    /// <summary>Number of pores.</summary>
    public int Count => _pores.Count;

    private long Key(int i, int j, int k) => ((long)(i & 0x1FFFFF) << 42) | ((long)(j & 0x1FFFFF) << 21) | (long)(k & 0x1FFFFF);

    /// <summary>Adds a pore at <paramref name="q"/> with outward normal <paramref name="n"/>.</summary>
    public void Add(V3 q, V3 n)
    {
        int id = _pores.Count;
        _pores.Add((q, n.Normalized()));
        var key = Key((int)Math.Floor(q.X / _cell), (int)Math.Floor(q.Y / _cell), (int)Math.Floor(q.Z / _cell));
        if (!_grid.TryGetValue(key, out var list)) _grid[key] = list = new List<int>();
        list.Add(id);
    }

    /// <summary>The pore whose axis is laterally nearest to <paramref name="p"/> (within reach), as lateral distance; false when none is near.</summary>
    public bool Nearest(V3 p, double reach, out double lateral)
    {
        lateral = double.MaxValue;
        int ci = (int)Math.Floor(p.X / _cell), cj = (int)Math.Floor(p.Y / _cell), ck = (int)Math.Floor(p.Z / _cell);
        bool found = false;
        for (int di = -1; di <= 1; di++)
            for (int dj = -1; dj <= 1; dj++)
                for (int dk = -1; dk <= 1; dk++)
                {
                    if (!_grid.TryGetValue(Key(ci + di, cj + dj, ck + dk), out var list)) continue;
                    foreach (int id in list)
                    {
                        var (q, n) = _pores[id];
                        V3 d = p - q;
                        double along = V3.Dot(d, n);
                        if (Math.Abs(along) > reach) continue;
                        double lat = Math.Sqrt(Math.Max(0, d.LengthSquared - along * along));
                        if (lat < lateral) { lateral = lat; found = true; }
                    }
                }
        return found && lateral <= reach;
    }
}
