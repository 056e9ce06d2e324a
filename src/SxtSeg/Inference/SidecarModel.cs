namespace SxtSeg.Inference;

/// <summary>The network recorded in a segmentation sidecar.</summary>
/// <param name="Id">Model id (hash of the weights and card).</param>
/// <param name="Description">One line describing the model.</param>
/// <param name="VoxelSizeNm">Voxel size the model was trained at (nm), when it has one.</param>
/// <param name="VoxelSizeRangeNm">Range of voxel sizes it was trained on (nm), when it has one.</param>
/// <param name="Threshold">The model's membrane probability threshold.</param>
/// <param name="OneSliceModelOf">
/// When the model given reads neighbouring slices and this run needed a one-slice model (a single image,
/// multi-axis fusion), the id of the model given: this record is then the one-slice model embedded in it
/// (<see cref="SegmentationModel.OneSlice"/>). Null otherwise.
/// </param>
public sealed record SidecarModel(string Id, string? Description, double? VoxelSizeNm, (double Min, double Max)? VoxelSizeRangeNm, double Threshold,
    string? OneSliceModelOf = null)
{
    /// <summary>The model as recorded by a run.</summary>
    public static SidecarModel Of(SegmentationModel model) => new(model.Id, model.Description, model.VoxelSize?.X, model.VoxelSizeRange, model.Threshold);

    /// <summary>The one-slice model <paramref name="used"/>, embedded in <paramref name="given"/>, as recorded by a run.</summary>
    public static SidecarModel OfEmbedded(SegmentationModel used, SegmentationModel given) => Of(used) with { OneSliceModelOf = given.Id };
}
