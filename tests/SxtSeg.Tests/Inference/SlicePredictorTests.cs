using SxtSeg.Inference;

namespace SxtSeg.Tests.Inference;

public sealed class SlicePredictorTests
{
    /// <summary>Returns its input: blending must then reproduce the slice exactly.</summary>
    private sealed class Identity : ITilePredictor
    {
        public int SizeMultiple => 16;
        public int Calls;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            Calls++;
            tiles[..(count * height * width)].CopyTo(probabilities);
        }
    }

    private static float[] Ramp(int w, int h)
    {
        var s = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                s[y * w + x] = (float)(Math.Sin(x * 0.37) + Math.Cos(y * 0.21) + 0.01 * x * y);
        return s;
    }

    [Theory]
    [InlineData(100, 70, 32, 8, BlendKind.Gaussian, 1)]
    [InlineData(100, 70, 32, 8, BlendKind.Cosine, 8)]
    [InlineData(20, 9, 32, 8, BlendKind.Gaussian, 4)]     // slice smaller than a tile: reflect padding
    [InlineData(64, 64, 64, 16, BlendKind.Average, 2)]    // exactly one tile
    [InlineData(129, 47, 48, 47, BlendKind.Gaussian, 8)]  // maximal overlap
    [InlineData(300, 257, 256, 32, BlendKind.Gaussian, 1)] // tiles of four shapes (x: 160 + 176, y: 144 + 160), batches of one shape
    [InlineData(300, 257, 256, 32, BlendKind.Gaussian, 2)] // the same with flips: square tiles of 256
    public void IdentityPredictorReproducesTheSliceExactly(int w, int h, int tile, int overlap, BlendKind blend, int tta)
    {
        // Given
        var slice = Ramp(w, h);
        var p = new SlicePredictor(new Identity(), new TileOptions { TileSize = tile, Overlap = overlap, Blend = blend, Augmentations = tta, BatchSize = 3 });
        var output = new float[w * h];
        // When
        p.Predict(slice, w, h, output);
        // Then
        for (int i = 0; i < slice.Length; i++) Assert.True(Math.Abs(slice[i] - output[i]) <= 1e-5f * (1 + Math.Abs(slice[i])), $"pixel {i}: {output[i]} vs {slice[i]}");
    }

    [Theory]
    [InlineData(1324, 256, 64)]
    [InlineData(1000, 512, 128)]
    [InlineData(300, 256, 0)]
    public void TilesCoverTheAxisWithAtLeastTheRequestedOverlap(int length, int tile, int overlap)
    {
        var s = Tiling.Starts(length, tile, overlap);
        Assert.Equal(0, s[0]);
        Assert.Equal(length - tile, s[^1]);
        for (int i = 1; i < s.Length; i++) Assert.True(s[i - 1] + tile - s[i] >= overlap, $"overlap {s[i - 1] + tile - s[i]} < {overlap}");
    }

    /// <summary>Records the shape of every tile it is given.</summary>
    private sealed class ShapeRecorder : ITilePredictor
    {
        public int SizeMultiple => 16;
        public readonly List<(int Count, int H, int W)> Calls = new();
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            Calls.Add((count, height, width));
            probabilities[..(count * height * width)].Fill(0.5f);
        }
    }

    [Fact]
    public void ThePaperSizedSliceIsGivenTheNetworkAsPlannedTilesNotSixFullOnes()
    {
        // 1324 × 1284 with tiles of at most 256 and 32 of overlap: x as 3 × 240 + 3 × 256, y as 5 × 240 + 256
        // (TilingTests), so 36 tiles of 1488 × 1456 px in all, where six full tiles a side gave 1536 × 1536
        var rec = new ShapeRecorder();
        var p = new SlicePredictor(rec, new TileOptions { TileSize = 256, Overlap = 32, BatchSize = 4 });
        var o = new float[1324 * 1284];
        p.Predict(new float[1324 * 1284], 1324, 1284, o);
        Assert.Equal(36, rec.Calls.Sum(c => c.Count));
        Assert.Equal(1488L * 1456, rec.Calls.Sum(c => (long)c.Count * c.H * c.W));
        Assert.Equal(1488L * 1456, p.PixelsPredicted);
        // grouped by shape: 15 tiles of 240², 3 of 240 × 256 … batches of 4 break only where the shape changes
        Assert.Equal(new[] { (4, 240, 240), (4, 240, 240), (4, 240, 240), (3, 240, 240), (4, 240, 256), (4, 240, 256), (4, 240, 256), (3, 240, 256), (3, 256, 240), (3, 256, 256) }, rec.Calls);
        Assert.All(o, v => Assert.Equal(0.5f, v, 5));
    }

    [Fact]
    public void DihedralInverseUndoesEveryTransform()
    {
        var t = new float[5 * 5];
        for (int i = 0; i < t.Length; i++) t[i] = i;
        var a = new float[25];
        var b = new float[25];
        var seen = new HashSet<string>();
        for (int k = 0; k < 8; k++)
        {
            Dihedral.Apply(k, 5, t, a);
            seen.Add(string.Join(',', a));
            Dihedral.Inverse(k, 5, a, b);
            Assert.Equal(t, b);
        }
        Assert.Equal(8, seen.Count); // all 8 symmetries are distinct
        Dihedral.Apply(1, 5, t, a);
        Assert.Equal(new float[] { 4, 9, 14, 19, 24 }, a[..5]); // one 90° rotation
    }

    /// <summary>A predictor whose output is a constant per tile: seams would show where tiles meet.</summary>
    private sealed class PerTileConstant : ITilePredictor
    {
        public int SizeMultiple => 16;
        private int _n;
        public void Predict(ReadOnlySpan<float> tiles, int count, int height, int width, Span<float> probabilities)
        {
            for (int b = 0; b < count; b++) probabilities.Slice(b * height * width, height * width).Fill(_n++ % 2);
        }
    }

    [Fact]
    public void GaussianBlendingHasNoSeamsWhereAveragingJumps()
    {
        static float MaxStep(BlendKind kind)
        {
            var p = new SlicePredictor(new PerTileConstant(), new TileOptions { TileSize = 64, Overlap = 32, Blend = kind, BatchSize = 1 });
            // 160 px with 64-px tiles at 0, 32, 64, 96: every pixel inside is covered by two tiles of different value
            var o = new float[160];
            p.Predict(new float[160], 160, 1, o);
            float m = 0;
            for (int i = 1; i < o.Length; i++) m = Math.Max(m, Math.Abs(o[i] - o[i - 1]));
            return m;
        }
        // A plain average jumps by half where a tile starts; with σ = tile/8 the Gaussian blend is a
        // logistic ramp p = 1/(1 + e^−(x − 47.5)/2) across the overlap, whose steepest step is 1/8.
        Assert.Equal(0.5f, MaxStep(BlendKind.Average), 3);
        Assert.Equal(0.125f, MaxStep(BlendKind.Gaussian), 2);
        Assert.True(MaxStep(BlendKind.Cosine) < 0.125f);
    }
}
