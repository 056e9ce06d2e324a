using System.Text.Json.Nodes;
using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>
/// A model that reads neighbouring slices hands what needs a one-slice model (a single image, multi-axis
/// fusion) to the one-slice model embedded in it, with that model's threshold, and records which model
/// segmented. Pointwise stand-ins: the 3-plane model marks dark voxels, the embedded one bright ones, so
/// the labels say which of them segmented.
/// </summary>
public sealed class OneSliceModelTests
{
    private static SegmentationModel Model(ITilePredictor worker, string id, double threshold, SegmentationModel? embedded = null)
        => new(new[] { worker }, (_, _, _) => { }, id, VoxelSize.Isotropic(10), id, threshold, null, null, embedded);

    /// <summary>The 3-plane stand-in (marks dark voxels, threshold <paramref name="contextThreshold"/>) carrying the one-slice stand-in (marks bright voxels, threshold 0.55).</summary>
    private static (SegmentationModel Model, PointwisePredictor Context, PointwisePredictor OneSlice) Pair(double contextThreshold = 0.5)
    {
        var context = new PointwisePredictor(-1, 3);
        var oneSlice = new PointwisePredictor(1);
        return (Model(context, "context-id", contextThreshold, Model(oneSlice, "one-slice-id", 0.55)), context, oneSlice);
    }

    private static SegmentOptions Opts => new()
    {
        Tiles = new TileOptions { TileSize = 32, Overlap = 8, BatchSize = 2 }, Polarity = Polarity.DenseBright, Allow2D = true,
    };

    /// <summary>Left half bright (0.6), right half dark (−0.8), in <paramref name="nz"/> slices of 40 × 36.</summary>
    private static string Write(TempDir dir, int nz)
    {
        var v = new Volume<float>(40, 36, nz, VoxelSize.Isotropic(10));
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < 36; y++)
                for (int x = 0; x < 40; x++) v[z, y, x] = x < 20 ? 0.6f : -0.8f;
        VolumeIO.Write(dir.File("t.mrc"), v);
        return dir.File("t.mrc");
    }

    /// <summary>Labelled voxels in the left (bright) and right (dark) halves.</summary>
    private static (int Left, int Right) Halves(string folder)
    {
        var l = VolumeIO.Read<byte>(Path.Combine(folder, SegmentationFiles.LabelsMrc));
        int left = 0, right = 0;
        for (int z = 0; z < l.Nz; z++)
            for (int y = 0; y < l.Ny; y++)
                for (int x = 0; x < l.Nx; x++)
                    if (l[z, y, x] != 0) { if (x < 20) left++; else right++; }
        return (left, right);
    }

    private static JsonObject ModelJson(string folder)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SegmentationFiles.Sidecar)))!["model"]!.AsObject();

    [Fact]
    public void ASingleImageIsSegmentedByTheEmbeddedOneSliceModelWithItsThreshold()
    {
        using var dir = new TempDir();
        string image = Write(dir, 1);
        // the embedded model's threshold 0.55 labels the bright 0.6; the context model's 0.9 would label nothing
        var (model, context, oneSlice) = Pair(0.9);
        using var _ = model;
        var s = Segmenter.Run(image, dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.Equal(0, context.Calls);
        Assert.True(oneSlice.Calls > 0);
        Assert.Equal((20 * 36, 0), Halves(dir.File("out")));
        Assert.Equal(0.55, s.Threshold);
        Assert.Equal("one-slice-id", s.Model!.Id);
        Assert.Equal("context-id", s.Model.OneSliceModelOf);
        var j = ModelJson(dir.File("out"));
        Assert.Equal("one-slice-id", (string?)j["id"]);
        Assert.Equal("context-id", (string?)j["one_slice_model_of"]);
        Assert.Equal(0.55, (double)j["threshold"]!);
        // and the sidecar reads it back
        Assert.Equal("context-id", SegmentationSidecar.Read(dir.File("out/segment.json")).Model.OneSliceModelOf);
    }

    [Fact]
    public void ATomogramIsSegmentedByTheModelItselfAndRecordsNoEmbeddedModel()
    {
        using var dir = new TempDir();
        string tomo = Write(dir, 6);
        var (model, context, oneSlice) = Pair();
        using var _ = model;
        var s = Segmenter.Run(tomo, dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.True(context.Calls > 0);
        Assert.Equal(0, oneSlice.Calls);
        Assert.Equal((0, 6 * 20 * 36), Halves(dir.File("out")));
        Assert.Equal(0.5, s.Threshold);
        Assert.Equal("context-id", s.Model!.Id);
        Assert.Null(s.Model.OneSliceModelOf);
        Assert.False(ModelJson(dir.File("out")).ContainsKey("one_slice_model_of"));
    }

    [Fact]
    public void FusingAxesUsesTheEmbeddedOneSliceModelOnEveryAxis()
    {
        using var dir = new TempDir();
        string tomo = Write(dir, 6);
        var (model, context, oneSlice) = Pair();
        using var _ = model;
        var s = Segmenter.Run(tomo, dir.File("out"), model, Opts with { FuseAxes = true, BlockBytes = 1 << 20 }, new Provenance("segment"));
        Assert.Equal(0, context.Calls);
        // x–y: 6 slices; x–z: 36 planes; y–z: 40 planes, each at least one batch
        Assert.True(oneSlice.Calls >= 3 + 18 + 20, $"{oneSlice.Calls} batches");
        Assert.Equal((6 * 20 * 36, 0), Halves(dir.File("out")));
        Assert.Equal("context-id", s.Model!.OneSliceModelOf);
    }

    [Fact]
    public void FusingAxesWithAContextModelWithoutAnEmbeddedModelIsRefused()
    {
        using var dir = new TempDir();
        string tomo = Write(dir, 6);
        using var model = Model(new PointwisePredictor(-1, 3), "context-id", 0.5);
        var e = Assert.Throws<InvalidOptionException>(() =>
            Segmenter.Run(tomo, dir.File("out"), model, Opts with { FuseAxes = true }, new Provenance("segment")));
        Assert.Equal(nameof(SegmentOptions.FuseAxes), e.Option);
        Assert.Contains("one-slice model", e.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void ASingleImageWithAContextModelWithoutAnEmbeddedModelIsSegmentedByItFromCopiesOfTheImage()
    {
        using var dir = new TempDir();
        string image = Write(dir, 1);
        var context = new PointwisePredictor(-1, 3);
        using var model = Model(context, "context-id", 0.5);
        var s = Segmenter.Run(image, dir.File("out"), model, Opts, new Provenance("segment"));
        Assert.True(context.Calls > 0);
        Assert.Equal((0, 20 * 36), Halves(dir.File("out")));
        Assert.Null(s.Model!.OneSliceModelOf);
    }

    [Fact]
    public void AOneSliceModelIsItsOwnOneSliceModel()
    {
        using var plain = Model(new PointwisePredictor(1), "plain", 0.5);
        Assert.False(plain.ReadsContext);
        Assert.Same(plain, plain.OneSlice(singleImage: true, fuseAxes: true));
        using var context = Model(new PointwisePredictor(1, 3), "context", 0.5, Model(new PointwisePredictor(1), "embedded", 0.5));
        Assert.True(context.ReadsContext);
        Assert.Same(context, context.OneSlice(singleImage: false, fuseAxes: false));
        Assert.Same(context.Referee, context.OneSlice(singleImage: true, fuseAxes: false));
        Assert.Same(context.Referee, context.OneSlice(singleImage: false, fuseAxes: true));
    }
}
