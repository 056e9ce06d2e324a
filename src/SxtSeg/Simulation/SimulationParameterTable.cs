using System.Globalization;

namespace SxtSeg.Simulation;

/// <summary>
/// Every simulation parameter by name: the single list behind <c>--set</c>, <c>--list-parameters</c>,
/// the provenance and the "parameters" block of truth.json.
/// </summary>
public static class SimulationParameterTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Key of the errors of <see cref="Set"/> as a whole (<see cref="InvalidOptionException.Option"/>): an
    /// assignment that is not name=value, an unknown name, organelle fractions that add up to too much.
    /// </summary>
    public const string SetKey = "Set";

    /// <summary>Key of the errors of one parameter: <see cref="SetKey"/>, a space and the parameter's name (<c>Set ice-thickness</c>).</summary>
    public static string ParameterKey(string name) => SetKey + " " + name;

    /// <summary>All parameters in a stable order.</summary>
    public static IReadOnlyList<SimulationParameter> All { get; } = Build();

    /// <summary>Looks a parameter up by name (case-insensitive; '_' and '-' equivalent).</summary>
    public static SimulationParameter? Find(string name)
    {
        string key = name.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (var p in All) if (p.Name == key) return p;
        return null;
    }

    /// <summary>Applies "name=value"; throws <see cref="InvalidOptionException"/> for unknown names or bad values.</summary>
    public static SimulationParameters Set(SimulationParameters p, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new InvalidOptionException(SetKey, $"'{assignment}' is not name=value");
        string name = assignment[..eq], value = assignment[(eq + 1)..].Trim();
        var param = Find(name) ?? throw new InvalidOptionException(SetKey, $"unknown parameter '{name.Trim()}' (sxtseg simulate --list-parameters shows them all)");
        return param.With(p, value);
    }

    /// <summary>Name → formatted value for every parameter.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Values(SimulationParameters p)
        => All.Select(a => new KeyValuePair<string, string>(a.Name, a.Get(p))).ToList();

    private static SimulationParameter D(string name, string unit, string desc, Func<SimulationParameters, double> get, Func<SimulationParameters, double, SimulationParameters> with)
        => new(name, unit, desc, p => get(p).ToString("R", Inv), (p, s) => with(p, ParseDouble(name, s)));

    private static SimulationParameter I(string name, string unit, string desc, Func<SimulationParameters, long> get, Func<SimulationParameters, long, SimulationParameters> with)
        => new(name, unit, desc, p => get(p).ToString(Inv), (p, s) => with(p, ParseLong(name, s)));

    private static SimulationParameter B(string name, string desc, Func<SimulationParameters, bool> get, Func<SimulationParameters, bool, SimulationParameters> with)
        => new(name, "", desc, p => get(p) ? "true" : "false", (p, s) => with(p, ParseBool(name, s)));

    private static double ParseDouble(string name, string s)
    {
        if (!double.TryParse(s, NumberStyles.Float, Inv, out double v) || !double.IsFinite(v))
            throw new InvalidOptionException(ParameterKey(name), $"'{s}' is not a number");
        return v;
    }

    private static long ParseLong(string name, string s)
    {
        if (!long.TryParse(s, NumberStyles.Integer, Inv, out long v))
            throw new InvalidOptionException(ParameterKey(name), $"'{s}' is not an integer");
        return v;
    }

    private static int ParseInt(string name, long v)
        => v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new InvalidOptionException(ParameterKey(name), $"{v} is out of range");

    private static bool ParseBool(string name, string s) => s.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new InvalidOptionException(ParameterKey(name), $"'{s}' is not true or false"),
    };

    /// <summary>Parses a reconstruction method name ("wbp", "fbp", "sirt").</summary>
    public static ReconstructionMethod ParseMethod(string s, string option = nameof(SimulationParameters.Reconstruction)) => s.Trim().ToLowerInvariant() switch
    {
        "wbp" => ReconstructionMethod.Wbp,
        "sirt" => ReconstructionMethod.Sirt,
        _ => throw new InvalidOptionException(option, $"unknown reconstruction '{s}' (use wbp or sirt)"),
    };

    /// <summary>Parses a filter name ("ramp", "hamming", "hann", "shepp-logan", "cosine").</summary>
    public static FbpFilter ParseFilter(string s, string option = nameof(SimulationParameters.Filter)) => s.Trim().ToLowerInvariant() switch
    {
        "ramp" or "ram-lak" => FbpFilter.Ramp,
        "hamming" => FbpFilter.Hamming,
        "hann" or "hanning" => FbpFilter.Hann,
        "shepp-logan" or "shepplogan" => FbpFilter.SheppLogan,
        "cosine" => FbpFilter.Cosine,
        _ => throw new InvalidOptionException(option, $"unknown filter '{s}' (use ramp, hamming, hann, shepp-logan or cosine)"),
    };

    /// <summary>Lower-case name of a filter as accepted by <see cref="ParseFilter"/>.</summary>
    public static string Name(FbpFilter f) => f == FbpFilter.SheppLogan ? "shepp-logan" : f.ToString().ToLowerInvariant();

    private static List<SimulationParameter> Build() => new()
    {
        new("profile", "", "instrument profile the values started from", p => p.Profile, (p, s) => p with { Profile = s }),
        I("seed", "", "random seed", p => p.Seed, (p, v) => p with { Seed = v }),
        new("appearance", "", "fixed (the values as given), random (contrasts, texture, noise, optics, tilts and reconstruction drawn per tomogram from the seed; see docs/simulation.md) or random-errors (random, and the acquisition errors: misalignment, angle error, flicker, read noise, flat-field drift)",
            p => AppearanceRandomiser.Name(p.Appearance),
            (p, s) => p with { Appearance = s.Trim().ToLowerInvariant() switch { "fixed" => AppearanceMode.Fixed, "random" => AppearanceMode.Random, "random-errors" => AppearanceMode.RandomErrors, _ => throw new InvalidOptionException(ParameterKey("appearance"), $"'{s}' is not fixed, random or random-errors") } }),
        I("nx", "voxels", "size along x (perpendicular to the tilt axis)", p => p.Nx, (p, v) => p with { Nx = ParseInt("nx", v) }),
        I("ny", "voxels", "size along y (tilt axis)", p => p.Ny, (p, v) => p with { Ny = ParseInt("ny", v) }),
        I("nz", "voxels", "size along z (beam at 0°)", p => p.Nz, (p, v) => p with { Nz = ParseInt("nz", v) }),
        D("voxel-size", "nm", "isotropic voxel size, also the detector pixel", p => p.VoxelSizeNm, (p, v) => p with { VoxelSizeNm = v }),
        new("geometry", "", "slab (adherent cells in ice) or capillary (suspended cells)", p => p.Geometry.ToString().ToLowerInvariant(),
            (p, s) => p with { Geometry = s.ToLowerInvariant() switch { "slab" => SampleGeometry.Slab, "capillary" => SampleGeometry.Capillary, _ => throw new InvalidOptionException(ParameterKey("geometry"), $"'{s}' is not slab or capillary") } }),
        D("ice-thickness", "nm", "ice slab thickness or capillary inner diameter (0 = automatic)", p => p.IceThicknessNm, (p, v) => p with { IceThicknessNm = v }),
        D("capillary-wall", "nm", "glass wall of the capillary", p => p.CapillaryWallNm, (p, v) => p with { CapillaryWallNm = v }),
        I("cells", "", "number of cells", p => p.Cells, (p, v) => p with { Cells = ParseInt("cells", v) }),
        D("cell-radius", "nm", "footprint radius (adherent) or body radius (suspended)", p => p.CellRadiusNm, (p, v) => p with { CellRadiusNm = v }),
        D("cell-height", "nm", "adherent cell height over the nucleus (capped by the ice)", p => p.CellHeightNm, (p, v) => p with { CellHeightNm = v }),
        D("cell-edge-height", "nm", "adherent cell height at the thin periphery", p => p.CellEdgeHeightNm, (p, v) => p with { CellEdgeHeightNm = v }),
        D("view-offset", "", "field-of-view centre distance from the cell centre / cell radius (negative = random 0.2–1.0)", p => p.ViewOffset, (p, v) => p with { ViewOffset = v }),
        D("mitochondria-fraction", "", "mitochondria volume fraction of the cytoplasm", p => p.MitochondriaFraction, (p, v) => p with { MitochondriaFraction = v }),
        D("er-fraction", "", "ER volume fraction of the cytoplasm", p => p.ErFraction, (p, v) => p with { ErFraction = v }),
        D("endosome-fraction", "", "endosome/lysosome/vacuole volume fraction of the cytoplasm", p => p.EndosomeFraction, (p, v) => p with { EndosomeFraction = v }),
        D("dense-endosome-fraction", "", "fraction of endosomes that are dense lysosomes (the others are watery, lighter than cytoplasm)", p => p.DenseEndosomeFraction, (p, v) => p with { DenseEndosomeFraction = v }),
        D("endosome-radius", "nm", "median endosome/vacuole radius (log-normal, 100–800 nm)", p => p.EndosomeRadiusNm, (p, v) => p with { EndosomeRadiusNm = v }),
        D("lipid-droplet-fraction", "", "lipid droplet volume fraction of the cytoplasm", p => p.LipidDropletFraction, (p, v) => p with { LipidDropletFraction = v }),
        D("vesicle-fraction", "", "small vesicle volume fraction of the cytoplasm", p => p.VesicleFraction, (p, v) => p with { VesicleFraction = v }),
        D("filopodia-per-micron", "1/µm", "filopodia per µm of cell boundary (microvilli of a suspended cell: twice this per µm of equator)", p => p.FilopodiaPerMicron, (p, v) => p with { FilopodiaPerMicron = v }),
        D("microvilli-per-square-micron", "1/µm²", "microvilli per µm² of the top surface of an adherent cell", p => p.MicrovilliPerSquareMicron, (p, v) => p with { MicrovilliPerSquareMicron = v }),
        D("beads-per-square-micron", "1/µm²", "gold fiducials per µm² of specimen", p => p.BeadsPerSquareMicron, (p, v) => p with { BeadsPerSquareMicron = v }),
        D("bead-diameter", "nm", "mean gold bead diameter (±15 %)", p => p.BeadDiameterNm, (p, v) => p with { BeadDiameterNm = v }),
        D("nuclear-pores-per-square-micron", "1/µm²", "nuclear pore density", p => p.NuclearPoresPerSquareMicron, (p, v) => p with { NuclearPoresPerSquareMicron = v }),
        D("nuclear-pore-diameter", "nm", "nuclear pore diameter", p => p.NuclearPoreDiameterNm, (p, v) => p with { NuclearPoreDiameterNm = v }),
        D("nuclear-envelope-gap", "nm", "distance between the two nuclear membranes", p => p.NuclearEnvelopeGapNm, (p, v) => p with { NuclearEnvelopeGapNm = v }),
        D("mitochondrial-membrane-gap", "nm", "distance between outer and inner mitochondrial membranes", p => p.MitochondrialMembraneGapNm, (p, v) => p with { MitochondrialMembraneGapNm = v }),
        D("membrane-thickness", "nm", "bilayer thickness", p => p.MembraneThicknessNm, (p, v) => p with { MembraneThicknessNm = v }),
        D("ice-lac", "1/µm", "vitreous ice", p => p.IceLac, (p, v) => p with { IceLac = v }),
        D("glass-lac", "1/µm", "capillary glass", p => p.GlassLac, (p, v) => p with { GlassLac = v }),
        D("cytoplasm-lac", "1/µm", "cytoplasm (±8 % per cell)", p => p.CytoplasmLac, (p, v) => p with { CytoplasmLac = v }),
        D("nucleoplasm-lac", "1/µm", "nucleoplasm", p => p.NucleoplasmLac, (p, v) => p with { NucleoplasmLac = v }),
        D("heterochromatin-lac", "1/µm", "heterochromatin", p => p.HeterochromatinLac, (p, v) => p with { HeterochromatinLac = v }),
        D("nucleolus-lac", "1/µm", "nucleolus", p => p.NucleolusLac, (p, v) => p with { NucleolusLac = v }),
        D("mitochondria-lac", "1/µm", "mitochondrial matrix (±10 % per object)", p => p.MitochondriaLac, (p, v) => p with { MitochondriaLac = v }),
        D("cristae-contrast", "", "relative amplitude of the cristae (dense lamellae across mitochondria, sub-resolution texture, not labelled)", p => p.CristaeContrast, (p, v) => p with { CristaeContrast = v }),
        D("endosome-lac", "1/µm", "watery endosome/vacuole content (mean; lysosomes are denser)", p => p.EndosomeLac, (p, v) => p with { EndosomeLac = v }),
        D("lipid-droplet-lac", "1/µm", "lipid droplets (mean)", p => p.LipidDropletLac, (p, v) => p with { LipidDropletLac = v }),
        D("vesicle-lac", "1/µm", "vesicle lumen", p => p.VesicleLac, (p, v) => p with { VesicleLac = v }),
        D("er-lac", "1/µm", "ER lumen", p => p.ErLac, (p, v) => p with { ErLac = v }),
        D("membrane-lac", "1/µm", "phospholipid bilayer", p => p.MembraneLac, (p, v) => p with { MembraneLac = v }),
        D("membrane-contrast", "", "multiplier of the bilayer's excess absorption (protein coat, edge enhancement; 1 = bare bilayer)", p => p.MembraneContrast, (p, v) => p with { MembraneContrast = v }),
        D("gold-lac", "1/µm", "gold", p => p.GoldLac, (p, v) => p with { GoldLac = v }),
        D("texture", "", "strength of sub-resolution texture (0 = flat compartments)", p => p.TextureStrength, (p, v) => p with { TextureStrength = v }),
        D("zone-width", "nm", "outermost zone width of the zone plate", p => p.ZoneWidthNm, (p, v) => p with { ZoneWidthNm = v }),
        D("photon-energy", "eV", "photon energy", p => p.PhotonEnergyEv, (p, v) => p with { PhotonEnergyEv = v }),
        B("depth-of-focus", "model blur growing away from the focal plane", p => p.DepthOfFocus, (p, v) => p with { DepthOfFocus = v }),
        D("focus-offset", "nm", "focal plane offset from the rotation centre along the beam", p => p.FocusOffsetNm, (p, v) => p with { FocusOffsetNm = v }),
        D("tilt-min", "°", "first tilt angle", p => p.TiltMinDeg, (p, v) => p with { TiltMinDeg = v }),
        D("tilt-max", "°", "last tilt angle", p => p.TiltMaxDeg, (p, v) => p with { TiltMaxDeg = v }),
        D("tilt-step", "°", "tilt increment", p => p.TiltStepDeg, (p, v) => p with { TiltStepDeg = v }),
        D("photons", "", "incident photons per pixel per projection (0 = noise-free)", p => p.Photons, (p, v) => p with { Photons = v }),
        D("flat-field-variation", "", "relative amplitude of the illumination non-uniformity", p => p.FlatFieldVariation, (p, v) => p with { FlatFieldVariation = v }),
        D("flat-field-drift", "px", "illumination pattern drift over the series", p => p.FlatFieldDriftPx, (p, v) => p with { FlatFieldDriftPx = v }),
        I("flat-frames", "", "flat-field images averaged", p => p.FlatFrames, (p, v) => p with { FlatFrames = ParseInt("flat-frames", v) }),
        D("flicker", "", "uncorrected per-projection intensity fluctuation (relative SD)", p => p.Flicker, (p, v) => p with { Flicker = v }),
        D("read-noise", "counts", "detector read noise (SD)", p => p.ReadNoise, (p, v) => p with { ReadNoise = v }),
        D("detector-blur", "px", "detector/processing blur after the photon noise (Gaussian SD)", p => p.DetectorBlurPx, (p, v) => p with { DetectorBlurPx = v }),
        D("shift", "px", "residual misalignment per projection (SD)", p => p.ShiftPx, (p, v) => p with { ShiftPx = v }),
        D("angle-jitter", "°", "tilt angle error per projection (SD)", p => p.AngleJitterDeg, (p, v) => p with { AngleJitterDeg = v }),
        new("reconstruction", "", "wbp or sirt", p => p.Reconstruction.ToString().ToLowerInvariant(), (p, s) => p with { Reconstruction = ParseMethod(s, ParameterKey("reconstruction")) }),
        new("filter", "", "WBP filter window: ramp, hamming, hann, shepp-logan, cosine", p => Name(p.Filter), (p, s) => p with { Filter = ParseFilter(s, ParameterKey("filter")) }),
        D("filter-cutoff", "cycles/px", "WBP radial filter cutoff (0.5 = none), like IMOD's RADIAL", p => p.FilterCutoff, (p, v) => p with { FilterCutoff = v }),
        D("filter-falloff", "cycles/px", "WBP radial filter Gaussian fall-off above the cutoff", p => p.FilterFalloff, (p, v) => p with { FilterFalloff = v }),
        I("sirt-iterations", "", "SIRT iterations", p => p.SirtIterations, (p, v) => p with { SirtIterations = ParseInt("sirt-iterations", v) }),
        D("shell-half-width", "voxels", "membrane label half-width", p => p.ShellHalfWidthVoxels, (p, v) => p with { ShellHalfWidthVoxels = v }),
        D("ignore-margin", "°", "ignore.mrc: margin added to the missing-wedge half-angle (90° − max tilt) of the cone about z whose membranes are not visible", p => p.IgnoreMarginDeg, (p, v) => p with { IgnoreMarginDeg = v }),
        D("ignore-wedge-depth", "°", "ignore.mrc: membranes whose normal lies deeper than this inside the missing wedge are not visible", p => p.IgnoreWedgeDepthDeg, (p, v) => p with { IgnoreWedgeDepthDeg = v }),
        D("ignore-face-on", "°", "ignore.mrc: membranes whose normal is within this angle of z are not visible (face-on in x–y slices), with or without a wedge", p => p.IgnoreFaceOnDeg, (p, v) => p with { IgnoreFaceOnDeg = v }),
        D("ignore-band", "voxels", "ignore.mrc: band around not-visible membranes that is ignored too", p => p.IgnoreBandVoxels, (p, v) => p with { IgnoreBandVoxels = v }),
        D("ignore-defocus", "× DOF", "ignore.mrc: membranes whose sharpest edge-on view (the tilts within ignore-margin of their plane) lies farther than this many depths of focus from the focal plane are not visible; 0 = off", p => p.IgnoreDefocus, (p, v) => p with { IgnoreDefocus = v }),
        B("keep-tilt-series", "keep the projections (for tiltseries.mrc)", p => p.KeepTiltSeries, (p, v) => p with { KeepTiltSeries = v }),
        B("clean-twin", "also write clean.mrc: the same acquisition without photon, read or flicker noise (a denoising target)", p => p.CleanTwin, (p, v) => p with { CleanTwin = v }),
    };
}
