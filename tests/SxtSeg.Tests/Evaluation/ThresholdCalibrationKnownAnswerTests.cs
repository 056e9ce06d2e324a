using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// The calibration record <c>model calibrate</c> writes into the model card (<c>metrics.calibration</c>) for a
/// constructed result of three hand-computed rows: every key, in order, and every value.
/// </summary>
public sealed class ThresholdCalibrationRecordTests
{
    // P = 4/7 = 0.571428…, R = 5/9 = 0.555555…: F1 = 2·(20/63)/(71/63) = 40/71 = 0.563380…, FP = 3/9 = 33.333… % of the truth
    private static readonly ThresholdRow Low = new(0.4, new TolerantScore(1, 7, 4, 9, 5));
    // P = 5/6 = 0.833333…, R = 6/9 = 0.666666…: F1 = 2·(10/18)/(3/2) = 20/27 = 0.740740…, FP = 1/9 = 11.111… %
    private static readonly ThresholdRow Mid = new(0.55, new TolerantScore(1, 6, 5, 9, 6));
    // nothing predicted, 9 true voxels: P = 0, R = 0, F1 = 0, FP = 0 %
    private static readonly ThresholdRow High = new(0.7, new TolerantScore(1, 0, 0, 9, 0));

    private static ThresholdCalibrationResult Result() => new([Low, Mid, High], 1, "the rule in words",
    [
        (Path.Combine(Path.GetTempPath(), "val", "sim-a"), "bessy-u41"),
        // as a shell's completion gives a folder: with a trailing separator
        (Path.Combine("runs", "sim-b") + Path.DirectorySeparatorChar, "simulated"),
    ]);

    [Fact]
    public void TheRecordHoldsTheChosenAndPreviousThresholdsTheRuleAndTheToolVersion()
    {
        // Given a result whose second row (0.55) is chosen, and a model whose threshold was 0.5
        // When it is made into the card's record
        var json = Result().ToJson(0.5);
        // Then it has exactly these keys, in this order
        Assert.Equal(["threshold", "previous_threshold", "rule", "scores", "simulations", "rows", "tool_version"], json.Select(p => p.Key));
        // and the chosen and previous thresholds, the rule and what was scored
        Assert.Equal(0.55, json["threshold"]!.GetValue<double>());
        Assert.Equal(0.5, json["previous_threshold"]!.GetValue<double>());
        Assert.Equal("the rule in words", json["rule"]!.GetValue<string>());
        Assert.Equal("visible membranes (the simulation's ignore.mrc), ±1 voxel = Euclidean distance ≤ 1 in 3D, pooled over the tomograms; each tomogram segmented as `sxtseg segment` does by default",
            json["scores"]!.GetValue<string>());
        Assert.Equal(ToolInfo.Version, json["tool_version"]!.GetValue<string>());
        Assert.NotEqual("", ToolInfo.Version);
    }

    [Fact]
    public void AModelWithoutAThresholdBeforeIsRecordedAsNull()
    {
        // Given a model that had no threshold of its own
        var json = Result().ToJson(null);
        // Then the key is there with a JSON null
        Assert.True(json.ContainsKey("previous_threshold"));
        Assert.Null(json["previous_threshold"]);
        Assert.Equal(0.55, json["threshold"]!.GetValue<double>());
    }

    [Fact]
    public void EachRowHoldsItsThresholdRoundedScoresAndTallies()
    {
        // When the result is made into the card's record
        var rows = Result().ToJson(0.5)["rows"]!.AsArray();
        // Then each row is, in the order tried: the threshold, P, R, F1 to 5 decimals, FP % to 3, and the four tallies
        Assert.Equal(3, rows.Count);
        Assert.Equal("""{"threshold":0.4,"precision":0.57143,"recall":0.55556,"f1":0.56338,"fp_percent_of_truth":33.333,"predicted":7,"predicted_near_truth":4,"truth":9,"truth_near_prediction":5}""",
            rows[0]!.ToJsonString());
        Assert.Equal("""{"threshold":0.55,"precision":0.83333,"recall":0.66667,"f1":0.74074,"fp_percent_of_truth":11.111,"predicted":6,"predicted_near_truth":5,"truth":9,"truth_near_prediction":6}""",
            rows[1]!.ToJsonString());
        Assert.Equal("""{"threshold":0.7,"precision":0,"recall":0,"f1":0,"fp_percent_of_truth":0,"predicted":0,"predicted_near_truth":0,"truth":9,"truth_near_prediction":0}""",
            rows[2]!.ToJsonString());
    }

    [Fact]
    public void EachSimulationIsRecordedByItsFolderNameAndInstrument()
    {
        // When the result is made into the card's record
        var sims = Result().ToJson(0.5)["simulations"]!;
        // Then each validation folder is named by its last component (also when given with a trailing separator)
        Assert.Equal("""[{"folder":"sim-a","instrument":"bessy-u41"},{"folder":"sim-b","instrument":"simulated"}]""", sims.ToJsonString());
    }
}

/// <summary>
/// <c>model calibrate</c> on a hand-made 32 × 32 × 3 "simulation" (a tomogram and its labels, no truth.json) with an
/// untrained tiny model: cheap runs for what needs no good model — the labels' size check, the progress reports, the
/// scratch folder and the record as the written card holds it.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ThresholdCalibrationKnownAnswerTests
{
    private sealed class Recorder : IProgress<ProgressUpdate>
    {
        private readonly List<ProgressUpdate> _updates = new();

        public IReadOnlyList<ProgressUpdate> Updates
        {
            get { lock (_updates) return _updates.ToArray(); }
        }

        public void Report(ProgressUpdate value)
        {
            lock (_updates) _updates.Add(value);
        }
    }

    /// <summary>A folder with a 32 × 32 × 3 tomogram (10 nm voxels) and labels of 32 × 32 × <paramref name="truthSlices"/>.</summary>
    private static string TinySimulation(TempDir tmp, string name, int truthSlices = 3)
    {
        string folder = tmp.File(name);
        Directory.CreateDirectory(folder);
        var tomogram = new Volume<float>(32, 32, 3, VoxelSize.Isotropic(10));
        for (int z = 0; z < tomogram.Nz; z++)
            for (int y = 0; y < tomogram.Ny; y++)
                for (int x = 0; x < tomogram.Nx; x++)
                    tomogram[z, y, x] = (float)(Math.Sin(0.4 * x + 0.3 * z) * Math.Cos(0.25 * y) + 0.1 * ((x * 7 + y * 13 + z * 5) % 5));
        var truth = new Volume<byte>(32, 32, truthSlices, VoxelSize.Isotropic(10));
        for (int z = 0; z < truth.Nz; z++)
            for (int x = 4; x < 28; x++)
                truth[z, 10, x] = truth[z, 20, x] = 1;
        VolumeIO.Write(Path.Combine(folder, SimulationResult.Files.Tomogram), tomogram);
        VolumeIO.Write(Path.Combine(folder, SimulationResult.Files.Membranes), truth);
        return folder;
    }

    [Fact]
    public void LabelsOfAnotherSizeThanTheTomogramAreRefusedBeforeSegmentingAndNothingIsWritten()
    {
        // Given a simulation whose labels have one slice fewer than its tomogram (same x and y)
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "tiny.sxtmodel");
        string sim = TinySimulation(tmp, "sim", truthSlices: 2);
        string output = tmp.File("calibrated.sxtmodel"), scratch = tmp.File("scratch");
        // When the model is calibrated on it
        var e = Assert.Throws<InvalidInputException>(() => ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = model, Simulations = [sim], Thresholds = [0.5], Workers = 1, TempFolder = scratch,
        }, output));
        // Then one line names the labels file and the problem
        Assert.Equal($"{Path.Combine(sim, SimulationResult.Files.Membranes)}: differs in size from the simulation's tomogram", e.Message);
        // and nothing was written: no model, and nothing segmented into the scratch folder
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void ProgressCountsTheLabellingsOverAllTomogramsEachAfterItsSegmentation()
    {
        // Given a tiny model, and what segment reports for the tiny tomogram as the calibration segments it
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "tiny.sxtmodel");
        string sim = TinySimulation(tmp, "sim");
        var segment = new Recorder();
        using (var m = SegmentationModel.Load(model, 1, new InferenceOptions()))
            Segmenter.Run(Path.Combine(sim, SimulationResult.Files.Tomogram), tmp.File("seg"), m,
                new SegmentOptions { Probabilities = ProbabilityOutput.Float32, TempFolder = tmp.File("seg-scratch") }, new Provenance("test"), segment);
        Assert.NotEmpty(segment.Updates);
        // When it is calibrated on that simulation listed twice, at two thresholds: 2 × 2 = 4 labellings
        var progress = new Recorder();
        ThresholdCalibration.Run(new ThresholdCalibrationRequest
        {
            Model = model, Simulations = [sim, sim], Thresholds = [0.4, 0.6], Workers = 1, TempFolder = tmp.File("scratch"),
        }, progress);
        // Then the reports are: segment's, labellings 1 and 2 of 4, segment's again, labellings 3 and 4 of 4
        static ProgressUpdate Scored(int done) => new("scoring thresholds", done, 4, "labellings");
        ProgressUpdate[] expected = [.. segment.Updates, Scored(1), Scored(2), .. segment.Updates, Scored(3), Scored(4)];
        Assert.Equal(expected, progress.Updates);
    }

    [Fact]
    public void TheScratchFolderGivenIsLeftEmpty()
    {
        // Given a scratch folder of the caller's
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "tiny.sxtmodel");
        string sim = TinySimulation(tmp, "sim"), scratch = tmp.File("scratch");
        // When a calibration of two tomograms at two thresholds uses it
        ThresholdCalibration.Run(new ThresholdCalibrationRequest
        {
            Model = model, Simulations = [sim, sim], Thresholds = [0.4, 0.6], Workers = 1, TempFolder = scratch,
        });
        // Then it is kept (it is the caller's) but empty: every segmentation and labelling was deleted
        Assert.True(Directory.Exists(scratch));
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void TheWrittenCardHoldsTheRecordWithTheModelsOldThresholdAndTheFolder()
    {
        // Given a tiny model whose threshold is 0.5 and a simulation folder "sim" without truth.json (no instrument)
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "tiny.sxtmodel", threshold: 0.5);
        string sim = TinySimulation(tmp, "sim"), output = tmp.File("calibrated.sxtmodel");
        // When it is calibrated at two thresholds
        var result = ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = model, Simulations = [sim], Thresholds = [0.4, 0.6], Workers = 1,
        }, output);
        // Then the written card's record is the result's with 0.5 as the previous threshold
        var card = ModelFile.ReadCard(output);
        var record = card.Metrics["calibration"]!.AsObject();
        Assert.Equal(result.ToJson(0.5).ToJsonString(), record.ToJsonString());
        Assert.Equal(0.5, record["previous_threshold"]!.GetValue<double>());
        Assert.Equal("""[{"folder":"sim","instrument":"simulated"}]""", record["simulations"]!.ToJsonString());
        Assert.Equal([0.4, 0.6], record["rows"]!.AsArray().Select(r => r!["threshold"]!.GetValue<double>()));
        // and the card's threshold is the chosen one
        Assert.Equal(record["threshold"]!.GetValue<double>(), card.EffectiveThreshold);
        Assert.Contains(card.EffectiveThreshold, new[] { 0.4, 0.6 });
    }
}
