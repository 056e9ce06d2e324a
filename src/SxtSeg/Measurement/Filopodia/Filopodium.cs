using SxtSeg.Morphology;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// One filopodium separated from the cell body at its base: the solid protrusion (filled, ending
/// at the middle of its membrane) with the Table S1 measures and its length.
/// </summary>
public sealed record Filopodium
{
    /// <summary>Number 1..N, in raster order (z, y, x) of each filopodium's first voxel.</summary>
    public required int Id { get; init; }

    /// <summary>Touches a face of the volume: cut by the field of view.</summary>
    public required bool CutByFieldOfView { get; init; }

    /// <summary>Within the bead distance of a gold bead (only when a bead mask was given).</summary>
    public required bool NearBead { get; init; }

    /// <summary>In the summary: not cut by the field of view (unless the options keep those) and not near a bead.</summary>
    public required bool InSummary { get; init; }

    /// <summary>
    /// Volume, equivalent-ellipsoid axes, centroid, extents and the 2D cross-section means of the
    /// solid filopodium (as <c>sxtseg measure</c>); its <see cref="ObjectMeasurement.SurfaceAreaNm2"/>
    /// is the closed surface, base included.
    /// </summary>
    public required ObjectMeasurement Measures { get; init; }

    /// <summary>Membrane area of the filopodium (nm²): its smoothed surface without the base where it opens into the cell.</summary>
    public required double SurfaceAreaNm2 { get; init; }

    /// <summary>Area of the base, where the filopodium opens into the cell body (nm²).</summary>
    public required double BaseAreaNm2 { get; init; }

    /// <summary>Length from the base to the tip along the centre line (nm).</summary>
    public required double LengthNm { get; init; }

    /// <summary>Mean diameter from volume and length, 2·√(V / (π·L)) (nm).</summary>
    public required double DiameterNm { get; init; }

    /// <summary>Centre of the base (nm, with the volume's origin).</summary>
    public required Vec3Nm BaseNm { get; init; }

    /// <summary>Tip (nm): the end of the centre line.</summary>
    public required Vec3Nm TipNm { get; init; }

    /// <summary>The centre line from base to tip (nm), smoothed.</summary>
    public required IReadOnlyList<Vec3Nm> CentreLine { get; init; }

    /// <summary>Bounding box in the volume (voxel indices).</summary>
    public VoxelBox Box => Mask.Box;

    /// <summary>The filopodium's cross-section in each slice it crosses.</summary>
    public required IReadOnlyList<SliceMeasurement> Slices { get; init; }

    /// <summary>Its voxels.</summary>
    public required FilopodiumMask Mask { get; init; }

    /// <summary>Volume (nm³): voxels × voxel volume.</summary>
    public double VolumeNm3 => Measures.VolumeNm3;

    /// <summary>Surface-to-volume ratio (1/µm), with the membrane area (base left out).</summary>
    public double SurfaceToVolumePerUm => SurfaceAreaNm2 / VolumeNm3 * 1000;
}
