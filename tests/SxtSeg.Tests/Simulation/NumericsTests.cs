using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class NumericsTests
{
    [Fact]
    public void FftRoundTripsAndFindsATone()
    {
        var fft = new Fft(64);
        var re = new double[64];
        var im = new double[64];
        for (int i = 0; i < 64; i++) re[i] = Math.Cos(2 * Math.PI * 5 * i / 64);
        var orig = (double[])re.Clone();
        fft.Forward(re, im);
        Assert.Equal(32, re[5], 9);
        Assert.Equal(32, re[59], 9);
        Assert.Equal(0, re[6], 9);
        fft.Inverse(re, im);
        for (int i = 0; i < 64; i++) Assert.Equal(orig[i], re[i], 9);
    }

    [Theory]
    [InlineData(3.5)]
    [InlineData(40)]
    [InlineData(2500)]
    public void PhotonCountsHavePoissonMeanAndVariance(double lambda)
    {
        double s = 0, s2 = 0;
        int n = 40000;
        for (int i = 0; i < n; i++)
        {
            var r = new PixelRng(Hashing.Combine(77, (ulong)i));
            double k = r.PhotonCount(lambda);
            s += k; s2 += k * k;
        }
        double mean = s / n, var = s2 / n - mean * mean;
        Assert.True(Math.Abs(mean - lambda) < 4 * Math.Sqrt(lambda / n), $"mean {mean}");
        Assert.True(Math.Abs(var / lambda - 1) < 0.05, $"variance {var}");
    }

    [Fact]
    public void InverseNormalInvertsTheCdf()
    {
        Assert.Equal(0, SimMath.InverseNormal(0.5), 9);
        Assert.Equal(1.959964, SimMath.InverseNormal(0.975), 5);
        Assert.Equal(-2.326348, SimMath.InverseNormal(0.01), 5);
    }

    [Fact]
    public void BlurKernelIsNormalisedAndShifts()
    {
        var k = Acquisition.Kernel(1.5, 0.4, 20);
        Assert.Equal(1, k.Sum(), 9);
        double centre = 0;
        for (int i = 0; i < k.Length; i++) centre += k[i] * (i - k.Length / 2);
        Assert.Equal(0.4, centre, 2);
        var sharp = Acquisition.Kernel(0, 0.25, 5);
        Assert.Equal(0.75, sharp[sharp.Length / 2], 9);
        Assert.Equal(0.25, sharp[sharp.Length / 2 + 1], 9);
    }

    [Fact]
    public void ForkedStreamsAreStableAndIndependent()
    {
        var a = new SimRandom(5).Fork("cells");
        var b = new SimRandom(5).Fork("cells");
        var c = new SimRandom(5).Fork("beads");
        Assert.Equal(a.NextULong(), b.NextULong());
        Assert.NotEqual(new SimRandom(5).Fork("cells").NextULong(), c.NextULong());
    }
}
