using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Chooses a model's threshold on whole validation tomograms with exact labels, by the figure the
/// model is judged on: each tomogram is segmented once as <c>sxtseg segment</c> does by default (the
/// probabilities kept), then labelled at every threshold by the same rule as <c>segment</c>'s labels
/// and scored as <c>sxtseg evaluate</c> scores visible membranes (±1 voxel). The chosen threshold has
/// the highest pooled F1, among those whose false positives stay within the limit when one is given;
/// a tie goes to the higher threshold (fewer false positives).
/// </summary>
public static class ThresholdCalibration
{
    /// <summary>0.30, 0.35, …, 0.90.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = Enumerable.Range(6, 13).Select(i => i * 0.05).Select(t => Math.Round(t, 2)).ToArray();

    /// <summary>
    /// Calibrates <see cref="ThresholdCalibrationRequest.Model"/> and writes it to <paramref name="outPath"/> (may be the
    /// model itself; atomically) with the chosen threshold and the whole table in its card (<c>metrics.calibration</c>);
    /// the weights, id and polarity referee are unchanged. The output folder is made and checked before anything is computed, and
    /// nothing is written when no threshold qualifies.
    /// </summary>
    public static ThresholdCalibrationResult Calibrate(ThresholdCalibrationRequest request, string outPath, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        request.Validate();
        var before = ModelFile.ReadCard(request.Model);
        ProbeWritable(outPath);
        var result = Run(request, progress, cancel);
        ModelFile.RewriteCard(request.Model, outPath, card =>
        {
            card.Threshold = result.Threshold;
            card.Metrics["calibration"] = result.ToJson(before.Threshold);
        });
        return result;
    }

    /// <summary>Creates <paramref name="outPath"/>'s folder if needed and throws <see cref="OutputException"/> when no file can be created in it.</summary>
    private static void ProbeWritable(string outPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
        string probe = Path.Combine(dir, $".sxtseg-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(outPath, $"cannot write here ({e.Message})", e);
        }
    }

    /// <summary>Segments and scores every validation tomogram at every threshold and chooses one.</summary>
    public static ThresholdCalibrationResult Run(ThresholdCalibrationRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        request.Validate();
        var pooled = new TolerantScore[request.Thresholds.Count];
        var sims = new List<(string, string)>();
        string scratch = request.TempFolder ?? Directory.CreateTempSubdirectory("sxtseg-calibrate-").FullName;
        Directory.CreateDirectory(scratch);
        try
        {
            using var model = SegmentationModel.Load(request.Model, request.Workers, new InferenceOptions());
            for (int s = 0; s < request.Simulations.Count; s++)
            {
                string sim = request.Simulations[s];
                sims.Add((sim, SimulationResult.ReadInstrument(sim) ?? "simulated"));
                string outDir = Path.Combine(scratch, $"seg-{s}");
                string tomogram = Path.Combine(sim, SimulationResult.Files.Tomogram);
                string truth = Path.Combine(sim, SimulationResult.Files.Membranes);
                RequireSameShape(tomogram, truth);
                Segmenter.Run(tomogram, outDir, model,
                    new SegmentOptions { Probabilities = ProbabilityOutput.Float32, TempFolder = scratch }, new Provenance("model-calibrate"), progress, null, cancel);
                string probabilities = Path.Combine(outDir, SegmentationFiles.Probabilities);
                string? ignore = EvaluationRequest.FindIgnore(truth, null, false);
                string labels = Path.Combine(scratch, $"labels-{s}.mrc");
                for (int t = 0; t < request.Thresholds.Count; t++)
                {
                    cancel.ThrowIfCancellationRequested();
                    MaskWriter.Write(Labels(probabilities, request.Thresholds[t]), labels, new Provenance("model-calibrate"));
                    using var pred = VolumeIO.OpenRead(labels);
                    using var tru = VolumeIO.OpenRead(truth);
                    using var ign = ignore is null ? null : VolumeIO.OpenRead(ignore);
                    var score = SegmentationEvaluator.Evaluate(pred, tru, new EvaluationOptions { Tolerance = 1 }, null, ign).Tolerant;
                    pooled[t] = s == 0 ? score : pooled[t] + score;
                    progress?.Report("scoring thresholds", s * request.Thresholds.Count + t + 1, request.Simulations.Count * request.Thresholds.Count, "labellings");
                }
                Directory.Delete(outDir, true);
                File.Delete(labels);
            }
        }
        finally
        {
            if (request.TempFolder is null) Directory.Delete(scratch, true);
        }
        var rows = new ThresholdRow[pooled.Length];
        for (int t = 0; t < rows.Length; t++) rows[t] = new ThresholdRow(request.Thresholds[t], pooled[t]);
        var (chosen, rule) = Choose(rows, request.MaxFalsePositivePercent);
        return new ThresholdCalibrationResult(rows, chosen, rule, sims);
    }

    /// <summary>Refuses a simulation whose labels differ in size from its tomogram before it is segmented (the evaluator checks the ignore mask).</summary>
    private static void RequireSameShape(string tomogram, string truth)
    {
        using var a = VolumeIO.OpenRead(tomogram);
        using var b = VolumeIO.OpenRead(truth);
        if (a.Info.Nx != b.Info.Nx || a.Info.Ny != b.Info.Ny || a.Info.Nz != b.Info.Nz)
            throw new InvalidInputException(truth, "differs in size from the simulation's tomogram");
    }

    /// <summary>
    /// The row with the highest F1 among those whose false positives are at most <paramref name="maxFalsePositivePercent"/>
    /// of the truth (all rows when null); a tie goes to the higher threshold. Throws <see cref="InvalidOptionException"/>
    /// when no row qualifies.
    /// </summary>
    public static (int Index, string Rule) Choose(IReadOnlyList<ThresholdRow> rows, double? maxFalsePositivePercent)
    {
        int best = -1;
        for (int i = 0; i < rows.Count; i++)
        {
            var v = rows[i].Visible;
            if (maxFalsePositivePercent is double limit && v.FalsePositivePercentOfTruth > limit) continue;
            if (best < 0) { best = i; continue; }
            var b = rows[best].Visible;
            if (v.F1 > b.F1 || (v.F1 == b.F1 && rows[i].Threshold > rows[best].Threshold)) best = i;
        }
        if (best < 0)
        {
            int lowest = 0;
            for (int i = 1; i < rows.Count; i++)
                if (rows[i].Visible.FalsePositivePercentOfTruth < rows[lowest].Visible.FalsePositivePercentOfTruth) lowest = i;
            throw new InvalidOptionException("--max-fp", string.Create(CultureInfo.InvariantCulture,
                $"no threshold keeps the false positives at or below {maxFalsePositivePercent} % of the visible truth (the fewest: {rows[lowest].Visible.FalsePositivePercentOfTruth:0.0} % at {rows[lowest].Threshold:0.00}); nothing written"));
        }
        string rule = maxFalsePositivePercent is double l
            ? string.Create(CultureInfo.InvariantCulture, $"the highest pooled visible F1 (±1 voxel) among thresholds whose false positives are at most {l} % of the visible truth; ties to the higher threshold")
            : "the highest pooled visible F1 (±1 voxel); ties to the higher threshold";
        return (best, rule);
    }

    /// <summary>
    /// Membrane labels at <paramref name="threshold"/> from a probability map that <c>sxtseg segment</c> wrote as float32
    /// with its default options (one prediction axis, no smoothing along z): the stored probabilities are its bytes / 255,
    /// recovered exactly, and thresholded and cleaned up by the very code that made <c>labels.mrc</c>, so at the model's
    /// own threshold these are <c>segment</c>'s labels voxel for voxel.
    /// </summary>
    public static IMaskStream Labels(string float32Probabilities, double threshold)
    {
        var slices = new StoredProbabilities(float32Probabilities);
        return PostProcessing.Chain(new ProbabilityMaskStream(slices, new[] { 1.0 }, 0, threshold, null, 0), new SegmentOptions());
    }

    /// <summary>A float32 probability map read back as the 0..255 bytes it was made from (the file is open while slices are read in order, closed after the last).</summary>
    private sealed class StoredProbabilities : IProbabilitySlices
    {
        private readonly string _path;
        private readonly float[] _buffer;
        private IVolumeReader? _reader;

        public StoredProbabilities(string path)
        {
            _path = path;
            using var r = VolumeIO.OpenRead(path);
            if (r.Info.Type != VoxelType.Float32) throw new InvalidInputException(path, $"is {r.Info.Type}; the calibration reads float32 probability maps");
            Info = r.Info with { Type = VoxelType.UInt8 };
            _buffer = new float[r.Info.SliceLength];
        }

        public VolumeInfo Info { get; }

        public int Axes => 1;

        public void ReadSlice(int axis, int z, Span<byte> dest)
        {
            _reader ??= VolumeIO.OpenRead(_path);
            _reader.ReadSlice<float>(z, _buffer);
            if (z == Info.Nz - 1)
            {
                _reader.Dispose();
                _reader = null;
            }
            for (int i = 0; i < _buffer.Length; i++)
            {
                float v = _buffer[i] * 255f;
                dest[i] = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)MathF.Round(v);
            }
        }
    }
}
