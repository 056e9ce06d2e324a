using System.Text.Json.Nodes;
using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

/// <summary>The SxtSeg recipe end to end on tiny synthetic simulations.</summary>
[Collection(TorchCollection.Name)]
public sealed class StepTrainerTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static readonly string[] Tiny =
    {
        "--arch", "unet:w=4-8-16,enc=1-1-1,dec=1-1", "--crop", "32", "--batch", "2", "--steps", "6", "--warmup", "2", "--validate-every", "3", "--threads", "1",
    };

    /// <summary>A simulation folder with an ignore mask over the left quarter of every slice.</summary>
    private static string Sim(string folder, int seed, double resolutionNm = 0)
    {
        SyntheticTrainingData.WriteSimulation(folder, seed: seed);
        if (resolutionNm > 0)
            File.WriteAllText(Path.Combine(folder, "truth.json"), $$$"""{"instrument": {"name": "bessy-u41", "voxel_size_nm": 10}, "derived": {"resolution_nm": {{{resolutionNm.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}""");
        var ignore = new Volume<byte>(48, 48, 10, VoxelSize.Isotropic(10));
        for (int z = 0; z < 10; z++)
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 12; x++) ignore[z, y, x] = 1;
        VolumeIO.Write(Path.Combine(folder, "ignore.mrc"), ignore);
        return folder;
    }

    [Fact]
    public void TrainsALogitHeadChoosesAThresholdAndResumesExactly()
    {
        using var tmp = new TempDir();
        // (truth.json: resolutions of 3 and 4 pixels in training, 10 in validation)
        string a = Sim(tmp.File("a"), 1, 30), b = Sim(tmp.File("b"), 2, 40), v = Sim(tmp.File("v"), 3, 100);
        var data = new[] { "--sim", a, b, "--val-sim", v };
        // When a run goes its 6 steps in one go
        var (code, _, err) = Run(new[] { "train", "--out", tmp.File("full") }.Concat(data).Concat(Tiny).ToArray());
        Assert.True(code == 0, err);
        // Then the model has a logit head, the robust normalisation, its validation threshold and the voxel size of the data
        var card = ModelFile.ReadCard(Path.Combine(tmp.File("full"), "model.sxtmodel"));
        Assert.Equal(LabelHead.Logit, card.Network.UNet!.Head);
        Assert.Equal(SliceNormalization.RobustPerSlice, card.Normalisation.Method);
        Assert.NotNull(card.Threshold);
        Assert.Contains(card.Threshold!.Value, new[] { 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8 });
        Assert.Equal((10.0, 10.0), card.VoxelSizeRangeNm);
        // and the training simulations' pixels per resolution element (3 and 4; validation left out)
        Assert.Equal(new TrainedResolution(3.1, 3.5, 3.9, 2), card.ResolutionPx! with { Low = Math.Round(card.ResolutionPx!.Low, 9), Median = Math.Round(card.ResolutionPx.Median, 9), High = Math.Round(card.ResolutionPx.High, 9) });
        // and the logs have a row per validation (steps 3 and 6)
        var csv = File.ReadAllLines(Path.Combine(tmp.File("full"), "metrics.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("3,", csv[1]);
        Assert.StartsWith("6,", csv[2]);
        // When another run is stopped by its time budget after its first step and resumed from the checkpoint
        var (c1, _, e1) = Run(new[] { "train", "--out", tmp.File("cut"), "--max-minutes", "0.00001" }.Concat(data).Concat(Tiny).ToArray());
        Assert.True(c1 == 0, e1);
        var ck = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("cut"), "training.json")))!;
        Assert.Equal(1, (int)ck["steps_completed"]!);
        var (c2, _, e2) = Run("train", "--out", tmp.File("cut"), "--resume", "--threads", "1");
        Assert.True(c2 == 0, e2);
        // Then it ends with exactly the weights of the uninterrupted run
        Assert.Equal(ModelFile.ReadCard(Path.Combine(tmp.File("full"), "model-last.sxtmodel")).Id, ModelFile.ReadCard(Path.Combine(tmp.File("cut"), "model-last.sxtmodel")).Id);
    }

    [Fact]
    public void WithoutValidationDataTheRunIsRefusedBeforeAnythingIsWritten()
    {
        using var tmp = new TempDir();
        string a = Sim(tmp.File("a"), 1);
        var (code, _, err) = Run(new[] { "train", "--out", tmp.File("run"), "--sim", a }.Concat(Tiny).ToArray());
        Assert.Equal(2, code);
        Assert.Contains("--val-sim", err);
        Assert.False(Directory.Exists(tmp.File("run")));
    }
}
