using System.Text.Json.Nodes;
using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

[Collection(TorchCollection.Name)]
public sealed class UNetArchitectureTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static readonly UNetConfig TwoLevels = new(new[] { 2, 4 }, new[] { 1, 1 }, new[] { 1 });

    [Fact]
    public void TwoLevelNetworkHasTheHandCountedParametersAndFlops()
    {
        // Given widths 2, 4 with one unit per level: by hand,
        //   encoder  conv 1→2 3×3 (18) + BN (4); conv 2→4 (72) + BN (8)           = 102
        //   label    up 4→2 2×2 (32 + 2 bias); conv [skip 2 + up 2]→2 (72) + BN (4); head 1×1 2→1 (2 + 1) = 113
        //   image    up 4→2 (34); conv 2→2 (36) + BN (4); head 3×3 2→1 (18 + 1)  = 93
        // and batch-norm statistics 2 × (2 + 4 + 2 + 2) = 20
        using var net = new SxtUNet(TwoLevels);
        Assert.Equal(308, net.TrainableParameterCount);
        Assert.Equal(20, net.BatchNormStatisticCount);
        Assert.Equal(308, NetworkArchitecture.FromUNet(TwoLevels).TrainableParameters);
        // Label-path FLOPs (2 per multiply–add) per input pixel: encoder 2·9·1·2 = 36 at full resolution and
        // 2·9·2·4 = 144 at a quarter of the pixels; upsampling 2·4·2 = 16 and decoder conv 2·9·4·2 = 144 per
        // full-resolution pixel; head 2·2 = 4
        Assert.Equal(36 + 144 / 4.0 + 16 + 144 + 4, net.LabelPathFlopsPerPixel, 9);
        Assert.Equal(2, net.InputMultiple);
    }

    [Fact]
    public void UNetSmallPresetCountMatchesTheClosedForm()
    {
        // Given the unet-s preset (plain 3×3 units, widths 8..128)
        var a = NetworkPreset.Get("unet-s").Architecture;
        var c = a.UNet!;
        // When its parameters are counted from the configuration alone
        long n = 0, stats = 0;
        long cin = 1;
        for (int i = 0; i < c.Widths.Count; i++)
            for (int u = 0; u < c.EncoderDepths[i]; u++)
            {
                n += 9 * cin * c.Widths[i] + 2 * c.Widths[i];
                stats += 2 * c.Widths[i];
                cin = c.Widths[i];
            }
        for (int i = 0; i < c.Widths.Count - 1; i++)
        {
            long w = c.Widths[i], below = c.Widths[i + 1];
            n += 2 * (4 * below * w + w);                                    // label and image upsampling
            n += 9 * 2 * w * w + 2 * w + (c.DecoderDepths[i] - 1) * (9 * w * w + 2 * w); // label units
            stats += 2 * w * c.DecoderDepths[i];
            n += c.ImageDecoderDepth * (9 * w * w + 2 * w);                  // image units
            stats += 2 * w * c.ImageDecoderDepth;
        }
        n += c.Widths[0] + 1 + 9 * c.Widths[0] + 1;                          // heads
        // Then the built network agrees
        using var net = a.Build();
        Assert.Equal(n, net.TrainableParameterCount);
        Assert.Equal(stats, net.BatchNormStatisticCount);
        Assert.Equal(575_802, n);
    }

    [Fact]
    public void ForwardShapesLabelRangeAndInputMultiple()
    {
        using var scope = NewDisposeScope();
        // Given a three-level network (input multiple 4) and a 2×1×12×20 input
        using var net = SxtUNet.Create(new UNetConfig(new[] { 3, 4, 5 }, new[] { 1, 2, 1 }, new[] { 2, 1 }), 7);
        net.eval();
        var x = randn(2, 1, 12, 20);
        // When both heads run
        var (label, image) = net.ForwardBoth(x);
        // Then the outputs have the input's shape, the label lies in [−1, 1], the label path alone agrees,
        // and sizes that are not multiples of 4 are refused
        Assert.Equal(x.shape, label.shape);
        Assert.Equal(x.shape, image.shape);
        Assert.True(label.abs().max().item<float>() <= 1f);
        Assert.True(net.forward(x).allclose(label, rtol: 1e-5, atol: 1e-6));
        Assert.True(net.ForwardImage(x).allclose(image, rtol: 1e-5, atol: 1e-6));
        Assert.Throws<ArgumentException>(() => net.forward(randn(1, 1, 14, 20)));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("sep")]
    public void FoldedUNetComputesTheSameLabels(string block)
    {
        using var scope = NewDisposeScope();
        // Given a network whose batch norms have non-trivial statistics and affine parameters
        using var net = SxtUNet.Create(UNetConfig.Parse($"w=3-6-8,enc=1-2-1,dec=2-1,block={block}"), 21);
        random.manual_seed(5);
        using (no_grad())
        {
            foreach (var (name, t) in net.state_dict())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) t.copy_(rand_like(t) - 0.5);
                else if (name.EndsWith("running_var", StringComparison.Ordinal)) t.copy_(rand_like(t) * 1.5 + 0.5);
                else if (name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal)) t.copy_(rand_like(t) * 0.5 + 0.75);
                else if (name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("bias", StringComparison.Ordinal)) t.copy_(rand_like(t) * 0.2 - 0.1);
            }
        }
        net.to(float64);
        net.eval();
        var x = randn(2, 1, 16, 16, dtype: float64);
        var before = net.forward(x);
        var imageBefore = net.ForwardImage(x);
        var weights = ModelFile.SerializeWeights(net);
        // When the batch norms are folded
        net.FoldBatchNorm();
        // Then both heads agree to float64 rounding, the saved weights are unchanged and training is refused
        Assert.True((before - net.forward(x)).abs().max().item<double>() < 1e-9);
        Assert.True((imageBefore - net.ForwardImage(x)).abs().max().item<double>() < 1e-9);
        Assert.Equal(weights, ModelFile.SerializeWeights(net));
        Assert.Throws<InvalidOperationException>(() => net.train());
    }

    [Fact]
    public void ImageModeParametersExcludeTheAnnotationDecoder()
    {
        using var net = new SxtUNet(TwoLevels);
        var image = net.ImagePathParameters().Select(p => p.Handle).ToHashSet();
        var named = net.named_parameters().ToList();
        // The annotation decoder (label_ups, label_decoder, label_head) trains in label mode only; everything else in both.
        foreach (var (name, p) in named)
            Assert.Equal(!name.StartsWith("label_", StringComparison.Ordinal), image.Contains(p.Handle));
    }

    [Fact]
    public void ModelFileRoundTripKeepsTheArchitecture()
    {
        using var tmp = new TempDir();
        using var scope = NewDisposeScope();
        // Given a saved U-Net model
        var arch = NetworkArchitecture.Parse("unet:w=4-8-8,enc=1-1-1,dec=1-1,block=sep,img=2");
        using var net = arch.Create(3);
        string path = tmp.File("u.sxtmodel");
        ModelFile.Save(path, net, new ModelCard(arch));
        // When it is loaded
        var (loaded, card) = ModelFile.Load(path);
        using (loaded)
        {
            // Then the architecture, the input multiple and the outputs survive
            Assert.Equal(arch, card.Network);
            Assert.Equal(NetworkArchitecture.UNetFamily, card.Architecture);
            Assert.IsType<SxtUNet>(loaded);
            Assert.Equal(4, (int)card.ToJson()["input"]!["size_multiple"]!);
            net.eval();
            var x = randn(1, 1, 16, 12);
            Assert.True(net.forward(x).allclose(loaded.forward(x), 0, 0));
        }
        using var predictor = LabelPredictor.Load(path, new InferenceOptions { Threads = 1 });
        Assert.Equal(4, predictor.SizeMultiple);
        Assert.Equal(arch, predictor.Architecture);
        // and model info describes it
        var (code, info, _) = Run("model", "info", path);
        Assert.Equal(0, code);
        Assert.Contains("sxt-unet-2d", info);
        Assert.Contains("depthwise-separable", info);
    }

    [Fact]
    public void ACardWhoseNetworkDoesNotFitItsWeightsIsABadInput()
    {
        using var tmp = new TempDir();
        // Given a U-Net model whose card is edited to claim other widths (weights and hash untouched)
        var arch = NetworkArchitecture.Parse("unet:w=4-8,enc=1-1,dec=1");
        using var net = arch.Create(1);
        var sections = ModelFile.Sections(net, new ModelCard(arch));
        var card = JsonNode.Parse(sections[0].Value)!.AsObject();
        card["network"] = NetworkArchitecture.Parse("unet:w=4-6,enc=1-1,dec=1").ToJson();
        sections[0] = new(sections[0].Key, System.Text.Encoding.UTF8.GetBytes(card.ToJsonString()));
        string bad = tmp.File("bad.sxtmodel");
        ModelContainer.Write(bad, sections);
        // and one whose network description is broken
        card["network"] = new JsonObject { ["family"] = "sxt-unet-2d", ["unet"] = new JsonObject { ["widths"] = new JsonArray(4) } };
        sections[0] = new(sections[0].Key, System.Text.Encoding.UTF8.GetBytes(card.ToJsonString()));
        string broken = tmp.File("broken.sxtmodel");
        ModelContainer.Write(broken, sections);
        // When they are loaded, Then each is a one-line bad input naming the file
        var e1 = Assert.Throws<InvalidInputException>(() => ModelFile.Load(bad));
        Assert.Contains("weights do not fit", e1.Message);
        Assert.Contains(bad, e1.Message);
        var e2 = Assert.Throws<InvalidInputException>(() => ModelFile.Load(broken));
        Assert.Contains("invalid network description", e2.Message);
        var (code, _, err) = Run("model", "info", broken);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("unet-s", "unet:w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2,block=plain,img=1")]
    [InlineData("small", "deep-sxt:m=8")]
    [InlineData("deep-sxt:m=6", "deep-sxt:m=6")]
    [InlineData("unet:dec=1,w=4-8", "unet:w=4-8,enc=2-2,dec=1,block=plain,img=1")]
    public void ArchitecturesParseToCanonicalSpecsAndRoundTripThroughJson(string text, string spec)
    {
        var a = NetworkArchitecture.Parse(text);
        Assert.Equal(spec, a.Spec);
        Assert.Equal(a, NetworkArchitecture.FromJson(JsonNode.Parse(a.ToJson().ToJsonString())));
        Assert.Equal(a, NetworkArchitecture.Parse(a.Spec));
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("unet:w=8")]                       // one level
    [InlineData("unet:w=8-16,enc=1")]              // depths do not match the levels
    [InlineData("unet:w=8-16,block=fancy")]
    [InlineData("unet:w=8-x")]
    [InlineData("deep-sxt:m=1")]
    public void BadArchitecturesAreOptionErrors(string text)
    {
        var e = Assert.Throws<InvalidOptionException>(() => NetworkArchitecture.Parse(text));
        Assert.Equal(NetworkArchitecture.ArchitectureKey, e.Option);
    }

    [Fact]
    public void ModelInfoDescribesAnArchitecture()
    {
        var (code, stdout, _) = Run("model", "info", "--arch", "unet-s");
        Assert.Equal(0, code);
        Assert.Contains("575,802", stdout);
        Assert.Contains("sxt-unet-2d", stdout);
        var (bad, _, err) = Run("model", "info", "--arch", "unet:w=8");
        Assert.Equal(2, bad);
        Assert.Contains("--arch", err);
    }
}

/// <summary>U-Nets with group norm.</summary>
[Collection(SxtSeg.Tests.Infrastructure.TorchCollection.Name)]
public sealed class GroupNormUNetTests
{
    [Fact]
    public void GroupNormStartsAsTheIdentityAffineAndGivesFiniteOutputs()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        // Given a U-Net with group norm
        var arch = NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit,norm=group");
        using var net = arch.Create(1);
        // Then every group norm has γ = 1, β = 0, there are no running statistics, and a forward pass is finite
        var norms = net.modules().OfType<TorchSharp.Modules.GroupNorm>().ToList();
        Assert.NotEmpty(norms);
        foreach (var g in norms)
        {
            Assert.All(g.weight!.data<float>().ToArray(), v => Assert.Equal(1f, v));
            Assert.All(g.bias!.data<float>().ToArray(), v => Assert.Equal(0f, v));
        }
        Assert.Equal(0, net.BatchNormStatisticCount);
        var (label, image) = net.ForwardRaw(TorchSharp.torch.randn(2, 1, 32, 32));
        Assert.True(label.isfinite().all().item<bool>() && image.isfinite().all().item<bool>());
        Assert.Equal("unet:w=4-8-16,enc=1-1-1,dec=1-1,block=plain,img=1,head=logit,norm=group", arch.Spec);
    }
}
