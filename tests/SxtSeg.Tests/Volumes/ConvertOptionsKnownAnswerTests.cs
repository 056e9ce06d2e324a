using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>The options of <c>sxtseg convert</c>: the LOW:HIGH range and the combinations refused, with their messages.</summary>
public sealed class ConvertOptionsKnownAnswerTests
{
    [Theory]
    [InlineData("0:1", 0, 1)]
    [InlineData("-2.5:1e3", -2.5, 1000)]
    [InlineData("-10:-5", -10, -5)]
    public void ARangeIsLowColonHigh(string text, double low, double high) => Assert.Equal((low, high), ConvertOptions.ParseRange(text));

    [Theory]
    [InlineData("1:1")]          // HIGH must exceed LOW
    [InlineData("2:1")]
    [InlineData("1")]
    [InlineData("1:2:3")]
    [InlineData("a:2")]
    [InlineData("1:b")]
    [InlineData("-inf:1")]
    [InlineData("0:inf")]
    [InlineData("-1e308:1e308")] // the width overflows
    [InlineData("NaN:1")]
    public void BadRangesAreRefused(string text)
    {
        var e = Assert.Throws<InvalidOptionException>(() => ConvertOptions.ParseRange(text));
        Assert.Equal((nameof(ConvertOptions.Range), $"'{text}' is not LOW:HIGH with finite numbers and HIGH > LOW"), (e.Option, e.Problem));
    }

    [Fact]
    public void ContradictoryOptionsAreRefusedWithTheirReason()
    {
        static InvalidOptionException Refused(ConvertOptions o, string output = "out.tif") => Assert.Throws<InvalidOptionException>(() => o.Validate(output));
        var e = Refused(new ConvertOptions { Range = (0, 1), Scale = ScaleMode.MinMax });
        Assert.Equal((nameof(ConvertOptions.Range), "is used only with --scale range (the scale is minmax); add --scale range or leave --range out"), (e.Option, e.Problem));
        e = Refused(new ConvertOptions { Range = (0, 1) }); // the default scale is auto
        Assert.Equal("is used only with --scale range (the scale is auto); add --scale range or leave --range out", e.Problem);
        e = Refused(new ConvertOptions { Scale = ScaleMode.Range });
        Assert.Equal((nameof(ConvertOptions.Range), "give LOW:HIGH with --scale range"), (e.Option, e.Problem));
        e = Refused(new ConvertOptions { TiffCompression = TiffCompression.Deflate }, "out.mrc");
        Assert.Equal((nameof(ConvertOptions.TiffCompression), "applies to TIFF output only; MRC files are always written uncompressed"), (e.Option, e.Problem));
        e = Refused(new ConvertOptions { VoxelSize = new VoxelSize(10, 10, 20000) });
        Assert.Equal((nameof(ConvertOptions.VoxelSize), "voxel size must be 0.1 nm (1 Å) to 10 µm on every axis, got 10 × 10 × 20000 nm"), (e.Option, e.Problem));
        // and the consistent ones pass
        new ConvertOptions { Range = (0, 1), Scale = ScaleMode.Range }.Validate("out.mrc");
        new ConvertOptions { TiffCompression = TiffCompression.Lzw }.Validate("out.tif");
        new ConvertOptions { VoxelSize = VoxelSize.Isotropic(10) }.Validate("out.mrc");
    }
}
