using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// <c>sxtseg filopodia</c> as one call (for the demo, the report and scripts): opens the label file
/// (and the optional tomogram and cell mask), runs <see cref="FilopodiaAnalysis"/>, scores against a
/// simulation if asked, and writes every output into an <see cref="OutputFolder"/>.
/// </summary>
public static class FilopodiaRun
{
    /// <summary>Subfolder of the output that holds the filopodium model's segmentation (<see cref="FilopodiaRunRequest.FilopodiumModelPath"/>).</summary>
    public const string FilopodiumSegmentationFolder = "filopodium-segmentation";

    /// <summary>
    /// Runs the analysis and writes its outputs into <paramref name="folder"/> (the caller commits it;
    /// for example a <c>filopodia/</c> subfolder of a demo run).
    /// </summary>
    /// <param name="request">Inputs and options.</param>
    /// <param name="folder">Where the files go.</param>
    /// <param name="provenance">Provenance of the outputs; null: a new one for "filopodia" with the inputs and options.</param>
    /// <param name="progress">Progress reports.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static FilopodiaRunResult Execute(FilopodiaRunRequest request, OutputFolder folder, Provenance? provenance = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        var options = request.Options;
        request.Validate();
        if (provenance is null)
        {
            provenance = new Provenance("filopodia").AddInput(request.LabelsPath);
            options.Record(provenance);
            provenance.Set("labels", request.LabelRule.ToString());
            if (request.TomogramPath is not null) provenance.AddInput(request.TomogramPath);
            if (request.CellMaskPath is not null) provenance.AddInput(request.CellMaskPath);
            if (request.BodyModelPath is not null) provenance.AddInput(request.BodyModelPath);
            if (request.FilopodiumModelPath is not null) provenance.AddInput(request.FilopodiumModelPath);
            if (request.TruthFolder is not null) provenance.AddInput(request.TruthFolder);
        }
        using var mask = MaskStreams.FromReader(VolumeIO.OpenRead(request.LabelsPath), request.LabelRule, request.VoxelSize);
        var voxel = mask.Info.VoxelSize is { IsValid: true } fv ? fv
            : throw new InvalidInputException(request.LabelsPath, "voxel size is not stored in the file; give it with --voxel-size (nm)");
        // a header size no cryo-SXT tomogram has (a writer's default such as 1 µm per pixel) would scale
        // every length, and the filopodium model's rescaling, by its factor: refused unless --voxel-size is given
        if (request.VoxelSize is null && VoxelSize.CryoSxtNote(voxel) is { } odd)
            throw new InvalidInputException(request.LabelsPath, odd);
        provenance.Set("voxel_size_nm", voxel.ToString());
        using var tomogram = request.TomogramPath is null ? null : VolumeIO.OpenRead(request.TomogramPath);
        // Shapes are checked here, naming the files, before a filopodium model spends minutes on a tomogram the labels do not fit.
        if (tomogram is not null) SameShape(tomogram.Info, request.TomogramPath!, mask.Info, request.LabelsPath);
        using var cellFile = request.CellMaskPath is null ? null : MaskStreams.FromReader(VolumeIO.OpenRead(request.CellMaskPath), ForegroundRule.NonZero);
        IMaskStream? cells = cellFile;
        if (request.BodyModelPath is not null && tomogram is not null)
        {
            var body = CellBody.FromTomogram(tomogram, request.BodyModelPath, request.BodyOptions, progress, cancellation, voxel);
            cells = body.Mask;
            provenance.Set("cell_body", body.Describe());
            provenance.Set("body_model_id", body.ModelId);
        }
        var names = new List<string>();
        string? filopodiumMask = request.FilopodiumMaskPath;
        string? filopodiumModelPath = request.FilopodiumModelPath;
        if (filopodiumModelPath is not null && request.FilopodiumModelOnlyForOpenLabels && !FilopodiaAnalysis.LabelsAreOpen(mask, options, progress, cancellation))
        {
            provenance.Set("filopodium_model", "not used: the membrane labels are closed (exact or hand-drawn), so the cells are filled");
            filopodiumModelPath = null;
        }
        if (filopodiumModelPath is { } modelPath && request.TomogramPath is { } tomogramPath)
        {
            // The filopodium model labels the tomogram; its segmentation (labels, sidecar, overlays) is part of the output.
            // It is segmented at the voxel size the filopodia are measured at (the labels' or --voxel-size), and its provenance
            // names the tomogram where the caller's does (a demo's tomogram lies in a staging folder).
            string seg = folder.File(FilopodiumSegmentationFolder);
            using var model = SegmentationModel.Load(modelPath, SegmentationModel.DefaultWorkers, new InferenceOptions());
            string tomogramDir = Path.GetDirectoryName(Path.GetFullPath(tomogramPath))!;
            var segProvenance = new Provenance("filopodia: filopodium segmentation") { ModelId = model.Id }
                .Relocate(tomogramDir, Path.GetDirectoryName(Path.GetFullPath(provenance.Recorded(Path.GetFullPath(tomogramPath))))!)
                .AddInput(tomogramPath).AddInput(modelPath);
            // The contrast polarity is the membrane segmentation's when its sidecar lies beside the labels (the membrane model
            // decides it far more reliably than a model of a few thin objects), else detected by the filopodium model.
            var polarity = FilopodiumPolarity(request.LabelsPath);
            provenance.Set("filopodium_polarity", polarity is { } known
                ? $"{(known == Polarity.DenseDark ? "dense-dark" : "dense-bright")}, as the membrane segmentation ({SegmentationFiles.Sidecar} beside the labels)"
                : "detected by the filopodium model (no " + SegmentationFiles.Sidecar + " beside the labels)");
            Segmenter.Run(tomogramPath, seg, model, new SegmentOptions { ScaleSearch = false, VoxelSize = voxel, Polarity = polarity ?? Polarity.Auto },
                segProvenance, progress, cancel: cancellation);
            filopodiumMask = Path.Combine(seg, SegmentationFiles.LabelsMrc);
            provenance.Set("filopodium_model_id", model.Id);
            names.Add(Path.Combine(FilopodiumSegmentationFolder, SegmentationFiles.LabelsMrc));
        }
        FilopodiaResult result;
        if (filopodiumMask is not null)
        {
            using var filopodia = MaskStreams.FromReader(VolumeIO.OpenRead(filopodiumMask), ForegroundRule.Binary, voxel);
            SameShape(filopodia.Info, request.FilopodiumMaskPath ?? filopodiumMask, mask.Info, request.LabelsPath);
            // The mask is an input: the user's file, or the model's labels where they will be once the folder is committed.
            provenance.AddInput(request.FilopodiumMaskPath ?? Path.Combine(folder.Path, FilopodiumSegmentationFolder, SegmentationFiles.LabelsMrc));
            result = FilopodiaMaskAnalysis.Run(filopodia, mask, voxel, options, progress, new FilopodiaExtras { Tomogram = tomogram }, cancellation);
        }
        else
            result = FilopodiaAnalysis.Run(mask, voxel, options, progress, new FilopodiaExtras { Tomogram = tomogram, CellMask = cells }, cancellation);
        var accuracy = request.TruthFolder is null ? null : FilopodiaTruth.Compare(result, request.TruthFolder, progress);
        FilopodiaOutputs.Write(result, folder, provenance, request.Outputs);
        names.AddRange(new[] { "filopodia.csv", "slices.csv", "summary.csv", "summary.md", "filopodia.json" });
        if (request.Outputs.DotPlot) names.Add("dotplot.png");
        if (request.Outputs.Render) names.Add("filopodia.png");
        if (request.Outputs.Labels) names.Add("filopodia.mrc");
        if (accuracy is not null)
        {
            AtomicFile.WriteAllText(folder.File("truth_comparison.csv"), FilopodiaTruth.Csv(accuracy));
            AtomicFile.WriteAllText(folder.File("truth_comparison.md"), FilopodiaTruth.Markdown(accuracy));
            names.Add("truth_comparison.csv");
            names.Add("truth_comparison.md");
        }
        return new FilopodiaRunResult(result, accuracy, FilopodiaOutputs.Summary(result), names.Select(n => Path.Combine(folder.Path, n)).ToList());
    }

    /// <summary>The polarity recorded in the segment.json beside a label file (written by <c>sxtseg segment</c>), or null when there is none or it cannot be read.</summary>
    internal static Polarity? FilopodiumPolarity(string labelsPath)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(labelsPath));
        string sidecar = Path.Combine(dir ?? ".", SegmentationFiles.Sidecar);
        if (!File.Exists(sidecar)) return null;
        try
        {
            return SegmentationSidecar.Read(sidecar).Polarity.Polarity;
        }
        catch (Exception e) when (e is SxtSegException or IOException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    private static void SameShape(VolumeInfo other, string otherPath, VolumeInfo labels, string labelsPath)
    {
        if (other.Nx != labels.Nx || other.Ny != labels.Ny || other.Nz != labels.Nz)
            throw new InvalidInputException(otherPath, $"is {other.Nx} × {other.Ny} × {other.Nz}, the labels ({labelsPath}) {labels.Nx} × {labels.Ny} × {labels.Nz}: give files of the same tomogram at the same size");
    }
}
