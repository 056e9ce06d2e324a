using SxtSeg.Training;

namespace SxtSeg.Tests.Training;

/// <summary>What the annotated inputs say about the network that should learn from them.</summary>
public sealed class TrainingInputsTests
{
    [Fact]
    public void AContextNetworkOnAnnotatedSingleImagesOnlyIsAMismatch()
    {
        var pairs = new TrainingInputs();
        pairs.Pairs.Add("slices/");
        Assert.True(pairs.OnlySingleImagesAnnotated);
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
        var volume = new TrainingInputs { Volume = new AnnotatedVolume("tomo.mrc", "painted.tif", new[] { 3 }) };
        volume.Pairs.Add("slices/");
        Assert.False(volume.OnlySingleImagesAnnotated);
        Assert.Null(volume.ContextMismatch(3));
        var sims = new TrainingInputs();
        sims.Simulations.Add("sim-1");
        sims.Pairs.Add("slices/");
        Assert.Null(sims.ContextMismatch(3));
        // and nothing annotated is no mismatch (the run refuses it for that reason)
        Assert.Null(new TrainingInputs().ContextMismatch(3));
    }
}
