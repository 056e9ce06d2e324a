using SxtSeg.Inference;

namespace SxtSeg.Tests.Inference;

/// <summary>Tile starts, blending windows and reflection against values worked out by hand (mutants that survived Stryker).</summary>
public sealed class TilingTests
{
    [Fact]
    public void BadTileOrOverlapIsRefusedAndALengthOfOneTileGivesOneStart()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Starts(100, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Starts(100, 8, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Starts(100, 8, 8));
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, Tiling.Starts(12, 8, 7)); // overlap 7 of 8 is allowed: stride 1
        Assert.Equal(new[] { 0 }, Tiling.Starts(8, 8, 2));     // exactly one tile
        Assert.Equal(new[] { 0, 2 }, Tiling.Starts(10, 8, 2)); // two, overlapping by 6
    }

    [Theory]
    // 1324 = the paper's tomogram: 6 tiles needed (5 × 224 + 256 < 1324 + …); Σ sides ≥ 1324 + 5 × 32 = 1484 → 1488 = 93 × 16,
    // 93 = 6 × 15 + 3 → three of 240 then three of 256; overlap 164 = 33 + 33 + 33 + 33 + 32 → starts 0, 207, 414, 621, 844, 1068
    [InlineData(1324, 256, 32, 16, new[] { 0, 207, 414, 621, 844, 1068 }, new[] { 240, 240, 240, 256, 256, 256 })]
    // 1284: Σ ≥ 1444 → 1456 = 91 × 16 = 6 × 15 + 1 → five of 240, one of 256; overlap 172 = 35 + 35 + 34 + 34 + 34
    [InlineData(1284, 256, 32, 16, new[] { 0, 205, 410, 616, 822, 1028 }, new[] { 240, 240, 240, 240, 240, 256 })]
    // 512: three tiles, Σ ≥ 576 = 36 × 16 → three of 192, joints of 32
    [InlineData(512, 256, 32, 16, new[] { 0, 160, 320 }, new[] { 192, 192, 192 })]
    // 257: two tiles, Σ ≥ 289 → 304 = 19 × 16 → 144 and 160, one joint of 47
    [InlineData(257, 256, 32, 16, new[] { 0, 97 }, new[] { 144, 160 })]
    [InlineData(256, 256, 32, 16, new[] { 0 }, new[] { 256 })] // exactly one tile
    [InlineData(200, 256, 32, 16, new[] { 0 }, new[] { 208 })] // one tile, rounded up to the multiple (padded by the caller)
    [InlineData(9, 32, 8, 16, new[] { 0 }, new[] { 16 })]
    [InlineData(160, 64, 32, 16, new[] { 0, 32, 64, 96 }, new[] { 64, 64, 64, 64 })] // Σ ≥ 256: four full tiles, as Starts
    public void PlanLaysOutTheFewestTilesAsEqualAsTheMultipleAllows(int length, int maxTile, int overlap, int multiple, int[] starts, int[] sides)
    {
        var plan = Tiling.Plan(length, maxTile, overlap, multiple);
        Assert.Equal(starts, plan.Starts);
        Assert.Equal(sides, plan.Sides);
        Assert.Equal(sides.Sum(), plan.Predicted);
    }

    [Fact]
    public void PlanCoversEveryLengthWithTheOverlapAndNoTileTooLarge()
    {
        foreach (var (maxTile, overlap, multiple) in new[] { (256, 32, 16), (64, 48, 16), (48, 47, 16), (96, 0, 32), (16, 8, 16) })
            for (int length = 1; length <= 700; length++)
            {
                var p = Tiling.Plan(length, maxTile, overlap, multiple);
                Assert.Equal(0, p.Starts[0]);
                Assert.True(p.Starts[^1] + p.Sides[^1] >= length, $"{length}: the last tile ends before the edge");
                if (p.Count > 1) Assert.Equal(length, p.Starts[^1] + p.Sides[^1]);
                for (int i = 0; i < p.Count; i++)
                {
                    Assert.True(p.Sides[i] <= maxTile && p.Sides[i] % multiple == 0, $"{length}: side {p.Sides[i]}");
                    if (i > 0)
                    {
                        int joint = p.Starts[i - 1] + p.Sides[i - 1] - p.Starts[i];
                        Assert.True(joint >= overlap && joint < p.Sides[i - 1] && joint < p.Sides[i], $"{length}: joint {joint}");
                    }
                }
                // the fewest tiles: one fewer at the largest side could not hold the overlap
                int fewer = p.Count - 1;
                Assert.True(fewer == 0 ? length <= maxTile : fewer * maxTile - (fewer - 1) * overlap < length, $"{length}: {p.Count} tiles");
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Plan(0, 256, 32, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Plan(100, 250, 32, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiling.Plan(100, 256, 256, 16));
    }

    [Fact]
    public void SquareIsTheLayoutOfStartsPaddedToOneTile()
    {
        var s = Tiling.Square(1324, 256, 32);
        Assert.Equal(Tiling.Starts(1324, 256, 32), s.Starts);
        Assert.All(s.Sides, v => Assert.Equal(256, v));
        Assert.Equal(new[] { 0 }, Tiling.Square(100, 256, 32).Starts);
        Assert.Equal(1536, s.Predicted);
    }

    [Fact]
    public void WindowsHaveTheirTextbookValues()
    {
        // Hann on 4 samples at (i + 0.5) / 4 of a period: 0.5 − 0.5 cos(π/4), 0.5 − 0.5 cos(3π/4), ...
        var hann = Tiling.Window1D(4, BlendKind.Cosine);
        Assert.Equal(new[] { 0.5 - 0.5 * Math.Cos(Math.PI / 4), 0.5 - 0.5 * Math.Cos(3 * Math.PI / 4), 0.5 - 0.5 * Math.Cos(5 * Math.PI / 4), 0.5 - 0.5 * Math.Cos(7 * Math.PI / 4) },
            hann.Select(v => (double)v), new Comparison(1e-6));
        // Gaussian on 8 samples: centre 3.5, σ = 1: exp(−d²/2) at d = 3.5, 2.5, 1.5, 0.5
        var g = Tiling.Window1D(8, BlendKind.Gaussian);
        double[] d = { 3.5, 2.5, 1.5, 0.5, 0.5, 1.5, 2.5, 3.5 };
        Assert.Equal(d.Select(x => Math.Exp(-x * x / 2)), g.Select(v => (double)v), new Comparison(1e-6));
        Assert.All(Tiling.Window1D(3, BlendKind.Average), v => Assert.Equal(1f, v));
    }

    [Theory]
    [InlineData(-1, 4, 1)]
    [InlineData(-3, 4, 3)]
    [InlineData(-4, 4, 2)]
    [InlineData(4, 4, 2)]
    [InlineData(6, 4, 0)]
    [InlineData(5, 1, 0)]
    public void ReflectionIsNumpysReflect(int i, int n, int expected) => Assert.Equal(expected, Tiling.Reflect(i, n));

    private sealed class Comparison(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double v) => 0;
    }
}
