using SxtSeg.Inference;
using SxtSeg.Volumes;

namespace SxtSeg.Reporting;

/// <summary>Settings of the one-command pipeline (<c>sxtseg demo</c>).</summary>
public sealed record DemoOptions
{
    /// <summary>Output folder.</summary>
    public required string OutputFolder { get; init; }
    /// <summary>The user's tomogram; null simulates one (and evaluates against its exact truth).</summary>
    public string? Input { get; init; }
    /// <summary>Model file.</summary>
    public required string Model { get; init; }
    /// <summary>Instrument profile of the simulated tomogram.</summary>
    public string Profile { get; init; } = "bessy-u41";
    /// <summary>Size of the simulated tomogram (x, y, z voxels).</summary>
    public (int Nx, int Ny, int Nz) Size { get; init; } = (320, 320, 80);
    /// <summary>Seed of the simulation.</summary>
    public long Seed { get; init; } = 7;
    /// <summary>Network workers.</summary>
    public int Workers { get; init; } = SegmentationModel.DefaultWorkers;
    /// <summary>Segmentation settings (post-processing included).</summary>
    public SegmentOptions Segment { get; init; } = new() { MinObjectVoxels = 30 };
    /// <summary>Objects smaller than this volume (nm³) are not measured or rendered.</summary>
    public double MinObjectVolumeNm3 { get; init; } = 2e5;
    /// <summary>Voxel size to use instead of the input's (nm).</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>A filopodium model (<see cref="FilopodiumModel"/>): filopodia are found and measured (Table S1) into <c>filopodia/</c>; null skips the stage.</summary>
    public string? FilopodiumModel { get; init; }
}
