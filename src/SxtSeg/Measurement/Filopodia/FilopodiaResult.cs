using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>The voxels of one filopodium: a box in the volume's voxel indices and a 0/1 mask over it (z, y, x order).</summary>
/// <param name="Box">Inclusive box (voxel indices of the whole volume).</param>
/// <param name="Data">Box.Width × Box.Height × Box.Depth bytes, 1 = filopodium.</param>
public sealed record FilopodiumMask(VoxelBox Box, byte[] Data)
{
    /// <summary>True when voxel (x, y, z) of the volume belongs to the filopodium.</summary>
    public bool Contains(int x, int y, int z)
    {
        if (x < Box.X0 || x > Box.X1 || y < Box.Y0 || y > Box.Y1 || z < Box.Z0 || z > Box.Z1) return false;
        return Data[((z - Box.Z0) * Box.Height + (y - Box.Y0)) * Box.Width + (x - Box.X0)] != 0;
    }

    /// <summary>The mask as a volume placed at its box (origin in nm from the volume's origin and voxel size).</summary>
    public Volume<byte> ToVolume(VoxelSize voxel, (double X, double Y, double Z) volumeOrigin)
        => new(Box.Width, Box.Height, Box.Depth, (byte[])Data.Clone(), voxel)
        {
            OriginNm = (volumeOrigin.X + Box.X0 * voxel.X, volumeOrigin.Y + Box.Y0 * voxel.Y, volumeOrigin.Z + Box.Z0 * voxel.Z),
        };
}

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

/// <summary>How many protrusions were found and why some were not counted as filopodia.</summary>
/// <param name="Candidates">Protrusions found (thin parts of the cell, at least the minimum diameter thick somewhere).</param>
/// <param name="Detached">Not attached to a cell body (nothing to be a base on).</param>
/// <param name="TooShort">Shorter than the minimum length.</param>
/// <param name="TooThin">Mean diameter below the minimum.</param>
/// <param name="TooWide">Mean diameter above the maximum (sheets, not rods).</param>
/// <param name="CutByFieldOfView">Filopodia touching a face of the volume.</param>
/// <param name="NearBead">Filopodia near a gold bead.</param>
/// <param name="InSummary">Filopodia in the summary.</param>
public sealed record FilopodiaCounts(int Candidates, int Detached, int TooShort, int TooThin, int TooWide, int CutByFieldOfView, int NearBead, int InSummary)
{
    /// <summary>Filopodia found (in the summary or not).</summary>
    public int Found => Candidates - Detached - TooShort - TooThin - TooWide;
}

/// <summary>Everything a <see cref="FilopodiaAnalysis"/> run found.</summary>
public sealed class FilopodiaResult
{
    /// <summary>Creates a result.</summary>
    public FilopodiaResult(IReadOnlyList<Filopodium> filopodia, FilopodiaCounts counts, VolumeInfo info, VoxelSize voxelSize, FilopodiaOptions options, string outsideRule, long cellVoxels)
    {
        Filopodia = filopodia;
        Counts = counts;
        Info = info;
        VoxelSize = voxelSize;
        Options = options;
        OutsideRule = outsideRule;
        CellVoxels = cellVoxels;
    }

    /// <summary>Every filopodium found (also those left out of the summary), by id.</summary>
    public IReadOnlyList<Filopodium> Filopodia { get; }

    /// <summary>The filopodia in the summary.</summary>
    public IReadOnlyList<Filopodium> InSummary => Filopodia.Where(f => f.InSummary).ToList();

    /// <summary>Counts.</summary>
    public FilopodiaCounts Counts { get; }

    /// <summary>Shape, voxel size and origin of the label volume.</summary>
    public VolumeInfo Info { get; }

    /// <summary>Voxel size used (nm).</summary>
    public VoxelSize VoxelSize { get; }

    /// <summary>Options used.</summary>
    public FilopodiaOptions Options { get; }

    /// <summary>How the outside of the cells was told from their inside (one sentence).</summary>
    public string OutsideRule { get; }

    /// <summary>Voxels of the filled cells (to the middle of their plasma membrane, filopodia included).</summary>
    public long CellVoxels { get; }
}
