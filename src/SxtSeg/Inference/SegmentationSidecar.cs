using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// The JSON sidecar of a segmentation (<c>segment.json</c>) and of a shard (<c>shard-I-of-N.json</c>):
/// provenance, tomogram, model, polarity, every option, slices, labelled voxels and timings. This
/// class is the one writer and the one reader of those files (segment, merge, evaluate, demo).
/// </summary>
public sealed class SegmentationSidecar
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Provenance of the run (as <see cref="Provenance.ToJsonObject"/> gives it).</summary>
    public required JsonObject Provenance { get; set; }
    /// <summary>The tomogram segmented (as recorded: the final path of a staged output).</summary>
    public required string Tomogram { get; init; }
    /// <summary>Size of the labelled volume (x, y, z voxels).</summary>
    public required (int Nx, int Ny, int Nz) Shape { get; init; }
    /// <summary>Voxel size of the labels (nm), null when unknown.</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>The network.</summary>
    public required SidecarModel Model { get; init; }
    /// <summary>The contrast polarity used.</summary>
    public required PolarityDecision Polarity { get; init; }
    /// <summary>
    /// The options of the run. Read back: tiles, axes, threshold, post-processing, probabilities,
    /// rescaling, polarity and shard (not the slice range, temporary folder or memory settings).
    /// </summary>
    public required SegmentOptions Options { get; init; }
    /// <summary>In-plane rescaling applied (1 = none).</summary>
    public double Scale { get; init; } = 1;
    /// <summary>The scale search and its evidence (<see cref="ScaleDetector"/>), when there was one.</summary>
    public ScaleDecision? ScaleSearch { get; init; }
    /// <summary>The <c>scale_search</c> object as read from a file (written back when <see cref="ScaleSearch"/> is null: a merge keeps its shards' search).</summary>
    public JsonObject? ScaleSearchRecord { get; init; }
    /// <summary>Slices this file covers, [first, end).</summary>
    public required (int First, int End) Slices { get; set; }
    /// <summary>With a slice range: the sub-volume of the tomogram that was segmented, [first, end).</summary>
    public (int First, int End)? SubVolumeOfTomogram { get; init; }
    /// <summary>Shards merged into these labels (merge only).</summary>
    public int? MergedShards { get; set; }
    /// <summary>The automatic cell mask: intensity threshold and fraction of the volume covered.</summary>
    public (double Threshold, double Coverage)? CellMask { get; set; }
    /// <summary>Slices shown in the overlay preview.</summary>
    public IReadOnlyList<int>? OverlaySlices { get; set; }
    /// <summary>Membrane voxels in the labels (not for a shard).</summary>
    public long? LabelledVoxels { get; set; }
    /// <summary>Labelled voxels over all voxels.</summary>
    public double? LabelledFraction { get; set; }
    /// <summary>Timings of the run (of the shard, for a shard or a merge).</summary>
    public SegmentationTimings? Timings { get; set; }
    /// <summary>Wall time of a merge (seconds).</summary>
    public double? MergeSeconds { get; set; }
    /// <summary>Warnings given.</summary>
    public IReadOnlyList<string> Warnings { get; set; } = Array.Empty<string>();

    /// <summary>The options as recorded, without the shard: equal for all shards of one run.</summary>
    public string RunOptionsKey => OptionsJson(Options with { Shard = null }, Scale).ToJsonString();

    /// <summary>The JSON object, keys in a fixed order.</summary>
    public JsonObject ToJson()
    {
        var j = new JsonObject
        {
            ["provenance"] = Provenance.DeepClone(),
            ["tomogram"] = Tomogram,
            ["shape_xyz"] = new JsonArray(Shape.Nx, Shape.Ny, Shape.Nz),
            ["voxel_size_nm"] = VoxelSize is { } v ? new JsonArray(v.X, v.Y, v.Z) : null,
            ["model"] = new JsonObject
            {
                ["id"] = Model.Id, ["description"] = Model.Description, ["voxel_size_nm"] = Model.VoxelSizeNm,
                ["voxel_size_range_nm"] = Model.VoxelSizeRangeNm is { } mr ? new JsonArray(mr.Min, mr.Max) : null, ["threshold"] = Model.Threshold,
            },
            ["polarity"] = Polarity.ToJson(),
            // (a merge's options name no shard: its labels are the whole tomogram's)
            ["options"] = OptionsJson(MergedShards is null ? Options : Options with { Shard = null }, Scale),
            ["scale_search"] = ScaleSearch?.ToJson() ?? ScaleSearchRecord?.DeepClone(),
            ["slices"] = new JsonArray(Slices.First, Slices.End),
        };
        if (Model.OneSliceModelOf is { } outer) j["model"]!["one_slice_model_of"] = outer;
        if (SubVolumeOfTomogram is { } sub) j["sub_volume_of_tomogram"] = new JsonArray(sub.First, sub.End);
        if (MergedShards is { } m) j["merged_shards"] = m;
        if (CellMask is { } c) j["cell_mask"] = new JsonObject { ["threshold"] = c.Threshold, ["coverage"] = c.Coverage };
        if (OverlaySlices is { } o) j["overlay_slices"] = new JsonArray(o.Select(z => (JsonNode)z!).ToArray());
        if (LabelledVoxels is { } lv) j["labelled_voxels"] = lv;
        if (LabelledFraction is { } lf) j["labelled_fraction"] = lf;
        if (Timings is { } t)
        {
            var timings = new JsonObject
            {
                ["total"] = t.Total, ["prediction"] = t.Prediction, ["network_summed_over_workers"] = t.NetworkSummedOverWorkers,
                ["workers"] = t.Workers, ["postprocessing_and_writing"] = t.PostprocessingAndWriting, ["megapixels_per_second"] = t.MegapixelsPerSecond,
            };
            if (t.NativeHeap is { } heap) timings["native_heap"] = heap;
            if (t.NetworkPixelsPerPixel is { } npp) timings["network_pixels_per_pixel"] = npp;
            j["timings_s"] = timings;
        }
        if (MergeSeconds is { } ms) j["merge_time_s"] = ms;
        if (Warnings.Count > 0) j["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode)w!).ToArray());
        return j;
    }

    /// <summary>The file's text (indented JSON).</summary>
    public string ToJsonString() => ToJson().ToJsonString(Indented);

    /// <summary>Writes the file atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, ToJsonString());

    /// <summary>Reads a sidecar; throws <see cref="InvalidInputException"/> naming the file when it is not one.</summary>
    public static SegmentationSidecar Read(string path)
    {
        InputPaths.RequireReadable(path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new InvalidInputException(path, $"cannot be read ({e.Message})", e); }
        return Parse(text, path);
    }

    /// <summary>Parses a sidecar's text; <paramref name="path"/> names it in errors.</summary>
    public static SegmentationSidecar Parse(string text, string path)
    {
        try
        {
            var j = JsonNode.Parse(text)!.AsObject();
            var shape = j["shape_xyz"]!.AsArray();
            var model = j["model"]!.AsObject();
            var slices = j["slices"]!.AsArray();
            return new SegmentationSidecar
            {
                Provenance = j["provenance"]?.DeepClone().AsObject() ?? new JsonObject(),
                Tomogram = (string)j["tomogram"]!,
                Shape = ((int)shape[0]!, (int)shape[1]!, (int)shape[2]!),
                VoxelSize = j["voxel_size_nm"] is JsonArray v ? new Volumes.VoxelSize((double)v[0]!, (double)v[1]!, (double)v[2]!) : null,
                Model = new SidecarModel((string)model["id"]!, (string?)model["description"], (double?)model["voxel_size_nm"],
                    model["voxel_size_range_nm"] is JsonArray r ? ((double)r[0]!, (double)r[1]!) : null, (double?)model["threshold"] ?? 0.5, (string?)model["one_slice_model_of"]),
                Polarity = PolarityFromJson(j["polarity"] as JsonObject),
                Options = OptionsFromJson(j["options"]!.AsObject()),
                Scale = (double?)j["options"]!["rescale"] ?? 1,
                Slices = ((int)slices[0]!, (int)slices[1]!),
                SubVolumeOfTomogram = j["sub_volume_of_tomogram"] is JsonArray s ? ((int)s[0]!, (int)s[1]!) : null,
                ScaleSearchRecord = j["scale_search"] is JsonObject ss ? ss.DeepClone().AsObject() : null,
                MergedShards = (int?)j["merged_shards"],
                CellMask = j["cell_mask"] is JsonObject c ? ((double)c["threshold"]!, (double)c["coverage"]!) : null,
                OverlaySlices = j["overlay_slices"] is JsonArray ov ? ov.Select(z => (int)z!).ToArray() : null,
                LabelledVoxels = (long?)j["labelled_voxels"],
                LabelledFraction = (double?)j["labelled_fraction"],
                Timings = j["timings_s"] is JsonObject t
                    ? new SegmentationTimings((double)t["total"]!, (double)t["prediction"]!, (double)t["network_summed_over_workers"]!, (int)t["workers"]!,
                        (double)t["postprocessing_and_writing"]!, (double)t["megapixels_per_second"]!, (string?)t["native_heap"],
                        (double?)t["network_pixels_per_pixel"])
                    : null,
                MergeSeconds = (double?)j["merge_time_s"],
                Warnings = j["warnings"] is JsonArray w ? w.Select(x => (string)x!).ToArray() : Array.Empty<string>(),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException
                                      or ArgumentException or IndexOutOfRangeException or InvalidOptionException)
        {
            throw new InvalidInputException(path, "is not a readable segmentation sidecar (segment.json or shard-I-of-N.json)", e);
        }
    }

    /// <summary>
    /// The slices of the tomogram that the labels beside a <c>segment.json</c> hold when they are a
    /// <c>segment --slices</c> sub-volume (<see cref="SubVolumeOfTomogram"/> as first and count), else
    /// null (no sidecar, or a whole run).
    /// </summary>
    public static (int First, int Count)? SubVolumeBeside(string labels)
    {
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(labels)) ?? ".", SegmentationFiles.Sidecar);
        if (!File.Exists(path)) return null;
        return Read(path).SubVolumeOfTomogram is { } s ? (s.First, s.End - s.First) : null;
    }

    /// <summary>
    /// The post-processing recorded in the <c>segment.json</c> beside <paramref name="labels"/>
    /// (defaults when there is none): what the threshold baselines of an evaluation should get.
    /// </summary>
    public static SegmentOptions PostProcessingBeside(string labels)
    {
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(labels)) ?? ".", SegmentationFiles.Sidecar);
        if (!File.Exists(path)) return new SegmentOptions();
        SegmentOptions o;
        try { o = Read(path).Options; }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException(path, "is not a readable segment.json (give the post-processing options explicitly or remove it)", e);
        }
        return new SegmentOptions
        {
            MinObjectVoxels = o.MinObjectVoxels, MinObjectVolumeNm3 = o.MinObjectVolumeNm3, ErosionSteps = o.ErosionSteps,
            CropBorder = o.CropBorder, CellMask = o.CellMask,
        };
    }

    private static JsonObject OptionsJson(SegmentOptions o, double scale) => new()
    {
        ["tile"] = o.Tiles.TileSize, ["overlap"] = o.Tiles.Overlap, ["batch"] = o.Tiles.BatchSize,
        ["blend"] = o.Tiles.Blend.ToString().ToLowerInvariant(), ["tta"] = o.Tiles.Augmentations,
        ["fuse_axes"] = o.FuseAxes, ["axis_weights"] = new JsonArray(o.AxisWeights.Xy, o.AxisWeights.Xz, o.AxisWeights.Yz),
        ["threshold"] = o.Threshold, ["z_smoothing"] = o.ZSmoothing, ["min_object_voxels"] = o.MinObjectVoxels,
        ["min_object_volume_nm3"] = o.MinObjectVolumeNm3, ["erosion_steps"] = o.ErosionSteps, ["crop_border"] = o.CropBorder,
        ["cell_mask"] = o.CellMask, ["probabilities"] = o.Probabilities.Name(), ["rescale"] = scale,
        ["rescale_enabled"] = o.Rescale, ["polarity_option"] = o.Polarity.ToString().ToLowerInvariant(),
        ["shard"] = o.Shard is { } s ? $"{s.Index}/{s.Count}" : null,
        ["voxel_size_override_nm"] = o.VoxelSize is { } v ? v.X : null,
        ["resolution_nm"] = o.ResolutionNm,
        ["scale_search_enabled"] = o.ScaleSearch,
    };

    /// <summary>The options recorded by <see cref="OptionsJson"/>; missing keys keep their defaults.</summary>
    private static SegmentOptions OptionsFromJson(JsonObject j)
    {
        var d = new SegmentOptions();
        var w = j["axis_weights"] as JsonArray;
        return new SegmentOptions
        {
            Tiles = new TileOptions
            {
                TileSize = (int?)j["tile"] ?? d.Tiles.TileSize, Overlap = (int?)j["overlap"] ?? d.Tiles.Overlap, BatchSize = (int?)j["batch"] ?? d.Tiles.BatchSize,
                Blend = j["blend"] is { } b ? Enum.Parse<BlendKind>((string)b!, true) : d.Tiles.Blend, Augmentations = (int?)j["tta"] ?? d.Tiles.Augmentations,
            },
            FuseAxes = (bool?)j["fuse_axes"] ?? d.FuseAxes,
            AxisWeights = w is null ? d.AxisWeights : ((double)w[0]!, (double)w[1]!, (double)w[2]!),
            Threshold = (double?)j["threshold"], ZSmoothing = (int?)j["z_smoothing"] ?? d.ZSmoothing,
            MinObjectVoxels = (long?)j["min_object_voxels"] ?? d.MinObjectVoxels, MinObjectVolumeNm3 = (double?)j["min_object_volume_nm3"],
            ErosionSteps = (int?)j["erosion_steps"] ?? d.ErosionSteps, CropBorder = (int?)j["crop_border"] ?? d.CropBorder,
            CellMask = (bool?)j["cell_mask"] ?? d.CellMask,
            Probabilities = j["probabilities"] is { } p ? ProbabilityOutputs.Parse((string)p!) : d.Probabilities,
            Rescale = (bool?)j["rescale_enabled"] ?? d.Rescale,
            Polarity = j["polarity_option"] is { } po ? Enum.Parse<Polarity>((string)po!, true) : d.Polarity,
            Shard = j["shard"] is { } s ? ParseShard((string)s!) : null,
            VoxelSize = (double?)j["voxel_size_override_nm"] is { } vs ? new Volumes.VoxelSize(vs, vs, vs) : null,
            ResolutionNm = (double?)j["resolution_nm"],
            ScaleSearch = (bool?)j["scale_search_enabled"] ?? false,
        };
    }

    private static (int, int) ParseShard(string text)
    {
        var parts = text.Split('/');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static PolarityDecision PolarityFromJson(JsonObject? j)
    {
        if (j is null) return new PolarityDecision(SxtSeg.Inference.Polarity.DenseBright, false, double.NaN, double.NaN, double.NaN, 0);
        var d = PolarityFromJson(j, (bool?)j["detected"] ?? false);
        return j["referee"] is JsonObject r ? d with { Referee = PolarityFromJson(r, d.Detected), RefereeModel = (string?)r["model_id"] } : d;
    }

    // One decision's fields; a referee's record has no "detected" of its own (it is its model's).
    private static PolarityDecision PolarityFromJson(JsonObject j, bool detected)
    {
        var polarity = (string?)j["polarity"] == "dense-dark" ? SxtSeg.Inference.Polarity.DenseDark : SxtSeg.Inference.Polarity.DenseBright;
        return new PolarityDecision(polarity, detected, (double?)j["evidence_as_stored"] ?? double.NaN,
            (double?)j["evidence_negated"] ?? double.NaN, (double?)j["skewness"] ?? double.NaN, (int?)j["slices_sampled"] ?? 0);
    }
}
