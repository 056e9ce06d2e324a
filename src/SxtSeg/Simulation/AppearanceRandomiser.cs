namespace SxtSeg.Simulation;

/// <summary>
/// Appearance randomisation (<c>--set appearance=random</c>): per tomogram, from a generator forked
/// from the simulation seed, draws the contrast of the membranes and of every compartment class
/// (lighter or denser than the cytoplasm, in realistic LAC ranges), the texture strength, the photon
/// count, the zone plate, the detector blur, the flat-field non-uniformity, the tilt range (slab
/// geometry) and the reconstruction (WBP window and cut-off, or SIRT), so that a training set covers
/// the range of looks of real tomograms instead of one. The drawn values replace the parameters of
/// the same name and are written to truth.json. Noise, optics, detector blur, flat field and WBP
/// cut-off are drawn around the profile's (or <c>--set</c>) values, so each instrument keeps its
/// calibrated look on average; contrasts and texture are drawn from absolute ranges. The profile's
/// voxel size, tilt step, geometry and specimen layout are kept.
/// </summary>
public static class AppearanceRandomiser
{
    /// <summary>
    /// The parameters drawn and their ranges (tilts only for the slab geometry; once drawn, only the
    /// reconstruction parameters of the method drawn).
    /// </summary>
    public static IReadOnlyList<AppearanceRange> Ranges(SimulationParameters p)
    {
        var r = new List<AppearanceRange>
        {
            new("cytoplasm-lac", "uniform 0.22–0.32 /µm"),
            new("nucleoplasm-lac", "cytoplasm × uniform 0.80–1.05"),
            new("heterochromatin-lac", "nucleoplasm × uniform 1.15–1.6"),
            new("nucleolus-lac", "cytoplasm × uniform 1.15–1.8"),
            new("mitochondria-lac", "cytoplasm × uniform 0.95–1.4"),
            new("cristae-contrast", "uniform 0–0.6"),
            new("endosome-lac", "cytoplasm × uniform 0.45–1.15 (watery compartments: mostly lighter than cytoplasm)"),
            new("dense-endosome-fraction", "uniform 0.05–0.5"),
            new("er-lac", "cytoplasm × uniform 0.55–1.1"),
            new("vesicle-lac", "cytoplasm × uniform 0.5–1.15"),
            new("lipid-droplet-lac", "uniform 0.45–0.9 /µm"),
            new("membrane-contrast", "log-uniform 0.6–2.5"),
            new("texture", "uniform 0.4–1.6"),
            new("beads-per-square-micron", "profile × log-uniform 0.3–3"),
            new("photons", "profile × log-uniform 0.4–2.5"),
            new("zone-width", "profile × uniform 0.85–1.2"),
            new("detector-blur", "profile × uniform 0.7–1.5"),
            new("flat-field-variation", "profile × uniform 0.5–1.5"),
        };
        if (p.Geometry == SampleGeometry.Slab)
        {
            r.Add(new("tilt-min", "−uniform 55–72°, whole degrees"));
            r.Add(new("tilt-max", "uniform 55–72°, whole degrees"));
        }
        r.Add(new("reconstruction", "SIRT with probability 0.1, else WBP"));
        bool drawn = p.AppearanceDrawn;
        if (!drawn || p.Reconstruction == ReconstructionMethod.Sirt)
            r.Add(new("sirt-iterations", "integer uniform 10–25 (SIRT)"));
        if (!drawn || p.Reconstruction == ReconstructionMethod.Wbp)
        {
            r.Add(new("filter", "hamming 0.5, ramp 0.2, shepp-logan 0.15, hann 0.15 (WBP)"));
            r.Add(new("filter-cutoff", "profile × uniform 0.8–1.4, at most 0.5 cycles/px (WBP)"));
            r.Add(new("filter-falloff", "uniform 0.02–0.08 cycles/px (WBP)"));
        }
        return r;
    }

    /// <summary>
    /// The parameters to simulate: <paramref name="p"/> itself for a fixed appearance (or one already
    /// drawn), else the drawn values (deterministic in the seed) with <see cref="SimulationParameters.AppearanceDrawn"/> set.
    /// </summary>
    public static SimulationParameters Resolve(SimulationParameters p)
    {
        if (p.Appearance == AppearanceMode.Fixed || p.AppearanceDrawn) return p;
        var r = new SimRandom((ulong)p.Seed).Fork("appearance");
        double LogUniform(double a, double b) => Math.Exp(r.Uniform(Math.Log(a), Math.Log(b)));
        double cyto = r.Uniform(0.22, 0.32);
        double nucleo = cyto * r.Uniform(0.80, 1.05);
        var q = p with
        {
            AppearanceDrawn = true,
            CytoplasmLac = cyto,
            NucleoplasmLac = nucleo,
            HeterochromatinLac = nucleo * r.Uniform(1.15, 1.6),
            NucleolusLac = cyto * r.Uniform(1.15, 1.8),
            MitochondriaLac = cyto * r.Uniform(0.95, 1.4),
            CristaeContrast = r.Uniform(0, 0.6),
            EndosomeLac = cyto * r.Uniform(0.45, 1.15),
            DenseEndosomeFraction = r.Uniform(0.05, 0.5),
            ErLac = cyto * r.Uniform(0.55, 1.1),
            VesicleLac = cyto * r.Uniform(0.5, 1.15),
            LipidDropletLac = r.Uniform(0.45, 0.9),
            MembraneContrast = LogUniform(0.6, 2.5),
            TextureStrength = r.Uniform(0.4, 1.6),
            BeadsPerSquareMicron = p.BeadsPerSquareMicron * LogUniform(0.3, 3),
            Photons = p.Photons * LogUniform(0.4, 2.5),
            ZoneWidthNm = p.ZoneWidthNm * r.Uniform(0.85, 1.2),
            DetectorBlurPx = p.DetectorBlurPx * r.Uniform(0.7, 1.5),
            FlatFieldVariation = Math.Min(0.8, p.FlatFieldVariation * r.Uniform(0.5, 1.5)),
        };
        // Drawn even for a capillary, so that the other draws do not depend on the geometry.
        double tmin = -Math.Round(r.Uniform(55, 72)), tmax = Math.Round(r.Uniform(55, 72));
        if (p.Geometry == SampleGeometry.Slab) q = q with { TiltMinDeg = tmin, TiltMaxDeg = tmax };
        bool sirt = r.Chance(0.1);
        int iterations = 10 + r.NextInt(16);
        double u = r.NextDouble();
        var filter = u < 0.5 ? FbpFilter.Hamming : u < 0.7 ? FbpFilter.Ramp : u < 0.85 ? FbpFilter.SheppLogan : FbpFilter.Hann;
        double cutoff = Math.Min(0.5, p.FilterCutoff * r.Uniform(0.8, 1.4)), falloff = r.Uniform(0.02, 0.08);
        q = sirt
            ? q with { Reconstruction = ReconstructionMethod.Sirt, SirtIterations = iterations }
            : q with { Reconstruction = ReconstructionMethod.Wbp, Filter = filter, FilterCutoff = cutoff, FilterFalloff = falloff };
        if (p.Appearance != AppearanceMode.RandomErrors) return q;
        // A generator of its own: the draws above stay those of appearance=random for the same seed.
        var e = new SimRandom((ulong)p.Seed).Fork("acquisition-errors");
        double Scale() => Math.Exp(e.Uniform(Math.Log(ErrorScaleMin), Math.Log(ErrorScaleMax)));
        return q with
        {
            ShiftPx = p.ShiftPx * Scale(),
            AngleJitterDeg = p.AngleJitterDeg * Scale(),
            Flicker = p.Flicker * Scale(),
            ReadNoise = p.ReadNoise * Scale(),
            FlatFieldDriftPx = p.FlatFieldDriftPx * Scale(),
        };
    }

    /// <summary>Smallest and largest factor on the profile's acquisition errors (appearance=random-errors).</summary>
    public const double ErrorScaleMin = 0.5, ErrorScaleMax = 2.5;

    /// <summary>The acquisition errors drawn by appearance=random-errors (in this order, from their own generator).</summary>
    public static IReadOnlyList<AppearanceRange> ErrorRanges { get; } = new AppearanceRange[]
    {
        new("shift", "profile × log-uniform 0.5–2.5 (residual misalignment)"),
        new("angle-jitter", "profile × log-uniform 0.5–2.5"),
        new("flicker", "profile × log-uniform 0.5–2.5"),
        new("read-noise", "profile × log-uniform 0.5–2.5"),
        new("flat-field-drift", "profile × log-uniform 0.5–2.5"),
    };

    /// <summary>"fixed", "random" or "random-errors".</summary>
    public static string Name(AppearanceMode mode) => mode switch
    {
        AppearanceMode.Random => "random",
        AppearanceMode.RandomErrors => "random-errors",
        _ => "fixed",
    };
}
