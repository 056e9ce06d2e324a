using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

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
