using SxtSeg.Network;

namespace SxtSeg.Inference;

/// <summary>The network's label path as an <see cref="ITilePredictor"/>: probabilities (tanh + 1) / 2.</summary>
public sealed class NetworkTilePredictor : ITilePredictor, IDisposable
{
    private readonly LabelPredictor _model;

    /// <summary>Wraps a loaded model (owned: disposed with this).</summary>
    public NetworkTilePredictor(LabelPredictor model) => _model = model;

    /// <summary>The model.</summary>
    public LabelPredictor Model => _model;

    /// <inheritdoc />
    public int SizeMultiple => _model.SizeMultiple;

    /// <inheritdoc />
    public int InputChannels => _model.InputChannels;

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        => _model.PredictProbabilities(tiles, count, height, width, probabilities);

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
