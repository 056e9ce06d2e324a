using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// Semi-supervised Deep-SXT training as published: every epoch a label-mode pass over the
/// annotated training slices (× label repeats, shuffled) and then an image-mode pass over the
/// unannotated ones (× image repeats), each with its own Adam optimiser, random crops inside the
/// real image area with random 90° rotations and flips; then the fixed test crops are evaluated,
/// the best model (lowest test label loss) and the last one are saved with a resumable checkpoint,
/// metrics are appended to CSV and JSON lines and the loss curve is redrawn. Training stops after
/// the configured epochs or when the test loss has not improved for the patience.
/// </summary>
/// <remarks>
/// Output folder: <c>model.sxtmodel</c> (best), <c>model-last.sxtmodel</c>, <c>checkpoint.sxtckpt</c>,
/// <c>metrics.csv</c>, <c>metrics.jsonl</c>, <c>loss.png</c>, <c>training.json</c>. Every file is
/// written atomically after each epoch, so a kill loses at most the epoch in progress and
/// <see cref="TrainingRequest.Resume"/> continues bit-for-bit where the last checkpoint left off.
/// </remarks>
public static class SemiSupervisedTrainer
{
    /// <summary>Best model file name.</summary>
    public const string BestModelFileName = "model.sxtmodel";

    /// <summary>Last-epoch model file name.</summary>
    public const string LastModelFileName = "model-last.sxtmodel";

    /// <summary>Runs (or resumes) a training run.</summary>
    public static TrainingResult Run(TrainingRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var run = Prepare(request);
        var options = run.Options;
        TorchRuntime.SetThreads(options.Threads);
        var device = TorchRuntime.Resolve(options.Device);
        if (run.Resumed is null && request.InitialModel is { } initPath) CheckInitialModel(initPath, options);

        using var data = TrainingDataBuilder.Build(run.Inputs, options, progress, cancel);
        TrainingSetup.CreateOutputFolder(run.OutputFolder);
        using var net = TrainingSetup.CreateNetwork(options, request.InitialModel, run.Resumed is null ? null : run.ResumedSections, run.CheckpointPath);
        if (device.type != DeviceType.CPU) net.to(device);

        using var steps = new TrainingSteps(net, options.LearningRate, options.AdamEpsilon, data.SsimRange, device, options.MembraneWeight);
        var state = run.Resumed ?? new TrainingCheckpoint { Recipe = options.RecipeJson(), Inputs = run.Inputs.ToJson() };
        var rng = new TrainingRandom(options.Seed);
        if (run.Resumed is not null)
        {
            TrainingCheckpoint.LoadOptimizer(steps.LabelOptimizer, run.ResumedSections![TrainingCheckpoint.LabelOptimizerSection], run.CheckpointPath);
            TrainingCheckpoint.LoadOptimizer(steps.ImageOptimizer, run.ResumedSections[TrainingCheckpoint.ImageOptimizerSection], run.CheckpointPath);
            rng.State = run.Resumed.RandomState;
        }

        var loop = new EpochLoop(run, data, net, steps, state, rng, Provenance(request, options, run.Inputs));
        bool stoppedEarly = loop.Train(progress, cancel);
        return new TrainingResult(Path.Combine(run.OutputFolder, BestModelFileName), state.BestModelId, state.BestEpoch, state.Epoch, stoppedEarly, state.History);
    }

    /// <summary>The run's options and inputs (from the checkpoint when resuming with neither), output folder and checkpoint.</summary>
    private sealed record Prepared(TrainingOptions Options, TrainingInputs Inputs, string OutputFolder, string CheckpointPath, TrainingCheckpoint? Resumed, Dictionary<string, byte[]>? ResumedSections);

    /// <summary>Resolves a resume (checking it is the same run), refuses an output folder holding another run, and validates the options.</summary>
    private static Prepared Prepare(TrainingRequest request)
    {
        var options = request.Options;
        var inputs = request.Inputs;
        var (outDir, checkpointPath, resumed, resumedSections) = TrainingRunFolder.Open(request);
        if (resumed is not null)
        {
            if (inputs.HasNoAnnotated)
            {
                if (request.WidthExplicit && !resumed.Architecture.Equals(options.Architecture))
                    throw new InvalidOptionException(nameof(TrainingRequest.Resume), $"{checkpointPath} is a checkpoint of {Describe(resumed.Architecture)}; this run asks for {Asked(options.Architecture)}");
                // "sxtseg train --out DIR --resume": data and recipe come from the checkpoint.
                inputs = TrainingInputs.FromJson(resumed.Inputs);
                options = options.WithRecipe(resumed.Recipe);
            }
            else CheckSameRun(resumed, options, inputs, checkpointPath);
        }
        options.Validate();
        return new Prepared(options, inputs, outDir, checkpointPath, resumed, resumedSections);
    }

    /// <summary>Checked before anything is read or written: a model of another architecture is an option error.</summary>
    private static void CheckInitialModel(string initPath, TrainingOptions options)
    {
        var initCard = ModelFile.ReadCard(initPath);
        if (!initCard.Network.Equals(options.Architecture))
            throw new InvalidOptionException(nameof(TrainingRequest.InitialModel), initCard.Network.IsDeepSxt && options.Architecture.IsDeepSxt
                ? $"{initPath} is a width-{initCard.Width} ({initCard.Preset}) model; this run trains width {options.Width} (use --width {initCard.Width})"
                : $"{initPath} is a model of {Describe(initCard.Network)}; this run trains {Describe(options.Architecture)} (use --arch {ArchOption(initCard.Network)})");
    }

    /// <summary>The epochs: label pass, image pass, test evaluation, bookkeeping and saving.</summary>
    private sealed class EpochLoop
    {
        private readonly Prepared _run;
        private readonly TrainingOptions _o;
        private readonly TrainingData _data;
        private readonly SegmentationNetwork _net;
        private readonly TrainingSteps _steps;
        private readonly TrainingCheckpoint _state;
        private readonly TrainingRandom _rng;
        private readonly Provenance _provenance;
        private readonly List<TestCrop> _testAnnotated, _testUnannotated;
        private readonly int _labelSteps, _stepsPerEpoch;
        private readonly long _totalSteps;
        private readonly float[] _images, _labels;

        public EpochLoop(Prepared run, TrainingData data, SegmentationNetwork net, TrainingSteps steps, TrainingCheckpoint state, TrainingRandom rng, Provenance provenance)
        {
            _run = run; _o = run.Options; _data = data; _net = net; _steps = steps; _state = state; _rng = rng; _provenance = provenance;
            var options = _o;
            _testAnnotated = TestCrops(data.AnnotatedTest.Select(s => s.Area).ToList(), options);
            _testUnannotated = TestCrops(data.UnannotatedTest.Select(s => s.Area).ToList(), options);
            int c = options.CropSize, batch = options.BatchSize;
            _labelSteps = (data.AnnotatedTrain.Count * options.LabelRepeats + batch - 1) / batch;
            int imageSteps = options.SupervisedOnly ? 0 : (data.UnannotatedTrain.Count * options.ImageRepeats + batch - 1) / batch;
            _stepsPerEpoch = _labelSteps + imageSteps;
            _totalSteps = (long)options.Epochs * _stepsPerEpoch;
            _images = new float[batch * c * c];
            _labels = new float[batch * c * c];
        }

        /// <summary>Trains until the configured epochs or the patience is exhausted; returns true when it stopped early.</summary>
        public bool Train(IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            bool stoppedEarly = _state.SinceBest >= _o.Patience && _state.Epoch > 0;
            while (!stoppedEarly && _state.Epoch < _o.Epochs)
            {
                var watch = Stopwatch.StartNew();
                int epoch = _state.Epoch + 1;
                long doneBefore = (long)_state.Epoch * _stepsPerEpoch;

                // Label mode: annotated slices × repeats, shuffled, in batches.
                var (labelSum, labelBatches) = LabelPass(doneBefore, progress, cancel);

                // Image mode: unannotated slices × repeats, shuffled, streamed from their files.
                var (imageSum, imageCount) = _o.SupervisedOnly ? (0.0, 0) : ImagePass(doneBefore + labelBatches, progress, cancel);

                var metrics = Evaluate(_steps, _data, _testAnnotated, _testUnannotated, _o.CropSize) with
                {
                    Epoch = epoch,
                    TrainLabelLoss = labelSum / Math.Max(1, _labelSteps),
                    TrainImageLoss = imageCount > 0 ? imageSum / imageCount : double.NaN,
                    Seconds = watch.Elapsed.TotalSeconds,
                };
                bool improved = Record(metrics);
                stoppedEarly = _state.SinceBest >= _o.Patience;

                // Save: best model (if improved), last model, checkpoint, logs, plot.
                Save(metrics, improved, stoppedEarly);
                progress.Report("training", (long)epoch * _stepsPerEpoch, _totalSteps, "steps");
            }
            progress.Report("training", _totalSteps, _totalSteps, "steps");
            return stoppedEarly;
        }

        /// <summary>Indices 0..count−1, each <paramref name="repeats"/> times, shuffled.</summary>
        private List<int> Shuffled(int count, int repeats)
        {
            var order = new List<int>();
            for (int r = 0; r < repeats; r++) order.AddRange(Enumerable.Range(0, count));
            _rng.Shuffle(order);
            return order;
        }

        /// <summary>One label-mode step per batch of annotated crops; returns the summed loss and the batches.</summary>
        private (double Sum, int Batches) LabelPass(long done, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            int c = _o.CropSize;
            return Pass(_data.AnnotatedTrain.Count, _o.LabelRepeats, (k, index) =>
            {
                var s = _data.AnnotatedTrain[index];
                var p = Crops.Draw(_rng, s.Area, c);
                Crops.Extract(s.Image, s.Nx, c, p, _images.AsSpan(k * c * c, c * c));
                Crops.ExtractLabel(s.Membrane, s.Nx, c, p, _labels.AsSpan(k * c * c, c * c));
            }, b => _steps.LabelStep(_images.AsSpan(0, b * c * c), _labels.AsSpan(0, b * c * c), b, c), done, progress, cancel);
        }

        /// <summary>One image-mode step per batch of unannotated crops; returns the summed loss and the batches.</summary>
        private (double Sum, int Batches) ImagePass(long done, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            int c = _o.CropSize;
            return Pass(_data.UnannotatedTrain.Count, _o.ImageRepeats, (k, index) =>
            {
                var s = _data.UnannotatedTrain[index];
                var slice = _data.ReadUnannotated(s);
                var p = Crops.Draw(_rng, s.Area, c);
                Crops.Extract(slice, _data.WidthOf(s), c, p, _images.AsSpan(k * c * c, c * c));
            }, b => _steps.ImageStep(_images.AsSpan(0, b * c * c), b, c), done, progress, cancel);
        }

        /// <summary>
        /// One pass over <paramref name="count"/> slices, each <paramref name="repeats"/> times in shuffled order, in batches:
        /// <paramref name="fill"/> (crop k of the batch, slice index) fills the batch buffers, <paramref name="step"/> (batch size)
        /// takes one optimiser step and returns its loss. Returns the summed loss and the batches.
        /// </summary>
        private (double Sum, int Batches) Pass(int count, int repeats, Action<int, int> fill, Func<int, double> step,
            long done, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            int batch = _o.BatchSize;
            var order = Shuffled(count, repeats);
            double sum = 0;
            int batches = 0;
            for (int i = 0; i < order.Count; i += batch)
            {
                cancel.ThrowIfCancellationRequested();
                int b = Math.Min(batch, order.Count - i);
                for (int k = 0; k < b; k++) fill(k, order[i + k]);
                sum += step(b);
                progress.Report("training", done + ++batches, _totalSteps, "steps");
            }
            return (sum, batches);
        }

        /// <summary>Adds the epoch to the state (history, generator state, best epoch and patience count); returns true when the test loss improved.</summary>
        private bool Record(EpochMetrics metrics)
        {
            _state.Epoch = metrics.Epoch;
            _state.History.Add(metrics);
            _state.RandomState = _rng.State;
            bool improved = metrics.TestLabelLoss < _state.BestLoss;
            if (improved)
            {
                _state.BestLoss = metrics.TestLabelLoss;
                _state.BestEpoch = metrics.Epoch;
                _state.SinceBest = 0;
            }
            else _state.SinceBest++;
            return improved;
        }

        /// <summary>Writes the best model (if improved), the last model, the checkpoint, the logs and the plot.</summary>
        private void Save(EpochMetrics metrics, bool improved, bool stoppedEarly)
        {
            string outDir = _run.OutputFolder;
            if (improved)
                _state.BestModelId = ModelFile.Save(Path.Combine(outDir, BestModelFileName), _net, Card(_net, _data, _o, _state, metrics, _provenance));
            ModelFile.Save(Path.Combine(outDir, LastModelFileName), _net, Card(_net, _data, _o, _state, metrics, _provenance));
            _state.Save(_run.CheckpointPath, _net, Card(_net, _data, _o, _state, metrics, _provenance), _steps);
            WriteLogs(outDir, _state, _provenance, _data, _o, stoppedEarly);
        }
    }

    private static void CheckSameRun(TrainingCheckpoint ck, TrainingOptions options, TrainingInputs inputs, string path)
    {
        if (!ck.Architecture.Equals(options.Architecture))
            throw new InvalidOptionException(nameof(TrainingRequest.Resume), $"{path} is a checkpoint of {Describe(ck.Architecture)}; this run asks for {Asked(options.Architecture)}");
        var now = options.RecipeJson();
        foreach (var (key, value) in ck.Recipe)
        {
            string a = value?.ToJsonString() ?? "null", b = now[key]?.ToJsonString() ?? "null";
            if (a != b) throw new InvalidOptionException(nameof(TrainingRequest.Resume), $"the checkpoint was trained with {key} = {a}, this run asks for {b}; resume with the same options (or only --out and --resume)");
        }
        if (ck.Inputs.ToJsonString() != inputs.ToJson().ToJsonString())
            throw new InvalidOptionException(nameof(TrainingRequest.Resume), "the training inputs differ from the checkpoint's; resume with the same inputs (or only --out and --resume)");
    }

    /// <summary>"a width-8 (small) network" or "the U-Net fast (unet:w=…)".</summary>
    private static string Describe(NetworkArchitecture a) => a.IsDeepSxt
        ? $"a width-{a.Width} ({NetworkPreset.NameOf(a)}) network"
        : $"the {NetworkPreset.NameOf(a)} U-Net ({a.Spec})";

    /// <summary>"width 8 (small)" or "the U-Net …".</summary>
    private static string Asked(NetworkArchitecture a) => a.IsDeepSxt ? $"width {a.Width} ({NetworkPreset.NameOf(a)})" : Describe(a);

    private static string ArchOption(NetworkArchitecture a) => NetworkPreset.NameOf(a) is var n && n != "custom" ? n : a.Spec;

    private static List<TestCrop> TestCrops(List<ImageArea> areas, TrainingOptions o)
    {
        // Fixed positions from their own seeded generator: the same test set every epoch and after a resume.
        var rng = new TrainingRandom(o.Seed ^ 0x7E57_C0DE_0001L);
        var crops = new List<TestCrop>();
        for (int i = 0; i < areas.Count; i++)
            for (int k = 0; k < o.TestCropsPerSlice; k++)
            {
                var a = areas[i];
                crops.Add(new TestCrop(i, a.X0 + rng.Next(a.Width - o.CropSize + 1), a.Y0 + rng.Next(a.Height - o.CropSize + 1)));
            }
        return crops;
    }

    /// <summary>Evaluates the fixed test crops (no augmentation, batch-norm in inference mode).</summary>
    internal static EpochMetrics Evaluate(TrainingSteps steps, TrainingData data, List<TestCrop> annotated, List<TestCrop> unannotated, int c)
    {
        var image = new float[c * c];
        var label = new float[c * c];
        double labelLoss = 0, imageLoss = 0, ssim = 0;
        long accHit = 0, accAll = 0, imgHit = 0, imgAll = 0, tp = 0, fp = 0, fn = 0;
        int ssimCount = 0;
        foreach (var t in annotated)
        {
            var s = data.AnnotatedTest[t.Slice];
            var p = new Crops.Placement(t.X, t.Y, 0, false, false);
            Crops.Extract(s.Image, s.Nx, c, p, image);
            Crops.ExtractLabel(s.Membrane, s.Nx, c, p, label);
            var (loss, ss, outLabel, rec) = steps.EvaluateAnnotated(image, label, c);
            labelLoss += loss;
            ssim += ss;
            ssimCount++;
            for (int i = 0; i < label.Length; i++)
            {
                // Labels and outputs mapped to [0, 1]: within 1 %.
                if (Math.Abs(0.5 * (outLabel[i] + 1) - 0.5 * (label[i] + 1)) <= 0.01 + 1e-9) accHit++;
                bool truth = label[i] > 0, pred = outLabel[i] > 0;
                if (truth && pred) tp++;
                else if (pred) fp++;
                else if (truth) fn++;
            }
            accAll += label.Length;
            (long h, long n) = WithinStd(image, rec);
            imgHit += h;
            imgAll += n;
        }
        foreach (var t in unannotated)
        {
            var s = data.UnannotatedTest[t.Slice];
            var slice = data.ReadUnannotated(s, 1);
            Crops.Extract(slice, data.WidthOf(s), c, new Crops.Placement(t.X, t.Y, 0, false, false), image);
            var (loss, ss, rec) = steps.EvaluateUnannotated(image, c);
            imageLoss += loss;
            ssim += ss;
            ssimCount++;
            (long h, long n) = WithinStd(image, rec);
            imgHit += h;
            imgAll += n;
        }
        double precision = tp + fp > 0 ? (double)tp / (tp + fp) : double.NaN;
        double recall = tp + fn > 0 ? (double)tp / (tp + fn) : double.NaN;
        return new EpochMetrics
        {
            TestLabelLoss = annotated.Count > 0 ? labelLoss / annotated.Count : double.NaN,
            TestImageLoss = unannotated.Count > 0 ? imageLoss / unannotated.Count : double.NaN,
            LabelAccuracy = accAll > 0 ? (double)accHit / accAll : double.NaN,
            ImageAccuracy = imgAll > 0 ? (double)imgHit / imgAll : double.NaN,
            Ssim = ssimCount > 0 ? ssim / ssimCount : double.NaN,
            MembraneF1 = tp + fp + fn > 0 ? 2.0 * tp / (2.0 * tp + fp + fn) : double.NaN,
            MembranePrecision = precision,
            MembraneRecall = recall,
        };
    }

    /// <summary>Pixels with |input − reconstruction| ≤ std(input), and the pixel count.</summary>
    internal static (long Hits, long Count) WithinStd(ReadOnlySpan<float> input, ReadOnlySpan<float> reconstruction)
    {
        double sum = 0, ss = 0;
        foreach (float v in input) sum += v;
        double mean = sum / input.Length;
        foreach (float v in input) ss += (v - mean) * (v - mean);
        double std = Math.Sqrt(ss / input.Length);
        long hits = 0;
        for (int i = 0; i < input.Length; i++) if (Math.Abs(input[i] - reconstruction[i]) <= std) hits++;
        return (hits, input.Length);
    }

    private static Provenance Provenance(TrainingRequest request, TrainingOptions options, TrainingInputs inputs)
    {
        var p = new Provenance("train");
        foreach (var (k, v) in options.ToJson()) p.Set(k, v?.ToJsonString().Trim('"'));
        if (request.CommandLine is { } cl) p.Set("command_line", cl);
        foreach (var f in inputs.Pairs.Concat(inputs.Simulations).Concat(inputs.Unannotated)) p.AddInput(f);
        if (inputs.Volume is { } vol)
        {
            p.AddInput(vol.Image);
            p.AddInput(vol.Labels);
        }
        return p;
    }

    private static ModelCard Card(SegmentationNetwork net, TrainingData data, TrainingOptions options, TrainingCheckpoint state, EpochMetrics metrics, Provenance provenance)
    {
        var training = data.Summary();
        training["options"] = options.RecipeJson();
        training["epoch"] = metrics.Epoch;
        training["best_epoch"] = state.BestEpoch;
        training["provenance"] = provenance.ToJsonObject();
        return new ModelCard(net.Architecture)
        {
            VoxelSizeNm = data.CommonVoxelSizeNm,
            Training = training,
            Metrics = metrics.ToJson(withTime: false),
        };
    }

    private static void WriteLogs(string outDir, TrainingCheckpoint state, Provenance provenance, TrainingData data, TrainingOptions options, bool stoppedEarly)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", EpochMetrics.Columns));
        var jsonl = new StringBuilder();
        foreach (var m in state.History)
        {
            csv.AppendLine(m.ToCsv());
            jsonl.AppendLine(m.ToJson().ToJsonString());
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.jsonl"), jsonl.ToString());

        double[] epochs = state.History.Select(h => (double)h.Epoch).ToArray();
        var series = new List<PlotSeries>
        {
            new("train label loss", epochs, state.History.Select(h => h.TrainLabelLoss).ToArray()),
            new("test label loss", epochs, state.History.Select(h => h.TestLabelLoss).ToArray()),
        };
        if (!options.SupervisedOnly)
        {
            series.Add(new("train image loss", epochs, state.History.Select(h => h.TrainImageLoss).ToArray()));
            if (data.UnannotatedTest.Count > 0) series.Add(new("test image loss", epochs, state.History.Select(h => h.TestImageLoss).ToArray()));
        }
        AtomicFile.WriteAllBytes(Path.Combine(outDir, "loss.png"), Plots.Lines("Deep-SXT training", "epoch", "loss", series, logY: true));

        var run = new JsonObject
        {
            ["provenance"] = provenance.ToJsonObject(),
            ["data"] = data.Summary(),
            ["epochs_completed"] = state.Epoch,
            ["best_epoch"] = state.BestEpoch,
            ["best_model_id"] = state.BestModelId,
            ["best_test_label_loss"] = double.IsFinite(state.BestLoss) ? state.BestLoss : null,
            ["stopped_early"] = stoppedEarly,
            ["best_metrics"] = state.History.FirstOrDefault(h => h.Epoch == state.BestEpoch)?.ToJson(),
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "training.json"), run.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
