using System.Globalization;

namespace SxtSeg.Simulation;

/// <summary>
/// Every parameter of a simulation: phantom, optics, acquisition, reconstruction and labels.
/// Start from an instrument profile (<see cref="FromProfile"/>) and override with <c>with</c> or
/// by name (<see cref="SimulationParameterTable.Set"/>, the CLI's <c>--set name=value</c>); call
/// <see cref="Validate"/> before simulating. Lengths are in nm, linear absorption coefficients
/// (LAC) in 1/µm, angles in degrees. Sizes are voxels along x, y, z; the tilt axis is y.
/// </summary>
public sealed record SimulationParameters
{
    /// <summary>Names of the instrument profiles.</summary>
    public static IReadOnlyList<string> ProfileNames { get; } = new[] { "bessy-u41", "alba-mistral", "diamond-b24", "als-xm2" };

    /// <summary>The profile used when none is given.</summary>
    public const string DefaultProfile = "bessy-u41";

    // ---- identity and grid ----

    /// <summary>Instrument profile these values started from.</summary>
    public string Profile { get; init; } = DefaultProfile;

    /// <summary>Random seed: same seed and parameters give byte-identical outputs.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>
    /// Fixed (the values as given) or random: contrasts, texture, noise, optics, tilt range and
    /// reconstruction drawn per tomogram from <see cref="AppearanceRandomiser"/>'s ranges.
    /// </summary>
    public AppearanceMode Appearance { get; init; } = AppearanceMode.Fixed;

    /// <summary>True once the random appearance has been drawn into these values (so it is not drawn twice).</summary>
    public bool AppearanceDrawn { get; init; }

    /// <summary>Voxels along x (perpendicular to the tilt axis).</summary>
    public int Nx { get; init; } = 256;

    /// <summary>Voxels along y (the tilt axis).</summary>
    public int Ny { get; init; } = 256;

    /// <summary>Voxels along z (beam direction at 0° tilt).</summary>
    public int Nz { get; init; } = 128;

    /// <summary>Isotropic voxel size (nm); also the detector pixel size.</summary>
    public double VoxelSizeNm { get; init; } = 9.8;

    // ---- specimen ----

    /// <summary>Slab (adherent cells) or capillary (suspended cells).</summary>
    public SampleGeometry Geometry { get; init; } = SampleGeometry.Slab;

    /// <summary>Ice thickness (slab) or inner capillary diameter (nm); 0 = automatic (75 % of the z extent for a slab; for a capillary 85 % of min(x, z) less the walls).</summary>
    public double IceThicknessNm { get; init; }

    /// <summary>Glass wall thickness of the capillary (nm).</summary>
    public double CapillaryWallNm { get; init; } = 150;

    /// <summary>Number of cells (the first covers the field of view, the others lie next to it).</summary>
    public int Cells { get; init; } = 1;

    /// <summary>Median footprint radius of an adherent cell, or body radius of a suspended cell (nm; 0 for a suspended cell = filling the capillary).</summary>
    public double CellRadiusNm { get; init; } = 16000;

    /// <summary>Height of an adherent cell over its nucleus (nm; capped by the ice thickness).</summary>
    public double CellHeightNm { get; init; } = 4500;

    /// <summary>Height of the thin periphery of an adherent cell (nm).</summary>
    public double CellEdgeHeightNm { get; init; } = 450;

    /// <summary>Distance of the field of view's centre from the cell centre as a fraction of the cell radius; negative = random in 0.2–1.0.</summary>
    public double ViewOffset { get; init; } = -1;

    /// <summary>Mitochondria volume fraction of the cytoplasm.</summary>
    public double MitochondriaFraction { get; init; } = 0.08;

    /// <summary>ER (tubules and sheets) volume fraction of the cytoplasm.</summary>
    public double ErFraction { get; init; } = 0.05;

    /// <summary>Endosome, lysosome and vacuole volume fraction of the cytoplasm.</summary>
    public double EndosomeFraction { get; init; } = 0.12;

    /// <summary>Fraction of the endosomes that are dense lysosomes (the others have watery content, lighter than cytoplasm).</summary>
    public double DenseEndosomeFraction { get; init; } = 0.2;

    /// <summary>Median radius of endosomes, lysosomes and vacuoles (nm; log-normal, 100–800 nm).</summary>
    public double EndosomeRadiusNm { get; init; } = 320;

    /// <summary>Lipid droplet volume fraction of the cytoplasm.</summary>
    public double LipidDropletFraction { get; init; } = 0.008;

    /// <summary>Small vesicle volume fraction of the cytoplasm.</summary>
    public double VesicleFraction { get; init; } = 0.003;

    /// <summary>Filopodia per µm of cell boundary.</summary>
    public double FilopodiaPerMicron { get; init; } = 0.35;

    /// <summary>Microvilli per µm² of the dorsal (top) surface of an adherent cell.</summary>
    public double MicrovilliPerSquareMicron { get; init; } = 0.3;

    /// <summary>Gold fiducial beads per µm² of specimen area.</summary>
    public double BeadsPerSquareMicron { get; init; } = 0.06;

    /// <summary>Mean gold bead diameter (nm; ±15 % spread).</summary>
    public double BeadDiameterNm { get; init; } = 150;

    /// <summary>Nuclear pores per µm² of envelope.</summary>
    public double NuclearPoresPerSquareMicron { get; init; } = 8;

    /// <summary>Nuclear pore diameter (nm).</summary>
    public double NuclearPoreDiameterNm { get; init; } = 100;

    /// <summary>Distance between the two bilayers of the nuclear envelope (nm).</summary>
    public double NuclearEnvelopeGapNm { get; init; } = 30;

    /// <summary>Distance between the outer and inner mitochondrial membranes (nm).</summary>
    public double MitochondrialMembraneGapNm { get; init; } = 20;

    /// <summary>Bilayer thickness (nm).</summary>
    public double MembraneThicknessNm { get; init; } = 5;

    // ---- linear absorption coefficients (1/µm) at ~517 eV ----

    /// <summary>Vitreous ice.</summary>
    public double IceLac { get; init; } = 0.104;

    /// <summary>Capillary glass.</summary>
    public double GlassLac { get; init; } = 1.2;

    /// <summary>Cytoplasm (mean; each cell varies ±8 %).</summary>
    public double CytoplasmLac { get; init; } = 0.27;

    /// <summary>Nucleoplasm (euchromatin).</summary>
    public double NucleoplasmLac { get; init; } = 0.25;

    /// <summary>Heterochromatin.</summary>
    public double HeterochromatinLac { get; init; } = 0.31;

    /// <summary>Nucleolus.</summary>
    public double NucleolusLac { get; init; } = 0.37;

    /// <summary>Mitochondrial matrix (mean; per object ±10 %), between the cristae.</summary>
    public double MitochondriaLac { get; init; } = 0.35;

    /// <summary>Relative amplitude of the cristae: dense lamellae across the mitochondrion, below the resolution, rendered as a modulation of the matrix LAC (not labelled).</summary>
    public double CristaeContrast { get; init; } = 0.35;

    /// <summary>Watery endosome and vacuole content (mean; per object ±30 %; dense lysosomes are 1.2–1.8 × cytoplasm).</summary>
    public double EndosomeLac { get; init; } = 0.17;

    /// <summary>Lipid droplets (mean; per object 0.5–0.9).</summary>
    public double LipidDropletLac { get; init; } = 0.6;

    /// <summary>Small vesicle lumen.</summary>
    public double VesicleLac { get; init; } = 0.19;

    /// <summary>ER lumen.</summary>
    public double ErLac { get; init; } = 0.25;

    /// <summary>Phospholipid bilayer.</summary>
    public double MembraneLac { get; init; } = 0.94;

    /// <summary>
    /// Effective membrane contrast: the bilayer's excess absorption (thickness × (membrane LAC − mean
    /// of the two sides)) is multiplied by this, standing for the dense protein coat of real membranes
    /// and the edge enhancement of partially coherent imaging that make membranes stand out in real
    /// tomograms more than a bare 5 nm bilayer would (1 = bare bilayer).
    /// </summary>
    public double MembraneContrast { get; init; } = 1.0;

    /// <summary>Gold.</summary>
    public double GoldLac { get; init; } = 23.5;

    /// <summary>Strength of the sub-resolution texture of cytoplasm, nucleus and organelle content (1 = default, 0 = flat).</summary>
    public double TextureStrength { get; init; } = 1.0;

    // ---- optics ----

    /// <summary>Outermost zone width of the objective zone plate (nm): resolution ≈ 1.22·Δr.</summary>
    public double ZoneWidthNm { get; init; } = 25;

    /// <summary>Photon energy (eV); the wavelength is 1239.84 / E nm.</summary>
    public double PhotonEnergyEv { get; init; } = 517;

    /// <summary>Model the depth of focus (blur growing away from the focal plane).</summary>
    public bool DepthOfFocus { get; init; } = true;

    /// <summary>Focal plane position along the beam relative to the rotation centre (nm).</summary>
    public double FocusOffsetNm { get; init; }

    // ---- acquisition ----

    /// <summary>First tilt angle (degrees).</summary>
    public double TiltMinDeg { get; init; } = -65;

    /// <summary>Last tilt angle (degrees).</summary>
    public double TiltMaxDeg { get; init; } = 65;

    /// <summary>Tilt step (degrees).</summary>
    public double TiltStepDeg { get; init; } = 1;

    /// <summary>Incident photons per detector pixel per projection (0 = no photon noise).</summary>
    public double Photons { get; init; } = 3000;

    /// <summary>Relative amplitude of the smooth illumination (flat-field) non-uniformity.</summary>
    public double FlatFieldVariation { get; init; } = 0.12;

    /// <summary>Drift of the illumination pattern between the flat-field image and the last projection (pixels).</summary>
    public double FlatFieldDriftPx { get; init; } = 0.5;

    /// <summary>Number of flat-field images averaged for normalisation.</summary>
    public int FlatFrames { get; init; } = 30;

    /// <summary>Uncorrected projection-to-projection intensity fluctuation (relative standard deviation).</summary>
    public double Flicker { get; init; } = 0.01;

    /// <summary>Detector read noise (counts, standard deviation).</summary>
    public double ReadNoise { get; init; } = 2;

    /// <summary>Detector and processing blur applied to the recorded images after the photon noise (Gaussian σ, pixels): scintillator/camera spread and the interpolation of alignment.</summary>
    public double DetectorBlurPx { get; init; } = 0.6;

    /// <summary>Residual misalignment: standard deviation of per-projection shifts (pixels).</summary>
    public double ShiftPx { get; init; } = 0.5;

    /// <summary>Standard deviation of the per-projection tilt angle error (degrees).</summary>
    public double AngleJitterDeg { get; init; } = 0.1;

    // ---- reconstruction ----

    /// <summary>WBP or SIRT.</summary>
    public ReconstructionMethod Reconstruction { get; init; } = ReconstructionMethod.Wbp;

    /// <summary>Window of the WBP ramp filter.</summary>
    public FbpFilter Filter { get; init; } = FbpFilter.Hamming;

    /// <summary>SIRT iterations.</summary>
    public int SirtIterations { get; init; } = 20;

    /// <summary>WBP radial filter cutoff (cycles/pixel; 0.5 = none), as IMOD's RADIAL first value.</summary>
    public double FilterCutoff { get; init; } = 0.35;

    /// <summary>WBP radial filter Gaussian fall-off above the cutoff (cycles/pixel), as IMOD's RADIAL second value.</summary>
    public double FilterFalloff { get; init; } = 0.05;

    // ---- labels and outputs ----

    /// <summary>Membrane label half-width (voxels): voxels whose centre lies within this distance of a membrane surface are labelled.</summary>
    public double ShellHalfWidthVoxels { get; init; } = 1.25;

    /// <summary>
    /// Ignore-mask margin (degrees) added to the missing-wedge half-angle 90° − max tilt: a membrane
    /// whose normal lies within that angle of the beam axis z is face-on in x–y slices and hidden by
    /// the missing wedge, so it is marked "not visible" (ignore.mrc).
    /// </summary>
    public double IgnoreMarginDeg { get; init; } = 10;

    /// <summary>
    /// Membranes whose normal lies deeper than this (degrees) inside the missing wedge (also those
    /// tilted about x, which the cone about z misses) are marked "not visible".
    /// </summary>
    public double IgnoreWedgeDepthDeg { get; init; } = 10;

    /// <summary>
    /// Membranes whose normal is within this angle (degrees) of z are marked "not visible" even
    /// without a missing wedge: in an x–y slice they are a faint filled patch, not a line.
    /// </summary>
    public double IgnoreFaceOnDeg { get; init; } = 25;

    /// <summary>Width (voxels) of the band around not-visible membranes that is ignored too.</summary>
    public double IgnoreBandVoxels { get; init; } = 1;

    /// <summary>
    /// Membranes out of focus in every view that shows them edge-on are marked "not visible" when this
    /// is above 0: a membrane's profile across it reaches the reconstruction through the projections
    /// whose beam is within <see cref="IgnoreMarginDeg"/> of its plane, and when even the nearest of
    /// them to the focal plane is farther than this many depths of focus, the membrane arrives blurred
    /// (σ ≥ σ₀·√(1 + 4·c²)). 0 (the default) = off: defocused membranes count as visible.
    /// </summary>
    public double IgnoreDefocus { get; init; }

    /// <summary>Keep the simulated tilt series (needed to save tiltseries.mrc).</summary>
    public bool KeepTiltSeries { get; init; }

    /// <summary>
    /// Also write <c>clean.mrc</c> (folder output): the same phantom, acquisition and reconstruction
    /// without noise (<see cref="NoiseFreeTwin"/>), the denoising target of <c>sxtseg train --clean-target</c>.
    /// </summary>
    public bool CleanTwin { get; init; }

    /// <summary>
    /// These parameters without acquisition noise: no photon or read noise (photons 0: the ideal
    /// transmission divided by the ideal flat field) and no flicker. Everything else (phantom,
    /// optics, flat-field pattern and its drift, misalignment, reconstruction) is unchanged.
    /// </summary>
    public SimulationParameters NoiseFreeTwin() => this with { Photons = 0, Flicker = 0, KeepTiltSeries = false };

    // ---- derived ----

    /// <summary>Wavelength (nm).</summary>
    public double WavelengthNm => 1239.84 / PhotonEnergyEv;

    /// <summary>Numerical aperture of the zone plate, λ / (2 Δr).</summary>
    public double NumericalAperture => WavelengthNm / (2 * ZoneWidthNm);

    /// <summary>Depth of focus λ / NA² (nm).</summary>
    public double DepthOfFocusNm => WavelengthNm / (NumericalAperture * NumericalAperture);

    /// <summary>
    /// The smaller of |first tilt| and |last tilt| (degrees): the missing wedge is widest on that side,
    /// so this sets the half-angle 90° − it of the information missing about z.
    /// </summary>
    public double MaxTiltDeg => Math.Min(Math.Abs(TiltMinDeg), Math.Abs(TiltMaxDeg));

    /// <summary>Rayleigh resolution 1.22·Δr (nm).</summary>
    public double ResolutionNm => 1.22 * ZoneWidthNm;

    /// <summary>Nominal tilt angles (degrees), from <see cref="TiltMinDeg"/> to <see cref="TiltMaxDeg"/> by <see cref="TiltStepDeg"/>.</summary>
    public double[] TiltAngles()
    {
        int n = (int)Math.Floor((TiltMaxDeg - TiltMinDeg) / TiltStepDeg + 1e-6) + 1;
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = Math.Round(TiltMinDeg + i * TiltStepDeg, 9);
        return a;
    }

    /// <summary>Effective ice thickness or capillary inner diameter (nm), resolving "automatic".</summary>
    public double EffectiveIceThicknessNm => IceThicknessNm > 0
        ? IceThicknessNm
        : Geometry == SampleGeometry.Slab ? 0.75 * Nz * VoxelSizeNm : Math.Max(0.85 * Math.Min(Nx, Nz) * VoxelSizeNm - 2 * CapillaryWallNm, 0.5 * Math.Min(Nx, Nz) * VoxelSizeNm);

    /// <summary>The parameters of an instrument profile (defaults for everything else).</summary>
    public static SimulationParameters FromProfile(string name)
    {
        string key = (name ?? "").Trim().ToLowerInvariant();
        var p = new SimulationParameters();
        return key switch
        {
            "bessy-u41" => p with { Profile = key },
            "alba-mistral" => p with
            {
                Profile = key, VoxelSizeNm = 13, ZoneWidthNm = 40, TiltMinDeg = -70, TiltMaxDeg = 68, TiltStepDeg = 1,
                Photons = 2000, FlatFieldVariation = 0.15, FlatFieldDriftPx = 0.8, Flicker = 0.012, ShiftPx = 0.6,
                Filter = FbpFilter.Hamming, FilterCutoff = 0.2, FilterFalloff = 0.03, DetectorBlurPx = 1.0,
            },
            "diamond-b24" => p with
            {
                Profile = key, VoxelSizeNm = 10, ZoneWidthNm = 40, TiltMinDeg = -60, TiltMaxDeg = 60, TiltStepDeg = 1,
                Photons = 700, FlatFieldVariation = 0.2, FlatFieldDriftPx = 1.5, FlatFrames = 10, Flicker = 0.025, ReadNoise = 4,
                ShiftPx = 1.0, AngleJitterDeg = 0.2,
            },
            "als-xm2" => p with
            {
                Profile = key, VoxelSizeNm = 30, ZoneWidthNm = 80, TiltMinDeg = -90, TiltMaxDeg = 90, TiltStepDeg = 2,
                Geometry = SampleGeometry.Capillary, Nx = 256, Ny = 256, Nz = 256, CellRadiusNm = 0, Cells = 2,
                // 45000 photons: the real slices' pixel noise (3×3 high-pass, robust SD) is 0.044 (4 hpi) and 0.064 (NI) of
                // the cell–ice contrast in the ice; 80000 photons gave 0.040, 45000 gives ≈ 0.048.
                Photons = 45000, FlatFieldVariation = 0.1, FlatFieldDriftPx = 0.3, Flicker = 0.01, ShiftPx = 0.4,
                BeadsPerSquareMicron = 0.002, FilopodiaPerMicron = 0.6, Filter = FbpFilter.Hamming, DetectorBlurPx = 0.3, FilterCutoff = 0.25,
                // Specimen calibrated on the real ALS XM-2 slices (docs/simulation.md, Realism): mostly dense organelles, but
                // the darkest 1 % of the real cells reach the ice level and 5 % lie below half the cell–ice contrast, so the
                // watery vacuoles are nearly water (0.12 against ice 0.104) and 70 % of the endosomes are watery; the nuclei
                // show no resolved heterochromatin clumps at 30 nm pixels (heterochromatin 8 % over nucleoplasm).
                DenseEndosomeFraction = 0.3, EndosomeFraction = 0.06, MitochondriaFraction = 0.10,
                EndosomeLac = 0.12, HeterochromatinLac = 0.27,
            },
            _ => throw new InvalidOptionException(nameof(Profile), $"unknown profile '{name}' (use {string.Join(", ", ProfileNames)})"),
        };
    }

    /// <summary>Parses "512x512x256" (also "512×512×256" or "512,512,256") into voxel counts.</summary>
    public static (int Nx, int Ny, int Nz) ParseSize(string text, string option = SizeKey)
    {
        string[] parts = (text ?? "").Split(new[] { 'x', 'X', '×', ',' }, StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
            throw new InvalidOptionException(option, $"'{text}' is not a size; give voxels as X×Y×Z, e.g. 512x512x256");
        var v = new int[3];
        for (int i = 0; i < 3; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out v[i]))
                throw new InvalidOptionException(option, $"'{text}' is not a size; give voxels as X×Y×Z, e.g. 512x512x256");
        return (v[0], v[1], v[2]);
    }

    /// <summary>Key of the errors of the volume size (<see cref="InvalidOptionException.Option"/>): <see cref="Nx"/>, <see cref="Ny"/> and <see cref="Nz"/> together.</summary>
    public const string SizeKey = "Size";

    /// <summary>Key of the errors of the tilt range (<see cref="InvalidOptionException.Option"/>): <see cref="TiltMinDeg"/>, <see cref="TiltMaxDeg"/> and <see cref="TiltStepDeg"/> together.</summary>
    public const string TiltKey = "Tilt";

    /// <summary>Largest number of voxels simulated in memory (outputs take about 8 bytes per voxel).</summary>
    public const long MaxVoxels = 2_000_000_000L;

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/> naming the setting's key (a property name, <see cref="SizeKey"/>, <see cref="TiltKey"/> or a <see cref="SimulationParameterTable.ParameterKey"/>) and the problem.</summary>
    public void Validate()
    {
        if (Nx < 16 || Ny < 16 || Nz < 16)
            throw new InvalidOptionException(SizeKey, $"{Nx}×{Ny}×{Nz} is impossible: every dimension needs at least 16 voxels");
        if (Nx > 16384 || Ny > 16384 || Nz > 8192)
            throw new InvalidOptionException(SizeKey, $"{Nx}×{Ny}×{Nz} is too large (at most 16384 × 16384 × 8192)");
        if ((long)Nx * Ny * Nz > MaxVoxels)
            throw new InvalidOptionException(SizeKey, $"{Nx}×{Ny}×{Nz} = {(long)Nx * Ny * Nz:N0} voxels exceeds the in-memory limit of {MaxVoxels:N0}");
        if (!(VoxelSizeNm > 0) || !double.IsFinite(VoxelSizeNm))
            throw new InvalidOptionException(nameof(VoxelSizeNm), $"voxel size must be a positive number of nm, got {F(VoxelSizeNm)}");
        if (VoxelSizeNm < 1 || VoxelSizeNm > 500)
            throw new InvalidOptionException(nameof(VoxelSizeNm), $"{F(VoxelSizeNm)} nm is outside the range the simulator supports (1–500 nm)");
        if (!double.IsFinite(TiltMinDeg) || !double.IsFinite(TiltMaxDeg) || TiltMinDeg < -90 || TiltMaxDeg > 90)
            throw new InvalidOptionException(TiltKey, $"tilt range {F(TiltMinDeg)}°..{F(TiltMaxDeg)}° goes beyond ±90°");
        if (!(TiltMaxDeg > TiltMinDeg))
            throw new InvalidOptionException(TiltKey, $"the last tilt ({F(TiltMaxDeg)}°) must be larger than the first ({F(TiltMinDeg)}°)");
        if (!(TiltStepDeg > 0) || TiltStepDeg > TiltMaxDeg - TiltMinDeg)
            throw new InvalidOptionException(TiltKey, $"tilt step {F(TiltStepDeg)}° must be positive and at most the range");
        if (TiltAngles().Length > 3600)
            throw new InvalidOptionException(TiltKey, $"{TiltAngles().Length} projections is too many (at most 3600)");
        if (Geometry == SampleGeometry.Slab && Math.Max(-TiltMinDeg, TiltMaxDeg) > 80)
            throw new InvalidOptionException(TiltKey, $"a flat ice slab cannot be imaged beyond ±80° (the path through it grows as 1/cos θ); tilts of {F(TiltMinDeg)}°..{F(TiltMaxDeg)}° need --set geometry=capillary");
        if (Geometry == SampleGeometry.Slab && EffectiveIceThicknessNm > Nz * VoxelSizeNm)
            throw new InvalidOptionException(SimulationParameterTable.ParameterKey("ice-thickness"), $"{F(EffectiveIceThicknessNm)} nm of ice does not fit in {Nz} slices of {F(VoxelSizeNm)} nm ({F(Nz * VoxelSizeNm)} nm)");
        if (Geometry == SampleGeometry.Capillary && EffectiveIceThicknessNm + 2 * CapillaryWallNm > Math.Min(Nx, Nz) * VoxelSizeNm)
            throw new InvalidOptionException(SimulationParameterTable.ParameterKey("ice-thickness"), $"a capillary of {F(EffectiveIceThicknessNm + 2 * CapillaryWallNm)} nm does not fit in the {Math.Min(Nx, Nz)}-voxel x–z field of view");
        if (EffectiveIceThicknessNm < 8 * VoxelSizeNm)
            throw new InvalidOptionException(SimulationParameterTable.ParameterKey("ice-thickness"), $"{F(EffectiveIceThicknessNm)} nm of ice is thinner than 8 voxels");
        Positive(ZoneWidthNm, "zone-width");
        Positive(PhotonEnergyEv, "photon-energy");
        if (Geometry == SampleGeometry.Slab || CellRadiusNm != 0) Positive(CellRadiusNm, "cell-radius");
        Positive(CellHeightNm, "cell-height");
        Positive(CellEdgeHeightNm, "cell-edge-height");
        Positive(BeadDiameterNm, "bead-diameter");
        Positive(MembraneThicknessNm, "membrane-thickness");
        Positive(NuclearPoreDiameterNm, "nuclear-pore-diameter");
        if (!(MembraneContrast >= 0 && MembraneContrast <= 50)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("membrane-contrast"), $"must be 0–50, got {F(MembraneContrast)}");
        if (!(DenseEndosomeFraction >= 0 && DenseEndosomeFraction <= 1)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("dense-endosome-fraction"), $"must be 0–1, got {F(DenseEndosomeFraction)}");
        if (!(CristaeContrast >= 0 && CristaeContrast <= 1)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("cristae-contrast"), $"must be 0–1, got {F(CristaeContrast)}");
        if (!(EndosomeRadiusNm >= 50 && EndosomeRadiusNm <= 2000)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("endosome-radius"), $"must be 50–2000 nm, got {F(EndosomeRadiusNm)}");
        if (!(MicrovilliPerSquareMicron >= 0 && MicrovilliPerSquareMicron <= 20)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("microvilli-per-square-micron"), $"must be 0–20, got {F(MicrovilliPerSquareMicron)}");
        if (Cells < 0 || Cells > 16) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("cells"), $"{Cells} cells: use 0–16");
        foreach (var (name, v) in new[] { ("mitochondria-fraction", MitochondriaFraction), ("er-fraction", ErFraction), ("endosome-fraction", EndosomeFraction), ("lipid-droplet-fraction", LipidDropletFraction), ("vesicle-fraction", VesicleFraction) })
            if (!(v >= 0 && v <= 0.5)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey(name), $"{F(v)} is not a volume fraction in 0–0.5");
        if (MitochondriaFraction + ErFraction + EndosomeFraction + LipidDropletFraction + VesicleFraction > 0.6)
            throw new InvalidOptionException(SimulationParameterTable.SetKey, "organelle volume fractions add up to more than 0.6 of the cytoplasm");
        foreach (var (name, v) in new[] { ("photons", Photons), ("flat-field-variation", FlatFieldVariation), ("flat-field-drift", FlatFieldDriftPx), ("flicker", Flicker), ("read-noise", ReadNoise), ("shift", ShiftPx), ("angle-jitter", AngleJitterDeg), ("detector-blur", DetectorBlurPx), ("filopodia-per-micron", FilopodiaPerMicron), ("beads-per-square-micron", BeadsPerSquareMicron), ("nuclear-pores-per-square-micron", NuclearPoresPerSquareMicron), ("texture", TextureStrength), ("capillary-wall", CapillaryWallNm), ("nuclear-envelope-gap", NuclearEnvelopeGapNm), ("mitochondrial-membrane-gap", MitochondrialMembraneGapNm) })
            if (!(v >= 0) || !double.IsFinite(v)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey(name), $"must be a non-negative number, got {F(v)}");
        // A detector blur beyond 4 px (FWHM 9.4 px) is no detector's; its kernel also shares the slab halo with the PSF.
        if (DetectorBlurPx > 4) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("detector-blur"), $"at most 4 px (a Gaussian SD; FWHM 9.4 px), got {F(DetectorBlurPx)}");
        if (FlatFieldVariation >= 0.9) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("flat-field-variation"), "must be below 0.9");
        if (Flicker >= 0.5) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("flicker"), "must be below 0.5");
        foreach (var (name, v) in new[] { ("ice-lac", IceLac), ("glass-lac", GlassLac), ("cytoplasm-lac", CytoplasmLac), ("nucleoplasm-lac", NucleoplasmLac), ("heterochromatin-lac", HeterochromatinLac), ("nucleolus-lac", NucleolusLac), ("mitochondria-lac", MitochondriaLac), ("endosome-lac", EndosomeLac), ("lipid-droplet-lac", LipidDropletLac), ("vesicle-lac", VesicleLac), ("er-lac", ErLac), ("membrane-lac", MembraneLac), ("gold-lac", GoldLac) })
            if (!(v >= 0 && v < 1000)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey(name), $"LAC must be 0–1000 per µm, got {F(v)}");
        if (!(ShellHalfWidthVoxels > 0 && ShellHalfWidthVoxels <= 5))
            throw new InvalidOptionException(nameof(ShellHalfWidthVoxels), $"membrane shell half-width must be in (0, 5] voxels, got {F(ShellHalfWidthVoxels)}");
        foreach (var (name, v) in new[] { ("ignore-margin", IgnoreMarginDeg), ("ignore-wedge-depth", IgnoreWedgeDepthDeg), ("ignore-face-on", IgnoreFaceOnDeg) })
            if (!(v >= 0 && v <= 90)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey(name), $"must be an angle in 0–90°, got {F(v)}");
        if (!(IgnoreDefocus >= 0 && IgnoreDefocus <= 100)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("ignore-defocus"), $"must be 0 (off) to 100 depths of focus, got {F(IgnoreDefocus)}");
        if (!(IgnoreBandVoxels >= 0 && IgnoreBandVoxels <= 5)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("ignore-band"), $"must be 0–5 voxels, got {F(IgnoreBandVoxels)}");
        if (!(FilterCutoff > 0 && FilterCutoff <= 0.5)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("filter-cutoff"), $"must be in (0, 0.5] cycles/pixel, got {F(FilterCutoff)}");
        if (!(FilterFalloff >= 0 && FilterFalloff <= 0.5)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("filter-falloff"), $"must be in [0, 0.5] cycles/pixel, got {F(FilterFalloff)}");
        if (SirtIterations < 1 || SirtIterations > 1000)
            throw new InvalidOptionException(nameof(SirtIterations), $"SIRT iterations must be 1–1000, got {SirtIterations}");
        if (FlatFrames < 1 || FlatFrames > 1000)
            throw new InvalidOptionException(SimulationParameterTable.ParameterKey("flat-frames"), $"must be 1–1000, got {FlatFrames}");
        if (!double.IsFinite(FocusOffsetNm)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("focus-offset"), "must be a finite number of nm");
        if (!double.IsFinite(ViewOffset) || ViewOffset > 3) throw new InvalidOptionException(SimulationParameterTable.ParameterKey("view-offset"), $"must be negative (random) or 0–3, got {F(ViewOffset)}");
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || !double.IsFinite(v)) throw new InvalidOptionException(SimulationParameterTable.ParameterKey(name), $"must be a positive number, got {F(v)}");
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
