using SxtSeg.Inference;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// A stand-in for a network that reads <paramref name="planes"/> neighbouring slices (context): its
/// probability is input plane <paramref name="plane"/> (0 = the farthest slice before), clamped to [0, 1].
/// </summary>
internal sealed class PlaneEchoPredictor(int planes, int plane) : ITilePredictor
{
    public int SizeMultiple => 16;

    public int InputChannels => planes;

    public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
    {
        int n = height * width;
        Assert.Equal(count * planes * n, tiles.Length);
        for (int t = 0; t < count; t++)
            for (int i = 0; i < n; i++) probabilities[t * n + i] = Math.Clamp(tiles[(t * planes + plane) * n + i], 0f, 1f);
    }
}
