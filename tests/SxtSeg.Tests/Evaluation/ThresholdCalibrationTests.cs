using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// <c>sxtseg model calibrate</c>: the selection rule on hand-computed tallies, and on a small simulation
/// with the shipped model, labels and scores that are exactly those of <c>segment</c> + <c>evaluate</c>
/// at the same threshold.
/// </summary>
public sealed class ThresholdChoiceTests
{
    // P = 80/100, R = 90/100: F1 = 2·0.72/1.7 = 0.8471, FP 20 % of the truth
    private static readonly ThresholdRow Low = new(0.5, new TolerantScore(1, 100, 80, 100, 90));
    // P = 72/80 = 0.9, R = 0.85: F1 = 2·0.765/1.75 = 0.8743, FP 8 %
    private static readonly ThresholdRow Mid = new(0.6, new TolerantScore(1, 80, 72, 100, 85));
    // P = 57/60 = 0.95, R = 0.7: F1 = 1.33/1.65 = 0.8061, FP 3 %
    private static readonly ThresholdRow High = new(0.7, new TolerantScore(1, 60, 57, 100, 70));

    [Fact]
    public void TheBestF1WinsWithoutALimit()
    {
        Assert.Equal(1, ThresholdCalibration.Choose([Low, Mid, High], null).Index);
    }

    [Fact]
    public void TheFalsePositiveLimitExcludesThresholdsAboveIt()
    {
        Assert.Equal(2, ThresholdCalibration.Choose([Low, Mid, High], 5).Index);
        // exactly at the limit qualifies
        Assert.Equal(1, ThresholdCalibration.Choose([Low, Mid, High], 8).Index);
    }

    [Fact]
    public void ATieGoesToTheHigherThreshold()
    {
        var twin = Mid with { Threshold = 0.65 };
        Assert.Equal(2, ThresholdCalibration.Choose([Low, Mid, twin], null).Index);
        Assert.Equal(0, ThresholdCalibration.Choose([twin, Mid, Low], null).Index);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AThresholdOutsideTheOpenIntervalIsRefusedBeforeAnyFileIsRead(double t)
    {
        // (the folder does not exist: the thresholds are checked first)
        var request = new ThresholdCalibrationRequest { Model = "m.sxtmodel", Simulations = ["no-such-sim"], Thresholds = [0.5, t] };
        var e = Assert.Throws<InvalidOptionException>(request.Validate);
        Assert.Contains("every threshold must be in (0, 1)", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AFalsePositiveLimitThatIsNotAPositivePercentageIsRefused(double fp)
    {
        // (a library caller meets this check; the command line's bounds refuse these values before it)
        var request = new ThresholdCalibrationRequest { Model = "m.sxtmodel", Simulations = ["no-such-sim"], MaxFalsePositivePercent = fp };
        var e = Assert.Throws<InvalidOptionException>(request.Validate);
        Assert.Equal("--max-fp", e.Option);
        Assert.Contains("must be a positive percentage", e.Message);
    }

    [Fact]
    public void BothEntryPointsCheckTheRequestBeforeTheModelOrTheOutput()
    {
        // Given a request that is wrong in itself, a model that does not exist and an output that cannot be written,
        // then the request's own mistake is the one reported, by the table alone and by the whole calibration
        using var dir = new TempDir();
        string aFile = dir.File("a-file");
        System.IO.File.WriteAllText(aFile, "");
        var badThreshold = new ThresholdCalibrationRequest { Model = dir.File("missing.sxtmodel"), Simulations = ["no-such-sim"], Thresholds = [0.5, 1.0] };
        Assert.Equal("--thresholds", Assert.Throws<InvalidOptionException>(() => ThresholdCalibration.Run(badThreshold)).Option);
        var noSimulation = new ThresholdCalibrationRequest { Model = dir.File("missing.sxtmodel"), Simulations = [] };
        Assert.Equal("--sim", Assert.Throws<InvalidOptionException>(() => ThresholdCalibration.Calibrate(noSimulation, Path.Combine(aFile, "out.sxtmodel"))).Option);
    }

    [Fact]
    public void NoQualifyingThresholdIsRefusedWithTheFewestFalsePositives()
    {
        var e = Assert.Throws<InvalidOptionException>(() => ThresholdCalibration.Choose([Low, Mid, High], 2));
        Assert.Contains("3.0 % at 0.70", e.Message);
    }
}

/// <summary>
/// An 80 × 80 × 40 BESSY-like simulation (9 objects) saved as a folder, and <c>segment</c>'s output for it with the
/// shipped model at the model's own threshold and at 0.4, each with its float32 probability map; shared by the tests.
/// </summary>
public sealed class SmallSimulationFixture : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Simulates, saves and segments it.</summary>
    public SmallSimulationFixture()
    {
        var p = SimulationParameters.FromProfile("bessy-u41") with { Nx = 80, Ny = 80, Nz = 40, Seed = 2, TiltStepDeg = 3 };
        Folder = _dir.File("sim");
        Simulator.Simulate(p).Save(Folder, new Provenance("test"));
        AtOwn = Segment("seg-own", null);
        AtLow = Segment("seg-low", Low);
    }

    /// <summary>The lower threshold segmented.</summary>
    public const double Low = 0.4;

    /// <summary>The shipped model's own threshold (above <see cref="Low"/>).</summary>
    public static double Own => ModelFile.ReadCard(DefaultModel.Path).EffectiveThreshold;

    /// <summary>The simulation folder.</summary>
    public string Folder { get; }

    /// <summary>segment's folder at the model's threshold.</summary>
    public string AtOwn { get; }

    /// <summary>segment's folder at <see cref="Low"/>.</summary>
    public string AtLow { get; }

    /// <summary>A scratch file path.</summary>
    public string File(string name) => _dir.File(name);

    private string Segment(string name, double? threshold)
    {
        string outDir = _dir.File(name);
        using var model = SegmentationModel.Load(DefaultModel.Path, 1, new InferenceOptions());
        Segmenter.Run(Path.Combine(Folder, SimulationResult.Files.Tomogram), outDir, model,
            new SegmentOptions { Threshold = threshold, Probabilities = ProbabilityOutput.Float32 }, new Provenance("test"));
        return outDir;
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();
}

[Collection(TorchCollection.Name)]
public sealed class ThresholdCalibrationTests : IClassFixture<SmallSimulationFixture>
{
    private readonly SmallSimulationFixture _sim;

    public ThresholdCalibrationTests(SmallSimulationFixture sim) => _sim = sim;

    private string Tomogram => Path.Combine(_sim.Folder, SimulationResult.Files.Tomogram);

    private string Truth => Path.Combine(_sim.Folder, SimulationResult.Files.Membranes);

    private string IgnoreMask => Path.Combine(_sim.Folder, SimulationResult.Files.Ignore);

    private static byte[] Read(IMaskStream mask)
    {
        var info = mask.Info;
        var all = new byte[info.VoxelCount];
        mask.Reset();
        for (int z = 0; z < info.Nz; z++) mask.ReadNext(all.AsSpan((int)(z * info.SliceLength), (int)info.SliceLength));
        return all;
    }

    private static byte[] Read(string labels)
    {
        using var r = VolumeIO.OpenRead(labels);
        var all = new byte[r.Info.VoxelCount];
        for (int z = 0; z < r.Info.Nz; z++) r.ReadSlice<byte>(z, all.AsSpan((int)(z * r.Info.SliceLength), (int)r.Info.SliceLength));
        return all;
    }

    [Fact]
    public void LabelsFromTheStoredProbabilitiesAreSegmentsLabelsAtAnyThreshold()
    {
        // Given segment's output at the model's own threshold and at 0.4, each with its probability map
        string own = _sim.AtOwn, low = _sim.AtLow;
        string probabilities = Path.Combine(own, SegmentationFiles.Probabilities);
        // When the labels are made again from the first run's probabilities
        var atOwn = Read(ThresholdCalibration.Labels(probabilities, SmallSimulationFixture.Own));
        var atLow = Read(ThresholdCalibration.Labels(probabilities, 0.4));
        // Then they are segment's labels voxel for voxel, and the two thresholds differ (the check is not vacuous)
        var segOwn = Read(Path.Combine(own, SegmentationFiles.LabelsMrc));
        var segLow = Read(Path.Combine(low, SegmentationFiles.LabelsMrc));
        Assert.Equal(segOwn, atOwn);
        Assert.Equal(segLow, atLow);
        Assert.True(segLow.Count(v => v != 0) > segOwn.Count(v => v != 0) && segOwn.Any(v => v != 0));
    }

    [Fact]
    public void EachRowIsWhatEvaluateGivesSegmentsLabelsAndTheModelKeepsItsWeights()
    {
        // Given segment's labels at 0.4 and at the model's own threshold scored as evaluate scores them (visible membranes, ±1)
        double own = SmallSimulationFixture.Own;
        Assert.True(own > SmallSimulationFixture.Low);
        var expected = new Dictionary<double, TolerantScore>();
        foreach (double t in new[] { SmallSimulationFixture.Low, own })
        {
            string dir = t == own ? _sim.AtOwn : _sim.AtLow;
            using var pred = VolumeIO.OpenRead(Path.Combine(dir, SegmentationFiles.LabelsMrc));
            using var truth = VolumeIO.OpenRead(Truth);
            using var ignore = VolumeIO.OpenRead(IgnoreMask);
            expected[t] = SegmentationEvaluator.Evaluate(pred, truth, new EvaluationOptions { Tolerance = 1 }, null, ignore).Tolerant;
        }
        // When the shipped model is calibrated on the simulation at those thresholds
        string output = _sim.File("calibrated.sxtmodel");
        var result = ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = DefaultModel.Path, Simulations = [_sim.Folder], Thresholds = [SmallSimulationFixture.Low, own], Workers = 1,
        }, output);
        // Then every row holds exactly those tallies, the chosen one has the higher F1 (ties: the higher threshold)
        Assert.Equal(expected[SmallSimulationFixture.Low], result.Rows[0].Visible);
        Assert.Equal(expected[own], result.Rows[1].Visible);
        Assert.Equal(expected[SmallSimulationFixture.Low].F1 > expected[own].F1 ? SmallSimulationFixture.Low : own, result.Threshold);
        // and the written model has that threshold and the table, with the same weights, id and referee
        var before = ModelFile.ReadCard(DefaultModel.Path);
        var after = ModelFile.ReadCard(output);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(result.Threshold, after.EffectiveThreshold, 9);
        Assert.Equal(2, after.Metrics["calibration"]!["rows"]!.AsArray().Count);
        Assert.Equal(before.EffectiveThreshold, (double)after.Metrics["calibration"]!["previous_threshold"]!, 9);
        Assert.Equal(ModelFile.ReadRefereeCard(DefaultModel.Path)!.Id, ModelFile.ReadRefereeCard(output)!.Id);
    }

    [Fact]
    public void AFolderWithoutLabelsIsRefusedBeforeAnythingIsWritten()
    {
        string empty = _sim.File("not-a-sim");
        Directory.CreateDirectory(empty);
        string output = _sim.File("never.sxtmodel");
        var e = Assert.Throws<InvalidInputException>(() => ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = DefaultModel.Path, Simulations = [_sim.Folder, empty], Workers = 1,
        }, output));
        Assert.Contains("is not a simulation folder", e.Message, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(output));
    }

    [Fact]
    public void AnOutputThatCannotBeWrittenIsRefusedBeforeTheWork()
    {
        // Given an output path whose folder would have to be made inside a file (refused even to root)
        string aFile = _sim.File("a-file");
        System.IO.File.WriteAllText(aFile, "");
        string scratch = _sim.File("probe-scratch");
        Assert.Throws<OutputException>(() => ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = DefaultModel.Path, Simulations = [_sim.Folder], Workers = 1, TempFolder = scratch,
        }, Path.Combine(aFile, "out.sxtmodel")));
        // nothing was segmented: the scratch folder the work would have made does not exist
        Assert.False(Directory.Exists(scratch));
    }

    [Fact]
    public void AnImpossibleFalsePositiveLimitWritesNothing()
    {
        string output = _sim.File("impossible.sxtmodel");
        Assert.Throws<InvalidOptionException>(() => ThresholdCalibration.Calibrate(new ThresholdCalibrationRequest
        {
            Model = DefaultModel.Path, Simulations = [_sim.Folder], Thresholds = [0.5], MaxFalsePositivePercent = 1e-9, Workers = 1,
        }, output));
        Assert.False(System.IO.File.Exists(output));
    }
}
