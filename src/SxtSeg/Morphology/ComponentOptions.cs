using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>Options of 3D connected-component labelling.</summary>
public sealed record ComponentOptions
{
    /// <summary>Neighbourhood joining foreground voxels into one object (default 26, as MATLAB and MIB).</summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;

    /// <summary>Objects with fewer voxels are removed (default 1: keep everything).</summary>
    public long MinVoxels { get; init; } = 1;

    /// <summary>Objects with more voxels are removed (default: no limit).</summary>
    public long MaxVoxels { get; init; } = long.MaxValue;

    /// <summary>Key of a setting error about a minimum object volume in nm³ (<see cref="VoxelsForVolume"/>).</summary>
    public const string MinVolumeKey = "MinVolume";

    /// <summary>Voxels of an object of <paramref name="volumeNm3"/> nm³ at voxel size <paramref name="voxel"/> (rounded up).</summary>
    public static long VoxelsForVolume(double volumeNm3, VoxelSize voxel)
    {
        if (!(volumeNm3 >= 0) || double.IsInfinity(volumeNm3)) throw new InvalidOptionException(MinVolumeKey, $"volume must be a non-negative number of nm³, got {volumeNm3}");
        return (long)Math.Ceiling(volumeNm3 / voxel.Volume - 1e-9);
    }
}
