using SxtSeg.Measurement;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The measure options' documented defaults, the edges of each accepted range (the last value
/// accepted and the first refused, with the setting named), and what a run records in provenance.
/// </summary>
public sealed class MeasureOptionsTests
{
    [Fact]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var o = new MeasureOptions();
        Assert.Equal(10, o.SurfaceSmoothing);
        Assert.Equal(1, o.MinVoxels);
        Assert.Equal(long.MaxValue, o.MaxVoxels);
        Assert.False(o.ExcludeBorder);
        Assert.Equal(1000, MeasureOptions.MaxSurfaceSmoothing);
        o.Validate();

        var run = new MeasureRunOptions();
        Assert.Equal("Morphometrics", run.Title);
        Assert.True(run.Slices);
        Assert.Null(run.Truth);
        Assert.Equal(new MeasureOptions(), run.Measure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void SmoothingAtEitherEndOfItsRangeIsAccepted(int iterations) =>
        new MeasureOptions { SurfaceSmoothing = iterations }.Validate();

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void SmoothingJustOutsideItsRangeIsRefusedByName(int iterations)
    {
        var e = Assert.Throws<InvalidOptionException>(() => new MeasureOptions { SurfaceSmoothing = iterations }.Validate());
        Assert.Equal("SurfaceSmoothing", e.Option);
        Assert.Contains("0..1000", e.Problem);
        Assert.Contains(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Problem);
    }

    [Fact]
    public void ANegativeMinimumSizeIsRefusedAndZeroIsAccepted()
    {
        new MeasureOptions { MinVoxels = 0 }.Validate();
        var e = Assert.Throws<InvalidOptionException>(() => new MeasureOptions { MinVoxels = -1 }.Validate());
        Assert.Equal("MinVoxels", e.Option);
    }

    [Fact]
    public void AMaximumBelowTheMinimumIsRefusedAndAnEqualOneAccepted()
    {
        new MeasureOptions { MinVoxels = 5, MaxVoxels = 5 }.Validate();
        var e = Assert.Throws<InvalidOptionException>(() => new MeasureOptions { MinVoxels = 5, MaxVoxels = 4 }.Validate());
        Assert.Equal("MaxVoxels", e.Option);
    }

    [Fact]
    public void ARunValidatesItsMeasureOptions()
    {
        new MeasureRunOptions().Validate();
        var e = Assert.Throws<InvalidOptionException>(() =>
            new MeasureRunOptions { Measure = new MeasureOptions { SurfaceSmoothing = -1 } }.Validate());
        Assert.Equal("SurfaceSmoothing", e.Option);
    }

    [Fact]
    public void ARunRecordsTheBorderRuleAndTheSmoothingInProvenance()
    {
        var p = new Provenance("measure");
        var returned = new MeasureRunOptions { Measure = new MeasureOptions { ExcludeBorder = true, SurfaceSmoothing = 3 } }.Record(p);
        Assert.Same(p, returned);
        Assert.Equal("True", p.Parameters["exclude_border"]);
        Assert.Equal("3", p.Parameters["smooth"]);
        Assert.Equal(2, p.Parameters.Count);
    }
}
