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
    [Fact]
    public void ValidatingOnATrainingSimulationIsNamed()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sim-a"));
        Directory.CreateDirectory(dir.File("sim-b"));
        Directory.CreateDirectory(dir.File("val-c"));
        Directory.CreateSymbolicLink(dir.File("link-a"), dir.File("sim-a"));
        var apart = new TrainingInputs();
        apart.Simulations.AddRange(new[] { dir.File("sim-a"), dir.File("sim-b") });
        apart.ValidationSimulations.Add(dir.File("val-c"));
        Assert.Null(apart.ValidationOverlap());
        // the same folder, spelled with a trailing slash
        var same = new TrainingInputs();
        same.Simulations.AddRange(new[] { dir.File("sim-a"), dir.File("sim-b") });
        same.ValidationSimulations.AddRange(new[] { dir.File("val-c"), dir.File("sim-b") + "/" });
        Assert.Equal($"the validation simulation {dir.File("sim-b")}/ is also trained on: the validation F1, the model kept by it and its threshold will be optimistic; validate on simulations never trained on", same.ValidationOverlap());
        // several: counted
        var both = new TrainingInputs();
        both.Simulations.AddRange(new[] { dir.File("sim-a"), dir.File("sim-b") });
        both.ValidationSimulations.AddRange(new[] { dir.File("sim-a"), dir.File("val-c"), dir.File("sim-b") });
        Assert.StartsWith($"2 of the 3 validation simulations {dir.File("sim-a")}, {dir.File("sim-b")} are also trained on", both.ValidationOverlap());
        // through a link
        var linked = new TrainingInputs();
        linked.Simulations.Add(dir.File("sim-a"));
        linked.ValidationSimulations.Add(dir.File("link-a"));
        Assert.StartsWith($"the validation simulation {dir.File("link-a")} is also trained on", linked.ValidationOverlap());
        // through a link to the folder holding it
        Directory.CreateSymbolicLink(dir.File("all"), dir.Path);
        var parent = new TrainingInputs();
        parent.Simulations.Add(dir.File("sim-b"));
        parent.ValidationSimulations.Add(Path.Combine(dir.File("all"), "sim-b"));
        Assert.NotNull(parent.ValidationOverlap());
        // nothing to compare
        Assert.Null(new TrainingInputs { }.ValidationOverlap());
    }
}
