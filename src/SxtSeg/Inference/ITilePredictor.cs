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
    /// Predicts <paramref name="count"/> tiles of <paramref name="height"/> × <paramref name="width"/>
    /// (contiguous, row-major, already normalised) into probabilities in [0, 1] of the same layout.
    /// </summary>
    void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities);
}
