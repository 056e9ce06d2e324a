using System.Globalization;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Thresholds of filopodia detection, in nm so that a biologist can set them from what a
/// filopodium looks like. Every value is recorded in the outputs.
/// </summary>
public sealed record FilopodiaOptions
{
    /// <summary>
    /// Widest filopodium (nm, default 250). The cell body is what a ball of this diameter can
    /// reach inside the cell (a morphological opening); thinner parts sticking out are protrusions.
    /// Must be smaller than the thinnest part of the cell body (about 350–500 nm at the edge of an
    /// adherent cell).
    /// </summary>
    public double MaxDiameterNm { get; init; } = 250;

    /// <summary>
    /// Thinnest filopodium (nm, default 60). Protrusions thinner than this everywhere (membrane
    /// slivers along the cell's edge, label noise) are ignored.
    /// </summary>
    public double MinDiameterNm { get; init; } = 60;

    /// <summary>Shortest filopodium, from its base on the cell body to its tip (nm, default 200).</summary>
    public double MinLengthNm { get; init; } = 200;

    /// <summary>
    /// Closing steps (3×3×3) applied to the membrane labels before the cell is filled (default 1):
    /// bridges gaps of about two voxels in the plasma membrane, through which the cell's inside
    /// would otherwise leak into the ice.
    /// </summary>
    public int CloseSteps { get; init; } = 1;

    /// <summary>
    /// Membranes up to this thickness (nm, default 80) are split down their middle: the filled
    /// objects end at the centre of the membrane label, where the membrane is, not at its outer
    /// edge. Thicker label bands keep their outer 1.5 voxels off.
    /// </summary>
    public double MaxMembraneThicknessNm { get; init; } = 80;

    /// <summary>Leave out filopodia touching a face of the volume (cut by the field of view) from the summary (default true, as the paper).</summary>
    public bool ExcludeCutByFieldOfView { get; init; } = true;

    /// <summary>Filopodia closer than this to a gold bead (nm, default 50) are left out of the summary, when a bead mask is given.</summary>
    public double BeadDistanceNm { get; init; } = 50;

    /// <summary>
    /// Tomogram value above which a voxel is gold (only with a tomogram; default null: 2.5 × the
    /// tomogram's 99.9th percentile, far above any biological material).
    /// </summary>
    public double? BeadThreshold { get; init; }

    /// <summary>With a cell mask: its inside deeper than this (nm, default 100) can never be outside the cells.</summary>
    public double CellMaskMarginNm { get; init; } = 100;

    /// <summary>
    /// How the cells are filled from their membrane labels (default <see cref="FillMode.Auto"/>): in 3D from the
    /// top and bottom faces (exact labels, closed cells), or slice by slice in 2D (a network's labels, open at the
    /// top and bottom where the membrane lies in the slice plane).
    /// </summary>
    public FillMode Fill { get; init; } = FillMode.Auto;

    /// <summary>Slice-by-slice filling: a voxel is inside when most of the 2k + 1 slices around it are (k, default 1; 0 = none).</summary>
    public int ZMajority { get; init; } = 1;

    /// <summary>Taubin iterations applied to each filopodium's surface before its area is measured (default 10).</summary>
    public int SurfaceSmoothing { get; init; } = 10;

    /// <summary>Throws <see cref="InvalidOptionException"/> for impossible values.</summary>
    public void Validate()
    {
        static bool Pos(double v) => v > 0 && double.IsFinite(v);
        if (!Pos(MaxDiameterNm)) throw new InvalidOptionException(nameof(MaxDiameterNm), "must be a positive number of nm");
        if (!Pos(MinDiameterNm)) throw new InvalidOptionException(nameof(MinDiameterNm), "must be a positive number of nm");
        if (MinDiameterNm >= MaxDiameterNm)
            throw new InvalidOptionException(nameof(MinDiameterNm), string.Create(CultureInfo.InvariantCulture, $"must be below --max-diameter ({MinDiameterNm} ≥ {MaxDiameterNm} nm)"));
        if (!(MinLengthNm >= 0) || double.IsInfinity(MinLengthNm)) throw new InvalidOptionException(nameof(MinLengthNm), "must be a non-negative number of nm");
        if (CloseSteps is < 0 or > 10) throw new InvalidOptionException(nameof(CloseSteps), "must be 0..10 steps");
        if (!(MaxMembraneThicknessNm >= 0) || double.IsInfinity(MaxMembraneThicknessNm)) throw new InvalidOptionException(nameof(MaxMembraneThicknessNm), "must be a non-negative number of nm");
        if (!(BeadDistanceNm >= 0) || double.IsInfinity(BeadDistanceNm)) throw new InvalidOptionException(nameof(BeadDistanceNm), "must be a non-negative number of nm");
        if (BeadThreshold is { } bt && !double.IsFinite(bt)) throw new InvalidOptionException(nameof(BeadThreshold), "must be a number");
        if (!(CellMaskMarginNm >= 0) || double.IsInfinity(CellMaskMarginNm)) throw new InvalidOptionException(nameof(CellMaskMarginNm), "must be a non-negative number of nm");
        if (!Enum.IsDefined(Fill)) throw new InvalidOptionException(nameof(Fill), "must be auto, volume or slices");
        if (ZMajority is < 0 or > 20) throw new InvalidOptionException(nameof(ZMajority), "must be 0..20 slices");
        if (SurfaceSmoothing < 0) throw new InvalidOptionException(nameof(SurfaceSmoothing), "must be ≥ 0");
    }

    /// <summary>Records every option in <paramref name="provenance"/>.</summary>
    public void Record(Provenance provenance)
    {
        provenance.Set("max_diameter_nm", MaxDiameterNm).Set("min_diameter_nm", MinDiameterNm).Set("min_length_nm", MinLengthNm)
            .Set("close", CloseSteps).Set("max_membrane_thickness_nm", MaxMembraneThicknessNm)
            .Set("exclude_cut_by_fov", ExcludeCutByFieldOfView).Set("bead_distance_nm", BeadDistanceNm).Set("bead_threshold", BeadThreshold?.ToString(CultureInfo.InvariantCulture) ?? "auto").Set("cell_mask_margin_nm", CellMaskMarginNm).Set("smooth", SurfaceSmoothing)
            .Set("fill", Fill.ToString().ToLowerInvariant()).Set("z_majority", ZMajority);
    }
}
