using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

/// <summary>Fine-tuning from a model on a user's tomogram with sparse annotations in the codings users have.</summary>
[Collection(TorchCollection.Name)]
public sealed class FineTuneTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static readonly string[] Short = { "--crop", "32", "--batch", "2", "--steps", "4", "--warmup", "1", "--validate-every", "2", "--threads", "1" };

    /// <summary>An untrained tiny U-Net with a logit head, as a model file.</summary>
    private static string TinyModel(TempDir tmp) => TinyModels.Write(tmp, "start.sxtmodel");

    /// <summary>The tomogram and its labels re-coded: painted (1 = background, 2 = membrane on slices 2, 5, 7; 0 elsewhere).</summary>
    private static (string Tomo, Volume<byte> Painted) Data(TempDir tmp, bool voxelSize = true)
    {
        var (image, labels) = SyntheticTrainingData.Shells(48, 48, 10, 1);
        if (!voxelSize) image.VoxelSize = null;
        string tomo = tmp.File(voxelSize ? "tomo.mrc" : "novs.tif");
        VolumeIO.Write(tomo, image);
        var painted = new Volume<byte>(48, 48, 10, VoxelSize.Isotropic(10));
        foreach (int z in new[] { 2, 5, 7 })
            for (int i = 0; i < 48 * 48; i++) painted.Slice(z)[i] = labels.Slice(z)[i] != 0 ? (byte)2 : (byte)1;
        return (tomo, painted);
    }

    /// <summary>Cancels its token at the first report of the given stage (reports arrive on the training thread).</summary>
    private sealed class CancelAt(string stage, CancellationTokenSource cts) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            if (value.Stage == stage) cts.Cancel();
        }
    }

    [Fact]
    public void UntilAStepBeatsItTheKeptModelIsTheStartingModelFile()
    {
        // Given a starting model whose card states what the user's data cannot (its threshold, a voxel-size range, a resolution)
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "start.sxtmodel", minVoxelNm: 8, maxVoxelNm: 30, threshold: 0.65);
        var resolution = new TrainedResolution(3.0, 3.5, 4.5, 12);
        var start = ModelFile.RewriteCard(model, model, c => c.ResolutionPx = resolution);
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        var inputs = new TrainingInputs();
        inputs.Simulations.Add(sim);
        inputs.ValidationSimulations.Add(sim);
        var options = TrainingOptions.FineTuneDefaults with { Architecture = NetworkArchitecture.Parse(TinyModels.UNet3), CropSize = 32, BatchSize = 2, Steps = 4, WarmupSteps = 1, ValidateEvery = 4, Threads = 1, MaxMinutes = null };
        // When the run is stopped after its first step, before any validation could replace model.sxtmodel
        using var cts = new CancellationTokenSource();
        string outDir = tmp.File("ft");
        Assert.ThrowsAny<OperationCanceledException>(() => StepTrainer.Run(new TrainingRequest(inputs, options, outDir) { InitialModel = model }, new CancelAt("training", cts), cts.Token));
        // Then model.sxtmodel is the starting model: its id, threshold, voxel-size range and resolution, with the run's score of it beside
        var kept = ModelFile.ReadCard(Path.Combine(outDir, "model.sxtmodel"));
        Assert.Equal(start.Id, kept.Id);
        Assert.Equal(0.65, kept.Threshold);
        Assert.Equal((8.0, 30.0), kept.VoxelSizeRangeNm);
        Assert.Equal(resolution, kept.ResolutionPx);
        Assert.True(kept.Metrics.ContainsKey("fine_tuning_start"), kept.Metrics.ToJsonString());
        Assert.False(start.Metrics.ContainsKey("fine_tuning_start"));
    }

    [Fact]
    public void ARunThatKeepsTheStartingModelReportsTheThresholdItsFileHolds()
    {
        // Given a starting model at threshold 0.65 and a run whose steps cannot change it (a learning rate of 1e-30)
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "start.sxtmodel", minVoxelNm: 8, maxVoxelNm: 30, threshold: 0.65);
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        var inputs = new TrainingInputs();
        inputs.Simulations.Add(sim);
        inputs.ValidationSimulations.Add(sim);
        var options = TrainingOptions.FineTuneDefaults with { Architecture = NetworkArchitecture.Parse(TinyModels.UNet3), CropSize = 32, BatchSize = 2, Steps = 2, WarmupSteps = 0, ValidateEvery = 2, Threads = 1, MaxMinutes = null, LearningRate = 1e-30 };
        // When it runs to its end
        var r = StepTrainer.Run(new TrainingRequest(inputs, options, tmp.File("ft")) { InitialModel = model });
        // Then the starting model is kept, and the summary's threshold is its 0.65, not the validation's own choice
        Assert.Equal(0, r.BestEpoch);
        Assert.Equal(0.65, ModelFile.ReadCard(r.BestModelPath).Threshold);
        Assert.Equal(0.65, r.StoredThreshold);
        Assert.NotEqual(0.65, (double?)r.BestValidation!["validation"]!["best_threshold"]); // the figure shown before
    }

    [Fact]
    public void AShortRunIsNotRefusedForAWarmUpNobodyAskedFor()
    {
        // the fine-tuning recipe warms up for 50 steps; a 4-step trial without --warmup gets a tenth of its steps, 0
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (tomo, painted) = Data(tmp);
        VolumeIO.Write(tmp.File("painted.tif"), painted);
        string[] noWarmup = { "--crop", "32", "--batch", "2", "--steps", "4", "--validate-every", "2", "--threads", "1" };
        var (code, _, err) = Run(new[] { "train", "--init", model, "--volume", tomo, "--labels", tmp.File("painted.tif"), "--label-coding", "painted", "--out", tmp.File("ft") }.Concat(noWarmup).ToArray());
        Assert.True(code == 0, err);
        Assert.DoesNotContain("--warmup", err);
    }

    [Fact]
    public void FineTunesFromPaintedMemBrainAndBinaryLabelsAndScoresTheStartingModel()
    {
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (tomo, painted) = Data(tmp);
        VolumeIO.Write(tmp.File("painted.tif"), painted);
        // membrain: 0 = background, 1 = membrane, 2 = ignore (the unpainted slices)
        var membrain = painted.Clone();
        for (int i = 0; i < membrain.Data.Length; i++) membrain.Data[i] = painted.Data[i] switch { 0 => 2, 1 => 0, _ => 1 };
        VolumeIO.Write(tmp.File("membrain.mrc"), membrain);
        // binary: 255 = membrane on the listed slices
        var binary = painted.Clone();
        for (int i = 0; i < binary.Data.Length; i++) binary.Data[i] = painted.Data[i] == 2 ? (byte)255 : (byte)0;
        VolumeIO.Write(tmp.File("binary.tif"), binary);
        foreach (var (labels, extra) in new[]
                 {
                     ("painted.tif", new[] { "--label-coding", "painted" }),
                     ("membrain.mrc", new[] { "--label-coding", "membrain" }),
                     ("binary.tif", new[] { "--slices", "2,5,7" }),
                 })
        {
            string outDir = tmp.File("ft-" + labels);
            var (code, stdout, err) = Run(new[] { "train", "--init", model, "--volume", tomo, "--labels", tmp.File(labels), "--out", outDir }.Concat(extra).Concat(Short).ToArray());
            Assert.True(code == 0, labels + ": " + err);
            // the starting model was scored first (step 0) and the result says whether fine-tuning helped
            var csv = File.ReadAllLines(Path.Combine(outDir, "metrics.csv"));
            Assert.StartsWith("0,", csv[1]);
            Assert.Contains("starting model F1", stdout);
            Assert.Contains("fine-tuning", stdout);
            // and the fine-tuned model keeps the architecture and normalisation of the starting one
            var card = ModelFile.ReadCard(Path.Combine(outDir, "model-last.sxtmodel"));
            Assert.Equal(ModelFile.ReadCard(model).Network, card.Network);
            Assert.Equal(SliceNormalization.RobustPerSlice, card.Normalisation.Method);
        }
    }

    [Fact]
    public void APaintedRegionAloneIsEnough()
    {
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (tomo, painted) = Data(tmp);
        // Given only a 20 × 20 region of slices 2 and 5 painted (3 slices would let one be held out; here 2 are)
        var region = new Volume<byte>(48, 48, 10, VoxelSize.Isotropic(10));
        foreach (int z in new[] { 2, 5 })
            for (int y = 10; y < 30; y++)
                for (int x = 10; x < 30; x++) region[z, y, x] = painted[z, y, x];
        VolumeIO.Write(tmp.File("region.tif"), region);
        var (code, _, err) = Run(new[] { "train", "--init", model, "--volume", tomo, "--labels", tmp.File("region.tif"), "--label-coding", "painted", "--out", tmp.File("ft") }.Concat(Short).ToArray());
        Assert.True(code == 0, err);
    }

    [Fact]
    public void BadAnnotationFilesGetOneLineErrorsNamingTheFile()
    {
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (tomo, painted) = Data(tmp);
        VolumeIO.Write(tmp.File("painted.tif"), painted);
        void Bad(string[] args, params string[] expected)
        {
            string outDir = tmp.File("bad-" + Guid.NewGuid().ToString("N")[..6]);
            var (code, _, err) = Run(new[] { "train", "--init", model, "--out", outDir }.Concat(args).Concat(Short).ToArray());
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            foreach (var e in expected) Assert.Contains(e, err);
            Assert.False(Directory.Exists(outDir));
        }
        // the coding is not given and 0/1/2 cannot be told apart
        Bad(new[] { "--volume", tomo, "--labels", tmp.File("painted.tif") }, "painted.tif", "--label-coding painted", "--label-coding membrain");
        // values outside the coding
        var odd = painted.Clone();
        odd[5, 3, 3] = 7;
        VolumeIO.Write(tmp.File("odd.tif"), odd);
        Bad(new[] { "--volume", tomo, "--labels", tmp.File("odd.tif"), "--label-coding", "painted" }, "odd.tif", "7");
        // wrong size
        VolumeIO.Write(tmp.File("small.tif"), new Volume<byte>(40, 48, 10));
        Bad(new[] { "--volume", tomo, "--labels", tmp.File("small.tif"), "--label-coding", "painted" }, "small.tif", "40");
        // no annotated pixel
        VolumeIO.Write(tmp.File("empty.tif"), new Volume<byte>(48, 48, 10));
        Bad(new[] { "--volume", tomo, "--labels", tmp.File("empty.tif"), "--label-coding", "painted" }, "empty.tif", "no annotated pixel");
        // ... also as one of several pairs (it used to be skipped silently)
        string pairs = tmp.File("pairs");
        Directory.CreateDirectory(pairs);
        var image = VolumeIO.Read<float>(tomo);
        VolumeIO.Write(Path.Combine(pairs, "a.tif"), image);
        VolumeIO.Write(Path.Combine(pairs, "a.labels.tif"), painted);
        VolumeIO.Write(Path.Combine(pairs, "b.tif"), image);
        VolumeIO.Write(Path.Combine(pairs, "b.labels.tif"), new Volume<byte>(48, 48, 10));
        Bad(new[] { "--pairs", pairs, "--label-coding", "painted" }, "b.labels.tif", "no annotated pixel");
        // one annotated slice only: nothing to hold out, and the error says what to do
        var one = new Volume<byte>(48, 48, 10, VoxelSize.Isotropic(10));
        painted.Slice(5).CopyTo(one.Slice(5));
        VolumeIO.Write(tmp.File("one.tif"), one);
        Bad(new[] { "--volume", tomo, "--labels", tmp.File("one.tif"), "--label-coding", "painted" }, "one.tif", "one slice only", "at least 2 slices");
        // a tomogram with no voxel size
        var (novs, _) = Data(tmp, voxelSize: false);
        Bad(new[] { "--volume", novs, "--labels", tmp.File("painted.tif"), "--label-coding", "painted" }, "novs.tif", "--voxel-size");
    }

    [Fact]
    public void TheVerdictShowsAGainThatIsTheDifferenceOfTheFiguresItShows()
    {
        // 0.87642 and 0.87754 show as 0.876 and 0.878; the gain shown is their difference, 0.002 (the raw
        // difference, 0.00112, printed "+0.001 (from 0.876 to 0.878)")
        Assert.Equal("improved the validation F1 by +0.002 (from 0.876 to 0.878)", SxtSeg.Cli.Commands.TrainCommand.FineTuneVerdict(0.87642, 0.87754, false));
        // docs/annotate.md's example: 0.5198 → 0.7104
        Assert.Equal("improved the validation F1 by +0.190 (from 0.520 to 0.710)", SxtSeg.Cli.Commands.TrainCommand.FineTuneVerdict(0.5198, 0.7104, false));
        // a gain below the last decimal shown (0.88012 → 0.88038, both 0.880) is not printed as "+0.000"
        Assert.Equal("improved the validation F1 by less than shown at three decimals (0.880 before and after)", SxtSeg.Cli.Commands.TrainCommand.FineTuneVerdict(0.88012, 0.88038, false));
        Assert.Equal("did not improve the validation F1: model.sxtmodel is the starting model", SxtSeg.Cli.Commands.TrainCommand.FineTuneVerdict(0.9, 0.9, true));
    }
}
