using SxtSeg.Training;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

/// <summary>What the annotated inputs say about the network that should learn from them.</summary>
public sealed class TrainingInputsTests
{
    [Fact]
    public void AContextNetworkOnAnnotatedSingleImagesOnlyIsAMismatch()
    {
        var pairs = new TrainingInputs();
        pairs.Pairs.Add("slices/");
        Assert.True(pairs.OnlySingleImagesAnnotated());
        string? m = pairs.ContextMismatch(3);
        Assert.NotNull(m);
        Assert.Contains("7 copies", m);
        Assert.Contains("--init 2d", m);
        Assert.Contains("3 copies", pairs.ContextMismatch(1));
        // a one-slice network fits them
        Assert.Null(pairs.ContextMismatch(0));
    }

    [Fact]
    public void AnnotatedSlicesOfATomogramOrASimulationHaveRealNeighbours()
    {
        // a real tomogram of 5 slices (a missing file would also be no mismatch, for another reason: below)
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("tomo.mrc"), new Volume<float>(8, 6, 5));
        var volume = new TrainingInputs { Volume = new AnnotatedVolume(dir.File("tomo.mrc"), "painted.tif", new[] { 3 }) };
        volume.Pairs.Add("slices/");
        Assert.False(volume.OnlySingleImagesAnnotated());
        Assert.Null(volume.ContextMismatch(3));
        var sims = new TrainingInputs();
        sims.Simulations.Add("sim-1");
        sims.Pairs.Add("slices/");
        Assert.Null(sims.ContextMismatch(3));
        // a volume that cannot be read is not judged here (training reports it)
        Assert.Null(new TrainingInputs { Volume = new AnnotatedVolume("missing.mrc", "painted.tif", new[] { 0 }) }.ContextMismatch(3));
        // and nothing annotated is no mismatch (the run refuses it for that reason)
        Assert.Null(new TrainingInputs().ContextMismatch(3));
    }

    [Fact]
    public void AnAnnotatedVolumeOfOneSliceIsASingleImage()
    {
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("one.mrc"), new Volume<float>(8, 6, 1));
        VolumeIO.Write(dir.File("two.mrc"), new Volume<float>(8, 6, 2));
        var one = new TrainingInputs { Volume = new AnnotatedVolume(dir.File("one.mrc"), dir.File("one.mrc"), new[] { 0 }) };
        Assert.True(one.OnlySingleImagesAnnotated());
        Assert.Contains("7 copies", one.ContextMismatch(3));
        one.Pairs.Add("slices/");
        Assert.Contains("5 copies", one.ContextMismatch(2));
        var two = new TrainingInputs { Volume = new AnnotatedVolume(dir.File("two.mrc"), dir.File("two.mrc"), new[] { 0 }) };
        Assert.False(two.OnlySingleImagesAnnotated());
        Assert.Null(two.ContextMismatch(3));
    }
}
