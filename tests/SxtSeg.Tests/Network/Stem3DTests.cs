using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Training;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

/// <summary>
/// The residual 3-D stem of a U-Net with context (",p3d=K"): its spec and card, its cost, that a
/// model without it starts a stemmed network computing exactly what it did, and what the stem adds
/// to the slices, against a hand-built 3-D filter.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class Stem3DTests
{
    private const string Ctx1 = "unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit,ctx=1";

    [Fact]
    public void TheStemIsPartOfTheSpecAndTheCardOnlyWhenGiven()
    {
        var plain = NetworkArchitecture.Parse(Ctx1);
        Assert.Null(plain.ToJson()["unet"]!["stem_3d"]);
        Assert.Equal(0, plain.Stem3D);
        var stemmed = NetworkArchitecture.Parse(Ctx1 + ",p3d=2");
        Assert.Equal("unet:w=4-8-16,enc=1-1-1,dec=1-1,block=plain,img=1,head=logit,ctx=1,p3d=2", stemmed.Spec);
        Assert.Equal(2, stemmed.Stem3D);
        Assert.Equal(2, (int)stemmed.ToJson()["unet"]!["stem_3d"]!);
        Assert.Equal(stemmed, NetworkArchitecture.FromJson(JsonNode.Parse(stemmed.ToJson().ToJsonString())));
        Assert.Equal(stemmed, plain.WithStem3D(2));
        Assert.Equal(plain, stemmed.WithStem3D(0));
        Assert.Contains("3-D stem of 2 channels", stemmed.Describe());
        // a 2D network has no slices to filter in 3-D: dropping the context drops the stem
        Assert.Equal(0, stemmed.WithContext(0).Stem3D);
        Assert.Equal(NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit"), stemmed.WithContext(0));
    }

    [Theory]
    [InlineData("unet:w=4-8,enc=1-1,dec=1,p3d=2")]          // no context
    [InlineData("unet:w=4-8,enc=1-1,dec=1,ctx=1,p3d=33")]   // above 32 channels
    public void AStemWithoutContextOrTooWideIsRefused(string spec)
    {
        var e = Assert.Throws<InvalidOptionException>(() => NetworkArchitecture.Parse(spec));
        Assert.Equal(NetworkArchitecture.ArchitectureKey, e.Option);
    }

    [Fact]
    public void TheStemCostsTwoConvolutionsOf27KTapsPerInputPlane()
    {
        // 1 → 2 and 2 → 1 channels of 3 × 3 × 3 over 3 planes: (27 · 2 + 27 · 2) multiply-adds × 3 planes × 2 flops = 648
        using var plain = NetworkArchitecture.Parse(Ctx1).Create(1);
        using var stemmed = NetworkArchitecture.Parse(Ctx1 + ",p3d=2").Create(1);
        Assert.Equal(648, stemmed.LabelPathFlopsPerPixel - plain.LabelPathFlopsPerPixel, 6);
        // two 3-D convolutions: 1·2·27 + 2 and 2·1·27 + 1 parameters
        Assert.Equal(56 + 55, stemmed.TrainableParameterCount - plain.TrainableParameterCount);
    }

    [Fact]
    public void AModelWithoutTheStemStartsAStemmedNetworkComputingWhatItDid()
    {
        // Given a 3-plane U-Net and the same with a stem, its weights copied
        var (plain, stemmed) = Pair(Ctx1, 2);
        using var p0 = plain;
        using var p1 = stemmed;
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var x = randn(2, 3, 32, 32, generator: new Generator(5));
        // Then both give the same labels and reconstruction (the stem's output starts at 0)
        var (l0, i0) = plain.ForwardBoth(x);
        var (l1, i1) = stemmed.ForwardBoth(x);
        Assert.True(l0.allclose(l1, rtol: 1e-5, atol: 1e-6), "labels differ");
        Assert.True(i0.allclose(i1, rtol: 1e-5, atol: 1e-6), "reconstructions differ");
    }

    [Fact]
    public void TheStemIsTorchsConv3dPairAndTrainsAsOne()
    {
        // Given a stemmed 7-plane network with random stem weights, and the plain network with the same other weights
        const string ctx3 = "unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit,ctx=3";
        var (plain, stemmed) = Pair(ctx3, 3);
        using var p0 = plain;
        using var p1 = stemmed;
        using var scope = NewDisposeScope();
        var p = stemmed.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        var g = new Generator(11);
        using (no_grad())
            foreach (var k in new[] { "stem.0.weight", "stem.0.bias", "stem.1.weight", "stem.1.bias" }) p[k].copy_(randn(p[k].shape, generator: g) * 0.3);
        // reference: libtorch's own conv3d on the N×1×D×H×W stack, on leaf copies of the stem's weights
        var w0 = p["stem.0.weight"].detach().clone().requires_grad_();
        var b0 = p["stem.0.bias"].detach().clone().requires_grad_();
        var w1 = p["stem.1.weight"].detach().clone().requires_grad_();
        var b1 = p["stem.1.bias"].detach().clone().requires_grad_();
        var x = randn(2, 7, 32, 32, generator: new Generator(12));
        var hidden = nn.functional.relu(nn.functional.conv3d(x.unsqueeze(1), w0, b0, padding: new long[] { 1, 1, 1 }));
        var reference = plain.forward(x + nn.functional.conv3d(hidden, w1, b1, padding: new long[] { 1, 1, 1 }).squeeze(1));
        // When the stemmed network runs on the same slices
        var got = stemmed.forward(x);
        // Then it gives the same labels
        Assert.True(got.allclose(reference, rtol: 1e-4, atol: 1e-5), $"labels differ by {(got - reference).abs().max().item<float>()}");
        // and the same gradients for the stem's weights
        (got * reference.detach()).sum().backward();
        (reference * reference.detach()).sum().backward();
        foreach (var (k, leaf) in new[] { ("stem.0.weight", w0), ("stem.0.bias", b0), ("stem.1.weight", w1), ("stem.1.bias", b1) })
            Assert.True(p[k].grad!.allclose(leaf.grad!, rtol: 1e-3, atol: 1e-5), $"{k}: gradients differ by {(p[k].grad! - leaf.grad!).abs().max().item<float>()}");
    }

    /// <summary>A network of <paramref name="spec"/> (seed 3) and the same with a stem of <paramref name="k"/> channels (seed 99) started from its weights, both in eval mode.</summary>
    private static (SegmentationNetwork Plain, SegmentationNetwork Stemmed) Pair(string spec, int k)
    {
        var plain = NetworkArchitecture.Parse(spec).Create(3);
        var stemmed = NetworkArchitecture.Parse(spec + $",p3d={k}").Create(99);
        TrainingSetup.CopyWeights(plain, stemmed);
        plain.eval();
        stemmed.eval();
        return (plain, stemmed);
    }

    private static readonly string[] Short = { "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "1", "--validate-every", "2", "--threads", "1" };

    [Fact]
    public void TrainingStartsAStemmedNetworkFromAModelWithoutAndNotTheOtherWayRound()
    {
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "ctx.sxtmodel", TinyModels.UNet3 + ",ctx=1");
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        // Given the same fine-tuning of a 3-plane model, once as it is and once with a stem
        var (c0, _, e0) = CliRunner.Run(new[] { "train", "--init", model, "--sim", sim, "--val-sim", sim, "--out", tmp.File("plain") }.Concat(Short).ToArray());
        var (c1, _, e1) = CliRunner.Run(new[] { "train", "--init", model, "--arch", TinyModels.UNet3 + ",ctx=1,p3d=2", "--sim", sim, "--val-sim", sim, "--out", tmp.File("stem") }.Concat(Short).ToArray());
        Assert.True(c0 == 0, e0);
        Assert.True(c1 == 0, e1);
        // (validating on the training simulation, on purpose here, is warned about once the run starts)
        Assert.Equal($"sxtseg: warning: the validation simulation {sim} is also trained on: the validation F1, the model kept by it and its threshold will be optimistic; validate on simulations never trained on", e0.Trim());
        // Then the stemmed starting model scores exactly what the model does (step 0 of metrics.csv)
        string Start(string run) => File.ReadAllLines(Path.Combine(tmp.File(run), "metrics.csv"))[1];
        Assert.StartsWith("0,", Start("stem"));
        Assert.Equal(Start("plain"), Start("stem"));
        string trained = Path.Combine(tmp.File("stem"), "model-last.sxtmodel");
        Assert.EndsWith(",ctx=1,p3d=2", ModelFile.ReadCard(trained).Network.Spec);
        // and the stemmed model cannot start a network without the stem (its stem would be lost): one line, nothing written
        var (c2, _, e2) = CliRunner.Run(new[] { "train", "--init", trained, "--arch", TinyModels.UNet3 + ",ctx=1", "--sim", sim, "--val-sim", sim, "--out", tmp.File("back") }.Concat(Short).ToArray());
        Assert.Equal(2, c2);
        Assert.Single(e2.Trim().Split('\n'));
        Assert.Contains("p3d=2", e2);
        Assert.False(Directory.Exists(tmp.File("back")));
    }

    [Fact]
    public void TheStemAddsItsThreeDFilterOfTheSliceStackToTheSlices()
    {
        // Given a stemmed network whose stem reads the next slice at the same pixel (1 channel of its
        // first convolution: a single tap at dz = +1, bias −0.5), and writes that channel back unchanged
        var (plain, stemmed) = Pair(Ctx1, 2);
        using var p0 = plain;
        using var p1 = stemmed;
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var p = stemmed.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        p["stem.0.weight"].zero_();
        p["stem.0.bias"].zero_();
        p["stem.0.weight"][0, 0, 2, 1, 1] = tensor(1f);
        p["stem.0.bias"][0] = tensor(-0.5f);
        p["stem.1.weight"].zero_();
        p["stem.1.bias"].zero_();
        p["stem.1.weight"][0, 0, 1, 1, 1] = tensor(1f);
        // When it sees three slices
        var x = randn(1, 3, 32, 32, generator: new Generator(7));
        // Then it computes what the plain network computes on slice z + relu(slice z + 1 − 0.5),
        // the plane beyond the last one being 0 (zero padding): relu(−0.5) = 0 there
        var shifted = cat(new[] { x.narrow(1, 1, 2), zeros(1, 1, 32, 32) }, 1);
        var expectedInput = x + nn.functional.relu(shifted - 0.5f);
        var (l0, i0) = plain.ForwardBoth(expectedInput);
        var (l1, i1) = stemmed.ForwardBoth(x);
        Assert.True(l0.allclose(l1, rtol: 1e-4, atol: 1e-5), "labels differ");
        Assert.True(i0.allclose(i1, rtol: 1e-4, atol: 1e-5), "reconstructions differ");
        // and that differs from the plain network on the raw slices (the stem is used)
        Assert.False(plain.forward(x).allclose(l1, rtol: 1e-4, atol: 1e-5));
    }
}
