using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>Starting a wider U-Net from a trained narrower one (<c>train --init MODEL --arch WIDER</c>): it computes exactly what the narrower did, and what cannot be widened is refused.</summary>
[Collection(TorchCollection.Name)]
public sealed class WideningTests
{
    private static readonly NetworkArchitecture Narrow = NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-2-2,dec=1-2,head=logit,ctx=1");

    /// <summary>Batch-norm affine parameters and statistics away from their initial 1, 0, 0, 1, so that copying them matters.</summary>
    private static void Perturb(SegmentationNetwork net)
    {
        using var grad = no_grad();
        var g = new Generator(11);
        foreach (var (name, t) in net.state_dict())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal))
                t.copy_(rand(t.shape, generator: g) + 0.5);
            else if (name.EndsWith("norm.bias", StringComparison.Ordinal) || name.EndsWith("running_mean", StringComparison.Ordinal))
                t.copy_(randn(t.shape, generator: g) * 0.3);
        }
    }

    [Theory]
    [InlineData("unet:w=4-8-16,enc=1-2-2,dec=1-2,head=logit,ctx=1", "unet:w=6-12-16,enc=1-2-2,dec=1-2,head=logit,ctx=1")] // two levels wider, the deepest as it was
    [InlineData("unet:w=4-8-16,enc=1-2-2,dec=1-2,head=logit,ctx=1", "unet:w=8-16-32,enc=1-2-2,dec=1-2,head=logit,ctx=1")] // every level twice as wide
    [InlineData("unet:w=4-8-16,enc=1-2-2,dec=1-2,head=logit,ctx=1,block=sep", "unet:w=8-12-32,enc=1-2-2,dec=1-2,head=logit,ctx=1,block=sep")] // separable blocks: depthwise filters are per channel
    [InlineData("unet:w=4-8-16,enc=1-2-2,dec=1-2,head=logit,ctx=2,p3d=2", "unet:w=8-16-24,enc=1-2-2,dec=1-2,head=logit,ctx=2,p3d=2")] // with a 3-D stem, which stays as it was
    public void AWidenedNetworkComputesWhatTheNarrowOneDid(string narrowSpec, string wideSpec)
    {
        // Given a narrow U-Net with non-trivial batch-norm parameters and statistics, and a wider one started from it
        var narrowArch = NetworkArchitecture.Parse(narrowSpec);
        using var narrow = narrowArch.Create(3);
        Perturb(narrow);
        var wideArch = NetworkArchitecture.Parse(wideSpec);
        using var wide = wideArch.Create(99);
        TrainingSetup.CopyWeights(narrow, wide);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var x = randn(2, narrowArch.InputChannels, 32, 32, generator: new Generator(5));
        // When both run with their stored statistics (inference)
        narrow.eval();
        wide.eval();
        var (ln, iN) = narrow.ForwardBoth(x);
        var (lw, iw) = wide.ForwardBoth(x);
        // Then labels and reconstructions are the same (to float rounding: wider convolutions sum in another order)
        Assert.True(ln.allclose(lw, rtol: 1e-5, atol: 1e-5), "labels differ (inference)");
        Assert.True(iN.allclose(iw, rtol: 1e-5, atol: 1e-5), "reconstructions differ (inference)");
        // and also with the batch's own statistics (training: they are per channel)
        narrow.train();
        wide.train();
        var (lt, it) = narrow.ForwardBoth(x);
        var (lwt, iwt) = wide.ForwardBoth(x);
        Assert.True(lt.allclose(lwt, rtol: 1e-4, atol: 1e-5), "labels differ (training)");
        Assert.True(it.allclose(iwt, rtol: 1e-4, atol: 1e-5), "reconstructions differ (training)");
        // and the wider network is really wider: more parameters than the narrow one
        Assert.True(wideArch.TrainableParameters > narrowArch.TrainableParameters);
    }

    private static readonly string[] Short = { "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "1", "--validate-every", "2", "--threads", "1" };

    [Fact]
    public void TrainStartsAWiderNetworkFromAModelAndRefusesANarrowerOne()
    {
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "start.sxtmodel");
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 4, seed: 1);
        string val = SyntheticTrainingData.WriteSimulation(tmp.File("val"), 48, 48, 4, seed: 2);
        // Given the same fine-tuning, once with the model's own architecture and once with every level twice as wide
        const string wider = "unet:w=8-16-32,enc=1-1-1,dec=1-1,head=logit";
        var (c1, _, e1) = CliRunner.Run(new[] { "train", "--init", model, "--sim", sim, "--val-sim", val, "--out", tmp.File("same") }.Concat(Short).ToArray());
        var (c2, _, e2) = CliRunner.Run(new[] { "train", "--init", model, "--arch", wider, "--sim", sim, "--val-sim", val, "--out", tmp.File("wide") }.Concat(Short).ToArray());
        Assert.True(c1 == 0, e1);
        Assert.True(c2 == 0, e2);
        // Then the widened starting model scores exactly what the model does, and the trained one is the wider network
        string Start(string run) => File.ReadAllLines(Path.Combine(tmp.File(run), "metrics.csv"))[1];
        Assert.StartsWith("0,", Start("wide"));
        Assert.Equal(Start("same"), Start("wide"));
        Assert.Equal(NetworkArchitecture.Parse(wider).Spec, ModelFile.ReadCard(Path.Combine(tmp.File("wide"), "model-last.sxtmodel")).Network.Spec);
        // When a narrower network is asked of the model: one line naming both, nothing written
        var (c3, _, e3) = CliRunner.Run(new[] { "train", "--init", model, "--arch", "unet:w=4-8-8,enc=1-1-1,dec=1-1,head=logit", "--sim", sim, "--val-sim", val, "--out", tmp.File("narrow") }.Concat(Short).ToArray());
        Assert.Equal(2, c3);
        Assert.Single(e3.Trim().Split('\n'));
        Assert.Contains("is a model of unet:w=4-8-16", e3);
        Assert.False(Directory.Exists(tmp.File("narrow")));
    }

    [Fact]
    public void OnlyWiderLevelsOfTheSameShapeWithBatchNormCanBeStartedFrom()
    {
        var n = Narrow.UNet!;
        UNetConfig P(string spec) => NetworkArchitecture.Parse(spec).UNet!;
        Assert.True(n.CanWidenTo(P("unet:w=4-8-32,enc=1-2-2,dec=1-2,head=logit,ctx=1")));
        // the same widths, a narrower level, other depths, context, head, block or group norm: no
        Assert.False(n.CanWidenTo(n));
        Assert.False(n.CanWidenTo(P("unet:w=8-8-8,enc=1-2-2,dec=1-2,head=logit,ctx=1")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32,enc=1-2-2,dec=2-2,head=logit,ctx=1")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32,enc=1-2-2,dec=1-2,head=logit,ctx=2")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32,enc=1-2-2,dec=1-2,ctx=1")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32,enc=1-2-2,dec=1-2,head=logit,ctx=1,block=sep")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32,enc=1-2-2,dec=1-2,head=logit,ctx=1,norm=group")));
        Assert.False(n.CanWidenTo(P("unet:w=8-16-32-64,enc=1-2-2-2,dec=1-2-2,head=logit,ctx=1")));
        // and copying into a narrower network is refused
        using var wide = NetworkArchitecture.Parse("unet:w=8-16-32,enc=1-2-2,dec=1-2,head=logit,ctx=1").Create(1);
        using var narrow = Narrow.Create(2);
        Assert.Throws<InvalidOperationException>(() => TrainingSetup.CopyWeights(wide, narrow));
    }
}
