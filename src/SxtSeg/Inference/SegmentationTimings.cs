namespace SxtSeg.Inference;

/// <summary>Timings of a segmentation run or shard (seconds).</summary>
/// <param name="Total">Wall time of the whole run.</param>
/// <param name="Prediction">Wall time of the network passes.</param>
/// <param name="NetworkSummedOverWorkers">Time inside the network, summed over workers.</param>
/// <param name="Workers">Number of workers.</param>
/// <param name="PostprocessingAndWriting">Wall time of post-processing and writing.</param>
/// <param name="MegapixelsPerSecond">Pixels predicted per second of wall time (all axes), in millions.</param>
/// <param name="NativeHeap">How the C heap was set for the network (<see cref="Network.NativeHeap.State"/>), or null when not recorded.</param>
/// <param name="NetworkPixelsPerPixel">Pixels given to the network per pixel of the tomogram predicted: the tiles' overlap and padding, times the test-time augmentations and the square of the rescale factor (the tiles are cut from the resampled slices); null when not recorded.</param>
public sealed record SegmentationTimings(double Total, double Prediction, double NetworkSummedOverWorkers, int Workers, double PostprocessingAndWriting, double MegapixelsPerSecond, string? NativeHeap = null,
    double? NetworkPixelsPerPixel = null);
