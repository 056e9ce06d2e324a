using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Inference;

/// <summary>Known answers for loading a model per worker (<see cref="SegmentationModel"/>) and for the temporary probability store.</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelAndStoreKnownAnswerTests
{
    /// <summary>An untrained tiny U-Net (logit head, threshold 0.4) as a model file.</summary>
    private static string TinyModel(TempDir tmp)
        => TinyModels.Write(tmp, "tiny.sxtmodel", "unet:w=4-8,enc=1-1,dec=1,head=logit", seed: 11, minVoxelNm: 9, maxVoxelNm: 12, threshold: 0.4);

    [Fact]
    public void EachWorkerGetsItsOwnSingleThreadedCopy()
    {
        using var tmp = new TempDir();
        string path = TinyModel(tmp);
        // Given 3 workers asked for with 2 threads each
        using var three = SegmentationModel.Load(path, 3, new InferenceOptions { Threads = 2 });
        // Then there are 3 distinct predictors, each single-threaded (the workers share the cores)
        Assert.Equal(3, three.Workers.Count);
        Assert.Equal(3, three.Workers.Distinct().Count());
        foreach (var w in three.Workers) Assert.Equal(1, ((NetworkTilePredictor)w).Model.Options.Threads);
        // and the card's figures come through
        Assert.Equal(0.4, three.Threshold, 12);
        Assert.Equal((9.0, 12.0), three.VoxelSizeRange);
        Assert.Equal(ModelFile.ReadCard(path).Id, three.Id);
        Assert.StartsWith("custom (m = 4), ", three.Description);
        Assert.EndsWith(" kFLOP/px", three.Description);
        double kflop = double.Parse(three.Description["custom (m = 4), ".Length..^" kFLOP/px".Length], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(kflop, ((NetworkTilePredictor)three.Workers[0]).Model.FlopsPerPixel / 1000 - 0.05, ((NetworkTilePredictor)three.Workers[0]).Model.FlopsPerPixel / 1000 + 0.05);
        // One worker keeps the threads it was given
        using var one = SegmentationModel.Load(path, 1, new InferenceOptions { Threads = 2 });
        Assert.Single(one.Workers);
        Assert.Equal(2, ((NetworkTilePredictor)one.Workers[0]).Model.Options.Threads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-3)]
    public void WorkerCountsOutside1To64AreRefused(int workers)
    {
        using var tmp = new TempDir();
        string path = TinyModel(tmp);
        var e = Assert.Throws<InvalidOptionException>(() => SegmentationModel.Load(path, workers, new InferenceOptions()));
        Assert.Equal(SegmentationModel.WorkersKey, e.Option);
        Assert.Equal($"must be 1..64, got {workers}", e.Problem);
    }

    [Fact]
    public void SixtyFourWorkersAreAllowedAndDisposingTheModelDisposesThem()
    {
        using var tmp = new TempDir();
        string path = TinyModel(tmp);
        var model = SegmentationModel.Load(path, 64, new InferenceOptions());
        Assert.Equal(64, model.Workers.Count);
        var first = (NetworkTilePredictor)model.Workers[0];
        var last = (NetworkTilePredictor)model.Workers[63];
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Model.Predict(new float[16 * 16], 1, 16, 16));
        Assert.Throws<ObjectDisposedException>(() => last.Model.Predict(new float[16 * 16], 1, 16, 16));
    }

    [Fact]
    public void AModelNeedsAWorkerAndDefaultsToOnePerCoreUpTo8()
    {
        Assert.Throws<ArgumentException>(() => new SegmentationModel(Array.Empty<ITilePredictor>(), (_, _, _) => { }, "id", null, "none"));
        Assert.Equal(Environment.ProcessorCount >= 8 ? 8 : Math.Max(1, Environment.ProcessorCount), SegmentationModel.DefaultWorkers);
    }

    [Fact]
    public void RowsReadBackFromWhereTheyWereWritten()
    {
        using var tmp = new TempDir();
        // Given a store in a folder that does not exist yet (it is created)
        using var store = new ProbabilityStore(tmp.File("a/b"), 5, 4, 3, 2);
        // When slice 1 of axis 1 is written whole (value = 10·row + column)
        var slice = new byte[20];
        for (int i = 0; i < 20; i++) slice[i] = (byte)(10 * (i / 5) + i % 5);
        store.WriteRows(1, 1, 0, 4, slice);
        // Then rows 2..3 of it read back as rows 2 and 3, the other axis and slices are still 0
        var rows = new byte[10];
        store.ReadRows(1, 1, 2, 2, rows);
        Assert.Equal(new byte[] { 20, 21, 22, 23, 24, 30, 31, 32, 33, 34 }, rows);
        var other = new byte[20];
        store.ReadSlice(0, 1, other);
        Assert.All(other, b => Assert.Equal(0, b));
        store.ReadSlice(1, 2, other);
        Assert.All(other, b => Assert.Equal(0, b));
        // and a row written alone at y0 = 3 of slice 2 lands in its last row
        store.WriteRows(1, 2, 3, 1, new byte[] { 9, 8, 7, 6, 5 });
        store.ReadSlice(1, 2, other);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 8, 7, 6, 5 }, other);
    }

    [Fact]
    public void ADisposedStoreCannotBeRead()
    {
        using var tmp = new TempDir();
        var store = new ProbabilityStore(tmp.Path, 4, 4, 2, 1);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.ReadRows(0, 0, 0, 4, new byte[16]));
    }

    [Fact]
    public void AStoreThatCannotBeCreatedSaysHowMuchSpaceItNeeds()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("file"), "x");
        // 1000 × 1000 × 100 voxels on 3 axes: 3 bytes per voxel and axis → 0.9 GB
        var e = Assert.Throws<OutputException>(() => new ProbabilityStore(tmp.File("file/sub"), 1000, 1000, 100, 3));
        Assert.Contains("cannot create temporary probability files", e.Message);
        Assert.Contains("free 0.9 GB or choose another --temp folder", e.Message);
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 255)]
    [InlineData(0.5f, 128)]
    [InlineData(0.3f, 77)]
    [InlineData(0.998f, 254)]
    [InlineData(0.999f, 255)]
    [InlineData(1.7f, 255)]
    [InlineData(-0.2f, 0)]
    public void ProbabilitiesQuantiseToTheNearestOf256Levels(float p, int expected)
    {
        // round(255·p), hand-computed: 0.3 → 76.5 → 77; 0.998 → 254.49 → 254; 0.999 → 254.745 → 255
        var q = new byte[1];
        ProbabilityStore.Quantise(new[] { p }, q);
        Assert.Equal(expected, q[0]);
    }
}
