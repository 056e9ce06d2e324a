using SxtSeg.Evaluation;

namespace SxtSeg.Tests.Evaluation;

/// <summary>The in-plane nearest-feature map (<see cref="NearestFeature2D"/>) against brute force and hand-made cases.</summary>
public sealed class NearestFeature2DTests
{
    [Theory]
    [InlineData(37, 23, 0.02, 1)]
    [InlineData(23, 37, 0.1, 2)]
    [InlineData(16, 16, 0.5, 3)]
    [InlineData(1, 30, 0.1, 4)]
    [InlineData(30, 1, 0.1, 5)]
    public void EveryPixelGetsAFeatureAtTheLeastDistance(int nx, int ny, double density, int seed)
    {
        // Given random features with ids 1..5
        var rng = new Random(seed);
        var features = new uint[nx * ny];
        for (int i = 0; i < features.Length; i++)
            if (rng.NextDouble() < density) features[i] = (uint)rng.Next(1, 6);
        features[rng.Next(features.Length)] = 7; // at least one
        var nearest = new uint[nx * ny];
        // When
        new NearestFeature2D(nx, ny).Compute(features, nearest);
        // Then each pixel's value is that of a feature at the brute-force least squared distance
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                long best = long.MaxValue, bestWithValue = long.MaxValue;
                for (int fy = 0; fy < ny; fy++)
                    for (int fx = 0; fx < nx; fx++)
                    {
                        uint f = features[fy * nx + fx];
                        if (f == 0) continue;
                        long d = (long)(fx - x) * (fx - x) + (long)(fy - y) * (fy - y);
                        best = Math.Min(best, d);
                        if (f == nearest[y * nx + x]) bestWithValue = Math.Min(bestWithValue, d);
                    }
                Assert.True(best == bestWithValue, $"({x}, {y}): nearest {best}, the value given ({nearest[y * nx + x]}) is at {bestWithValue}");
            }
    }

    [Fact]
    public void TwoFeaturesSplitTheSliceAtTheirBisector()
    {
        // 9 × 3, id 1 at (1, 1) and id 2 at (7, 1): columns 0..3 are 1's, 5..8 are 2's, column 4 is a tie
        var features = new uint[27];
        features[1 * 9 + 1] = 1;
        features[1 * 9 + 7] = 2;
        var nearest = new uint[27];
        new NearestFeature2D(9, 3).Compute(features, nearest);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x <= 3; x++) Assert.Equal(1u, nearest[y * 9 + x]);
            for (int x = 5; x <= 8; x++) Assert.Equal(2u, nearest[y * 9 + x]);
            Assert.Contains(nearest[y * 9 + 4], new[] { 1u, 2u });
        }
    }

    [Fact]
    public void ASliceWithoutFeaturesGivesZeros()
    {
        var nearest = Enumerable.Repeat(9u, 12).ToArray();
        new NearestFeature2D(4, 3).Compute(new uint[12], nearest);
        Assert.All(nearest, v => Assert.Equal(0u, v));
    }
}
