using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static readonly string[] Tiny = { "--width", "2", "--crop", "32", "--label-repeats", "2", "--test-crops", "1", "--threads", "2", "--lr", "1e-3" };

    [Fact]
    public void TrainsOnASimulationFolderAndWritesAUsableModel()
    {
        using var tmp = new TempDir();
        // Given a simulator-style folder (10 slices, 4 of them used as annotated)
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        string outDir = tmp.File("run");
        // When training runs for two epochs
        var (code, stdout, stderr) = Run(new[] { "train", "--recipe", "paper", "--out", outDir, "--sim", sim, "--sim-annotated", "4", "--epochs", "2" }.Concat(Tiny).ToArray());
        // Then it succeeds and writes models, checkpoint, metrics and the loss curve
        Assert.True(code == 0, stderr);
        foreach (var f in new[] { "model.sxtmodel", "model-last.sxtmodel", "checkpoint.sxtckpt", "metrics.csv", "metrics.jsonl", "loss.png", "training.json" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        var csv = File.ReadAllLines(Path.Combine(outDir, "metrics.csv"));
        Assert.Equal(string.Join(",", EpochMetrics.Columns), csv[0]); // no comment line: Excel and R read it as it is (provenance is in training.json)
        Assert.Equal(3, csv.Length);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outDir, "metrics.jsonl")).Length);
        Assert.Contains("membrane F1", stdout);
        // and the model loads, knows its training data, and predicts tanh outputs of the tile's shape
        using var predictor = LabelPredictor.Load(Path.Combine(outDir, "model.sxtmodel"), new InferenceOptions { Threads = 2 });
        Assert.Equal(2, predictor.Width);
        Assert.Equal(10.0, predictor.VoxelSize!.Value.X, 6);
        Assert.Equal(16, predictor.ModelId.Length);
        Assert.Equal("simulated", (string?)predictor.Card.Training["instruments"]![0]);
        var (image, _) = SyntheticTrainingData.Shells(48, 48, 10, 1);
        var slice = image.Slice(5).ToArray();
        predictor.Normalisation.Apply(slice, 48, 48);
        var tile = new float[2 * 32 * 32];
        for (int r = 0; r < 32; r++) slice.AsSpan(r * 48, 32).CopyTo(tile.AsSpan(r * 32, 32));
        for (int r = 0; r < 32; r++) slice.AsSpan((r + 16) * 48 + 16, 32).CopyTo(tile.AsSpan(1024 + r * 32, 32));
        var y = predictor.Predict(tile, 2, 32, 32);
        Assert.Equal(tile.Length, y.Length);
        // the saved weights are the trained ones: the checkpoint (also a model file) of the last epoch predicts
        // exactly what model-last does, and both differ from the untrained network of the same seed
        using var last = LabelPredictor.Load(Path.Combine(outDir, "model-last.sxtmodel"), new InferenceOptions { Threads = 2 });
        using var ckpt = LabelPredictor.Load(Path.Combine(outDir, "checkpoint.sxtckpt"), new InferenceOptions { Threads = 2 });
        var yLast = last.Predict(tile, 2, 32, 32);
        Assert.Equal(yLast, ckpt.Predict(tile, 2, 32, 32));
        using var untrained = LabelPredictor.FromNetwork(NetworkArchitecture.DeepSxt(2).Create(1), new ModelCard(2));
        var y0 = untrained.Predict(tile, 2, 32, 32);
        Assert.True(yLast.Zip(y0).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the saved model predicts like the untrained network");
        // and model info reads the card
        var (infoCode, info, _) = Run("model", "info", Path.Combine(outDir, "model.sxtmodel"));
        Assert.Equal(0, infoCode);
        Assert.Contains(predictor.ModelId, info);
    }

    [Fact]
    public void ResumeAfterAnEpochGivesExactlyTheUninterruptedRun()
    {
        using var tmp = new TempDir();
        // Given the same data and options
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        string[] common = new[] { "--sim", sim, "--sim-annotated", "4" }.Concat(Tiny).ToArray();
        // When one run trains 2 epochs straight and another trains 1 epoch, is "killed", then resumed to 2
        Assert.Equal(0, Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("a"), "--epochs", "2" }.Concat(common).ToArray()).Code);
        Assert.Equal(0, Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "1" }.Concat(common).ToArray()).Code);
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "2", "--resume" }.Concat(common).ToArray());
        Assert.True(code == 0, err);
        // Then the final weights are bit-identical (same model id) and so are the metrics of epoch 2
        var a = ModelFile.ReadCard(Path.Combine(tmp.File("a"), "model-last.sxtmodel"));
        var b = ModelFile.ReadCard(Path.Combine(tmp.File("b"), "model-last.sxtmodel"));
        Assert.Equal(a.Id, b.Id);
        var ma = File.ReadAllLines(Path.Combine(tmp.File("a"), "metrics.jsonl"));
        var mb = File.ReadAllLines(Path.Combine(tmp.File("b"), "metrics.jsonl"));
        Assert.Equal(2, mb.Length);
        static string NoTime(string line) => System.Text.RegularExpressions.Regex.Replace(line, "\"seconds\":[^,}]*", "");
        Assert.Equal(NoTime(ma[1]), NoTime(mb[1]));
        // and a resume with only --out and --resume continues from the checkpoint's own inputs
        var (code3, _, err3) = Run("train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "3", "--resume", "--threads", "2");
        Assert.True(code3 == 0, err3);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(tmp.File("b"), "metrics.jsonl")).Length);
    }

    /// <summary>
    /// A 48 × 48 slice (and its label) that every 90° rotation and flip maps onto itself: two rings about the
    /// centre (23.5, 23.5), of radii <paramref name="inner"/> and <paramref name="outer"/>, on a radial background. A 48²
    /// crop of it is the whole slice whatever the augmentation draws.
    /// </summary>
    private static void WriteSymmetricPair(string folder, string name, double inner, double outer)
    {
        Directory.CreateDirectory(folder);
        var image = new Volume<float>(48, 48, 1, VoxelSize.Isotropic(10));
        var labels = new Volume<byte>(48, 48, 1, VoxelSize.Isotropic(10));
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 48; x++)
            {
                double r = Math.Sqrt((x - 23.5) * (x - 23.5) + (y - 23.5) * (y - 23.5));
                bool membrane = Math.Abs(r - inner) < 1.2 || Math.Abs(r - outer) < 1.2;
                image[0, y, x] = (float)(100 + 0.05 * r * r + (membrane ? 40 : 0) + 6 * Math.Cos(Math.Abs(x - 23.5) * Math.Abs(y - 23.5)));
                labels[0, y, x] = membrane ? (byte)255 : (byte)0;
            }
        VolumeIO.Write(Path.Combine(folder, name + ".tif"), image);
        VolumeIO.Write(Path.Combine(folder, name + ".labels.tif"), labels);
    }

    [Fact]
    public void ABatchOfTwoCopiesOfOneCropTrainsLikeThatCropAlone()
    {
        using var tmp = new TempDir();
        // Given two copies of a slice that rotations and flips leave unchanged (one is held out for testing) as
        // annotated pairs, two copies of another such slice as unannotated slices, and crops as large as the slices:
        // every crop drawn in a mode is the same
        WriteSymmetricPair(tmp.File("p"), "a", 9, 17);
        WriteSymmetricPair(tmp.File("p"), "b", 9, 17);
        WriteSymmetricPair(tmp.File("u"), "c", 6, 14);
        WriteSymmetricPair(tmp.File("u"), "d", 6, 14);
        string[] common = { "--pairs", tmp.File("p"), "--unannotated", tmp.File("u/c.tif"), tmp.File("u/d.tif"), "--epochs", "1",
            "--width", "2", "--crop", "48", "--test-crops", "1", "--threads", "1", "--lr", "1e-3", "--seed", "5" };
        // When one run takes one step on that crop alone (batch 1, one visit) in each mode, and another one step on
        // a batch of two copies of it (batch 2, two visits)
        var (codeA, _, errA) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("one"), "--batch", "1", "--label-repeats", "1", "--image-repeats", "1" }.Concat(common).ToArray());
        var (codeB, _, errB) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("two"), "--batch", "2", "--label-repeats", "2", "--image-repeats", "2" }.Concat(common).ToArray());
        Assert.True(codeA == 0, errA);
        Assert.True(codeB == 0, errB);
        // Then the batch of two identical crops has the loss of the one crop, in both modes (each run's epoch is one
        // step per mode, so its mean training loss is that step's loss): the losses are means over the batch, and batch
        // norm sees the same statistics. A batch that lost or zeroed one of its crops would not.
        EpochMetrics FirstEpoch(string run) =>
            EpochMetrics.FromJson(System.Text.Json.Nodes.JsonNode.Parse(File.ReadLines(Path.Combine(tmp.File(run), "metrics.jsonl")).First())!.AsObject());
        var one = FirstEpoch("one");
        var two = FirstEpoch("two");
        Assert.True(one.TrainLabelLoss > 0 && one.TrainImageLoss > 0);
        Assert.Equal(one.TrainLabelLoss, two.TrainLabelLoss, one.TrainLabelLoss * 1e-4);
        Assert.Equal(one.TrainImageLoss, two.TrainImageLoss, one.TrainImageLoss * 1e-4);
    }

    [Fact]
    public void SupervisedOnlyTrainsOnPairsWithoutUnannotatedData()
    {
        using var tmp = new TempDir();
        // Given two annotated pairs in the authors' convention and no unannotated data
        SyntheticTrainingData.WritePair(tmp.File("pairs"), "a", seed: 1);
        SyntheticTrainingData.WritePair(tmp.File("pairs"), "b", seed: 2);
        // When training label mode only
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("run"), "--pairs", tmp.File("pairs"), "--supervised-only", "--epochs", "1" }.Concat(Tiny).ToArray());
        // Then it succeeds and the image loss columns stay empty
        Assert.True(code == 0, err);
        var row = File.ReadAllLines(Path.Combine(tmp.File("run"), "metrics.csv"))[1].Split(',');
        Assert.Equal("", row[2]);
        Assert.Equal("", row[4]);
        Assert.NotEqual("", row[3]);
    }

    [Fact]
    public void RealSlicesServeAsUnannotatedDataAndMixedVoxelSizesAreRecorded()
    {
        using var tmp = new TempDir();
        // Given synthetic pairs at 10 nm and a real ALBA slice at 13 nm as unannotated data
        SyntheticTrainingData.WritePair(tmp.File("p"), "a", seed: 1);
        SyntheticTrainingData.WritePair(tmp.File("p"), "b", seed: 2);
        // When training one epoch
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("run"), "--pairs", tmp.File("p"), "--unannotated", TestPaths.AlbaSlice, "--instrument", "ALBA MISTRAL", "--epochs", "1" }.Concat(Tiny).ToArray());
        // Then the card lists both voxel sizes, no single voxel size, and the instrument
        Assert.True(code == 0, err);
        var card = ModelFile.ReadCard(Path.Combine(tmp.File("run"), "model.sxtmodel"));
        Assert.Null(card.VoxelSizeNm);
        var sizes = card.Training["voxel_sizes_nm"]!.AsArray().Select(n => (double)n!).OrderBy(v => v).ToArray();
        Assert.Equal(new[] { 10.0, 13.0 }, sizes);
        Assert.Equal("ALBA MISTRAL", (string?)card.Training["instruments"]![0]);
        Assert.Equal(1, (int)card.Training["unannotated_slices"]!["train"]!);
    }

    [Fact]
    public void TrainsOnAnAnnotatedVolumeAndFineTunesFromAModel()
    {
        using var tmp = new TempDir();
        // Given a tomogram with labels on slices 3, 5 and 7 (the other 7 slices become unannotated, capped at 3)
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        string[] data = { "--volume", Path.Combine(sim, "tomogram.mrc"), "--labels", Path.Combine(sim, "membranes.mrc"), "--slices", "3,5,7", "--max-unannotated", "3" };
        // When training one epoch
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("a"), "--epochs", "1" }.Concat(data).Concat(Tiny).ToArray());
        // Then the card counts 3 annotated and 3 unannotated slices
        Assert.True(code == 0, err);
        var card = ModelFile.ReadCard(Path.Combine(tmp.File("a"), "model.sxtmodel"));
        Assert.Equal(3, (int)card.Training["annotated_slices"]!["train"]! + (int)card.Training["annotated_slices"]!["test"]!);
        Assert.Equal(3, (int)card.Training["unannotated_slices"]!["train"]! + (int)card.Training["unannotated_slices"]!["test"]!);
        // and a second run can start from that model (same width) but not from another width
        string init = Path.Combine(tmp.File("a"), "model.sxtmodel");
        var (code2, _, err2) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "1", "--init", init }.Concat(data).Concat(Tiny).ToArray());
        Assert.True(code2 == 0, err2);
        var wide = Tiny.ToArray();
        wide[Array.IndexOf(wide, "--width") + 1] = "4";
        var (code3, _, err3) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("c"), "--epochs", "1", "--init", init }.Concat(data).Concat(wide).ToArray());
        Assert.Equal(2, code3);
        Assert.Contains("width-2", err3);
    }

    [Fact]
    public void LabelAndImageSizesDifferIsABadInput()
    {
        using var tmp = new TempDir();
        string img = SyntheticTrainingData.WritePair(tmp.File("p"), "a", size: 48);
        var (_, labels) = SyntheticTrainingData.Shells(40, 48, 10, 1, 255);
        VolumeIO.Write(tmp.File("p/a.labels.tif"), labels.SubVolume(4, 1));
        SyntheticTrainingData.WritePair(tmp.File("p"), "b", size: 48);
        AssertBadInput(tmp, new[] { "--pairs", tmp.File("p"), "--supervised-only" }, "a.labels.tif", "40 × 48 × 1");
    }

    [Fact]
    public void NonBinaryLabelIsABadInput()
    {
        using var tmp = new TempDir();
        SyntheticTrainingData.WritePair(tmp.File("p"), "a");
        SyntheticTrainingData.WritePair(tmp.File("p"), "b");
        var labels = VolumeIO.Read<byte>(tmp.File("p/b.labels.tif"));
        labels.Data[0] = 7;
        VolumeIO.Write(tmp.File("p/b.labels.tif"), labels);
        AssertBadInput(tmp, new[] { "--pairs", tmp.File("p"), "--supervised-only" }, "b.labels.tif", "not binary");
    }

    [Fact]
    public void FewerThanTwoAnnotatedSlicesIsABadInput()
    {
        using var tmp = new TempDir();
        string a = SyntheticTrainingData.WritePair(tmp.File("p"), "a");
        AssertBadInput(tmp, new[] { "--pairs", a, "--supervised-only" }, "--pairs", "at least 2");
    }

    [Fact]
    public void EmptyUnannotatedSetIsABadInput()
    {
        using var tmp = new TempDir();
        SyntheticTrainingData.WritePair(tmp.File("p"), "a");
        SyntheticTrainingData.WritePair(tmp.File("p"), "b", seed: 2);
        AssertBadInput(tmp, new[] { "--pairs", tmp.File("p") }, "--unannotated", "--supervised-only");
    }

    [Fact]
    public void AnnotatedSlicesOutsideTheVolumeAreABadInput()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        AssertBadInput(tmp, new[] { "--volume", Path.Combine(sim, "tomogram.mrc"), "--labels", Path.Combine(sim, "membranes.mrc"), "--slices", "2,12" }, "--slices", "outside 0..9");
    }

    // an annotated volume whose header states 1 µm per voxel (an uncalibrated ImageJ-style export): its image and labels
    private static (string Image, string Labels) UncalibratedVolume(TempDir tmp)
    {
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        var t = VolumeIO.Read<float>(Path.Combine(sim, "tomogram.mrc"));
        t.VoxelSize = VoxelSize.Isotropic(1000);
        VolumeIO.Write(tmp.File("t1000.mrc"), t);
        return (tmp.File("t1000.mrc"), Path.Combine(sim, "membranes.mrc"));
    }

    // refused in one line naming the file, the size and the option, with nothing written
    private static void AssertRefusedAsUncalibrated(string[] args, string outDir)
    {
        var (code, _, err) = Run(args.Concat(new[] { "--out", outDir }).ToArray());
        Assert.Equal(2, code);
        string line = Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("t1000.mrc", line);
        Assert.Contains("1000 nm per voxel", line);
        Assert.Contains("--voxel-size", line);
        Assert.False(Directory.Exists(outDir), "nothing may be written for bad input");
    }

    [Fact]
    public void AHeaderVoxelSizeNoCryoSxtTomogramHasIsABadInput()
    {
        // with the SxtSeg recipe it would become the model card's training range
        using var tmp = new TempDir();
        var (image, labels) = UncalibratedVolume(tmp);
        string[] args = { "train", "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "1", "--validate-every", "2", "--threads", "1",
            "--volume", image, "--labels", labels, "--slices", "3,5,7", "--supervised-only" };
        AssertRefusedAsUncalibrated(args, tmp.File("out"));
        // given the size, it trains, and the card keeps what the header said beside the size used
        var (code, _, err) = Run(args.Concat(new[] { "--out", tmp.File("run"), "--voxel-size", "10" }).ToArray());
        Assert.True(code == 0, err);
        var card = ModelFile.ReadCard(Path.Combine(tmp.File("run"), "model.sxtmodel"));
        var input = card.Training["inputs"]!.AsArray().Single(i => (string?)i!["role"] == "annotated-volume")!;
        Assert.Equal(10.0, (double)input["voxel_size_nm"]!);
        Assert.Equal(1000.0, (double)input["header_voxel_size_nm"]!);
    }

    [Fact]
    public void ThePaperRecipeRefusesSuchAHeaderTooAndTakesVoxelSizeOverIt()
    {
        // the paper recipe's card takes its voxel size from the inputs as well
        using var tmp = new TempDir();
        var (image, labels) = UncalibratedVolume(tmp);
        string[] paper = { "train", "--recipe", "paper", "--width", "2", "--crop", "32", "--label-repeats", "1", "--test-crops", "1", "--threads", "1", "--epochs", "1", "--supervised-only",
            "--volume", image, "--labels", labels, "--slices", "2,3,5,7" };
        AssertRefusedAsUncalibrated(paper, tmp.File("refused"));
        // --voxel-size overrides the header: the card holds the given size, not the header's
        string run = tmp.File("run");
        var (code2, _, err2) = Run(paper.Concat(new[] { "--out", run, "--voxel-size", "30" }).ToArray());
        Assert.True(code2 == 0, err2);
        var card = ModelFile.ReadCard(Path.Combine(run, SemiSupervisedTrainer.BestModelFileName));
        Assert.Equal(30.0, card.VoxelSizeNm);
        // and what the header said stays on record beside the size used
        var input = card.Training["inputs"]!.AsArray().Single()!;
        Assert.Equal(30.0, (double)input["voxel_size_nm"]!);
        Assert.Equal(1000.0, (double)input["header_voxel_size_nm"]!);
        // and a simulation keeps its own header's 10 nm: --voxel-size is the size of the user's inputs
        string simRun = tmp.File("sim-run");
        var (code3, _, err3) = Run("train", "--recipe", "paper", "--width", "2", "--crop", "32", "--label-repeats", "1", "--test-crops", "1", "--threads", "1", "--epochs", "1", "--supervised-only",
            "--sim", Path.GetDirectoryName(labels)!, "--sim-annotated", "4", "--voxel-size", "30", "--out", simRun);
        Assert.True(code3 == 0, err3);
        Assert.Equal(10.0, ModelFile.ReadCard(Path.Combine(simRun, SemiSupervisedTrainer.BestModelFileName)).VoxelSizeNm);
    }

    [Fact]
    public void TheSummaryShowsTheThresholdTheKeptFileHolds()
    {
        // a fine-tune whose steps cannot move the weights (lr 1e-30) keeps the starting model at 0.65;
        // the summary's threshold row must show that, not the validation's own best threshold
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "start.sxtmodel", minVoxelNm: 8, maxVoxelNm: 30, threshold: 0.65);
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        var (code, stdout, err) = Run("train", "--out", tmp.File("ft"), "--init", model, "--sim", sim, "--val-sim", sim, "--crop", "32", "--batch", "2",
            "--steps", "2", "--warmup", "0", "--validate-every", "2", "--threads", "1", "--lr", "1e-30");
        Assert.True(code == 0, err);
        string row = Assert.Single(stdout.Split('\n'), l => l.Contains("threshold (stored in the model)"));
        Assert.Contains(" 0.65 ", row.Replace("│", " "));
    }

    [Fact]
    public void ASimulationsOwnVoxelSizeIsTakenHoweverCoarse()
    {
        // the simulator makes 1–500 nm voxels and states the size it made: not a writer's default, so not refused
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        foreach (string f in new[] { "tomogram.mrc", "membranes.mrc" })
        {
            var v = VolumeIO.Read<float>(Path.Combine(sim, f));
            v.VoxelSize = VoxelSize.Isotropic(200);
            VolumeIO.Write(Path.Combine(sim, f), v);
        }
        var (code, _, err) = Run("train", "--recipe", "paper", "--width", "2", "--crop", "32", "--label-repeats", "1", "--test-crops", "1", "--threads", "1", "--epochs", "1",
            "--supervised-only", "--sim", sim, "--sim-annotated", "4", "--out", tmp.File("paper"));
        Assert.True(code == 0, err);
        (code, _, err) = Run("train", "--sim", sim, "--val-sim", sim, "--crop", "32", "--batch", "2", "--steps", "2", "--warmup", "0", "--validate-every", "2", "--threads", "1",
            "--supervised-only", "--out", tmp.File("sxtseg"));
        Assert.True(code == 0, err);
    }

    [Fact]
    public void ResumeFromAnotherArchitectureIsABadInput()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        string[] common = new[] { "--sim", sim, "--sim-annotated", "4", "--crop", "32", "--label-repeats", "1", "--test-crops", "1", "--threads", "2", "--epochs", "1" };
        Assert.Equal(0, Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("run"), "--width", "2" }.Concat(common).ToArray()).Code);
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("run"), "--width", "4", "--resume" }.Concat(common).ToArray());
        Assert.Equal(2, code);
        Assert.Contains("width-2", err);
        Assert.Contains("width 4", err);
        var (code2, _, err2) = Run("train", "--recipe", "paper", "--out", tmp.File("run"), "--preset", "tiny", "--resume");
        Assert.Equal(2, code2);
        Assert.Contains("width-2", err2);
        // and a new run into a folder that holds one is refused instead of overwriting it
        var (code3, _, err3) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("run"), "--width", "2" }.Concat(common).ToArray());
        Assert.Equal(2, code3);
        Assert.Contains("--resume", err3);
    }

    [Fact]
    public void TrainsAUNetResumesItExactlyAndRefusesOtherArchitectures()
    {
        using var tmp = new TempDir();
        // Given simulator-style data and a tiny U-Net (3 levels: input multiple 4)
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"));
        const string arch = "unet:w=4-8-8,enc=1-1-1,dec=1-1";
        string[] common = { "--sim", sim, "--sim-annotated", "4", "--arch", arch, "--crop", "32", "--label-repeats", "2", "--test-crops", "1", "--threads", "2", "--lr", "1e-3" };
        // When one run trains 2 epochs and another 1 epoch then resumes to 2
        var (codeA, _, errA) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("a"), "--epochs", "2" }.Concat(common).ToArray());
        Assert.True(codeA == 0, errA);
        Assert.Equal(0, Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "1" }.Concat(common).ToArray()).Code);
        var (codeB, _, errB) = Run("train", "--recipe", "paper", "--out", tmp.File("b"), "--epochs", "2", "--resume", "--threads", "2");
        Assert.True(codeB == 0, errB);
        // Then the model records the architecture, the resumed run is bit-identical, and the model predicts
        var card = ModelFile.ReadCard(Path.Combine(tmp.File("a"), "model-last.sxtmodel"));
        Assert.Equal(NetworkArchitecture.Parse(arch), card.Network);
        Assert.Equal(card.Id, ModelFile.ReadCard(Path.Combine(tmp.File("b"), "model-last.sxtmodel")).Id);
        using (var predictor = LabelPredictor.Load(Path.Combine(tmp.File("a"), "model-last.sxtmodel"), new InferenceOptions { Threads = 1 }))
        using (var resumed = LabelPredictor.Load(Path.Combine(tmp.File("b"), "model-last.sxtmodel"), new InferenceOptions { Threads = 1 }))
        using (var untrained = LabelPredictor.FromNetwork(NetworkArchitecture.Parse(arch).Create(1), new ModelCard(NetworkArchitecture.Parse(arch)), new InferenceOptions { Threads = 1 }))
        {
            Assert.Equal(4, predictor.SizeMultiple);
            // with the trained weights: a membrane image (two 20 × 12 crops of shells) gives the same
            // values from the resumed run and other values than the untrained network of the same seed
            var (image, _) = SyntheticTrainingData.Shells(48, 48, 10, 1);
            var slice = image.Slice(5).ToArray();
            predictor.Normalisation.Apply(slice, 48, 48);
            var tile = new float[2 * 20 * 12];
            for (int r = 0; r < 12; r++)
            {
                slice.AsSpan((r + 10) * 48 + 8, 20).CopyTo(tile.AsSpan(r * 20, 20));
                slice.AsSpan((r + 24) * 48 + 20, 20).CopyTo(tile.AsSpan(240 + r * 20, 20));
            }
            var y = predictor.Predict(tile, 2, 20, 12);
            Assert.Equal(tile.Length, y.Length);
            Assert.Equal(y, resumed.Predict(tile, 2, 20, 12));
            var y0 = untrained.Predict(tile, 2, 20, 12);
            Assert.True(y.Zip(y0).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the trained U-Net predicts like the untrained one");
            // and it is trained, not only renormalised: every weight tensor moved away from its
            // initial value (the batch-norm statistics alone would change the outputs as well)
            var (trainedNet, _) = ModelFile.Load(Path.Combine(tmp.File("a"), "model-last.sxtmodel"));
            using (trainedNet)
            using (var initial = NetworkArchitecture.Parse(arch).Create(1))
            {
                var pairs = trainedNet.parameters().Zip(initial.parameters()).ToList();
                Assert.NotEmpty(pairs);
                int moved = pairs.Count(p => !p.First.allclose(p.Second, rtol: 0, atol: 1e-6));
                Assert.True(moved > pairs.Count * 9 / 10, $"{moved} of {pairs.Count} weight tensors moved from their initial values");
            }
        }
        // and resuming or fine-tuning with another architecture is refused with a one-line error
        var (code1, _, err1) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("a"), "--epochs", "3", "--resume" }.Concat(common.Select(a => a == arch ? "unet:w=4-8-16,enc=1-1-1,dec=1-1" : a)).ToArray());
        Assert.Equal(2, code1);
        Assert.Contains("unet:w=4-8-8", err1);
        Assert.Contains("unet:w=4-8-16", err1);
        var (code2, _, err2) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("c"), "--epochs", "1", "--init", Path.Combine(tmp.File("a"), "model.sxtmodel") }
            .Concat(common.Select(a => a == arch ? "tiny" : a)).ToArray());
        Assert.Equal(2, code2);
        Assert.Contains("--init", err2);
        Assert.Contains("--arch " + NetworkArchitecture.Parse(arch).Spec, err2);
        Assert.False(Directory.Exists(tmp.File("c")));
        // and --arch with --width is an option error
        var (code3, _, err3) = Run(new[] { "train", "--recipe", "paper", "--out", tmp.File("d"), "--width", "2" }.Concat(common).ToArray());
        Assert.Equal(2, code3);
        Assert.Contains("--arch", err3);
    }

    /// <summary>The library's setting keys (TrainingOptions' property names, ...) reach the user as the options they came from.</summary>
    [Theory]
    [InlineData("--lr: learning rate must be in (0, 1), got 5", "--recipe", "paper", "--lr", "5")]
    [InlineData("--epochs: must be at least 1, got 0", "--recipe", "paper", "--epochs", "0")]
    [InlineData("--test-fraction: must be in (0, 0.5)", "--recipe", "paper", "--test-fraction", "0.7")]
    [InlineData("--warmup: must be 0..5 (fewer than --steps), got 9", "--steps", "6", "--warmup", "9")]
    [InlineData("--scale-augment: the range 0.1–2 must lie in 0.25–4, smallest first", "--scale-augment", "0.1-2")]
    [InlineData("--slices: '5-2' is not a slice range (use e.g. 10,20,30-35)", "--volume", "VOL", "--labels", "VOL", "--slices", "5-2")]
    [InlineData("--label-coding: 'banana' is not membrane, background or ignore", "--label-coding", "7=banana")]
    [InlineData("--arch: give one of --arch, --preset or --width", "--arch", "unet-s", "--width", "8")]
    [InlineData("--context: the Deep-SXT network reads one slice; neighbouring slices need a U-Net (--arch unet:… or a U-Net preset)", "--width", "8", "--context", "1")]
    [InlineData("--device: unknown device 'tpu' (use cpu or cuda)", "--device", "tpu")]
    public void SettingErrorsNameTheOption(string message, params string[] args)
    {
        using var tmp = new TempDir();
        string outDir = tmp.File("out");
        var (code, _, err) = Run(new[] { "train", "--out", outDir, "--pairs", tmp.Path }.Concat(args.Select(a => a == "VOL" ? tmp.Path : a)).ToArray());
        Assert.Equal(2, code);
        Assert.Equal("sxtseg: error: " + message, err.Trim());
        Assert.False(Directory.Exists(outDir), "nothing may be written for bad options");
    }

    private static void AssertBadInput(TempDir tmp, string[] data, params string[] expected)
    {
        string outDir = tmp.File("out");
        var (code, _, err) = Run(new[] { "train", "--recipe", "paper", "--out", outDir, "--epochs", "1" }.Concat(data).Concat(Tiny).ToArray());
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        foreach (var e in expected) Assert.Contains(e, err);
        Assert.False(Directory.Exists(outDir), "nothing may be written for bad input");
    }
}
