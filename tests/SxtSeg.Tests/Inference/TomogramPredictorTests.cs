using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

public sealed class TomogramPredictorTests
{
    /// <summary>A pointwise "network": p = clamp(v, 0, 1). Any plane orientation must then give the same volume.</summary>
    private sealed class Pointwise : ITilePredictor
    {
        public int SizeMultiple => 16;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int i = 0; i < count * height * width; i++) probabilities[i] = Math.Clamp(tiles[i], 0f, 1f);
        }
    }

    [Fact]
    public void XyXzAndYzPassesPutEveryVoxelInItsPlace()
    {
        using var dir = new TempDir();
        // Given a 37 × 29 × 11 volume of distinct values in [0, 1]
        var v = new Volume<float>(37, 29, 11);
        for (int i = 0; i < v.Length; i++) v.Data[i] = (i * 7919 % 1000) / 999f;
        VolumeIO.Write(dir.File("t.mrc"), v);
        using var reader = VolumeIO.OpenRead(dir.File("t.mrc"));
        var store = new ProbabilityStore(dir.Path, 37, 29, 11, 3);
        var tp = new TomogramPredictor(new ITilePredictor[] { new Pointwise(), new Pointwise() }, new TileOptions { TileSize = 16, Overlap = 4, Augmentations = 2 }, (_, _, _) => { });
        // When: small blocks force several read/transpose/write rounds
        tp.PredictXy(reader, 0, 11, store, 0);
        tp.PredictXz(reader, store, 1, blockBytes: 4 * 37 * 11 * 3);
        tp.PredictYz(reader, store, 2, blockBytes: 4 * 29 * 11 * 5);
        // Then every axis holds round(255·v) at every voxel
        var expected = new byte[37 * 29];
        var got = new byte[37 * 29];
        for (int z = 0; z < 11; z++)
        {
            // round(255·v) by hand, in double precision: not the production quantiser
            var src = v.Slice(z);
            for (int i = 0; i < expected.Length; i++) expected[i] = (byte)Math.Round(255.0 * src[i], MidpointRounding.AwayFromZero);
            for (int a = 0; a < 3; a++)
            {
                store.ReadRows(a, z, 0, 29, got);
                Assert.Equal(expected, got);
            }
        }
        // The temporary files are unlinked as soon as they are open (Unix), so even a killed run leaves nothing.
        Assert.Empty(Directory.GetFiles(dir.Path, ".probabilities*"));
        store.Dispose();
    }

    [Fact]
    public void NaNInTheTomogramIsABadInput()
    {
        using var dir = new TempDir();
        var v = new Volume<float>(16, 16, 9);
        v[1, 3, 3] = float.NaN;
        VolumeIO.Write(dir.File("nan.mrc"), v);
        using var reader = VolumeIO.OpenRead(dir.File("nan.mrc"));
        using var store = new ProbabilityStore(dir.Path, 16, 16, 9, 1);
        // Two workers: the reader's failure must stop them (no deadlock on the bounded queue).
        var tp = new TomogramPredictor(new ITilePredictor[] { new Pointwise(), new Pointwise() }, new TileOptions { TileSize = 16, Overlap = 0 }, (_, _, _) => { });
        var e = Assert.Throws<InvalidInputException>(() => tp.PredictXy(reader, 0, 9, store, 0));
        Assert.Contains("slice 1 contains NaN", e.Message);
    }
}
