using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>
/// Opens the training inputs, checks them (sizes, binary labels, enough annotated slices, a
/// non-empty unannotated set), normalises the annotated slices, scans the unannotated ones
/// (streamed slice by slice) and makes the seeded 90/10 train/test split.
/// </summary>
public static class TrainingDataBuilder
{
    /// <summary>Simulator output file names.</summary>
    public const string SimulationTomogram = "tomogram.mrc", SimulationMembranes = "membranes.mrc";

    /// <summary>Builds the data; throws <see cref="SxtSegException"/> subclasses for bad input.</summary>
    public static TrainingData Build(TrainingInputs inputs, TrainingOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        if (inputs.HasNoAnnotated)
            throw new InvalidOptionException(TrainingInputs.AnnotatedKey, "no annotated training data given (annotated pairs, an annotated volume or a simulation folder)");
        var b = new Builder(options, inputs.Instrument, inputs.VoxelSizeNm, progress, cancel);
        try
        {
            foreach (string p in inputs.Pairs) b.AddPairs(p);
            if (inputs.Volume is { } v) b.AddVolume(v);
            foreach (string s in inputs.Simulations) b.AddSimulation(s, inputs.SimulationAnnotatedSlices, inputs.SimulationEmptySlices);
            foreach (string u in inputs.Unannotated) b.AddUnannotated(u);
            return b.Finish(inputs.MaxUnannotatedSlices);
        }
        catch
        {
            b.DisposeReaders();
            throw;
        }
    }

    private sealed class Builder
    {
        private readonly TrainingOptions _o;
        private readonly string? _instrument;
        private readonly double? _voxelSizeNm;
        private readonly IProgress<ProgressUpdate>? _progress;
        private readonly CancellationToken _cancel;
        private readonly List<TrainingSource> _sources = new();
        private readonly List<IVolumeReader> _readers = new();
        private readonly List<AnnotatedSlice> _annotated = new();
        private readonly List<(int Source, int Z)> _unannotated = new();

        public Builder(TrainingOptions o, string? instrument, double? voxelSizeNm, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            _o = o; _instrument = instrument; _voxelSizeNm = voxelSizeNm; _progress = progress; _cancel = cancel;
        }

        public void DisposeReaders()
        {
            foreach (var r in _readers) r.Dispose();
            _readers.Clear();
        }

        private int AddSource(IVolumeReader reader, string role, string? instrument, bool usersData = true)
        {
            // --voxel-size wins over the headers of the user's inputs (a simulation keeps its own), as in
            // segment and the SxtSeg recipe; a header size of theirs no cryo-SXT tomogram has would become
            // the model card's voxel size, so it is refused (a simulation states the size it was made at)
            double? header = reader.Info.VoxelSize is { IsValid: true } vs ? vs.X : null;
            double? given = usersData ? _voxelSizeNm : null;
            if (usersData && given is null && BankSource.ImplausibleHeader(reader.Path, header) is { } refused)
            {
                reader.Dispose();
                throw refused;
            }
            _readers.Add(reader);
            _sources.Add(new TrainingSource(reader.Path, role, reader.Info, instrument ?? _instrument, given ?? header));
            return _readers.Count - 1;
        }

        public void AddPairs(string path)
        {
            if (Directory.Exists(path) && VolumeFilesIn(path) is { Count: > 0 } images)
            {
                foreach (string image in images) AddPair(image, mustHaveLabels: true);
                return;
            }
            if (Directory.Exists(path)) throw new InvalidInputException(path, "folder holds no name.tif + name.labels.tif pairs");
            AddPair(path, mustHaveLabels: true);
        }

        private static List<string> VolumeFilesIn(string folder)
        {
            var list = new List<string>();
            foreach (string f in Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(f).ToLowerInvariant();
                if ((name.EndsWith(".tif", StringComparison.Ordinal) || name.EndsWith(".tiff", StringComparison.Ordinal)) && !IsLabelsName(name)) list.Add(f);
            }
            return list;
        }

        private static bool IsLabelsName(string name)
        {
            string n = name.ToLowerInvariant();
            return n.EndsWith(".labels.tif", StringComparison.Ordinal) || n.EndsWith(".labels.tiff", StringComparison.Ordinal);
        }

        /// <summary>name.tif → name.labels.tif (same extension).</summary>
        public static string LabelsPathFor(string image)
        {
            string ext = Path.GetExtension(image);
            return image[..^ext.Length] + ".labels" + ext;
        }

        private void AddPair(string image, bool mustHaveLabels)
        {
            if (IsLabelsName(image)) throw new InvalidInputException(image, "is a labels file; give the image name.tif (its labels name.labels.tif are found next to it)");
            string labels = LabelsPathFor(image);
            if (!File.Exists(image)) throw new InvalidInputException(image, "file not found");
            if (mustHaveLabels && !File.Exists(labels)) throw new InvalidInputException(image, $"has no labels file {Path.GetFileName(labels)} next to it");
            var ir = VolumeIO.OpenRead(image);
            AddSource(ir, "annotated-pair", null);
            using var lr = VolumeIO.OpenRead(labels);
            CheckSameSize(ir, lr);
            for (int z = 0; z < ir.Info.Nz; z++) AddAnnotated(ir, lr, z, binary: true);
        }

        public void AddVolume(AnnotatedVolume v)
        {
            var ir = VolumeIO.OpenRead(v.Image);
            int src = AddSource(ir, "annotated-volume", null);
            using var lr = VolumeIO.OpenRead(v.Labels);
            CheckSameSize(ir, lr);
            var set = new HashSet<int>(v.Slices);
            foreach (int z in v.Slices)
                if (z < 0 || z >= ir.Info.Nz) throw new InvalidOptionException(nameof(AnnotatedVolume.Slices), $"slice {z} is outside 0..{ir.Info.Nz - 1} of {v.Image}");
            foreach (int z in v.Slices) AddAnnotated(ir, lr, z, binary: true);
            for (int z = 0; z < ir.Info.Nz; z++) if (!set.Contains(z)) _unannotated.Add((src, z));
        }

        public void AddSimulation(string folder, int annotatedCount, int emptyCount)
        {
            if (!Directory.Exists(folder)) throw new InvalidInputException(folder, "simulation folder not found");
            string tomo = Path.Combine(folder, SimulationTomogram), mem = Path.Combine(folder, SimulationMembranes);
            if (!File.Exists(tomo)) throw new InvalidInputException(folder, $"is not a simulation output folder (no {SimulationTomogram})");
            if (!File.Exists(mem)) throw new InvalidInputException(folder, $"is not a simulation output folder (no {SimulationMembranes})");
            if (annotatedCount < 1) throw new InvalidOptionException(nameof(TrainingInputs.SimulationAnnotatedSlices), $"must be at least 1, got {annotatedCount}");
            if (emptyCount < 0) throw new InvalidOptionException(nameof(TrainingInputs.SimulationEmptySlices), $"must be 0 or more, got {emptyCount}");
            var ir = VolumeIO.OpenRead(tomo);
            int src = AddSource(ir, "simulation", SimulationResult.ReadInstrument(folder) ?? "simulated", usersData: false);
            using var lr = VolumeIO.OpenRead(mem);
            CheckSameSize(ir, lr);
            // Slices with membrane are candidates (an even spread of them is annotated), except slices
            // more than half covered: a flat membrane lying in the slice plane (the basal plasma
            // membrane of a cell on a grid), which no annotator would paint as a filled slice.
            // Slices without membrane are the candidates for negatives (emptyCount of them).
            var candidates = new List<int>();
            var empty = new List<int>();
            var buf = new byte[lr.Info.SliceLength];
            for (int z = 0; z < lr.Info.Nz; z++)
            {
                _cancel.ThrowIfCancellationRequested();
                lr.ReadSlice<byte>(z, buf);
                long membrane = buf.Length - (long)buf.AsSpan().Count((byte)0);
                if (membrane == 0) empty.Add(z);
                else if (2 * membrane <= buf.Length) candidates.Add(z);
                _progress.Report("scanning labels", z + 1, lr.Info.Nz, "slices");
            }
            if (candidates.Count == 0) throw new InvalidInputException(mem, "has no slice with membrane voxels (on at most half of the slice)");
            var chosen = new SortedSet<int>(EvenlySpread(candidates, annotatedCount));
            chosen.UnionWith(EvenlySpread(empty, emptyCount));
            foreach (int z in chosen) AddAnnotated(ir, lr, z, binary: false);
            for (int z = 0; z < ir.Info.Nz; z++) if (!chosen.Contains(z)) _unannotated.Add((src, z));
        }

        /// <summary>min(n, count) items spread evenly over the list (the centres of n equal parts), in order.</summary>
        private static List<T> EvenlySpread<T>(List<T> items, int n)
        {
            n = Math.Min(n, items.Count);
            var picked = new List<T>(n);
            for (int i = 0; i < n; i++) picked.Add(items[(int)((i + 0.5) * items.Count / n)]);
            return picked;
        }

        public void AddUnannotated(string path)
        {
            var r = VolumeIO.OpenRead(path);
            int src = AddSource(r, "unannotated", null);
            for (int z = 0; z < r.Info.Nz; z++) _unannotated.Add((src, z));
        }

        private static void CheckSameSize(IVolumeReader image, IVolumeReader labels)
        {
            var a = image.Info;
            var b = labels.Info;
            if (a.Nx != b.Nx || a.Ny != b.Ny || a.Nz != b.Nz)
                throw new InvalidInputException(labels.Path, $"labels are {b.Nx} × {b.Ny} × {b.Nz}, the image {Path.GetFileName(image.Path)} is {a.Nx} × {a.Ny} × {a.Nz}");
        }

        private void AddAnnotated(IVolumeReader ir, IVolumeReader lr, int z, bool binary)
        {
            _cancel.ThrowIfCancellationRequested();
            var info = ir.Info;
            var image = ir.ReadSlice<float>(z);
            var labels = lr.ReadSlice<float>(z);
            var mask = new byte[labels.Length];
            float membraneValue = float.NaN;
            for (int i = 0; i < labels.Length; i++)
            {
                float v = labels[i];
                if (v == 0) continue;
                if (!float.IsFinite(v)) throw new InvalidInputException(lr.Path, $"slice {z} of the labels holds a non-finite value");
                if (binary)
                {
                    if (float.IsNaN(membraneValue)) membraneValue = v;
                    else if (v != membraneValue)
                        throw new InvalidInputException(lr.Path, string.Create(CultureInfo.InvariantCulture, $"labels are not binary: slice {z} holds 0, {membraneValue:G6} and {v:G6} (expected 0 = background and one membrane value)"));
                }
                mask[i] = 1;
            }
            var area = ImageArea.Find(image, info.Nx, info.Ny);
            SliceNormalization.Default.Apply(image, info.Nx, info.Ny);
            if (area.Width < _o.CropSize || area.Height < _o.CropSize)
                throw new InvalidInputException(ir.Path, $"slice {z}: the real image area {area.Width} × {area.Height} is smaller than the {_o.CropSize}² crop (use a smaller --crop)");
            var (min, max) = MinMax(image, info.Nx, area);
            _annotated.Add(new AnnotatedSlice(ir.Path, z, info.Nx, info.Ny, image, mask, area, min, max));
            _progress.Report("reading annotated slices", _annotated.Count, 0, "slices");
        }

        private static (float Min, float Max) MinMax(ReadOnlySpan<float> s, int nx, ImageArea a)
        {
            float lo = float.MaxValue, hi = float.MinValue;
            for (int y = a.Y0; y < a.Y0 + a.Height; y++)
                foreach (float v in s.Slice(y * nx + a.X0, a.Width))
                {
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
            return (lo, hi);
        }

        public TrainingData Finish(int? maxUnannotated)
        {
            if (_annotated.Count < 2)
                throw new InvalidOptionException(TrainingInputs.AnnotatedKey, $"{_annotated.Count} annotated slice{(_annotated.Count == 1 ? "" : "s")} given; at least 2 are needed (one is held out for testing)");
            var refs = _unannotated;
            if (maxUnannotated is int cap && cap >= 0 && refs.Count > cap) refs = EvenlySpread(refs, cap);
            var scanned = new List<UnannotatedSlice>();
            int skipped = 0;
            if (!_o.SupervisedOnly)
            {
                float[]? buf = null;
                for (int i = 0; i < refs.Count; i++)
                {
                    _cancel.ThrowIfCancellationRequested();
                    var (src, z) = refs[i];
                    var r = _readers[src];
                    int nx = r.Info.Nx, ny = r.Info.Ny;
                    if (buf is null || buf.Length != nx * ny) buf = new float[nx * ny];
                    r.ReadSlice<float>(z, buf);
                    var area = ImageArea.Find(buf, nx, ny);
                    var st = SliceNormalization.Default.Measure(buf, nx, area);
                    if (area.Width < _o.CropSize || area.Height < _o.CropSize || st.Flat)
                    {
                        skipped++;
                        continue;
                    }
                    st.Apply(buf);
                    var (min, max) = MinMax(buf, nx, area);
                    scanned.Add(new UnannotatedSlice(src, z, area, st, min, max));
                    _progress.Report("scanning unannotated slices", i + 1, refs.Count, "slices");
                }
                if (scanned.Count == 0)
                    throw new InvalidOptionException(nameof(TrainingInputs.Unannotated),
                        refs.Count == 0
                            ? "no unannotated slices: give --unannotated tomograms (or an annotated volume / simulation with more slices), or train with --supervised-only"
                            : $"none of the {refs.Count} unannotated slices is usable (blank, or smaller than the {_o.CropSize}² crop)");
            }
            var split = new TrainingRandom(_o.Seed ^ 0x5EED_5EED_0001L);
            var (annTrain, annTest) = Split(_annotated, _o.TestFraction, split);
            var (unTrain, unTest) = Split(scanned, _o.TestFraction, split);
            var readers = new List<IVolumeReader>(_readers);
            _readers.Clear();
            return new TrainingData(_sources, readers, annTrain, annTest, unTrain, unTest, skipped);
        }

        private static (List<T> Train, List<T> Test) Split<T>(List<T> items, double fraction, TrainingRandom rng)
        {
            var order = Enumerable.Range(0, items.Count).ToList();
            rng.Shuffle(order);
            int nTest = items.Count >= 2 ? Math.Clamp((int)Math.Round(items.Count * fraction), 1, items.Count - 1) : 0;
            var testIdx = order.Take(nTest).OrderBy(i => i).ToList();
            var trainIdx = order.Skip(nTest).OrderBy(i => i).ToList();
            return (trainIdx.Select(i => items[i]).ToList(), testIdx.Select(i => items[i]).ToList());
        }
    }
}
