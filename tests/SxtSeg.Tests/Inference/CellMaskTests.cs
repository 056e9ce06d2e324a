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
}
