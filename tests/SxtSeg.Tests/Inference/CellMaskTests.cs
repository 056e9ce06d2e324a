using SxtSeg.Inference;

namespace SxtSeg.Tests.Inference;

public sealed class CellMaskTests
{
    [Fact]
    public void MaskCoversTheCellWithItsDarkNucleusButNotTheIce()
    {
        // Given a 128 × 96 × 6 tomogram: ice 0.10 with noise, a cell disc (radius 30) of 0.30 holding a
        // dark "nucleus" (radius 10) at ice level, i.e. a hole the mask must fill
        int nx = 128, ny = 96, nz = 6;
        var mask = new CellMask(nx, ny, nz, factor: 4, marginLowRes: 1);
        var rng = new Random(1);
        var slices = new List<float[]>();
        for (int z = 0; z < nz; z++)
        {
            var s = new float[nx * ny];
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    double r = Math.Sqrt((x - 64) * (x - 64) + (y - 48) * (y - 48));
                    s[y * nx + x] = (r < 30 && r >= 10 ? 0.30f : 0.10f) + (float)(rng.NextDouble() - 0.5) * 0.05f;
                }
            mask.Add(z, s);
        }
        // When
        mask.Build();
        // Then
        Assert.InRange(mask.Threshold, 0.12f, 0.28f);
        Assert.True(mask.Contains(3, 48, 64));    // nucleus centre (hole filled)
        Assert.True(mask.Contains(3, 48, 64 + 25)); // cytoplasm
        Assert.True(mask.Contains(3, 48, 64 + 32)); // just outside the cell edge: within the margin
        Assert.False(mask.Contains(3, 2, 2));     // ice in a corner
        Assert.False(mask.Contains(3, 48, 120));  // ice beside the cell
        var labels = new byte[nx * ny];
        Array.Fill(labels, (byte)1);
        mask.Apply(3, labels);
        Assert.Equal(0, labels[2 * nx + 2]);
        Assert.Equal(1, labels[48 * nx + 64]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheMarginGrowsTheMaskByItsFourNeighbourDiamond(int margin)
    {
        // Given a 128 × 128 × 3 tomogram at factor 8 (16 × 16 blocks): a bright square cell filling blocks
        // 5..10 in x and y, ice elsewhere; the mask without margin is then a centred square of s × s blocks
        const int n = 128, f = 8;
        CellMask Build(int m)
        {
            var mask = new CellMask(n, n, 3, factor: f, marginLowRes: m);
            var s = new float[n * n];
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) s[y * n + x] = x / f is >= 5 and <= 10 && y / f is >= 5 and <= 10 ? 0.3f : 0.1f;
            for (int z = 0; z < 3; z++) mask.Add(z, s);
            mask.Build();
            return mask;
        }
        static int Blocks(CellMask mask, int z)
        {
            int c = 0;
            for (int by = 0; by < n / f; by++)
                for (int bx = 0; bx < n / f; bx++) c += mask.Contains(z, by * f, bx * f) ? 1 : 0;
            return c;
        }
        var bare = Build(0);
        int side = (int)Math.Round(Math.Sqrt(Blocks(bare, 1)));
        Assert.Equal(side * side, Blocks(bare, 1));
        Assert.InRange(side, 4, 8);
        // When it is built with a margin of m blocks
        var grown = Build(margin);
        // Then each slice holds the square grown by the diamond |dx| + |dy| ≤ m (m dilations by the
        // 4-neighbour cross): s² + 4·m·s + 2·m·(m − 1) blocks, and the diamond's tip m blocks beyond
        // the square's edge midpoint is inside while the corner's diagonal neighbour at distance m + 1 is not
        int expected = side * side + 4 * margin * side + 2 * margin * (margin - 1);
        for (int z = 0; z < 3; z++) Assert.Equal(expected, Blocks(grown, z));
        int lo = (16 - side) / 2;
        Assert.True(grown.Contains(1, 8 * f, (lo - margin) * f), "the diamond's tip");
        Assert.False(grown.Contains(1, 8 * f, (lo - margin - 1) * f), "beyond the tip");
        Assert.False(grown.Contains(1, (lo - 1) * f, (lo - margin) * f), "the corner's neighbour at distance m + 1");
    }
}
