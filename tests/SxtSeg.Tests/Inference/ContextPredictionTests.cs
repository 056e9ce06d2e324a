using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>Prediction with a network that reads neighbouring slices (context): which planes it is given, and how.</summary>
public sealed class ContextPredictionTests
{
    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(3, 1, "2,3,4")]
    [InlineData(0, 1, "1,0,1")]
    [InlineData(1, 2, "1,0,1,2,3")]
    [InlineData(6, 2, "4,5,6,5,4")]
    [InlineData(6, 1, "5,6,5")]
    public void SliceStacksAreMirroredAtTheEndsOfTheTomogram(int z, int context, string expected)
    {
        // 7 slices: slice −1 is slice 1, slice 7 is slice 5 (mirrored without repeating the edge)
        var got = Enumerable.Range(0, 2 * context + 1).Select(p => SliceStack.SliceOf(z, p, context, 7));
        Assert.Equal(expected, string.Join(',', got));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void EachSliceIsPredictedFromItsOwnNeighbours(int plane)
    {
        using var dir = new TempDir();
        // Given a 37 × 29 × 7 volume of distinct values in [0, 1], and a context-1 "network" that
        // answers with the plane before (0) or after (2) the segmented slice
        const int nz = 7;
        var v = new Volume<float>(37, 29, nz);
        for (int i = 0; i < v.Length; i++) v.Data[i] = (i * 7919 % 1000) / 999f;
        VolumeIO.Write(dir.File("t.mrc"), v);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        using var store = new ProbabilityStore(dir.Path, 37, 29, nz, 1);
        // When two workers predict every slice, tiles flipped for test-time augmentation
        var tp = new TomogramPredictor(new ITilePredictor[] { new PlaneEchoPredictor(3, plane), new PlaneEchoPredictor(3, plane) },
            new TileOptions { TileSize = 16, Overlap = 4, Augmentations = 8 }, (_, _, _) => { });
        Assert.Equal(1, tp.Context);
        tp.PredictXy(reader, 0, nz, store, 0);
        // Then slice z holds round(255·v) of slice z − 1 (plane 0) or z + 1 (plane 2), mirrored at the
        // ends: slice 0's "before" is slice 1, slice 6's "after" is slice 5
        var got = new byte[37 * 29];
        var expected = new byte[37 * 29];
        for (int z = 0; z < nz; z++)
        {
            int source = plane == 0 ? (z == 0 ? 1 : z - 1) : (z == nz - 1 ? nz - 2 : z + 1);
            var src = v.Slice(source);
            for (int i = 0; i < expected.Length; i++) expected[i] = (byte)Math.Round(255.0 * src[i], MidpointRounding.AwayFromZero);
            store.ReadRows(0, z, 0, 29, got);
            Assert.True(expected.AsSpan().SequenceEqual(got), $"slice {z}");
        }
    }

    [Fact]
    public void OnlyXySlicesArePredictedWithContext()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("t.mrc"), new Volume<float>(16, 16, 4));
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        using var store = new ProbabilityStore(dir.Path, 16, 16, 4, 3);
        var tp = new TomogramPredictor(new PlaneEchoPredictor(3, 1), new TileOptions { TileSize = 16, Overlap = 0 }, (_, _, _) => { });
        Assert.Equal(nameof(SegmentOptions.FuseAxes), Assert.Throws<InvalidOptionException>(() => tp.PredictXz(reader, store, 1, 1 << 20)).Option);
        Assert.Equal(nameof(SegmentOptions.FuseAxes), Assert.Throws<InvalidOptionException>(() => tp.PredictYz(reader, store, 2, 1 << 20)).Option);
    }

    [Fact]
    public void APredictorWithContextNeedsTheWholeStack()
    {
        var sp = new SlicePredictor(new PlaneEchoPredictor(5, 4), new TileOptions { TileSize = 16, Overlap = 0 });
        Assert.Equal(5, sp.Channels);
        // Given the five planes of a 20 × 18 slice, plane 4 (z + 2) a ramp
        const int w = 20, h = 18, n = w * h;
        var planes = new float[5 * n];
        for (int i = 0; i < n; i++) planes[4 * n + i] = i / (float)n;
        var prob = new float[n];
        sp.Predict(planes, w, h, prob);
        // Then the answer is plane 4, untouched by tiling and reflect-padding
        for (int i = 0; i < n; i++) Assert.Equal(i / (float)n, prob[i], 1e-6f);
        // and one plane alone is refused
        Assert.Throws<ArgumentException>(() => sp.Predict(planes.AsSpan(0, n), w, h, prob));
    }
}
