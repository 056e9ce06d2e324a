using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Simulation;

/// <summary>Patch features of the realism test against analytic images.</summary>
public sealed class RealismFeatureTests
{
    /// <summary>An n × n image of a vertical Gaussian line (σ = s px) of amplitude a through column c.</summary>
    private static float[] Line(int n, double c, double s, double a)
    {
        var img = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) img[y * n + x] = (float)(a * Math.Exp(-0.5 * (x - c) * (x - c) / (s * s)));
        return img;
    }

    [Theory]
    [InlineData(2.0, 2.0)]
    [InlineData(1.5, 2.5)]
    public void RidgeResponseOfAGaussianLineIsTheScaleNormalisedCurvature(double s, double sigma)
    {
        // Given a bright line A·exp(−x²/2s²): blurred by σ its second derivative across the line at the centre is
        // −A·s/(s² + σ²)^{3/2}, along it 0, so the bright-ridge response is σ²·A·s/(s² + σ²)^{3/2}
        const int n = 64;
        var img = Line(n, 32, s, 1);
        var (bright, dark) = RealismFeatures.Ridges(img, n, n, sigma);
        double expected = sigma * sigma * s / Math.Pow(s * s + sigma * sigma, 1.5);
        // Then at the centre (central differences on a unit grid: relative error about 1/(4(s² + σ²)))
        Assert.InRange(bright[32 * n + 32], expected * 0.93, expected * 1.01);
        Assert.Equal(0, dark[32 * n + 32]);
        // and a dark line (the negated image) gives the same response as a dark ridge
        var neg = img.Select(v => -v).ToArray();
        var (b2, d2) = RealismFeatures.Ridges(neg, n, n, sigma);
        Assert.Equal(bright[32 * n + 32], d2[32 * n + 32], 5);
        Assert.Equal(0, b2[32 * n + 32]);
    }

    [Fact]
    public void RoundBlobGivesNoRidgeResponseAtItsCentre()
    {
        // Both Hessian eigenvalues are equal at the centre of a round blob: −λ1 − |λ2| = 0
        const int n = 64;
        var img = new float[n * n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) img[y * n + x] = (float)Math.Exp(-0.5 * ((x - 32) * (x - 32) + (y - 32) * (y - 32)) / 9.0);
        var (bright, _) = RealismFeatures.Ridges(img, n, n, 2);
        var (line, _) = RealismFeatures.Ridges(Line(n, 32, 3, 1), n, n, 2);
        Assert.True(bright[32 * n + 32] < 1e-3 * line[32 * n + 32], $"{bright[32 * n + 32]} vs line {line[32 * n + 32]}");
    }

    [Fact]
    public void NormalisationMapsTheInCellPercentilesToZeroAndOneAndFlipsPolarity()
    {
        // Given values 0..100 inside the mask and 1000 outside (ignored)
        var v = Enumerable.Range(0, 101).Select(i => (float)i).Append(1000f).ToArray();
        var mask = Enumerable.Repeat((byte)1, 101).Append((byte)0).ToArray();
        // Then the 1st and 99th percentiles (1 and 99) become 0 and 1
        var n = RealismFeatures.Normalise(v, mask, false);
        Assert.Equal(0, n[1], 5);
        Assert.Equal(1, n[99], 5);
        Assert.Equal(0.5, n[50], 5);
        // and with dense = low values the image is negated first: 99 → 0, 1 → 1
        var f = RealismFeatures.Normalise(v, mask, true);
        Assert.Equal(0, f[99], 5);
        Assert.Equal(1, f[1], 5);
    }

    [Fact]
    public void PatchesComeOnlyFromInsideTheMask()
    {
        // Given a 128² mask whose left 64 columns are inside
        var mask = new byte[128 * 128];
        for (int y = 0; y < 128; y++) for (int x = 0; x < 64; x++) mask[y * 128 + x] = 1;
        var origins = RealismFeatures.PatchOrigins(128, 128, mask, new RealismOptions(Patch: 32, Stride: 16));
        // Then patches start at x = 0, 16, 32 (x = 48 would reach 80, half outside) and y = 0..96 step 16
        Assert.Equal(3 * 7, origins.Count);
        Assert.All(origins, o => Assert.True(o.X + 32 <= 64));
    }

    [Fact]
    public void WhiteNoiseHasMostPowerInTheTopOctave()
    {
        // White noise: the power fraction of band [16, ∞) cycles per 64-px patch is its share of the frequency
        // grid, (64² − π·16²) / (64² − 1) ≈ 0.80, and of band [8, 16) π(16² − 8²)/64² ≈ 0.147
        const int n = 128;
        var r = new SimRandom(3);
        var img = new float[n * n];
        for (int i = 0; i < img.Length; i++) img[i] = (float)r.Gaussian();
        var o = new RealismOptions(Patch: 64, Stride: 64);
        var f = RealismFeatures.ExtractNormalised(img, n, n, ReadOnlySpan<byte>.Empty, o);
        var names = RealismFeatures.Names(o);
        int top = names.ToList().IndexOf("spectrum.16-32"), next = names.ToList().IndexOf("spectrum.8-16");
        Assert.Equal(4, f.Count);
        Assert.Equal(names.Count, f[0].Length);
        double meanTop = f.Average(v => v[top]), meanNext = f.Average(v => v[next]);
        Assert.InRange(meanTop, Math.Log10(0.80) - 0.05, Math.Log10(0.80) + 0.05);
        Assert.InRange(meanNext, Math.Log10(0.147) - 0.08, Math.Log10(0.147) + 0.08);
    }

    [Fact]
    public void ImagesOfLinesAndOfBlobsAreToldApartAndImagesOfOneKindAreNot()
    {
        // Given images of thin bright lines and images of round blobs of the same mean, four images of each,
        // and a second set of line images drawn with other seeds
        static float[] Image(bool lines, ulong seed)
        {
            const int n = 128;
            var r = new SimRandom(seed);
            var img = new float[n * n];
            for (int k = 0; k < 14; k++)
            {
                double cx = r.Uniform(0, n), cy = r.Uniform(0, n), a = r.Uniform(0, Math.PI);
                for (int y = 0; y < n; y++)
                    for (int x = 0; x < n; x++)
                    {
                        double dx = x - cx, dy = y - cy;
                        double d = lines ? Math.Abs(dx * Math.Sin(a) - dy * Math.Cos(a)) : Math.Sqrt(dx * dx + dy * dy);
                        img[y * n + x] += (float)(lines ? Math.Exp(-0.5 * d * d / 1.0) : Math.Exp(-0.5 * d * d / 16.0));
                    }
            }
            for (int i = 0; i < img.Length; i++) img[i] += (float)(0.05 * r.Gaussian());
            return img;
        }
        var o = new RealismOptions(Patch: 32, Stride: 32);
        FeatureGroup G(string name, bool lines, ulong seed) => new(name, RealismFeatures.Extract(new RealismImage(name, name, Image(lines, seed), 128, 128, null), o));
        var lineGroups = Enumerable.Range(0, 4).Select(i => G($"lines{i}", true, (ulong)(10 + i))).ToList();
        var blobGroups = Enumerable.Range(0, 4).Select(i => G($"blobs{i}", false, (ulong)(20 + i))).ToList();
        var otherLines = Enumerable.Range(0, 4).Select(i => G($"other{i}", true, (ulong)(30 + i))).ToList();
        // Then lines vs blobs is held-out separable, lines vs lines is not
        Assert.True(DomainClassifier.LeavePairOut(lineGroups, blobGroups).HeldOutAccuracy > 0.9);
        Assert.InRange(DomainClassifier.LeavePairOut(lineGroups, otherLines).HeldOutAccuracy, 0.3, 0.7);
    }

    [Fact]
    public void RealAlbaSliceGivesFiniteFeaturesInItsCell()
    {
        // The stored 8 hpi slice (dense = low values) in a central square region
        var v = VolumeIO.Read<float>(TestPaths.AlbaSlice);
        var mask = new byte[v.Nx * v.Ny];
        for (int y = 300; y < 600; y++) for (int x = 300; x < 600; x++) mask[y * v.Nx + x] = 1;
        var f = RealismFeatures.Extract(new RealismImage("alba", "alba", v.Slice(0).ToArray(), v.Nx, v.Ny, mask, DenseIsLow: true), new RealismOptions());
        Assert.Equal(49, f.Count); // origins 320..512 step 32 in x and y: 7 × 7 patches of 64 inside 300..600
        Assert.All(f, row => Assert.All(row, x => Assert.True(double.IsFinite(x))));
    }
}
