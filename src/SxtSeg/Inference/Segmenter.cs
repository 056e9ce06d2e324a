using System.Diagnostics;
using System.Globalization;
using SxtSeg.Imaging;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// The whole-tomogram segmentation pipeline: stream slices → normalise → tiles → network → blend
/// (→ optional x–z / y–z passes and fusion) → probabilities on disk → z-smoothing, threshold,
/// cell mask, border crop → erosion → small-object removal → label TIFF + MRC, optional
/// probability map, JSON sidecar and overlay PNG, all written atomically into one folder.
/// Memory stays at a few slices plus the network's working set whatever the tomogram size.
/// </summary>
public static class Segmenter
{
    /// <summary>Segments <paramref name="tomogramPath"/> into <paramref name="outputFolder"/> (or predicts one shard).</summary>
    public static SegmentationSummary Run(string tomogramPath, string outputFolder, SegmentationModel model, SegmentOptions options,
        Provenance provenance, IProgress<ProgressUpdate>? progress = null, Action<string>? warn = null, CancellationToken cancel = default)
    {
        options.Validate();
        var total = Stopwatch.StartNew();
        var warnings = new List<string>();
        void Warn(string w) { warnings.Add(w); warn?.Invoke(w); }

        using var file = VolumeIO.OpenRead(tomogramPath);
        if (file.Info.Nz == 1 && !options.Allow2D)
            throw new InvalidInputException(tomogramPath, "is a single 2D image, not a tomogram; add --2d to segment single images");
        foreach (string note in file.Info.Notes) Warn($"{provenance.Recorded(tomogramPath)}: {note}");
        if (LooksUnrotated(file.Info))
            Warn($"{provenance.Recorded(tomogramPath)}: the volume is {file.Info.Nx} × {file.Info.Ny} × {file.Info.Nz} (x × y × z), thinnest along y, as a reconstruction with the beam along y is (IMOD's tilt output before trimvol -rx, the *_full_rec.mrc); segment cuts x–y slices, which would then lie across the section: if so, rotate it first (IMOD: trimvol -rx or clip rotx) so that z is the thickness");
        var (first, count) = SliceRange(options, file.Info.Nz, tomogramPath);
        // --slices A-B writes that sub-volume (its outputs have its slices; post-processing and the
        // x–z / y–z passes of --fuse-axes see only it), but its slices are segmented as slices of the
        // tomogram: the polarity and the scale are detected on the whole tomogram, and a model that
        // reads neighbouring slices reads them from the file beyond the range, so without
        // post-processing across slices its labels are the whole run's on those slices. A shard
        // predicts its slices of the whole into a store of the whole.
        // A model with context hands single images and multi-axis fusion to its embedded one-slice model
        // (one slice of a tomogram still has its neighbours; the swap is made below).
        var oneSlice = model.OneSlice(file.Info.Nz == 1, options.FuseAxes);
        // A header voxel size ignored as a writer's default (judged with the model that segments) is
        // not used anywhere: readers without it.
        bool ignoreHeader = IgnoresHeaderVoxelSize(file.Info.VoxelSize, oneSlice ?? model, options);
        using var whole = new SubVolumeReader(file, 0, file.Info.Nz, options.VoxelSize, dropVoxelSize: ignoreHeader);
        bool subVolume = options.Shard is null && options.Slices is not null;
        using var part = subVolume ? new SubVolumeReader(file, first, count, options.VoxelSize, dropVoxelSize: ignoreHeader) : null;
        IVolumeReader reader = part ?? whole;
        int storeFirst = subVolume ? first : 0;
        var info = reader.Info;
        if (info.Nz > 1 && info.Nz < 2 * options.CropBorder + 1)
            throw new InvalidOptionException(nameof(SegmentOptions.CropBorder), $"cropping {options.CropBorder} voxels leaves nothing of {info.Nz} slices");
        var given = model;
        if (oneSlice is not null) model = oneSlice;
        else if (options.FuseAxes)
            throw new InvalidOptionException(nameof(SegmentOptions.FuseAxes), "this model reads neighbouring x–y slices (context) and carries no one-slice model; multi-axis fusion needs a model that reads one slice");
        options = options with { Threshold = options.Threshold ?? model.Threshold };
        double scale = CheckVoxelSize(options.VoxelSize ?? file.Info.VoxelSize, model, options, provenance.Recorded(tomogramPath), Warn);
        var polarity = options.Polarity == Polarity.Auto
            ? PolarityDetector.Detect(whole, model, options.Tiles, scale, cancel: cancel)
            : PolarityDetector.Given(options.Polarity);
        if (polarity.Uncertain)
            Warn(string.Create(CultureInfo.InvariantCulture, $"{provenance.Recorded(tomogramPath)}: contrast polarity uncertain ({polarity.Name}, evidence {polarity.EvidenceAsIs:0.######} as stored vs {polarity.EvidenceInverted:0.######} negated{(polarity.Referee is { } r ? $", the polarity referee's {r.EvidenceAsIs:0.######} vs {r.EvidenceInverted:0.######}" : "")}, skewness {polarity.Skewness:0.##}{((polarity.Referee ?? polarity).BySkewness ? ", which decided" : "")}{(polarity.Weak ? $"; {(polarity.Referee is null ? "the model" : "the polarity referee")} finds almost no membrane either way, evidence below {PolarityDetector.EvidenceFloor:0.###}, so the labels may be near empty or wrong" : "")}); check the overlay and give --polarity if it is wrong"));

        var scaleSearch = options.ScaleSearch && options.Rescale && options.ResolutionNm is null && model.Resolution is not null
            ? ScaleDetector.DetectWithReferee(whole, model, options.Tiles, scale, polarity.Sign, cancel)
            : ScaleDecision.Given(scale);
        scale = scaleSearch.Scale;
        if (scaleSearch.Far)
            Warn(string.Create(CultureInfo.InvariantCulture, $"{provenance.Recorded(tomogramPath)}: the scale search resampled the slices to {scaleSearch.Factor:0.##} × the voxel-size scale (scale_search in segment.json); it can choose wrong on thin or sparsely filled volumes and on pixels finer than the model's training data (docs/segmentation.md): compare the overlay with one made with --no-scale-search, or give --resolution if the zone plate is known"));
        bool byResolution = options.ResolutionNm is not null && model.Resolution is not null;

        using var output = OutputFolder.Create(outputFolder);
        // A full run replaces whatever an earlier run left (final outputs and shards); a shard
        // replaces only its own files and those of other shard runs into this folder.
        if (options.Shard is null) output.Owns(SegmentationFiles.Owned).Owns(SegmentationFiles.ShardPatterns);
        string temp = options.TempFolder ?? Path.GetDirectoryName(output.Path)!;
        int axes = options.FuseAxes ? 3 : 1;
        using var store = new ProbabilityStore(temp, info.Nx, info.Ny, info.Nz, axes, info.VoxelSize);
        float sign = polarity.Sign;
        Action<Span<float>, int, int> normalise = sign > 0 ? model.Normalise : (plane, w, h) =>
        {
            for (int i = 0; i < plane.Length; i++) plane[i] = -plane[i];
            model.Normalise(plane, w, h);
        };
        var predictor = new TomogramPredictor(model.Workers, options.Tiles, normalise) { Scale = scale };
        CellMask? cellMask = options.CellMask && options.Shard is null ? new CellMask(info.Nx, info.Ny, info.Nz) : null;

        var timing = predictor.PredictXy(whole, first, first + count, store, 0, cellMask is null ? null : (z, s) => cellMask.Add(z - storeFirst, s), progress, cancel, storeFirst);
        if (options.FuseAxes)
        {
            timing += predictor.PredictXz(reader, store, 1, options.BlockBytes, progress, cancel);
            timing += predictor.PredictYz(reader, store, 2, options.BlockBytes, progress, cancel);
        }
        var sidecar = new SegmentationSidecar
        {
            Provenance = provenance.ToJsonObject(),
            Tomogram = provenance.Recorded(Path.GetFullPath(tomogramPath)),
            Shape = (info.Nx, info.Ny, info.Nz),
            VoxelSize = info.VoxelSize,
            Model = ReferenceEquals(model, given) ? SidecarModel.Of(model) : SidecarModel.OfEmbedded(model, given),
            Polarity = polarity,
            Options = options,
            Scale = scale,
            ScaleSearch = scaleSearch.Detected ? scaleSearch : null,
            Slices = (first - storeFirst, first - storeFirst + count),
            SubVolumeOfTomogram = subVolume ? (first, first + count) : null,
        };

        if (options.Shard is { } shard)
        {
            // A shard stores its probabilities for `merge`; nothing else.
            string data = SegmentationFiles.ShardData(shard.Index, shard.Count);
            WriteProbabilitySlab(store, first, count, output.File(data), provenance, info);
            sidecar.Timings = Timings(total.Elapsed, timing, TimeSpan.Zero, model.Workers.Count);
            sidecar.Warnings = warnings;
            sidecar.Write(output.File(SegmentationFiles.ShardSidecar(shard.Index, shard.Count)));
            store.Dispose();
            output.Commit();
            ShardSet.RemoveOtherRuns(output.Path, sidecar);
            return new SegmentationSummary
            {
                Folder = output.Path, Slices = count, Total = total.Elapsed, Network = timing.Network, Workers = model.Workers.Count,
                MegapixelsPerSecond = timing.Pixels / total.Elapsed.TotalSeconds / 1e6,
                Files = new[] { data, SegmentationFiles.ShardSidecar(shard.Index, shard.Count) }, Warnings = warnings,
                Polarity = polarity, Scale = scale, ScaledByResolution = byResolution, ScaleSearch = scaleSearch, Threshold = options.Threshold ?? 0.5, VoxelSize = info.VoxelSize,
                Model = sidecar.Model,
            };
        }

        cellMask?.Build();
        if (cellMask is not null) sidecar.CellMask = (cellMask.Threshold, cellMask.Coverage);
        var post = Stopwatch.StartNew();
        var weights = options.FuseAxes ? new[] { options.AxisWeights.Xy, options.AxisWeights.Xz, options.AxisWeights.Yz } : new[] { 1.0 };
        var files = WriteOutputs(store, weights, reader, cellMask, options, output, provenance, sidecar, progress, cancel, out long labelled);
        sidecar.LabelledVoxels = labelled;
        sidecar.LabelledFraction = (double)labelled / info.VoxelCount;
        sidecar.Timings = Timings(total.Elapsed, timing, post.Elapsed, model.Workers.Count);
        sidecar.Warnings = warnings;
        sidecar.Write(output.File(SegmentationFiles.Sidecar));
        store.Dispose();
        output.Commit();
        return new SegmentationSummary
        {
            Folder = output.Path, Slices = count, LabelledVoxels = labelled, TotalVoxels = info.VoxelCount, Total = total.Elapsed,
            Network = timing.Network, Workers = model.Workers.Count, MegapixelsPerSecond = timing.Pixels / total.Elapsed.TotalSeconds / 1e6,
            Files = files.Append(SegmentationFiles.Sidecar).ToArray(), Warnings = warnings,
            Polarity = polarity, Scale = scale, ScaledByResolution = byResolution, ScaleSearch = scaleSearch, Threshold = options.Threshold ?? 0.5, VoxelSize = info.VoxelSize,
            Model = sidecar.Model,
        };
    }

    /// <summary>
    /// Assembles the shards in <paramref name="folder"/> (all of one tomogram, model and option set,
    /// covering every slice once) and runs the post-processing and outputs of a single run.
    /// </summary>
    public static SegmentationSummary Merge(string folder, Provenance provenance, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var total = Stopwatch.StartNew();
        using var shards = ShardSet.Open(folder);
        var options = shards.Options;
        using var reader = VolumeIO.OpenRead(shards.TomogramPath);
        if (reader.Info.Nx != shards.Info.Nx || reader.Info.Ny != shards.Info.Ny || reader.Info.Nz != shards.Info.Nz)
            throw new InvalidInputException(shards.TomogramPath, "no longer matches the shards' size");
        CellMask? cellMask = options.CellMask ? CellMask.FromReader(reader, progress) : null;
        using var output = OutputFolder.Create(folder).Owns(SegmentationFiles.Owned);
        var sidecar = shards.First;
        // The merge's provenance, with the segment run's (parameters, device, precision) it assembled.
        var merged = provenance.ToJsonObject();
        merged["segment_provenance"] = sidecar.Provenance.DeepClone();
        sidecar.Provenance = merged;
        sidecar.Slices = (0, shards.Info.Nz);
        sidecar.MergedShards = shards.Count;
        sidecar.Warnings = shards.Warnings;
        var files = WriteOutputs(shards, new[] { 1.0 }, reader, cellMask, options, output, provenance, sidecar, progress, cancel, out long labelled);
        sidecar.LabelledVoxels = labelled;
        sidecar.LabelledFraction = (double)labelled / shards.Info.VoxelCount;
        sidecar.MergeSeconds = total.Elapsed.TotalSeconds;
        sidecar.Write(output.File(SegmentationFiles.Sidecar));
        output.Commit();
        return new SegmentationSummary
        {
            Folder = output.Path, Slices = shards.Info.Nz, LabelledVoxels = labelled, TotalVoxels = shards.Info.VoxelCount,
            Total = total.Elapsed, Files = files.Append(SegmentationFiles.Sidecar).ToArray(), VoxelSize = shards.Info.VoxelSize,
            Threshold = options.Threshold ?? 0.5,
        };
    }

    private static (int First, int Count) SliceRange(SegmentOptions options, int nz, string path)
    {
        if (options.Shard is { } s)
        {
            var r = SegmentOptions.ShardRange(s.Index, s.Count, nz);
            if (r.Count == 0) throw new InvalidOptionException(nameof(SegmentOptions.Shard), $"shard {s.Index}/{s.Count} of {nz} slices is empty; use fewer shards");
            return r;
        }
        if (options.Slices is { } sl)
        {
            if (sl.First + sl.Count > nz) throw new InvalidOptionException(nameof(SegmentOptions.Slices), $"{sl.First}-{sl.First + sl.Count - 1} goes beyond the {nz} slices (0-{nz - 1}) of {path}");
            return sl;
        }
        return (0, nz);
    }

    /// <summary>
    /// True for a volume much thinner along y than along z and x (y &lt; z / 2 and y &lt; x / 2), the
    /// shape of a reconstruction whose beam axis is y (IMOD's <c>tilt</c> output before
    /// <c>trimvol -rx</c>): its x–y slices cut across the section. A tomogram's thickness is its z.
    /// </summary>
    internal static bool LooksUnrotated(VolumeInfo info) => info.Nz > 1 && 2L * info.Ny < info.Nz && 2L * info.Ny < info.Nx;

    /// <summary>
    /// How far (×) beyond the model's voxel-size range, tolerance included, a header's voxel size may
    /// lie and still be rescaled to: 4 reaches 1.8 nm and 150 nm for a model of 9.8–30 nm.
    /// </summary>
    internal const double ImplausibleFactor = 4;

    /// <summary>
    /// True when the tomogram's header voxel size is ignored: no <c>--voxel-size</c> was given and the
    /// header's lies more than <see cref="ImplausibleFactor"/> × beyond the model's range, tolerance
    /// included (a writer's default: 1 µm per pixel in uncalibrated ImageJ-style TIFFs, 1 Å in MRC).
    /// The tomogram is then segmented as one of unknown voxel size: no rescaling, no enlargement by the
    /// scale search, and outputs without a voxel size.
    /// </summary>
    internal static bool IgnoresHeaderVoxelSize(VoxelSize? header, SegmentationModel model, SegmentOptions options)
        => options.VoxelSize is null && header is { } h && h.X > 0 && ModelRange(model) is { } r
            && (h.X < r.Lo * (1 - options.VoxelSizeTolerance) / ImplausibleFactor || h.X > r.Hi * (1 + options.VoxelSizeTolerance) * ImplausibleFactor);

    private static (double Lo, double Hi)? ModelRange(SegmentationModel model)
        => model.VoxelSizeRange is { } r ? (r.Min, r.Max) : model.VoxelSize is { } mv ? (mv.X, mv.X) : null;

    /// <summary>
    /// The in-plane scale (tomogram voxel size / voxel size to predict at). With --resolution and a
    /// model that states its training resolution: by pixels per resolution element
    /// (<see cref="TrainedResolution.ScaleFor"/>). Otherwise by voxel size: 1 inside the model's trained
    /// range (or within the tolerance of its single size), else the ratio to the nearest trained size
    /// when rescaling is on; warnings for a missing or ignored (<see cref="IgnoresHeaderVoxelSize"/>)
    /// voxel size and for a mismatch left as it is. <paramref name="tomo"/> is the header's voxel size or
    /// the one given.
    /// </summary>
    internal static double CheckVoxelSize(VoxelSize? tomo, SegmentationModel model, SegmentOptions options, string path, Action<string> warn)
    {
        var range = ModelRange(model);
        string Trained((double Lo, double Hi) m) => m.Lo == m.Hi ? string.Create(CultureInfo.InvariantCulture, $"{m.Lo:0.##} nm") : string.Create(CultureInfo.InvariantCulture, $"{m.Lo:0.##}–{m.Hi:0.##} nm");
        // A header's voxel size far outside the model's range is a writer's default (1 µm per pixel in
        // ImageJ-style TIFFs written without a calibration, 1 Å in MRC headers), not a cryo-SXT
        // voxel size: rescaling by it would shrink or enlarge the slices past anything the model
        // can see (a real ALS slice stated at 1000 nm came out with no membrane at all). It is
        // treated as unknown, with a warning; a size given with --voxel-size is taken as given.
        bool dropped = false;
        if (IgnoresHeaderVoxelSize(tomo, model, options) && tomo is { } h && range is { } hr)
        {
            if (options.ResolutionNm is not null && model.Resolution is not null)
                throw new InvalidOptionException(nameof(SegmentOptions.ResolutionNm), string.Create(CultureInfo.InvariantCulture,
                    $"needs the voxel size, and the header of {path} states {h.X:0.###} nm, more than {ImplausibleFactor:0} × outside the model's {Trained(hr)}: a writer's default, not a cryo-SXT voxel size; give --voxel-size NM too"));
            warn(string.Create(CultureInfo.InvariantCulture,
                $"{path}: the header's voxel size, {h.X:0.###} nm, is more than {ImplausibleFactor:0} × outside the model's {Trained(hr)}: not a cryo-SXT voxel size but, most likely, what a writer stores without a calibration (1 µm or 1 Å per pixel), so it is not used; segmented at the tomogram's own pixels: give --voxel-size NM so that it can be checked and rescaled, and so that measurements are in nm"));
            tomo = null;
            dropped = true;
        }
        if (options.ResolutionNm is double res)
        {
            if (model.Resolution is not { } trainedRes)
                warn(string.Create(CultureInfo.InvariantCulture, $"{path}: the model states no training resolution, so --resolution {res:0.#} nm is not used; the slices are checked by voxel size"));
            else if (tomo is not { } tv || !(tv.X > 0))
                throw new InvalidOptionException(nameof(SegmentOptions.ResolutionNm), $"needs the voxel size, and the header of {path} states none: give --voxel-size NM too");
            else
            {
                double s = trainedRes.ScaleFor(res, tv.X);
                if (s == 1 || options.Rescale) return s;
                warn(string.Create(CultureInfo.InvariantCulture, $"{path}: a resolution of {res:0.#} nm spans {res / tv.X:0.0#} pixels, outside the model's {trainedRes}; results may suffer (rescaling was turned off with --no-rescale)"));
                return 1;
            }
        }
        if (range is not { } m) return 1;
        string trained = Trained(m);
        if (tomo is not { } t || !(t.X > 0))
        {
            if (dropped) return 1; // warned above

            warn($"{path}: voxel size unknown (the header states none); segmented as it is, the model was trained at {trained}: give --voxel-size NM so that it can be checked and rescaled, and so that measurements are in nm");
            return 1;
        }
        double lo = m.Lo * (1 - options.VoxelSizeTolerance), hi = m.Hi * (1 + options.VoxelSizeTolerance);
        if (t.X >= lo && t.X <= hi) return 1;
        double target = t.X < m.Lo ? m.Lo : m.Hi;
        double ratio = t.X / target;
        if (options.Rescale) return ratio;
        warn(string.Create(CultureInfo.InvariantCulture, $"{path}: voxel size {t.X:0.##} nm is outside the model's {trained}; results may suffer (rescaling was turned off with --no-rescale)"));
        return 1;
    }

    private static SegmentationTimings Timings(TimeSpan total, PassTiming predict, TimeSpan post, int workers)
        => new(total.TotalSeconds, predict.Total.TotalSeconds, predict.Network.TotalSeconds, workers, post.TotalSeconds, predict.Pixels / total.TotalSeconds / 1e6, NativeHeap.State,
            predict.Pixels > 0 && predict.NetworkPixels > 0 ? Math.Round((double)predict.NetworkPixels / predict.Pixels, 4) : null);

    private static void WriteProbabilitySlab(ProbabilityStore store, int first, int count, string path, Provenance provenance, VolumeInfo info)
    {
        // uint16 (MRC mode 6) holding the stored bytes 0..255 (p·255): every reader gets the same
        // values, where mode 0 would read 128..255 as negative in MRC2014 readers (mrcfile, napari).
        var slabInfo = new VolumeInfo(info.Nx, info.Ny, count, VoxelType.UInt16, info.VoxelSize)
        {
            OriginNm = (info.OriginNm.X, info.OriginNm.Y, info.OriginNm.Z + first * (info.VoxelSize?.Z ?? 0)),
        };
        using var w = VolumeIO.Create(path, slabInfo, provenance.Derive("segment-shard").Set("first_slice", first).Set("probability_scale", 255));
        var buf = new byte[info.SliceLength];
        var wide = new ushort[info.SliceLength];
        for (int z = first; z < first + count; z++)
        {
            store.ReadSlice(0, z, buf);
            for (int i = 0; i < buf.Length; i++) wide[i] = buf[i];
            w.WriteSlice<ushort>(wide);
        }
        w.Commit();
    }

    private static List<string> WriteOutputs(IProbabilitySlices probabilities, double[] weights, IVolumeReader tomogram, CellMask? cellMask,
        SegmentOptions options, OutputFolder output, Provenance provenance, SegmentationSidecar sidecar, IProgress<ProgressUpdate>? progress,
        CancellationToken cancel, out long labelled)
    {
        var info = probabilities.Info;
        var files = new List<string>();
        var mask = PostProcessing.Chain(new ProbabilityMaskStream(probabilities, weights, options.ZSmoothing, options.Threshold ?? 0.5, cellMask, options.CropBorder), options, progress, cancel);

        var outInfo = new VolumeInfo(info.Nx, info.Ny, info.Nz, VoxelType.UInt8, info.VoxelSize) { OriginNm = tomogram.Info.OriginNm };
        int n = (int)info.SliceLength;
        var perSlice = new long[info.Nz];
        labelled = 0;
        using (var tif = VolumeIO.Create(output.File(SegmentationFiles.LabelsTiff), outInfo, provenance))
        using (var mrc = VolumeIO.Create(output.File(SegmentationFiles.LabelsMrc), outInfo, provenance))
        {
            var slice = new byte[n];
            var s255 = new byte[n];
            for (int z = 0; z < info.Nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                mask.ReadNext(slice);
                long count = 0;
                for (int i = 0; i < n; i++) { s255[i] = (byte)(slice[i] * 255); count += slice[i]; }
                perSlice[z] = count;
                labelled += count;
                tif.WriteSlice<byte>(s255);
                mrc.WriteSlice<byte>(slice);
                progress.Report("writing labels", z + 1, info.Nz, "slices");
            }
            tif.Commit();
            mrc.Commit();
        }
        files.Add(SegmentationFiles.LabelsTiff);
        files.Add(SegmentationFiles.LabelsMrc);

        if (options.Probabilities != ProbabilityOutput.None)
        {
            var pstream = new ProbabilityMaskStream(probabilities, weights, options.ZSmoothing, options.Threshold ?? 0.5, null, 0);
            var pType = options.Probabilities switch
            {
                ProbabilityOutput.Float32 => VoxelType.Float32, ProbabilityOutput.Float16 => VoxelType.Float16, _ => VoxelType.UInt8,
            };
            var pInfo = outInfo with { Type = pType };
            var pProv = provenance.Derive("segment-probabilities").Set("probability_scale", options.Probabilities == ProbabilityOutput.Byte ? ProbabilityOutputs.ByteScale : 1);
            using var w = VolumeIO.Create(output.File(SegmentationFiles.Probabilities), pInfo, pProv);
            var p = new float[n];
            var b = new byte[n];
            for (int z = 0; z < info.Nz; z++)
            {
                pstream.Probability(z, p);
                if (options.Probabilities != ProbabilityOutput.Byte) w.WriteSlice<float>(p);
                else
                {
                    ProbabilityOutputs.ToBytes(p, b);
                    w.WriteSlice<byte>(b);
                }
                progress.Report("writing probabilities", z + 1, info.Nz, "slices");
            }
            w.Commit();
            files.Add(SegmentationFiles.Probabilities);
        }

        // Preview slices chosen where the labels are (not the empty ice above and below a cell),
        // read back from the labels just written.
        var kept = new Dictionary<int, byte[]>();
        using (var written = VolumeIO.OpenRead(output.File(SegmentationFiles.LabelsMrc)))
            foreach (int z in ChooseSlices(perSlice, info.Nz < 4 ? 1 : 4))
                kept[z] = written.ReadSlice<byte>(z);
        var png = OverlayPreview(tomogram, kept);
        AtomicFile.WriteAllBytes(output.File(SegmentationFiles.Overlay), png);
        files.Add(SegmentationFiles.Overlay);
        sidecar.OverlaySlices = kept.Keys.Order().ToArray();
        return files;
    }

    /// <summary>
    /// Up to <paramref name="count"/> distinct slices for a preview, in increasing order, spread
    /// evenly over the slices whose labelled voxels (<paramref name="labelledPerSlice"/>) reach a
    /// quarter of the busiest slice's: slices of empty ice above and below a cell are not shown.
    /// With nothing labelled anywhere, spread evenly over all slices.
    /// </summary>
    public static int[] ChooseSlices(IReadOnlyList<long> labelledPerSlice, int count)
    {
        int nz = labelledPerSlice.Count;
        if (nz == 0 || count < 1) return Array.Empty<int>();
        long max = 0;
        foreach (long c in labelledPerSlice) max = Math.Max(max, c);
        var eligible = new List<int>();
        long floor = (max + 3) / 4;
        for (int z = 0; z < nz; z++)
            if (max == 0 || labelledPerSlice[z] >= floor) eligible.Add(z);
        var chosen = new SortedSet<int>();
        int k = Math.Min(count, eligible.Count);
        for (int i = 0; i < k; i++) chosen.Add(eligible[(int)((2L * i + 1) * eligible.Count / (2L * k))]);
        return chosen.ToArray();
    }

    /// <summary>
    /// A PNG with the given slices side by side (2 × 2 for four), each contrast-stretched with the
    /// labels in red, downscaled so the image is at most 1600 pixels wide.
    /// </summary>
    public static byte[] OverlayPreview(IVolumeReader tomogram, IReadOnlyDictionary<int, byte[]> labels)
    {
        var info = tomogram.Info;
        var zs = labels.Keys.Order().ToArray();
        int cols = zs.Length == 1 ? 1 : 2, rows = (zs.Length + cols - 1) / cols;
        int gap = 8;
        double scale = Math.Min(1.0, (1600.0 - gap * (cols - 1)) / (cols * info.Nx));
        int tw = Math.Max(1, (int)(info.Nx * scale)), th = Math.Max(1, (int)(info.Ny * scale));
        int w = cols * tw + (cols - 1) * gap, h = rows * th + (rows - 1) * gap;
        var canvas = new byte[w * h * 3];
        Array.Fill(canvas, (byte)255);
        for (int k = 0; k < zs.Length; k++)
        {
            var s = tomogram.ReadSlice<float>(zs[k]);
            var rgb = SliceRenderer.Overlay(SliceRenderer.ToGray(s), labels[zs[k]], Rgb.Red, 0.6f);
            int ox = (k % cols) * (tw + gap), oy = (k / cols) * (th + gap);
            for (int y = 0; y < th; y++)
            {
                int sy = Math.Min(info.Ny - 1, (int)(y / scale));
                for (int x = 0; x < tw; x++)
                {
                    int sx = Math.Min(info.Nx - 1, (int)(x / scale));
                    int si = (sy * info.Nx + sx) * 3, di = ((oy + y) * w + ox + x) * 3;
                    canvas[di] = rgb[si]; canvas[di + 1] = rgb[si + 1]; canvas[di + 2] = rgb[si + 2];
                }
            }
        }
        return Png.EncodeRgb(w, h, canvas, new Dictionary<string, string> { ["Software"] = ToolInfo.NameAndVersion, ["Slices"] = string.Join(",", zs) });
    }
}

/// <summary>The probability slabs of all shards of one run, read as one volume (for merge).</summary>
internal sealed class ShardSet : IProbabilitySlices, IDisposable
{
    private readonly (int First, int Count, IVolumeReader Reader)[] _parts;

    private ShardSet((int, int, IVolumeReader)[] parts, VolumeInfo info, SegmentationSidecar first)
    {
        _parts = parts;
        Info = info;
        First = first;
    }

    public VolumeInfo Info { get; }
    public int Axes => 1;
    public int Count => _parts.Length;
    public string TomogramPath => First.Tomogram;
    public SegmentOptions Options => First.Options;
    /// <summary>The description of the first shard (what the merged sidecar starts from).</summary>
    public SegmentationSidecar First { get; }
    /// <summary>The shards' warnings, each once, in shard order.</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = Array.Empty<string>();

    public static ShardSet Open(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidInputException(folder, "folder not found");
        var sidecars = Directory.GetFiles(folder, "shard-*-of-*.json");
        Array.Sort(sidecars, StringComparer.Ordinal);
        if (sidecars.Length == 0) throw new InvalidInputException(folder, "holds no shard-*-of-*.json files (run sxtseg segment --shard I/N into this folder first)");
        var parts = new List<(int, int, IVolumeReader)>();
        var warnings = new List<string>();
        SegmentationSidecar? first = null;
        try
        {
            foreach (string s in sidecars)
            {
                var j = SegmentationSidecar.Read(s);
                if (j.Options.Shard is null) throw new InvalidInputException(s, "is not a shard description (it names no shard)");
                if (first is null) first = j;
                else if (!SameRun(first, j)) throw new InvalidInputException(s, "belongs to another run (tomogram, model, options or shard count differ)");
                foreach (string w in j.Warnings) if (!warnings.Contains(w)) warnings.Add(w);
                int a = j.Slices.First, b = j.Slices.End;
                string data = Path.Combine(folder, Path.GetFileNameWithoutExtension(s) + ".mrc");
                var r = VolumeIO.OpenRead(data);
                parts.Add((a, b - a, r));
                if (r.Info.Nx != first.Shape.Nx || r.Info.Ny != first.Shape.Ny || r.Info.Nz != b - a) throw new InvalidInputException(data, "does not match its description");
            }
            parts.Sort((p, q) => p.Item1.CompareTo(q.Item1));
            int expect = 0, nz = first!.Shape.Nz;
            foreach (var (a, c, _) in parts)
            {
                if (a != expect) throw new InvalidInputException(folder, a > expect ? $"slices {expect}..{a - 1} are missing: not every shard has finished" : $"slice {a} is covered twice");
                expect = a + c;
            }
            if (expect != nz) throw new InvalidInputException(folder, $"slices {expect}..{nz - 1} are missing: not every shard has finished ({parts.Count} of {first.Options.Shard!.Value.Count} present)");
            return new ShardSet(parts.ToArray(), new VolumeInfo(first.Shape.Nx, first.Shape.Ny, nz, VoxelType.UInt8, first.VoxelSize), first) { Warnings = warnings };
        }
        catch
        {
            foreach (var p in parts) p.Item3.Dispose();
            throw;
        }
    }

    /// <summary>Shards of one run: same tomogram, model, options (but the shard index) and shard count.</summary>
    private static bool SameRun(SegmentationSidecar a, SegmentationSidecar b)
        => a.Tomogram == b.Tomogram && a.Model.Id == b.Model.Id && a.RunOptionsKey == b.RunOptionsKey
           && a.Options.Shard?.Count == b.Options.Shard?.Count;

    /// <summary>
    /// After a shard of a run was written into <paramref name="folder"/>: removes the shard files of
    /// other runs there (another shard count, tomogram, model or options), which a merge would refuse
    /// to mix. Shards of the same run (other tasks of the array) are never touched.
    /// </summary>
    internal static void RemoveOtherRuns(string folder, SegmentationSidecar mine)
    {
        foreach (string s in Directory.GetFiles(folder, "shard-*-of-*.json"))
        {
            bool other;
            try
            {
                other = !SameRun(mine, SegmentationSidecar.Parse(File.ReadAllText(s), s));
            }
            catch (Exception e) when (e is InvalidInputException or IOException)
            {
                continue; // unreadable or being replaced: leave it to merge
            }
            if (!other) continue;
            foreach (string f in new[] { s, Path.ChangeExtension(s, ".mrc") })
                try { File.Delete(f); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public void ReadSlice(int axis, int z, Span<byte> dest)
    {
        foreach (var (first, count, reader) in _parts)
            if (z >= first && z < first + count) { reader.ReadSlice(z - first, dest); return; }
        throw new ArgumentOutOfRangeException(nameof(z));
    }

    public void Dispose()
    {
        foreach (var p in _parts) p.Reader.Dispose();
    }
}
