using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

[Collection(TorchCollection.Name)]
public sealed class ModelFileTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static string SaveTiny(TempDir tmp, long seed = 3)
    {
        using var net = DeepSxtNet.Create(2, seed);
        var card = new ModelCard(2) { VoxelSizeNm = 13.2 };
        card.Training["note"] = "unit test";
        string path = tmp.File("tiny.sxtmodel");
        ModelFile.Save(path, net, card);
        return path;
    }

    [Fact]
    public void RewritingTheCardKeepsTheWeightsAndTheId()
    {
        using var tmp = new TempDir();
        string path = SaveTiny(tmp);
        var before = ModelFile.ReadCard(path);
        // When the card of an older model gets its training resolution
        var res = new TrainedResolution(2.82, 3.48, 4.12, 56);
        ModelFile.RewriteCard(path, tmp.File("with.sxtmodel"), c => c.ResolutionPx = res);
        // Then the new file has the same id and hash (same weight bytes), the new field and the old ones
        var after = ModelFile.ReadCard(tmp.File("with.sxtmodel"));
        Assert.Equal((before.Id, before.WeightsSha256), (after.Id, after.WeightsSha256));
        Assert.Equal(res, after.ResolutionPx);
        Assert.Equal(13.2, after.VoxelSizeNm);
        Assert.Equal("unit test", (string?)after.Training["note"]);
        // and the id belongs to the weights: an edit of it is refused, nothing written
        Assert.Throws<ArgumentException>(() => ModelFile.RewriteCard(path, tmp.File("bad.sxtmodel"), c => c.Id = "0000000000000000"));
        Assert.False(File.Exists(tmp.File("bad.sxtmodel")));
    }

    [Fact]
    public void RoundTripKeepsWeightsCardAndId()
    {
        using var tmp = new TempDir();
        using var scope = NewDisposeScope();
        // Given a saved tiny model
        using var net = DeepSxtNet.Create(2, 3);
        string path = SaveTiny(tmp);
        // When it is loaded
        var (loaded, card) = ModelFile.Load(path);
        using (loaded)
        {
            // Then the card, its id (hash of the weights) and the outputs survive
            Assert.Equal(2, card.Width);
            Assert.Equal(13.2, card.VoxelSizeNm);
            Assert.Equal("unit test", (string?)card.Training["note"]);
            Assert.Equal(ModelFile.HashWeights(ModelFile.SerializeWeights(net)).Id, card.Id);
            net.eval();
            var x = randn(1, 1, 32, 32);
            Assert.True(net.forward(x).allclose(loaded.forward(x), 0, 0));
        }
        // and the same seed gives the same id: the file content is reproducible
        using var tmp2 = new TempDir();
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(SaveTiny(tmp2)));
    }

    [Fact]
    public void ModelInfoOfThePaperPresetPrintsThePublishedCounts()
    {
        var (code, stdout, _) = Run("model", "info", "--preset", "paper");
        Assert.Equal(0, code);
        Assert.Contains("76,483,502", stdout);
        Assert.Contains("57,728", stdout);
    }

    [Fact]
    public void CorruptModelFileIsABadInput()
    {
        using var tmp = new TempDir();
        string path = SaveTiny(tmp);
        // Given a model with one flipped byte in the weights, and one cut short
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(tmp.File("flipped.sxtmodel"), bytes);
        File.WriteAllBytes(tmp.File("short.sxtmodel"), File.ReadAllBytes(path)[..(bytes.Length - 100)]);
        // Then both are refused with one line and exit 2
        var (c1, _, e1) = Run("model", "info", tmp.File("flipped.sxtmodel"));
        Assert.Equal(2, c1);
        Assert.Contains("corrupt", e1);
        Assert.Contains("flipped.sxtmodel", e1);
        var (c2, _, e2) = Run("model", "info", tmp.File("short.sxtmodel"));
        Assert.Equal(2, c2);
        Assert.Contains("truncated", e2);
        Assert.Throws<InvalidInputException>(() => LabelPredictor.Load(tmp.File("flipped.sxtmodel")));
    }

    [Fact]
    public void ForeignFileIsABadInput()
    {
        // Given a TIFF passed as a model
        var (code, _, err) = Run("model", "info", TestPaths.BerkeleySlice);
        Assert.Equal(2, code);
        Assert.Contains("not an sxtseg model file", err);
        Assert.Throws<InvalidInputException>(() => LabelPredictor.Load(TestPaths.BerkeleySlice));
    }

    [Fact]
    public void ValidContainerWithForeignWeightsIsABadInput()
    {
        using var tmp = new TempDir();
        // Given a well-formed file whose card says width 4 but whose weights are width 2
        using var net = DeepSxtNet.Create(2, 3);
        var sections = ModelFile.Sections(net, new ModelCard(2));
        string card = System.Text.Encoding.UTF8.GetString(sections[0].Value).Replace("\"width\": 2", "\"width\": 4");
        sections[0] = new(sections[0].Key, System.Text.Encoding.UTF8.GetBytes(card));
        ModelContainer.Write(tmp.File("mixed.sxtmodel"), sections);
        // Then loading refuses it with a clear message
        var e = Assert.Throws<InvalidInputException>(() => LabelPredictor.Load(tmp.File("mixed.sxtmodel")));
        Assert.Contains("width 4", e.Message);
    }

    [Fact]
    public void PredictorRunsFloat32AndBFloat16AndRefusesBadTiles()
    {
        using var tmp = new TempDir();
        string path = SaveTiny(tmp);
        var rng = new Random(2);
        var tile = new float[3 * 32 * 48];
        for (int i = 0; i < tile.Length; i++) tile[i] = (float)(rng.NextDouble() * 2 - 1);
        // Given fp32 and bf16 predictors of the same model
        using var fp32 = LabelPredictor.Load(path, new InferenceOptions { Threads = 2 });
        using var bf16 = LabelPredictor.Load(path, new InferenceOptions { Threads = 2, Precision = InferencePrecision.BFloat16 });
        // When a batch of three 32 × 48 tiles runs
        var a = fp32.Predict(tile, 3, 32, 48);
        var b = bf16.Predict(tile, 3, 32, 48);
        // Then outputs are tanh values and bf16 stays close to fp32
        Assert.All(a, v => Assert.InRange(v, -1f, 1f));
        double meanDiff = a.Zip(b, (p, q) => Math.Abs(p - q)).Average();
        double signAgree = a.Zip(b, (p, q) => p > 0 == q > 0 ? 1.0 : 0.0).Average();
        Assert.True(meanDiff < 0.05 && signAgree > 0.97, $"mean |fp32 − bf16| {meanDiff}, sign agreement {signAgree}");
        using var cl = LabelPredictor.Load(path, new InferenceOptions { Threads = 2, ChannelsLast = true, FoldBatchNorm = false });
        var c = cl.Predict(tile, 3, 32, 48);
        // (an untrained network amplifies float rounding, so compare on average and by sign)
        double meanCl = a.Zip(c, (p, q) => Math.Abs(p - q)).Average();
        double signCl = a.Zip(c, (p, q) => p > 0 == q > 0 ? 1.0 : 0.0).Average();
        Assert.True(meanCl < 1e-3 && signCl > 0.995, $"channels-last/unfolded vs default: mean |Δ| {meanCl}, sign agreement {signCl}");
        Assert.Equal(16, fp32.SizeMultiple);
        var prob = new float[tile.Length];
        fp32.PredictProbabilities(tile, 3, 32, 48, prob);
        for (int i = 0; i < prob.Length; i += 101) Assert.Equal(0.5f * (a[i] + 1), prob[i], 6);
        Assert.Equal("custom", fp32.Preset);
        Assert.Throws<ArgumentException>(() => fp32.Predict(new float[30 * 32], 1, 30, 32));
        Assert.Throws<ArgumentException>(() => fp32.Predict(new float[10], 1, 32, 32));
    }

    [NoCudaFact]
    public void CudaWithoutAGpuIsAnOptionError()
    {
        using var tmp = new TempDir();
        string path = SaveTiny(tmp);
        var e = Assert.Throws<InvalidOptionException>(() => LabelPredictor.Load(path, new InferenceOptions { Device = ComputeDevice.Cuda }));
        Assert.Contains("CUDA", e.Message);
    }
}
