using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>
/// The slices of a step-recipe training run: annotated slices for label mode, validation slices
/// (whole simulated tomograms never trained on, or a held-out share of the annotated slices), and
/// the image-mode pool (every slice of every source, annotated or not). Nothing is held in memory
/// but one slice per draw; sources are streamed from their files.
/// </summary>
public sealed class SliceBank : IDisposable
{
    internal SliceBank(List<BankSource> sources, List<SliceRef> train, List<SliceRef> validation, List<SliceRef> images)
    {
        Sources = sources;
        Train = train;
        Validation = validation;
        Images = images;
    }

    /// <summary>Sources.</summary>
    public IReadOnlyList<BankSource> Sources { get; }

    /// <summary>Annotated training slices.</summary>
    public IReadOnlyList<SliceRef> Train { get; }

    /// <summary>Validation slices.</summary>
    public IReadOnlyList<SliceRef> Validation { get; }

    /// <summary>Slices for image mode.</summary>
    public IReadOnlyList<SliceRef> Images { get; }

    /// <summary>Smallest and largest voxel size (nm) of the training sources that state one, or null.</summary>
    public (double Min, double Max)? VoxelSizeRange
    {
        get
        {
            double lo = double.MaxValue, hi = double.MinValue;
            foreach (var s in Sources)
            {
                if (s.Role.StartsWith("validation", StringComparison.Ordinal) || !s.IsAnnotated || s.VoxelSizeNm is not double v) continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
            return hi >= lo ? (lo, hi) : null;
        }
    }

    /// <summary>Pixels per resolution element of the annotated training sources that state it (<see cref="TrainedResolution"/>), or null.</summary>
    public TrainedResolution? ResolutionPx
    {
        get
        {
            var px = new List<double>();
            foreach (var s in Sources)
                if (!s.Role.StartsWith("validation", StringComparison.Ordinal) && s.IsAnnotated && s.ResolutionPx is double r) px.Add(r);
            return TrainedResolution.FromSamples(px);
        }
    }

    /// <summary>Summary for the model card.</summary>
    public JsonObject Summary()
    {
        var inputs = new JsonArray();
        foreach (var s in Sources) inputs.Add(s.Describe());
        var instruments = new JsonArray();
        foreach (var i in Sources.Where(s => !s.Role.StartsWith("validation", StringComparison.Ordinal)).Select(s => s.Instrument ?? "unknown").Distinct(StringComparer.Ordinal)) instruments.Add(i);
        return new JsonObject
        {
            ["inputs"] = inputs,
            ["instruments"] = instruments,
            ["voxel_size_range_nm"] = VoxelSizeRange is { } r ? new JsonArray(r.Min, r.Max) : null,
            ["resolution_px"] = ResolutionPx?.ToJson(),
            ["annotated_slices"] = new JsonObject { ["train"] = Train.Count, ["validation"] = Validation.Count },
            ["image_mode_slices"] = Images.Count,
            ["clean_twins"] = CleanSources,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in Sources) s.Dispose();
    }

    /// <summary>Simulator output file names.</summary>
    internal const string SimTomogram = "tomogram.mrc", SimMembranes = "membranes.mrc", SimIgnore = "ignore.mrc", SimClean = SimulationResult.Files.Clean;

    /// <summary>Training sources with a noise-free twin attached (<see cref="TrainingOptions.CleanTarget"/>).</summary>
    public int CleanSources => Sources.Count(s => s.HasClean);

    /// <summary>
    /// Builds the bank: simulations (every slice annotated when <see cref="TrainingInputs.SimulationAnnotatedSlices"/>
    /// is 0, else that many evenly spread plus empty negatives), annotated volumes and pairs (decoded
    /// with their coding), validation simulations, unannotated tomograms. Throws <see cref="SxtSegException"/> subclasses for bad input.
    /// </summary>
    public static SliceBank Build(TrainingInputs inputs, TrainingOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var builder = new Builder(inputs, options, cancel);
        try
        {
            builder.AddSimulations(progress);
            builder.AddValidationSimulations();
            builder.AddAnnotatedVolume();
            builder.AddAnnotatedPairs();
            builder.AddUnannotated();
            // User annotations: a held-out share validates when no validation tomograms are given.
            builder.SplitHeldOut();
            return builder.Finish();
        }
        catch
        {
            builder.DisposeSources();
            throw;
        }
    }

    /// <summary>The sources and slice lists of a bank being built, one method per kind of input.</summary>
    private sealed class Builder
    {
        private readonly TrainingInputs _inputs;
        private readonly TrainingOptions _options;
        private readonly CancellationToken _cancel;
        private readonly SliceNormalization _norm;
        private readonly List<BankSource> _sources = new();
        private readonly List<SliceRef> _train = new(), _validation = new(), _images = new(), _heldOutCandidates = new();

        public Builder(TrainingInputs inputs, TrainingOptions options, CancellationToken cancel)
        {
            _inputs = inputs;
            _options = options;
            _cancel = cancel;
            _norm = options.Normalisation;
        }

        private int Add(BankSource s)
        {
            _sources.Add(s);
            return _sources.Count - 1;
        }

        /// <summary>Every slice of a source for the image mode.</summary>
        private void AddImageSlices(int si, int nz)
        {
            for (int z = 0; z < nz; z++) _images.Add(new SliceRef(si, z));
        }

        /// <summary>Training simulations: every slice annotated, or a few evenly spread plus empty negatives; every slice for the image mode.</summary>
        public void AddSimulations(IProgress<ProgressUpdate>? progress)
        {
            var inputs = _inputs;
            foreach (string sim in inputs.Simulations)
            {
                _cancel.ThrowIfCancellationRequested();
                var (img, mem, ign) = OpenSimulation(sim);
                int si = Add(new BankSource("simulation", img, mem, ign, LabelCoding.Binary, SimulationResult.ReadInstrument(sim) ?? "simulated", _norm)
                {
                    ResolutionPx = SimulationResult.ReadResolution(sim) is { } res ? res.ResolutionNm / res.VoxelNm : null,
                });
                var chosen = inputs.SimulationAnnotatedSlices <= 0
                    ? Enumerable.Range(0, img.Info.Nz).ToList()
                    : FewAnnotated(_sources[si], inputs.SimulationAnnotatedSlices, inputs.SimulationEmptySlices, _cancel);
                foreach (int z in chosen) _train.Add(new SliceRef(si, z));
                AddImageSlices(si, img.Info.Nz);
                if (_options.CleanTarget) AttachClean(_sources[si], sim);
                progress.Report("opening simulations", _sources.Count, inputs.Simulations.Count, "folders");
            }
        }

        /// <summary>
        /// Attaches a simulation's noise-free twin (<c>clean.mrc</c>), when it has one; refused when the
        /// folder's truth.json says the simulation was made without one (a stale file).
        /// </summary>
        private static void AttachClean(BankSource source, string folder)
        {
            string clean = System.IO.Path.Combine(folder, SimClean);
            if (!File.Exists(clean)) return;
            if (SimulationResult.ReadCleanTwin(folder) == false)
                throw new InvalidInputException(clean, "is not this simulation's noise-free twin: its truth.json says it was simulated without --clean (a clean.mrc left from an earlier run?); simulate it again with --clean");
            var reader = VolumeIO.OpenRead(clean);
            try
            {
                source.AttachClean(reader);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        /// <summary>Validation simulations: every slice validates.</summary>
        public void AddValidationSimulations()
        {
            foreach (string sim in _inputs.ValidationSimulations)
            {
                _cancel.ThrowIfCancellationRequested();
                var (img, mem, ign) = OpenSimulation(sim);
                int si = Add(new BankSource("validation-simulation", img, mem, ign, LabelCoding.Binary, SimulationResult.ReadInstrument(sim) ?? "simulated", _norm));
                for (int z = 0; z < img.Info.Nz; z++) _validation.Add(new SliceRef(si, z));
            }
        }

        /// <summary>The annotated volume: its chosen (or every annotated) slices are held-out candidates; every slice for the image mode.</summary>
        public void AddAnnotatedVolume()
        {
            if (_inputs.Volume is not { } v) return;
            var (img, lab) = OpenAnnotated(v.Image, v.Labels);
            int si = Add(new BankSource("annotated-volume", img, lab, null, _inputs.Coding, _inputs.Instrument, _norm, _inputs.VoxelSizeNm));
            RequireVoxelSize(_sources[si], _options);
            var annotated = v.Slices.Count > 0 ? v.Slices.ToList() : AnnotatedSlicesOf(_sources[si], _cancel);
            foreach (int z in annotated)
                if (z < 0 || z >= img.Info.Nz) throw new InvalidOptionException(nameof(AnnotatedVolume.Slices), $"slice {z} is outside 0..{img.Info.Nz - 1} of {v.Image}");
            if (annotated.Count == 0) throw new InvalidInputException(v.Labels, $"holds no annotated pixel ({_inputs.Coding} coding)");
            foreach (int z in annotated) _heldOutCandidates.Add(new SliceRef(si, z));
            AddImageSlices(si, img.Info.Nz);
        }

        /// <summary>Annotated pairs (files or folders of them): their annotated slices are held-out candidates; every slice for the image mode.</summary>
        public void AddAnnotatedPairs()
        {
            foreach (string pair in _inputs.Pairs)
                foreach (var (image, labels) in PairFiles(pair))
                {
                    var (img, lab) = OpenAnnotated(image, labels);
                    int si = Add(new BankSource("annotated-pair", img, lab, null, _inputs.Coding, _inputs.Instrument, _norm, _inputs.VoxelSizeNm));
                    RequireVoxelSize(_sources[si], _options);
                    var annotatedPair = AnnotatedSlicesOf(_sources[si], _cancel);
                    if (annotatedPair.Count == 0) throw new InvalidInputException(labels, $"holds no annotated pixel ({_inputs.Coding} coding)");
                    foreach (int z in annotatedPair) _heldOutCandidates.Add(new SliceRef(si, z));
                    AddImageSlices(si, img.Info.Nz);
                }
        }

        /// <summary>Unannotated tomograms: every slice for the image mode.</summary>
        public void AddUnannotated()
        {
            foreach (string u in _inputs.Unannotated)
            {
                var img = VolumeIO.OpenRead(u);
                int si = Add(new BankSource("unannotated", img, null, null, null, _inputs.Instrument, _norm, _inputs.VoxelSizeNm));
                AddImageSlices(si, img.Info.Nz);
            }
        }

        /// <summary>
        /// The user's annotated slices: a seeded share (<see cref="TrainingOptions.TestFraction"/>)
        /// validates when no validation simulation is given, the rest trains.
        /// </summary>
        public void SplitHeldOut()
        {
            var candidates = _heldOutCandidates;
            if (candidates.Count == 0) return;
            if (_validation.Count == 0 && candidates.Count >= 2)
            {
                var rng = new TrainingRandom(_options.Seed ^ 0x5EED_5EED_0001L);
                var order = Enumerable.Range(0, candidates.Count).ToList();
                rng.Shuffle(order);
                int nVal = Math.Clamp((int)Math.Round(candidates.Count * _options.TestFraction), 1, candidates.Count - 1);
                var valSet = new HashSet<int>(order.Take(nVal));
                for (int i = 0; i < candidates.Count; i++) (valSet.Contains(i) ? _validation : _train).Add(candidates[i]);
            }
            else if (_validation.Count == 0 && _train.Count == 0)
                throw new InvalidInputException(_sources[candidates[0].Source].LabelsPath ?? _sources[candidates[0].Source].Path,
                    $"holds annotations on one slice only (z = {candidates[0].Z}); annotate at least 2 slices: one is held out to check that training helps (or give --val-sim)");
            else _train.AddRange(candidates);
        }

        /// <summary>Checks that there is something to train on and returns the bank.</summary>
        public SliceBank Finish()
        {
            if (_train.Count == 0)
                throw new InvalidOptionException(TrainingInputs.AnnotatedKey, "no annotated training slice (give simulations, an annotated volume or annotated pairs)");
            if (_options.ImageEvery > 0 && _images.Count == 0)
                throw new InvalidOptionException(nameof(TrainingInputs.Unannotated), "no slices for the image mode; give --unannotated tomograms or train with --supervised-only");
            if (_options.CleanTarget && !_sources.Exists(s => s.HasClean))
                throw new InvalidOptionException(nameof(TrainingOptions.CleanTarget), $"no training simulation holds a noise-free twin ({SimClean}); simulate with --clean, or train without --clean-target");
            return new SliceBank(_sources, _train, _validation, _images);
        }

        /// <summary>Disposes the sources opened so far (the build failed).</summary>
        public void DisposeSources()
        {
            foreach (var s in _sources) s.Dispose();
        }
    }

    /// <summary>Opens an image and its label file of the same size (the image is closed if the labels cannot be opened).</summary>
    private static (IVolumeReader Image, IVolumeReader Labels) OpenAnnotated(string image, string labels)
    {
        var img = VolumeIO.OpenRead(image);
        IVolumeReader lab;
        try
        {
            lab = VolumeIO.OpenRead(labels);
        }
        catch
        {
            img.Dispose();
            throw;
        }
        CheckSameSize(img, lab);
        return (img, lab);
    }

    /// <summary>The SxtSeg recipe records the voxel size a model was trained at: annotated user data must state one.</summary>
    private static void RequireVoxelSize(BankSource s, TrainingOptions options)
    {
        if (options.Recipe == TrainingRecipe.SxtSeg && s.VoxelSizeNm is null)
            throw new InvalidInputException(s.Path, "has no voxel size in its header; give --voxel-size NM (the model records the voxel size it was trained at, and segmentation rescales by it)");
    }

    private static (IVolumeReader Image, IVolumeReader Membranes, IVolumeReader? Ignore) OpenSimulation(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidInputException(folder, "simulation folder not found");
        string tomo = System.IO.Path.Combine(folder, SimTomogram), mem = System.IO.Path.Combine(folder, SimMembranes), ign = System.IO.Path.Combine(folder, SimIgnore);
        if (!File.Exists(tomo)) throw new InvalidInputException(folder, $"is not a simulation output folder (no {SimTomogram})");
        if (!File.Exists(mem)) throw new InvalidInputException(folder, $"is not a simulation output folder (no {SimMembranes})");
        var img = VolumeIO.OpenRead(tomo);
        IVolumeReader? m = null, g = null;
        try
        {
            m = VolumeIO.OpenRead(mem);
            CheckSameSize(img, m);
            if (File.Exists(ign))
            {
                g = VolumeIO.OpenRead(ign);
                CheckSameSize(img, g);
            }
            return (img, m, g);
        }
        catch
        {
            img.Dispose();
            m?.Dispose();
            g?.Dispose();
            throw;
        }
    }

    /// <summary>The paper's few-annotated mode: <paramref name="count"/> slices with visible membrane evenly spread, plus <paramref name="empty"/> slices without membrane.</summary>
    private static List<int> FewAnnotated(BankSource s, int count, int empty, CancellationToken cancel)
    {
        var withMembrane = new List<int>();
        var without = new List<int>();
        int n = s.Nx * s.Ny;
        var target = new byte[n];
        var weight = new byte[n];
        for (int z = 0; z < s.Info.Nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            s.ReadLabels(z, target, weight);
            long visible = 0;
            for (int i = 0; i < n; i++) visible += target[i] & weight[i];
            (visible > 0 ? withMembrane : without).Add(z);
        }
        var picked = new SortedSet<int>(EvenlySpread(withMembrane, count));
        picked.UnionWith(EvenlySpread(without, empty));
        return picked.ToList();
    }

    /// <summary>Slices of an annotated source with at least one annotated pixel.</summary>
    private static List<int> AnnotatedSlicesOf(BankSource s, CancellationToken cancel)
    {
        var list = new List<int>();
        int n = s.Nx * s.Ny;
        var target = new byte[n];
        var weight = new byte[n];
        for (int z = 0; z < s.Info.Nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            if (s.ReadLabels(z, target, weight) > 0) list.Add(z);
        }
        return list;
    }

    internal static List<T> EvenlySpread<T>(List<T> items, int n)
    {
        n = Math.Min(n, items.Count);
        var picked = new List<T>(n);
        for (int i = 0; i < n; i++) picked.Add(items[(int)((i + 0.5) * items.Count / n)]);
        return picked;
    }

    private static IEnumerable<(string Image, string Labels)> PairFiles(string path)
    {
        static bool IsLabels(string name) => name.EndsWith(".labels.tif", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".labels.tiff", StringComparison.OrdinalIgnoreCase);
        static string LabelsFor(string image)
        {
            string ext = System.IO.Path.GetExtension(image);
            return image[..^ext.Length] + ".labels" + ext;
        }
        var images = new List<string>();
        if (Directory.Exists(path))
        {
            foreach (string f in Directory.GetFiles(path).OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = System.IO.Path.GetFileName(f);
                if ((name.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase)) && !IsLabels(name)) images.Add(f);
            }
            if (images.Count == 0) throw new InvalidInputException(path, "folder holds no name.tif + name.labels.tif pairs");
        }
        else
        {
            if (IsLabels(path)) throw new InvalidInputException(path, "is a labels file; give the image name.tif (its labels name.labels.tif are found next to it)");
            if (!File.Exists(path)) throw new InvalidInputException(path, "file not found");
            images.Add(path);
        }
        foreach (string image in images)
        {
            string labels = LabelsFor(image);
            if (!File.Exists(labels)) throw new InvalidInputException(image, $"has no labels file {System.IO.Path.GetFileName(labels)} next to it");
            yield return (image, labels);
        }
    }

    private static void CheckSameSize(IVolumeReader image, IVolumeReader labels)
    {
        var a = image.Info;
        var b = labels.Info;
        if (a.Nx != b.Nx || a.Ny != b.Ny || a.Nz != b.Nz)
            throw new InvalidInputException(labels.Path, $"is {b.Nx} × {b.Ny} × {b.Nz}, the image {System.IO.Path.GetFileName(image.Path)} is {a.Nx} × {a.Ny} × {a.Nz}");
    }
}
