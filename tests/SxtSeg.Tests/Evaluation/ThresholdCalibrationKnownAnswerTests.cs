using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// <c>model calibrate</c> on a hand-made 32 × 32 × 3 "simulation" (a tomogram and its labels, no truth.json) with an
/// untrained tiny model: cheap runs for what needs no good model — the labels' size check, the progress reports, the
/// scratch folder and the record as the written card holds it.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ThresholdCalibrationKnownAnswerTests
{
    /// <summary>A folder with a 32 × 32 × 3 tomogram (10 nm voxels) and labels of <paramref name="truthNx"/> × <paramref name="truthNy"/> × <paramref name="truthSlices"/>.</summary>
    private static string TinySimulation(TempDir tmp, string name, int truthSlices = 3, int truthNx = 32, int truthNy = 32)
    {
        string folder = tmp.File(name);
        Directory.CreateDirectory(folder);
        var tomogram = new Volume<float>(32, 32, 3, VoxelSize.Isotropic(10));
        for (int z = 0; z < tomogram.Nz; z++)
            for (int y = 0; y < tomogram.Ny; y++)
                for (int x = 0; x < tomogram.Nx; x++)
                    tomogram[z, y, x] = (float)(Math.Sin(0.4 * x + 0.3 * z) * Math.Cos(0.25 * y) + 0.1 * ((x * 7 + y * 13 + z * 5) % 5));
        var truth = new Volume<byte>(truthNx, truthNy, truthSlices, VoxelSize.Isotropic(10));
        for (int z = 0; z < truth.Nz; z++)
            for (int x = 4; x < Math.Min(28, truthNx); x++)
                truth[z, 10, x] = truth[z, 20, x] = 1;
        VolumeIO.Write(Path.Combine(folder, SimulationResult.Files.Tomogram), tomogram);
        VolumeIO.Write(Path.Combine(folder, SimulationResult.Files.Membranes), truth);
        return folder;
    }

    [Theory]
    [InlineData(32, 32, 2)] // one slice fewer, x and y as the tomogram's
    [InlineData(31, 32, 3)] // one column fewer only: each axis is compared on its own
    [InlineData(32, 30, 3)] // two rows fewer only
    public void LabelsOfAnotherSizeThanTheTomogramAreRefusedBeforeSegmentingAndNothingIsWritten(int nx, int ny, int nz)
    {
        // Given a simulation whose labels differ from its 32 × 32 × 3 tomogram along one axis
        using var tmp = new TempDir();
        string model = TinyModels.Write(tmp, "tiny.sxtmodel");
        string sim = TinySimulation(tmp, "sim", truthSlices: nz, truthNx: nx, truthNy: ny);
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
        var segment = new ProgressLog();
        using (var m = SegmentationModel.Load(model, 1, new InferenceOptions()))
            Segmenter.Run(Path.Combine(sim, SimulationResult.Files.Tomogram), tmp.File("seg"), m,
                new SegmentOptions { Probabilities = ProbabilityOutput.Float32, TempFolder = tmp.File("seg-scratch") }, new Provenance("test"), segment);
        Assert.NotEmpty(segment.Items);
        // When it is calibrated on that simulation listed twice, at two thresholds: 2 × 2 = 4 labellings
        var progress = new ProgressLog();
        ThresholdCalibration.Run(new ThresholdCalibrationRequest
        {
            Model = model, Simulations = [sim, sim], Thresholds = [0.4, 0.6], Workers = 1, TempFolder = tmp.File("scratch"),
        }, progress);
        // Then the reports are: segment's, labellings 1 and 2 of 4, segment's again, labellings 3 and 4 of 4
        static ProgressUpdate Scored(int done) => new("scoring thresholds", done, 4, "labellings");
        ProgressUpdate[] expected = [.. segment.Items, Scored(1), Scored(2), .. segment.Items, Scored(3), Scored(4)];
        Assert.Equal(expected, progress.Items);
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
