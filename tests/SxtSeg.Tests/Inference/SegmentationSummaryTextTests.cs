using SxtSeg.Inference;

namespace SxtSeg.Tests.Inference;

/// <summary>
/// The console's line for the in-plane resampling says which way the slices went: before, a tomogram
/// shrunk to 0.42 × was reported as "× 2.381", which reads as an enlargement.
/// </summary>
public sealed class SegmentationSummaryTextTests
{
    [Fact]
    public void AShrinkIsCalledAShrink()
    {
        var s = new SegmentationSummary { Folder = "out", Scale = 0.42 };
        // 1 / 0.42 = 2.38095…
        Assert.Equal("shrunk to 0.42 × in x and y for the network (2.381 × coarser pixels; voxel size outside the model's range)", s.ResamplingText());
    }

    [Fact]
    public void AnEnlargementIsCalledAnEnlargement()
    {
        var s = new SegmentationSummary { Folder = "out", Scale = 1.41, ScaledByResolution = true };
        Assert.Equal("enlarged to 1.41 × in x and y for the network (1.41 × finer pixels; the resolution spans more or fewer pixels than in the model's training data)", s.ResamplingText());
    }

    [Fact]
    public void NoResamplingHasNoLine() => Assert.Null(new SegmentationSummary { Folder = "out", Scale = 1 }.ResamplingText());
}
