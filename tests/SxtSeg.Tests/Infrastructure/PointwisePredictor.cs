using SxtSeg.Inference;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// A pointwise stand-in for a network: p = clamp(<paramref name="sign"/> · v, 0, 1) of each tile's middle
/// plane (of <paramref name="planes"/>), so with sign +1 bright voxels are membrane, as in dense-bright data;
/// counts its calls.
/// </summary>
internal sealed class PointwisePredictor(float sign = 1, int planes = 1) : ITilePredictor
{
    /// <summary>Batches predicted.</summary>
    public int Calls;

    public int SizeMultiple => 16;

    public int InputChannels => planes;

    public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
    {
        Interlocked.Increment(ref Calls);
        int n = height * width, mid = planes / 2;
        for (int t = 0; t < count; t++)
            for (int i = 0; i < n; i++) probabilities[t * n + i] = Math.Clamp(sign * tiles[(planes * t + mid) * n + i], 0f, 1f);
    }
}
