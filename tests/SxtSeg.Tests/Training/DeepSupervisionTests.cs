using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>Deep supervision (<c>--deep-supervision W</c>): pooled labels worked out by hand, the decoder levels it reads, and a run that resumes exactly.</summary>
[Collection(TorchCollection.Name)]
public sealed class DeepSupervisionTests
{
    private static Tensor Image(int h, int w, params float[] values) => tensor(values, new long[] { 1, 1, h, w });

    [Fact]
    public void PooledLabelsKeepVisibleMembraneAndIgnoreBlocksWhoseLabelIsUnknown()
    {
        using var scope = NewDisposeScope();
        // Given a 4 × 4 crop pooled by 2 into four blocks (target 1 = membrane, weight 0 = ignored):
        //   top left:     one visible membrane pixel                      → membrane, counted
        //   top right:    background, every pixel weighted                → background, counted
        //   bottom left:  one ignored membrane pixel, the rest background → unknown: ignored
        //   bottom right: one visible and one ignored membrane pixel      → membrane, counted
        var target = Image(4, 4,
            0, 1, 0, 0,
            0, 0, 0, 0,
            1, 0, 1, 0,
            0, 0, 0, 1);
        var weight = Image(4, 4,
            1, 1, 1, 1,
            1, 1, 1, 1,
            0, 1, 1, 1,
            1, 1, 1, 0);
        var (t, w) = DeepSupervisionHeads.PoolTargets(target, weight, 2);
        Assert.Equal(new float[] { 1, 0, 0, 1 }, t.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1, 0, 1 }, w.data<float>().ToArray());
        // and pooled by 4 (one block) the visible membrane makes the block membrane and counted, whatever else it holds,
        // while a block with an ignored background pixel and no membrane is unknown
        var (t4, w4) = DeepSupervisionHeads.PoolTargets(target, weight, 4);
        Assert.Equal(new float[] { 1 }, t4.data<float>().ToArray());
        Assert.Equal(new float[] { 1 }, w4.data<float>().ToArray());
        var (tb, wb) = DeepSupervisionHeads.PoolTargets(Image(2, 2, 0, 0, 0, 0), Image(2, 2, 1, 0, 1, 1), 2);
        Assert.Equal(new float[] { 0 }, tb.data<float>().ToArray());
        Assert.Equal(new float[] { 0 }, wb.data<float>().ToArray());
    }

    [Fact]
    public void LevelWeightsHalveFromTheFirstCoarseLevel()
    {
        Assert.Equal(1.0, DeepSupervisionHeads.LevelWeight(1, 1));
        Assert.Equal(0.5, DeepSupervisionHeads.LevelWeight(1, 2));
        Assert.Equal(0.15, DeepSupervisionHeads.LevelWeight(0.3, 2), 12);
    }

    [Fact]
    public void TheCoarseFeaturesAreTheDecoderOutputTheLabelPathIsBuiltFrom()
    {
        // Given a three-level U-Net (widths 4-8-16) in eval mode
        using var net = NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit").Create(7);
        net.eval();
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var x = randn(2, 1, 32, 32, generator: new Generator(3));
        // When its label path runs with one coarse level
        var (logits, image, coarse) = net.ForwardRawDeep(x, 1);
        // Then the level-1 features are the decoder's output at half the side (8 channels), built by hand from the
        // named modules as the U-Net is documented: encoder, 2×2 max pooling, up-convolution, [skip, upsampled]
        var m = net.named_modules().ToDictionary(t => t.name, t => t.module);
        Tensor Run(string name, Tensor t) => ((nn.Module<Tensor, Tensor>)m[name]).forward(t);
        var e0 = Run("encoder.0", x);
        var e1 = Run("encoder.1", nn.functional.max_pool2d(e0, 2, 2));
        var e2 = Run("encoder.2", nn.functional.max_pool2d(e1, 2, 2));
        var level1 = Run("label_decoder.0", cat(new[] { e1, Run("label_ups.0", e2) }, 1));
        Assert.Single(coarse);
        Assert.Equal(new long[] { 2, 8, 16, 16 }, coarse[0].shape);
        Assert.True(coarse[0].allclose(level1, rtol: 1e-5, atol: 1e-6), "level-1 features differ");
        // and the logits are the full-resolution decoder on them, the same as the plain forward pass
        var full = Run("label_head", Run("label_decoder.1", cat(new[] { e0, Run("label_ups.1", level1) }, 1)));
        Assert.True(logits.allclose(full, rtol: 1e-5, atol: 1e-6), "logits differ from the hand-built path");
        var (plainLogits, plainImage) = net.ForwardRaw(x);
        Assert.True(logits.allclose(plainLogits) && image.allclose(plainImage), "the deep forward pass changes the outputs");
        // and a three-level network has only one coarse level to supervise
        Assert.Throws<ArgumentOutOfRangeException>(() => net.ForwardRawDeep(x, 2));
        using var heads = new DeepSupervisionHeads(net);
        Assert.Equal(1, heads.Levels);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void TheWeightIsPartOfTheRecipeThatAResumeReadsBack(double weight)
    {
        var json = (TrainingOptions.SxtSegDefaults with { DeepSupervision = weight }).RecipeJson();
        Assert.Equal(weight > 0 ? weight : null, (double?)json["deep_supervision"]);
        Assert.Equal(weight, new TrainingOptions { DeepSupervision = 3 }.WithRecipe(json).DeepSupervision);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(10.5)]
    [InlineData(double.NaN)]
    public void AWeightOutsideZeroToTenIsRefused(double weight)
    {
        var e = Assert.Throws<InvalidOptionException>(() => (TrainingOptions.SxtSegDefaults with { DeepSupervision = weight }).Validate());
        Assert.Equal(nameof(TrainingOptions.DeepSupervision), e.Option);
    }

    [Fact]
    public void AU_NetWithoutACoarseDecoderLevelIsRefusedBeforeAnythingIsWritten()
    {
        using var tmp = new TempDir();
        string a = SyntheticTrainingData.WriteSimulation(tmp.File("a"), seed: 1);
        var (code, _, err) = CliRunner.Run("train", "--out", tmp.File("run"), "--sim", a, "--val-sim", a, "--arch", "unet:w=4-8,enc=1-1,dec=1",
            "--deep-supervision", "1", "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "1", "--threads", "1");
        Assert.Equal(2, code);
        Assert.Contains("--deep-supervision", err);
        Assert.Contains("at least 3 levels", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(tmp.File("run")));
    }

    private static readonly string[] Tiny =
    {
        "--arch", "unet:w=4-8-16-32,enc=1-1-1-1,dec=1-1-1", "--crop", "32", "--batch", "2", "--steps", "6", "--warmup", "2", "--validate-every", "3", "--threads", "1",
    };

    [Fact]
    public void ARunWithDeepSupervisionTrainsOtherWeightsResumesExactlyAndShipsNoHeads()
    {
        using var tmp = new TempDir();
        string a = SyntheticTrainingData.WriteSimulation(tmp.File("a"), seed: 1), v = SyntheticTrainingData.WriteSimulation(tmp.File("v"), seed: 3);
        var data = new[] { "--sim", a, "--val-sim", v };
        // Given the same run without and with deep supervision (a four-level U-Net: two coarse levels)
        var (c0, _, e0) = CliRunner.Run(new[] { "train", "--out", tmp.File("plain") }.Concat(data).Concat(Tiny).ToArray());
        var (c1, _, e1) = CliRunner.Run(new[] { "train", "--out", tmp.File("full"), "--deep-supervision", "1" }.Concat(data).Concat(Tiny).ToArray());
        Assert.True(c0 == 0, e0);
        Assert.True(c1 == 0, e1);
        string Last(string run) => Path.Combine(tmp.File(run), "model-last.sxtmodel");
        // Then the heads' losses changed the network's training (zero-weight heads pass gradients on once they have learnt)
        Assert.NotEqual(ModelFile.ReadCard(Last("plain")).Id, ModelFile.ReadCard(Last("full")).Id);
        // and the recipe says so
        var recipe = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("full"), "training.json")))!;
        Assert.Contains("\"deep_supervision\":1", recipe.ToJsonString());
        // and the model file has no heads (it is a model like any other), the checkpoint has them
        Assert.DoesNotContain(DeepSupervisionHeads.CheckpointSection, ModelContainer.Read(Last("full")).Keys);
        Assert.Contains(DeepSupervisionHeads.CheckpointSection, ModelContainer.Read(Path.Combine(tmp.File("full"), TrainingCheckpoint.FileName)).Keys);
        // When the run is cut after its first step by its budget and resumed
        var (c2, _, e2) = CliRunner.Run(new[] { "train", "--out", tmp.File("cut"), "--deep-supervision", "1", "--max-minutes", "0.00001" }.Concat(data).Concat(Tiny).ToArray());
        Assert.True(c2 == 0, e2);
        var (c3, _, e3) = CliRunner.Run("train", "--out", tmp.File("cut"), "--resume", "--threads", "1");
        Assert.True(c3 == 0, e3);
        // Then it ends with exactly the weights of the uninterrupted run (the heads and their Adam state came back)
        Assert.Equal(ModelFile.ReadCard(Last("full")).Id, ModelFile.ReadCard(Last("cut")).Id);
        // When a checkpoint's heads are cut short, or missing
        string ck = Path.Combine(tmp.File("full"), TrainingCheckpoint.FileName);
        var sections = ModelContainer.Read(ck);
        foreach (var (damage, message) in new[] { (0, "does not fit this network"), (1, "lacks its heads") })
        {
            var list = sections.Where(kv => kv.Key != DeepSupervisionHeads.CheckpointSection).ToList();
            if (damage == 0) list.Add(new(DeepSupervisionHeads.CheckpointSection, sections[DeepSupervisionHeads.CheckpointSection][..40]));
            ModelContainer.Write(ck, list);
            var (c, _, e) = CliRunner.Run("train", "--out", tmp.File("full"), "--resume", "--threads", "1");
            // Then the resume is refused with one line naming the checkpoint
            Assert.NotEqual(0, c);
            Assert.Contains(message, e);
            Assert.Contains(TrainingCheckpoint.FileName, e);
            Assert.Single(e.Trim().Split('\n'));
        }
    }
}
