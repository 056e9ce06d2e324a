namespace SxtSeg.Inference;

/// <summary>The network recorded in a segmentation sidecar.</summary>
/// <param name="Id">Model id (hash of the weights and card).</param>
/// <param name="Description">One line describing the model.</param>
/// <param name="VoxelSizeNm">Voxel size the model was trained at (nm), when it has one.</param>
/// <param name="VoxelSizeRangeNm">Range of voxel sizes it was trained on (nm), when it has one.</param>
/// <param name="Threshold">The model's membrane probability threshold.</param>
public sealed record SidecarModel(string Id, string? Description, double? VoxelSizeNm, (double Min, double Max)? VoxelSizeRangeNm, double Threshold)
{
    /// <summary>The model as recorded by a run.</summary>
    public static SidecarModel Of(SegmentationModel model) => new(model.Id, model.Description, model.VoxelSize?.X, model.VoxelSizeRange, model.Threshold);
}
