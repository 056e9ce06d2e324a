using SxtSeg.Network;

namespace SxtSeg.Tests.Network;

public sealed class NormalisationTests
{
    [Fact]
    public void ImageAreaTrimsConstantAndNaNBorders()
    {
        // Given a 6 × 5 slice with a zero frame on the left and top and a NaN column on the right
        const int nx = 6, ny = 5;
        var s = new float[nx * ny];
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
                s[y * nx + x] = x == 0 || y == 0 ? 0f : x == 5 ? float.NaN : x * 10 + y;
        // When / Then the real area is columns 1..4, rows 1..4
        Assert.Equal(new ImageArea(1, 1, 4, 4), ImageArea.Find(s, nx, ny));
        Assert.True(ImageArea.Find(new float[12], 4, 3).IsEmpty);
    }

    [Fact]
    public void ZScoreUsesTheRealAreaAndSparesFlatSlices()
    {
        // Given a slice 1, 2, 3, 4 inside a frame of 0 (mean 2.5, std √1.25)
        var s = new float[] { 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0 };
        var st = SliceNormalization.Default.Apply(s, 4, 4);
        Assert.Equal(2.5, st.Mean, 12);
        Assert.Equal(Math.Sqrt(1.25), st.Std, 12);
        Assert.False(st.Flat);
        Assert.Equal((1 - 2.5) / Math.Sqrt(1.25), s[5], 5);
        Assert.Equal(-2.5 / Math.Sqrt(1.25), s[0], 5);
        // and a flat slice is only shifted
        var flat = new float[] { 7, 7, 7, 7 };
        SliceNormalization.Default.Apply(flat, 2, 2);
        Assert.All(flat, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void FlatnessIsScaleFree()
    {
        // Given the same pattern in raw absorption units (1e-4) and in [0, 1]
        var rng = new Random(3);
        var small = new float[64 * 64];
        for (int i = 0; i < small.Length; i++) small[i] = (float)(0.0006 + 3e-4 * rng.NextDouble());
        var large = small.Select(v => v * 1000f).ToArray();
        // When both are normalised
        var a = SliceNormalization.Default.Apply(small, 64, 64);
        var b = SliceNormalization.Default.Apply(large, 64, 64);
        // Then neither is flat (std 1e-4 is not "≤ 1e-3" here: the rule is relative to the range) and the results agree
        Assert.False(a.Flat);
        Assert.False(b.Flat);
        for (int i = 0; i < small.Length; i += 97) Assert.Equal(large[i], small[i], 3);
        // and a blank 1200² slice with one hot pixel counts as flat (std = 5/1200 ≤ 1e-3 × 5)
        var hot = new float[1200 * 1200];
        hot[600 * 1200 + 600] = 5;
        Assert.True(SliceNormalization.Default.Measure(hot, 1200, 1200).Flat);
    }
}

/// <summary>The robust per-slice normalisation.</summary>
public sealed class RobustNormalisationTests
{
    [Fact]
    public void MedianAndMadOfAKnownSample()
    {
        // Given the values 1..9 on a 3 × 3 slice (median 5; |v − 5| = 0,1,1,2,2,3,3,4,4: MAD 2)
        var s = Enumerable.Range(1, 9).Select(v => (float)v).ToArray();
        // When
        var st = SliceNormalization.Robust.Measure(s, 3, 3);
        // Then
        Assert.Equal(5, st.Mean, 9);
        Assert.Equal(1.4826 * 2, st.Std, 6);
        Assert.False(st.Flat);
    }

    [Fact]
    public void InCellContrastDoesNotDependOnHowMuchVacuumIsInTheField()
    {
        // Given a cell region (values 0.3 ± a texture of amplitude 0.02) filling 100 %, 70 % and 55 % of a slice,
        // the rest vacuum (0) or glass (2.0)
        static float[] Slice(double cellFraction)
        {
            int n = 200;
            var s = new float[n * n];
            int cellCols = (int)(n * cellFraction);
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                    s[y * n + x] = x < cellCols ? (float)(0.3 + 0.02 * Math.Sin(0.7 * x + 1.3 * y) * Math.Cos(0.45 * y)) : ((x * 7 + y * 13) % 3 == 0 ? 2f : 0f); // vacuum and glass, not constant columns (which the real-area rule would trim)
            return s;
        }
        double Contrast(SliceNormalization norm, double f)
        {
            var s = Slice(f);
            norm.Apply(s, 200, 200);
            // the normalised difference between two fixed in-cell pixels
            return s[10 * 200 + 5] - s[37 * 200 + 20];
        }
        // When / Then: with 30 % or 45 % of the field outside the cell, robust scaling keeps the in-cell contrast
        // within 10 %, while the z-score shrinks it more than 10×
        double full = Contrast(SliceNormalization.Robust, 1.0), zfull = Contrast(SliceNormalization.Default, 1.0);
        Assert.InRange(Contrast(SliceNormalization.Robust, 0.7) / full, 0.9, 1.1);
        Assert.InRange(Contrast(SliceNormalization.Robust, 0.55) / full, 0.9, 1.1);
        Assert.True(Contrast(SliceNormalization.Default, 0.7) / zfull < 0.1);
        Assert.True(Contrast(SliceNormalization.Default, 0.55) / zfull < 0.1);
    }

    [Fact]
    public void NegatingASliceNegatesItsNormalisedValuesExactly()
    {
        // Given any slice and its negation
        var rng = new Random(4);
        var a = Enumerable.Range(0, 64 * 48).Select(_ => (float)(rng.NextDouble() * 3 - 0.5)).ToArray();
        var b = a.Select(v => -v).ToArray();
        // When both are normalised
        SliceNormalization.Robust.Apply(a, 64, 48);
        SliceNormalization.Robust.Apply(b, 64, 48);
        // Then b = −a bit for bit (what makes a negated tomogram segment identically once its polarity is flipped)
        for (int i = 0; i < a.Length; i++) Assert.Equal(-a[i], b[i]);
    }
}
