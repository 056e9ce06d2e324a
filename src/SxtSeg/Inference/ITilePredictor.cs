namespace SxtSeg.Inference;

/// <summary>
/// Anything that turns a batch of normalised image tiles into membrane probabilities: the
/// network's label path, or a simple function in tests. Called from one thread at a time.
/// </summary>
public interface ITilePredictor
{
    /// <summary>Tile heights and widths must be multiples of this (16 for the Deep-SXT network).</summary>
    int SizeMultiple { get; }

    /// <summary>
    /// Planes per tile: 1, or 2c + 1 for a network that reads c neighbouring slices on each side of
    /// the one it segments (the planes of a tile in z order, the segmented one in the middle).
    /// </summary>
    int InputChannels => 1;

    /// <summary>
    /// Predicts <paramref name="count"/> tiles of <paramref name="height"/> × <paramref name="width"/>
    /// (contiguous, row-major, already normalised; <see cref="InputChannels"/> planes per tile) into
    /// probabilities in [0, 1], one plane per tile.
    /// </summary>
    void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities);
}
