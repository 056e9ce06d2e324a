using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Training;

namespace SxtSeg.Tests.Network;

/// <summary>A one-slice model embedded in a model with context as its polarity referee (<c>sxtseg model referee</c>).</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelRefereeFileTests
{
    private static (string Context, string Flat) Pair(TempDir tmp)
        => (TinyModels.Write(tmp, "ctx.sxtmodel", TinyModels.UNet3 + ",ctx=1", seed: 5), TinyModels.Write(tmp, "flat.sxtmodel", seed: 6));

    [Fact]
    public void AnEmbeddedRefereeLoadsBesideTheModelWhoseIdIsUnchanged()
    {
        using var tmp = new TempDir();
        var (ctx, flat) = Pair(tmp);
        string ctxId = ModelFile.ReadCard(ctx).Id, flatId = ModelFile.ReadCard(flat).Id;
        // When the one-slice model is embedded in the 3-plane one
        var r = CliRunner.Run("model", "referee", ctx, flat, "--out", tmp.File("with.sxtmodel"));
        Assert.True(r.ExitCode == 0, r.Err);
        // Then the file has the model's own card and id, and the referee's
        Assert.Equal(ctxId, ModelFile.ReadCard(tmp.File("with.sxtmodel")).Id);
        Assert.Equal(flatId, ModelFile.ReadRefereeCard(tmp.File("with.sxtmodel"))!.Id);
        Assert.Null(ModelFile.ReadRefereeCard(ctx));
        // and loading it gives the model with the referee on as many workers (it segments single images and fused axes), reading one plane
        using (var m = SegmentationModel.Load(tmp.File("with.sxtmodel"), 3, new InferenceOptions()))
        {
            Assert.Equal(ctxId, m.Id);
            Assert.Equal(3, m.Workers[0].InputChannels);
            Assert.NotNull(m.Referee);
            Assert.Equal(flatId, m.Referee!.Id);
            Assert.Equal(3, m.Referee.Workers.Count);
            Assert.Equal(1, m.Referee.Workers[0].InputChannels);
            Assert.Null(m.Referee.Referee);
        }
        using (var plain = SegmentationModel.Load(ctx, 1, new InferenceOptions())) Assert.Null(plain.Referee);
        // and `model info` names it, in the table and in JSON
        Assert.Contains("polarity referee", CliRunner.Run("model", "info", tmp.File("with.sxtmodel")).Out);
        Assert.Contains($"\"id\": \"{flatId}\"", CliRunner.Run("model", "info", tmp.File("with.sxtmodel"), "--json").Out);
    }

    [Fact]
    public void RewritingTheCardKeepsTheReferee()
    {
        using var tmp = new TempDir();
        var (ctx, flat) = Pair(tmp);
        ModelFile.AttachReferee(ctx, flat, tmp.File("with.sxtmodel"));
        ModelFile.RewriteCard(tmp.File("with.sxtmodel"), tmp.File("edited.sxtmodel"), c => c.Threshold = 0.6);
        Assert.Equal(0.6, ModelFile.ReadCard(tmp.File("edited.sxtmodel")).Threshold);
        Assert.Equal(ModelFile.ReadCard(flat).Id, ModelFile.ReadRefereeCard(tmp.File("edited.sxtmodel"))?.Id);
    }

    [Fact]
    public void FineTuningAModelWithARefereeKeepsItInEveryModelAndAcrossAResume()
    {
        using var tmp = new TempDir();
        var (ctx, flat) = Pair(tmp);
        ModelFile.AttachReferee(ctx, flat, tmp.File("with.sxtmodel"));
        string flatId = ModelFile.ReadCard(flat).Id;
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        string[] Args(string steps, params string[] more) => new[] { "train", "--sim", sim, "--val-sim", sim, "--out", tmp.File("run"),
            "--crop", "32", "--batch", "2", "--steps", steps, "--warmup", "1", "--validate-every", "2", "--threads", "1" }.Concat(more).ToArray();
        // When the model is fine-tuned for 2 steps, then resumed to 4
        var a = CliRunner.Run(Args("2", "--init", tmp.File("with.sxtmodel")));
        Assert.True(a.ExitCode == 0, a.Err);
        var b = CliRunner.Run(Args("4", "--resume"));
        Assert.True(b.ExitCode == 0, b.Err);
        // Then the best and last models and the checkpoint all carry the referee, and the models are new weights
        foreach (string f in new[] { "model.sxtmodel", "model-last.sxtmodel", "checkpoint.sxtckpt" })
            Assert.Equal(flatId, ModelFile.ReadRefereeCard(Path.Combine(tmp.File("run"), f))?.Id);
        Assert.NotEqual(ModelFile.ReadCard(ctx).Id, ModelFile.ReadCard(Path.Combine(tmp.File("run"), "model-last.sxtmodel")).Id);
        // while a run started from the model without one has none
        var c = CliRunner.Run(new[] { "train", "--sim", sim, "--val-sim", sim, "--out", tmp.File("plain"), "--init", ctx,
            "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "1", "--validate-every", "2", "--threads", "1" });
        Assert.True(c.ExitCode == 0, c.Err);
        Assert.Null(ModelFile.ReadRefereeCard(Path.Combine(tmp.File("plain"), "model-last.sxtmodel")));
    }

    [Fact]
    public void ARefereeMustReadOneSliceAndServeAModelThatReadsSeveral()
    {
        using var tmp = new TempDir();
        var (ctx, flat) = Pair(tmp);
        // a one-slice model gets no referee, and a model with context is no referee: one line naming the file, nothing written
        var a = CliRunner.Refused(new[] { "model", "referee", flat, flat, "--out", tmp.File("a.sxtmodel") }, flat, "reads one slice");
        var b = CliRunner.Refused(new[] { "model", "referee", ctx, ctx, "--out", tmp.File("b.sxtmodel") }, ctx, "reads 3 slices");
        Assert.Single(a.Err.Trim().Split('\n'));
        Assert.Single(b.Err.Trim().Split('\n'));
        Assert.False(File.Exists(tmp.File("a.sxtmodel")) || File.Exists(tmp.File("b.sxtmodel")));
    }
}
