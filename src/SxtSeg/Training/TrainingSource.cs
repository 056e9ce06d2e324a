using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>One input file of a training run.</summary>
/// <param name="Path">File or folder.</param>
/// <param name="Role">"annotated-pair", "annotated-volume", "simulation" or "unannotated".</param>
/// <param name="Info">Shape and voxel size.</param>
/// <param name="Instrument">Instrument, when known.</param>
/// <param name="VoxelSizeNm">Voxel size (nm) taken for the run: --voxel-size when given, else the header's, else null.</param>
public sealed record TrainingSource(string Path, string Role, VolumeInfo Info, string? Instrument, double? VoxelSizeNm);
