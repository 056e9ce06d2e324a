using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// The small parts of TIFF reading and writing against hand-worked answers: ImageJ unit names, the
/// ImageJ description parser, null file names in the natural order (the order itself: TiffTests), and the rationals
/// the writer stores resolutions as (continued-fraction convergents).
/// </summary>
public sealed class TiffPartsKnownAnswerTests
{
    [Theory]
    [InlineData("nm", 1)]
    [InlineData("nanometer", 1)]
    [InlineData("nanometre", 1)]
    [InlineData(" NM ", 1)]
    [InlineData("micron", 1000)]
    [InlineData("microns", 1000)]
    [InlineData("um", 1000)]
    [InlineData("µm", 1000)]          // micro sign U+00B5
    [InlineData("\u03bcm", 1000)]     // Greek mu
    [InlineData("micrometer", 1000)]
    [InlineData("micrometre", 1000)]
    [InlineData("mm", 1e6)]
    [InlineData("millimeter", 1e6)]
    [InlineData("cm", 1e7)]
    [InlineData("m", 1e9)]
    [InlineData("meter", 1e9)]
    [InlineData("a", 0.1)]
    [InlineData("å", 0.1)]
    [InlineData("angstrom", 0.1)]
    [InlineData("\u00c5", 0.1)]       // Latin capital A with ring
    [InlineData("\u212b", 0.1)]       // Angstrom sign
    [InlineData("pm", 0.001)]
    [InlineData("inch", 2.54e7)]
    public void ImageJUnitsAreConvertedToNanometres(string unit, double nm) => Assert.Equal(nm, ImageJDescription.NmPerUnit(unit));

    [Theory]
    [InlineData("pixel")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownUnitsGiveNoSize(string? unit) => Assert.Null(ImageJDescription.NmPerUnit(unit));

    [Fact]
    public void TheImageJDescriptionIsReadAsKeysAndValues()
    {
        Assert.Null(ImageJDescription.TryParse(null));
        Assert.Null(ImageJDescription.TryParse("images=3\nImageJ=1.53"));
        var d = ImageJDescription.TryParse("ImageJ=1.53t\nimages=12\n=orphan\nno pair here\n spacing = 2.5 \nunit=micron\0\0\nbad=x1")!;
        Assert.Equal(new[] { "ImageJ", "images", "spacing", "unit", "bad" }, d.Values.Keys);
        Assert.Equal(("2.5", "micron"), (d.Values["spacing"], d.Values["unit"]));
        Assert.Equal(12, d.Int("images"));
        Assert.Equal(2.5, d.Double("spacing"));
        Assert.Null(d.Int("bad"));
        Assert.Null(d.Double("bad"));
        Assert.Null(d.Int("missing"));
        Assert.Null(d.Int("spacing")); // not an integer
    }

    [Fact]
    public void NullsSortFirst()
    {
        Assert.True(NaturalComparer.Instance.Compare(null, "a") < 0);
        Assert.True(NaturalComparer.Instance.Compare("a", null) > 0);
        Assert.Equal(0, NaturalComparer.Instance.Compare(null, null));
    }

    [Theory]
    [InlineData(0.1, 1, 10)]
    [InlineData(0.5, 1, 2)]
    [InlineData(2.0, 2, 1)]
    [InlineData(1.0 / 3, 1, 3)]
    [InlineData(1.0 / 9.8, 5, 49)]
    [InlineData(0.0769230769230769, 1, 13)]    // 1/13 as printed
    [InlineData(1e10, uint.MaxValue, 1)]       // beyond a 32-bit numerator: the largest
    [InlineData(0.0, 1, uint.MaxValue)]        // zero: the smallest positive
    [InlineData(1e-12, 1, uint.MaxValue)]
    public void ResolutionsAreStoredAsTheNearestSmallRational(double value, long num, long den)
        => Assert.Equal((num, den), ContiguousTiff.Rational(value));

    [Fact]
    public void PiIsApproximatedWithinTheRangeOfThirtyTwoBits()
    {
        var (num, den) = ContiguousTiff.Rational(Math.PI);
        Assert.True(num <= uint.MaxValue && den <= uint.MaxValue);
        Assert.True(Math.Abs((double)num / den - Math.PI) < 1e-14, $"{num}/{den}");
        Assert.True(den > 1_000_000); // well past 355/113
    }
}
