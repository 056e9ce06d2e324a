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
