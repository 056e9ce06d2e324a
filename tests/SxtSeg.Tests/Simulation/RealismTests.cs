using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Simulation;

public sealed class RealismTests
{
    [Fact]
    public void KsDistanceOfShiftedNormalsIsKnown()
    {
        // N(0,1) vs N(δ,1): D = 2Φ(δ/2) − 1; for δ = 0.5, D ≈ 0.197
        var r = new SimRandom(1);
        var a = Enumerable.Range(0, 20000).Select(_ => r.Gaussian()).ToArray();
        var b = Enumerable.Range(0, 20000).Select(_ => r.Gaussian() + 0.5).ToArray();
        Assert.Equal(0.197, Realism.KolmogorovSmirnov(a, b), 1);
        Assert.Equal(0, Realism.KolmogorovSmirnov(a, a), 9);
        Assert.True(Realism.KolmogorovSmirnov(a, b) > 0.17 && Realism.KolmogorovSmirnov(a, b) < 0.23);
    }

    [Fact]
    public void ZScoreRemovesOffsetAndScale()
    {
        var z = Realism.ZScore(new float[] { 1, 2, 3, 4, float.NaN });
        Assert.Equal(4, z.Length);
        Assert.Equal(0, z.Average(), 9);
        Assert.Equal(1, Math.Sqrt(z.Select(v => v * v).Average()), 9);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void SpectrumSlopeOfAPowerLawFieldIsItsExponent(double beta)
    {
        // Given a 256² field with power ∝ f^−β (random phases)
        int n = 256;
        var re = new double[n * n];
        var im = new double[n * n];
        var r = new SimRandom(4);
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                double fx = (x <= n / 2 ? x : x - n) / (double)n, fy = (y <= n / 2 ? y : y - n) / (double)n;
                double f = Math.Sqrt(fx * fx + fy * fy);
                if (f == 0) continue;
                double amp = Math.Pow(f, -beta / 2), ph = r.Uniform(0, 2 * Math.PI);
                re[y * n + x] = amp * Math.Cos(ph);
                im[y * n + x] = amp * Math.Sin(ph);
            }
        var fft = new Fft(n);
        var cr = new double[n];
        var ci = new double[n];
        for (int y = 0; y < n; y++) fft.Inverse(re.AsSpan(y * n, n), im.AsSpan(y * n, n));
        for (int x = 0; x < n; x++)
        {
            for (int y = 0; y < n; y++) { cr[y] = re[y * n + x]; ci[y] = im[y * n + x]; }
            fft.Inverse(cr, ci);
            for (int y = 0; y < n; y++) re[y * n + x] = cr[y];
        }
        var field = re.Select(v => (float)v).ToArray();
        // When the radially averaged spectrum slope is fitted
        double slope = Realism.SpectrumSlope(Realism.PowerSpectrum(field, n, n));
        // Then it is −β (the Hann window biases steep spectra a little at low frequencies)
        Assert.True(Math.Abs(slope + beta) < 0.25, $"slope {slope} for β = {beta}");
    }

    [Fact]
    public void RealAlbaSliceHasASteepSpectrum()
    {
        // The real ALBA slice (test data) falls off much faster than white noise (slope 0)
        var v = VolumeIO.Read<float>(TestPaths.AlbaSlice);
        double slope = Realism.SpectrumSlope(Realism.PowerSpectrum(v.Slice(0).ToArray(), v.Nx, v.Ny));
        Assert.InRange(slope, -4.5, -2.5);
    }
}
