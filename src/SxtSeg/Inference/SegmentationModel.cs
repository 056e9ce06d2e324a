using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// What the segmentation pipeline needs from a model: one tile predictor per worker, the
/// normalisation it was trained with, its id and its voxel size.
/// </summary>
public sealed class SegmentationModel : IDisposable
{
    /// <summary>Key of the errors about the number of workers (<see cref="Load"/>; a CLI maps it to its option).</summary>
    public const string WorkersKey = "Workers";

    private readonly IDisposable[] _owned;

    /// <summary>Default number of parallel network workers: one per core, at most 8.</summary>
    public static int DefaultWorkers => Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

    /// <summary>Creates a model from predictors (one per worker) and a plane normaliser.</summary>
    public SegmentationModel(IReadOnlyList<ITilePredictor> workers, Action<Span<float>, int, int> normalise, string id, VoxelSize? voxelSize, string description,
        double threshold = 0.5, (double Min, double Max)? voxelSizeRange = null, TrainedResolution? resolution = null, SegmentationModel? referee = null)
    {
        Referee = referee;
        Resolution = resolution;
        Threshold = threshold;
        VoxelSizeRange = voxelSizeRange;
        if (workers.Count == 0) throw new ArgumentException("at least one worker", nameof(workers));
        Workers = workers;
        Normalise = normalise;
        Id = id;
        VoxelSize = voxelSize;
        Description = description;
        _owned = workers.OfType<IDisposable>().ToArray();
    }

    /// <summary>Loads a model file once per worker, each with one libtorch thread (the fastest layout on CPUs: see docs/network.md).</summary>
    public static SegmentationModel Load(string path, int workers, InferenceOptions options)
    {
        if (workers < 1 || workers > 64) throw new InvalidOptionException(WorkersKey, $"must be 1..64, got {workers}");
        var list = new List<NetworkTilePredictor>();
        try
        {
            // Several workers share the cores: each runs libtorch single-threaded (a process-wide setting).
            if (workers > 1) options = options with { Threads = 1 };
            for (int i = 0; i < workers; i++) list.Add(new NetworkTilePredictor(LabelPredictor.Load(path, options)));
        }
        catch
        {
            foreach (var p in list) p.Dispose();
            throw;
        }
        SegmentationModel? referee = null;
        try
        {
            referee = LoadReferee(path, workers, options);
        }
        catch
        {
            foreach (var p in list) p.Dispose();
            throw;
        }
        return Of(list, referee);
    }

    // The embedded one-slice model on as many workers as the model (it may segment a whole run: OneSlice), or null.
    private static SegmentationModel? LoadReferee(string path, int workers, InferenceOptions options)
    {
        var list = new List<NetworkTilePredictor>();
        try
        {
            for (int i = 0; i < workers; i++)
            {
                if (LabelPredictor.LoadReferee(path, options) is not { } p) return null;
                list.Add(new NetworkTilePredictor(p));
            }
        }
        catch
        {
            foreach (var p in list) p.Dispose();
            throw;
        }
        return Of(list, null);
    }

    private static SegmentationModel Of(List<NetworkTilePredictor> list, SegmentationModel? referee)
    {
        var first = list[0].Model;
        var norm = first.Normalisation;
        string description = $"{first.Preset} (m = {first.Width}), {first.FlopsPerPixel / 1000:0.#} kFLOP/px";
        return new SegmentationModel(list, (plane, w, h) => norm.Apply(plane, w, h), first.ModelId, first.VoxelSize, description,
            first.Card.EffectiveThreshold, first.Card.VoxelSizeRangeNm, first.Card.ResolutionPx, referee);
    }

    /// <summary>
    /// The one-slice model embedded in a model that reads neighbouring slices (a model file's referee
    /// sections, <see cref="ModelFile.AttachReferee"/>), or null. It decides the contrast polarity when this
    /// model's own evidence is not clear (within <see cref="PolarityDetector.RefereeRatio"/>), and segments what needs a one-slice
    /// model (<see cref="OneSlice"/>). Shipped 7-slice models carry the shipped 2-D model.
    /// </summary>
    public SegmentationModel? Referee { get; }

    /// <summary>True when the network reads neighbouring slices (more than one input plane per tile).</summary>
    public bool ReadsContext => Workers[0].InputChannels != 1;

    /// <summary>
    /// The model that segments a run which needs a one-slice model — a single image (<paramref name="singleImage"/>)
    /// or multi-axis fusion (<paramref name="fuseAxes"/>) — or this model when it reads one slice or the run needs
    /// none: a model with context that carries an embedded one-slice model (<see cref="Referee"/>) hands the run
    /// to it. Null when a one-slice model is needed and there is none (the caller refuses fusion; a single image
    /// is then given as identical neighbours).
    /// </summary>
    public SegmentationModel? OneSlice(bool singleImage, bool fuseAxes)
    {
        if (!ReadsContext || !(singleImage || fuseAxes)) return this;
        return Referee;
    }

    /// <summary>Pixels per resolution element of the training tomograms, when the model states them.</summary>
    public TrainedResolution? Resolution { get; }

    /// <summary>The model's membrane probability threshold (its card's, else 0.5).</summary>
    public double Threshold { get; }

    /// <summary>Voxel sizes (nm) the model was trained on, when it states a range.</summary>
    public (double Min, double Max)? VoxelSizeRange { get; }

    /// <summary>Tile predictors, one per worker.</summary>
    public IReadOnlyList<ITilePredictor> Workers { get; }

    /// <summary>Normalises a plane (values, width, height) in place.</summary>
    public Action<Span<float>, int, int> Normalise { get; }

    /// <summary>Model id (content hash).</summary>
    public string Id { get; }

    /// <summary>Voxel size of the training data (nm), if known.</summary>
    public VoxelSize? VoxelSize { get; }

    /// <summary>One line about the model.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        Referee?.Dispose();
    }
}
