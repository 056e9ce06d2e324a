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
/// SxtSeg's training recipe (<see cref="TrainingRecipe.SxtSeg"/>): optimiser steps on batches of
/// small random crops drawn from every annotated slice (dihedral augmentation, optional contrast
/// inversion), the loss BCE + soft Dice on a logit head with ignored pixels weighted 0, and, every
/// <see cref="TrainingOptions.ImageEvery"/> label steps, an image-mode step (the semi-supervised
/// half of Deep-SXT) on crops of any slice. Learning rate: linear warm-up, then cosine decay.
/// Every <see cref="TrainingOptions.ValidateEvery"/> steps the batch-norm statistics are
/// re-estimated, the network is scored on the validation slices (<see cref="SliceValidator"/>:
/// visible-membrane F1 within one pixel, best threshold), and the best model (with its threshold),
/// the last one, a resumable checkpoint, the logs and the curve are written. A time budget
/// (<see cref="TrainingOptions.MaxMinutes"/>) ends the invocation at a validation; <c>--resume</c>
/// continues bit for bit.
/// </summary>
/// <remarks>
/// Output folder: as <see cref="SemiSupervisedTrainer"/> (<c>model.sxtmodel</c>, <c>model-last.sxtmodel</c>,
/// <c>checkpoint.sxtckpt</c>, <c>metrics.csv</c>, <c>metrics.jsonl</c>, <c>loss.png</c>, <c>training.json</c>).
/// </remarks>
public static class StepTrainer
{
    /// <summary>Batches used to re-estimate batch-norm statistics before each validation.</summary>
    public const int RecalibrationBatches = 24;

    /// <summary>Runs (or resumes) a training run.</summary>
    public static TrainingResult Run(TrainingRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var run = Prepare(request);
        var options = run.Options;
        TorchRuntime.SetThreads(options.Threads);
        var device = TorchRuntime.Resolve(options.Device);
        using var bank = SliceBank.Build(run.Inputs, options, progress, cancel);
        if (bank.Validation.Count == 0)
            throw new InvalidOptionException(nameof(TrainingInputs.ValidationSimulations), "no validation slices: give --val-sim simulation folders (or annotated slices of your own, of which a share is held out)");
        CheckCropFits(options, bank);
        TrainingSetup.CreateOutputFolder(run.OutputFolder);
        using var net = TrainingSetup.CreateNetwork(options, request.InitialModel, run.Resumed is null ? null : run.ResumedSections, TrainingCheckpoint.FileName);
        if (run.Inputs.ValidationOverlap() is { } overlap) request.Warn?.Invoke(overlap);
        if (device.type != DeviceType.CPU) net.to(device);
        using var heads = options.DeepSupervision > 0 ? DeepSupervision(net, options.DeepSupervision, device, run) : null;
        using var steps = new RecipeSteps(net, options.LearningRate, options.AdamEpsilon, device, options.TolerantDice, options.SkeletonRecall, heads);
        var state = run.Resumed ?? new TrainingCheckpoint { Recipe = options.RecipeJson(), Inputs = run.Inputs.ToJson() };
        var rng = new TrainingRandom(options.Seed);
        if (run.Resumed is not null)
        {
            TrainingCheckpoint.LoadOptimizer(steps.LabelOptimizer, run.ResumedSections![TrainingCheckpoint.LabelOptimizerSection], run.CheckpointPath);
            TrainingCheckpoint.LoadOptimizer(steps.ImageOptimizer, run.ResumedSections[TrainingCheckpoint.ImageOptimizerSection], run.CheckpointPath);
            rng.State = state.RandomState;
        }
        var provenance = Provenance(request, options, run.Inputs);
        var loop = new Loop(options, bank, steps, net, device, state, rng, run, provenance);
        if (run.Resumed is null && request.InitialModel is not null) loop.ScoreStartingModel(request.InitialModel, progress, cancel);
        bool budgetEnded = loop.Train(progress, cancel);
        var best = state.Validations.OfType<JsonObject>().LastOrDefault(v => (long?)v["step"] == state.BestStep);
        string bestPath = Path.Combine(run.OutputFolder, SemiSupervisedTrainer.BestModelFileName);
        return new TrainingResult(bestPath, state.BestModelId, (int)Math.Min(int.MaxValue, state.BestStep),
            (int)Math.Min(int.MaxValue, state.Step), budgetEnded, state.History)
        {
            Recipe = TrainingRecipe.SxtSeg,
            BestValidation = best,
            BudgetEnded = budgetEnded,
            StartingValidation = state.Validations.OfType<JsonObject>().FirstOrDefault(v => (bool?)v["starting_model"] == true),
            StoredThreshold = File.Exists(bestPath) ? ModelFile.ReadCard(bestPath).EffectiveThreshold : null,
        };
    }

    /// <summary>
    /// model.sxtmodel of a fine-tuning run until a step beats the start: the starting model's file itself
    /// (weights, threshold, voxel-size range, resolution, polarity referee), with this run's score of it
    /// on the run's validation data added to its card as <c>metrics.fine_tuning_start</c>. Saving the
    /// step-0 network with a card of the run's own instead gave a file with the starting weights but the
    /// threshold of the user's few validation slices and the voxel-size range of their data only (so
    /// <c>segment</c> skipped its scale search): not the model the run said it kept. Returns the id.
    /// </summary>
    internal static string KeepStartingModel(string initialModel, string path, JsonObject runValidation)
        => ModelFile.RewriteCard(initialModel, path, card => card.Metrics["fine_tuning_start"] = runValidation).Id;

    /// <summary>The deep-supervision heads of <paramref name="net"/> on <paramref name="device"/>, with their weights from the checkpoint on a resume.</summary>
    private static DeepSupervisionHeads DeepSupervision(SegmentationNetwork net, double weight, Device device, Prepared run)
    {
        var heads = new DeepSupervisionHeads(net, weight);
        try
        {
            if (device.type != DeviceType.CPU) heads.to(device);
            if (run.Resumed is null) return heads;
            if (!run.ResumedSections!.TryGetValue(DeepSupervisionHeads.CheckpointSection, out var bytes))
                throw new InvalidInputException(run.CheckpointPath, "the checkpoint of a run with deep supervision lacks its heads");
            TrainingCheckpoint.LoadSection(heads.Load, bytes, run.CheckpointPath, "the deep-supervision heads");
            return heads;
        }
        catch
        {
            heads.Dispose();
            throw;
        }
    }

    private sealed record Prepared(TrainingOptions Options, TrainingInputs Inputs, string OutputFolder, string CheckpointPath, TrainingCheckpoint? Resumed, Dictionary<string, byte[]>? ResumedSections)
    {
        /// <summary>
        /// The polarity referee the starting model carries (kept in the checkpoint across resumes), embedded in every
        /// model of a run that reads neighbouring slices: fine-tuning the shipped 7-slice model keeps its referee.
        /// </summary>
        public ModelReferee? Referee { get; init; }
    }

    /// <summary>Resolves a resume (options and inputs from the checkpoint when not given) and checks the output folder.</summary>
    private static Prepared Prepare(TrainingRequest request)
    {
        var options = request.Options;
        var inputs = request.Inputs;
        var (outDir, checkpointPath, resumed, sections) = TrainingRunFolder.Open(request);
        if (resumed is not null)
        {
            if ((string?)resumed.Recipe["recipe"] != "sxtseg")
                throw new InvalidOptionException(nameof(TrainingRequest.Resume), $"{checkpointPath} was trained with the paper's recipe; resume it with --recipe paper");
            // Data and recipe come from the checkpoint; run options (budget, threads, device) from this call.
            inputs = inputs.HasNoAnnotated ? TrainingInputs.FromJson(resumed.Inputs) : inputs;
            if (inputs.ToJson().ToJsonString() != resumed.Inputs.ToJsonString())
                throw new InvalidOptionException(nameof(TrainingRequest.Resume), "the training inputs differ from the checkpoint's; resume with the same inputs (or only --out and --resume)");
            options = options.WithRecipe(resumed.Recipe) with { Architecture = resumed.Architecture };
        }
        options.Validate();
        if (!options.Architecture.IsDeepSxt && options.Architecture.UNet!.Head != LabelHead.Logit)
            throw new InvalidOptionException(nameof(TrainingOptions.Architecture), $"the SxtSeg recipe trains a logit head: add ,head=logit to the architecture ({options.Architecture.Spec}), or use --recipe paper");
        if (options.Architecture.IsDeepSxt)
            throw new InvalidOptionException(nameof(TrainingOptions.Architecture), "the SxtSeg recipe trains the U-Nets (head=logit); the Deep-SXT network trains with --recipe paper");
        if (resumed is null && request.InitialModel is { } initPath)
        {
            var card = ModelFile.ReadCard(initPath);
            // A model may start a network with more context (its first convolution is widened), and a
            // model without a 3-D stem one with it (the stem starts at zero output).
            var target = options.Architecture;
            bool widened = card.Network.Context < target.Context && card.Network.Stem3D == 0 && !card.Network.IsDeepSxt
                && card.Network.WithContext(target.Context).Equals(target.WithStem3D(0));
            bool stemmed = card.Network.Stem3D == 0 && target.Stem3D > 0 && card.Network.Equals(target.WithStem3D(0));
            // and a U-Net one with wider levels (new channels start unread: see TrainingSetup.CopyWeights)
            bool wider = card.Network.UNet is { } narrow && target.UNet is { } wide && narrow.CanWidenTo(wide);
            if (!card.Network.Equals(target) && !widened && !stemmed && !wider)
                throw new InvalidOptionException(nameof(TrainingRequest.InitialModel), $"{initPath} is a model of {card.Network.Spec}; this run trains {options.Architecture.Spec}");
        }
        ModelReferee? referee = options.Architecture.Context == 0 ? null
            : sections is not null ? ModelFile.RefereeOf(sections)
            : request.InitialModel is { } init ? ModelFile.RefereeOf(ModelContainer.Read(init)) : null;
        return new Prepared(options, inputs, outDir, checkpointPath, resumed, sections) { Referee = referee };
    }

    /// <summary>Learning rate at step <paramref name="step"/> (0-based): linear warm-up, then cosine decay to the final fraction.</summary>
    public static double LearningRate(TrainingOptions o, long step)
    {
        double peak = o.LearningRate;
        if (step < o.WarmupSteps) return peak * (step + 1) / o.WarmupSteps;
        double t = Math.Clamp((double)(step - o.WarmupSteps) / Math.Max(1, o.Steps - o.WarmupSteps), 0, 1);
        double floor = peak * o.FinalLearningRateFraction;
        return floor + 0.5 * (peak - floor) * (1 + Math.Cos(Math.PI * t));
    }

    /// <summary>
    /// Refuses a crop larger than every training slice can give (its largest side, magnified by the
    /// scale augmentation's largest factor): such crops would be mostly padding, and their memory
    /// grows with the square of the crop (a 2048² crop of 48² slices took gigabytes).
    /// </summary>
    internal static void CheckCropFits(TrainingOptions options, SliceBank bank)
    {
        // the sources the training crops come from (annotated and image-only slices; not validation)
        var used = new bool[bank.Sources.Count];
        foreach (var r in bank.Train) used[r.Source] = true;
        foreach (var r in bank.Images) used[r.Source] = true;
        int largest = 0;
        for (int i = 0; i < used.Length; i++)
            if (used[i]) largest = Math.Max(largest, Math.Max(bank.Sources[i].Nx, bank.Sources[i].Ny));
        double scale = Math.Max(1, options.ScaleMax);
        int reach = (int)Math.Floor(largest * scale + 1e-9);
        if (options.CropSize <= reach) return;
        int multiple = Math.Max(16, options.Architecture.InputMultiple);
        int suggest = reach / multiple * multiple;
        string magnified = scale > 1 ? string.Create(CultureInfo.InvariantCulture, $", {reach} magnified by the scale augmentation's {scale:0.##}") : "";
        throw new InvalidOptionException(nameof(TrainingOptions.CropSize), suggest >= 32
            ? $"a {options.CropSize}² crop is larger than every training slice (the largest side is {largest} px{magnified}); give {suggest} or less"
            : $"a {options.CropSize}² crop is larger than every training slice (the largest side is {largest} px{magnified}), and the smallest crop is 32: train on larger slices");
    }

    /// <summary>The training loop and its bookkeeping.</summary>
    private sealed class Loop
    {
        private readonly TrainingOptions _o;
        private readonly SliceBank _bank;
        private readonly RecipeSteps _steps;
        private readonly SegmentationNetwork _net;
        private readonly Device _device;
        private readonly TrainingCheckpoint _state;
        private readonly TrainingRandom _rng;
        private readonly Prepared _run;
        private readonly Provenance _provenance;
        private readonly CropSampler _sampler;
        private readonly float[] _images, _imageTargets; // _imageTargets: the image decoder's targets (--clean-target), else empty
        private readonly byte[] _targets, _weights;
        private double _labelSum, _imageSum;
        private int _labelCount, _imageCount;

        public Loop(TrainingOptions o, SliceBank bank, RecipeSteps steps, SegmentationNetwork net, Device device, TrainingCheckpoint state, TrainingRandom rng, Prepared run, Provenance provenance)
        {
            _o = o; _bank = bank; _steps = steps; _net = net; _device = device; _state = state; _rng = rng; _run = run; _provenance = provenance;
            _sampler = new CropSampler(bank, o.CropSize, o.CropAugmentation, net.Architecture.Context);
            int n = o.BatchSize * o.CropSize * o.CropSize;
            _images = new float[n * _sampler.Channels];
            _imageTargets = o.CleanTarget ? new float[n] : Array.Empty<float>();
            _targets = new byte[n];
            _weights = new byte[n];
        }

        /// <summary>
        /// Fine-tuning: scores the starting model on the validation slices before any step (recorded as
        /// step 0 with its own threshold), so the logs and the result show whether training helped.
        /// </summary>
        public void ScoreStartingModel(string initialModel, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            progress.Report("scoring the starting model", 0, 1, "");
            var v = SliceValidator.Validate(_net, _bank, _bank.Validation, _device, cancel);
            _state.Validations.Add(new JsonObject
            {
                ["step"] = 0L,
                ["seconds"] = 0.0,
                ["learning_rate"] = 0.0,
                ["train_label_loss"] = null,
                ["train_image_loss"] = null,
                ["validation"] = v.ToJson(),
                ["starting_model"] = true,
            });
            _state.StartScore = v.Best.F1;
            // The starting model is the best so far: if no step beats it, model.sxtmodel stays the starting model.
            _state.BestScore = v.Best.F1;
            _state.BestStep = 0;
            _state.BestModelId = KeepStartingModel(initialModel, Path.Combine(_run.OutputFolder, SemiSupervisedTrainer.BestModelFileName), v.ToJson());
        }

        /// <summary>Crop <paramref name="k"/>'s slot in the image-target buffer (empty without --clean-target).</summary>
        private Span<float> ImageTarget(int k)
        {
            int cc = _o.CropSize * _o.CropSize;
            return _imageTargets.Length == 0 ? default : _imageTargets.AsSpan(k * cc, cc);
        }

        /// <summary>Trains until the schedule ends or the budget is spent; returns true when the budget ended it.</summary>
        public bool Train(IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            var clock = Stopwatch.StartNew();
            var sinceValidation = Stopwatch.StartNew();
            int b = _o.BatchSize, c = _o.CropSize, planes = _sampler.Channels;
            int imageEvery = _o.SupervisedOnly ? 0 : _o.ImageEvery;
            while (_state.Step < _o.Steps)
            {
                cancel.ThrowIfCancellationRequested();
                double lr = LearningRate(_o, _state.Step);
                _steps.SetLearningRate(lr);
                for (int k = 0; k < b; k++)
                    _sampler.DrawAnnotated(_rng, _images.AsSpan(k * planes * c * c, planes * c * c), _targets.AsSpan(k * c * c, c * c), _weights.AsSpan(k * c * c, c * c), _o.InvertProbability, ImageTarget(k));
                var (_, label) = _steps.LabelStep(_images, _targets, _weights, b, c, _imageTargets);
                if (!double.IsFinite(label))
                    throw new InvalidOptionException(nameof(TrainingOptions.LearningRate), $"training diverged at step {_state.Step + 1} (the loss is not finite); the last checkpoint is from step {_state.Validations.OfType<JsonObject>().Select(v => (long?)v["step"] ?? 0).DefaultIfEmpty(0).Max()}: start again with a lower --lr");
                _labelSum += label;
                _labelCount++;
                _state.Step++;
                if (imageEvery > 0 && _state.Step % imageEvery == 0)
                {
                    for (int k = 0; k < b; k++) _sampler.DrawImage(_rng, _images.AsSpan(k * planes * c * c, planes * c * c), _o.InvertProbability, ImageTarget(k));
                    _imageSum += _steps.ImageStep(_images, b, c, _imageTargets);
                    _imageCount++;
                }
                progress.Report("training", _state.Step, _o.Steps, "steps");
                bool budget = _o.MaxMinutes is double mm && clock.Elapsed.TotalMinutes >= mm;
                if (_state.Step % _o.ValidateEvery == 0 || _state.Step == _o.Steps || budget)
                {
                    ValidateAndSave(lr, sinceValidation.Elapsed.TotalSeconds, progress, cancel);
                    sinceValidation.Restart();
                    if (budget && _state.Step < _o.Steps) return true;
                }
            }
            return false;
        }

        private void ValidateAndSave(double lr, double seconds, IProgress<ProgressUpdate>? progress, CancellationToken cancel)
        {
            progress.Report("validating", 0, 1, "");
            _steps.RecalibrateBatchNorm(RecalibrationBatches(), _o.CropSize);
            var v = SliceValidator.Validate(_net, _bank, _bank.Validation, _device, cancel);
            var best = v.Best;
            var record = new JsonObject
            {
                ["step"] = _state.Step,
                ["seconds"] = Math.Round(seconds, 1),
                ["learning_rate"] = lr,
                ["train_label_loss"] = _labelCount > 0 && double.IsFinite(_labelSum) ? Math.Round(_labelSum / _labelCount, 5) : null,
                ["train_image_loss"] = _imageCount > 0 && double.IsFinite(_imageSum) ? Math.Round(_imageSum / _imageCount, 5) : null,
                ["validation"] = v.ToJson(),
            };
            _labelSum = _imageSum = 0;
            _labelCount = _imageCount = 0;
            _state.Validations.Add(record);
            _state.RandomState = _rng.State;
            bool improved = best.F1 > _state.BestScore;
            var card = Card(v, improved ? _state.Step : _state.BestStep);
            if (improved)
            {
                _state.BestScore = best.F1;
                _state.BestStep = _state.Step;
                _state.BestModelId = ModelFile.Save(Path.Combine(_run.OutputFolder, SemiSupervisedTrainer.BestModelFileName), _net, card, _run.Referee);
            }
            ModelFile.Save(Path.Combine(_run.OutputFolder, SemiSupervisedTrainer.LastModelFileName), _net, Card(v, _state.Step), _run.Referee);
            _state.Save(_run.CheckpointPath, _net, Card(v, _state.Step), _steps.LabelOptimizer, _steps.ImageOptimizer, _run.Referee,
                _steps.DeepSupervision is { } heads ? new KeyValuePair<string, byte[]>(DeepSupervisionHeads.CheckpointSection, heads.Save()) : null);
            WriteLogs();
        }

        /// <summary>Fixed batches (own seeded generator, so a resume sees the same ones) for the batch-norm statistics.</summary>
        private IEnumerable<float[]> RecalibrationBatches()
        {
            var rng = new TrainingRandom(_o.Seed ^ 0x0B4E_57A7L);
            int c = _o.CropSize, b = _o.BatchSize, planes = _sampler.Channels;
            var scratchT = new byte[c * c];
            var scratchW = new byte[c * c];
            for (int i = 0; i < StepTrainer.RecalibrationBatches; i++)
            {
                var batch = new float[b * planes * c * c];
                for (int k = 0; k < b; k++) _sampler.DrawAnnotated(rng, batch.AsSpan(k * planes * c * c, planes * c * c), scratchT, scratchW, 0);
                yield return batch;
            }
        }

        private ModelCard Card(ValidationResult v, long step)
        {
            var training = _bank.Summary();
            training["recipe"] = _o.RecipeJson();
            training["step"] = _state.Step;
            training["saved_step"] = step;
            training["provenance"] = _provenance.ToJsonObject();
            return new ModelCard(_net.Architecture)
            {
                Normalisation = _o.Normalisation,
                VoxelSizeRangeNm = _bank.VoxelSizeRange,
                ResolutionPx = _bank.ResolutionPx,
                VoxelSizeNm = _bank.VoxelSizeRange is { } r && r.Max - r.Min <= 0.01 * r.Max ? r.Min : null,
                Threshold = v.Best.Threshold,
                Training = training,
                Metrics = new JsonObject { ["validation"] = v.ToJson() },
            };
        }

        private void WriteLogs()
        {
            var csv = new StringBuilder();
            csv.AppendLine("step,seconds,learning_rate,train_label_loss,train_image_loss,val_f1,val_precision,val_recall,val_threshold,val_f1_at_0.5");
            var jsonl = new StringBuilder();
            var xs = new List<double>();
            var f1 = new List<double>();
            var loss = new List<double>();
            foreach (var n in _state.Validations.OfType<JsonObject>())
            {
                var val = n["validation"]!.AsObject();
                double at5 = val["by_threshold"]!.AsArray().OfType<JsonObject>().Where(t => Math.Abs((double)t["threshold"]! - 0.5) < 1e-9).Select(t => (double?)t["f1"] ?? double.NaN).FirstOrDefault(double.NaN);
                csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"{n["step"]},{n["seconds"]},{(double)n["learning_rate"]!:G5},{(double?)n["train_label_loss"]},{(double?)n["train_image_loss"]},{(double?)val["best_f1"]},{(double?)val["best_precision"]},{(double?)val["best_recall"]},{(double?)val["best_threshold"]},{at5}"));
                jsonl.AppendLine(n.ToJsonString());
                xs.Add((long)n["step"]!);
                f1.Add((double?)val["best_f1"] ?? double.NaN);
                loss.Add((double?)n["train_label_loss"] ?? double.NaN);
            }
            AtomicFile.WriteAllText(Path.Combine(_run.OutputFolder, "metrics.csv"), csv.ToString());
            AtomicFile.WriteAllText(Path.Combine(_run.OutputFolder, "metrics.jsonl"), jsonl.ToString());
            var series = new List<PlotSeries>
            {
                new("train label loss (BCE + Dice)", xs.ToArray(), loss.ToArray()),
                new("validation F1, visible membranes, ±1 px", xs.ToArray(), f1.ToArray()),
            };
            AtomicFile.WriteAllBytes(Path.Combine(_run.OutputFolder, "loss.png"), Plots.Lines("SxtSeg training", "step", "loss / F1", series));
            var summary = new JsonObject
            {
                ["provenance"] = _provenance.ToJsonObject(),
                ["data"] = _bank.Summary(),
                ["recipe"] = _o.RecipeJson(),
                ["steps_completed"] = _state.Step,
                ["best_step"] = _state.BestStep,
                ["best_model_id"] = _state.BestModelId,
                ["best_validation_f1"] = _state.BestScore,
                ["best_validation"] = _state.Validations.OfType<JsonObject>().FirstOrDefault(v => (long?)v["step"] == _state.BestStep)?["validation"]?.DeepClone(),
            };
            AtomicFile.WriteAllText(Path.Combine(_run.OutputFolder, "training.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    private static Provenance Provenance(TrainingRequest request, TrainingOptions options, TrainingInputs inputs)
    {
        var p = new Provenance("train");
        foreach (var (k, v) in options.ToJson()) p.Set(k, v?.ToJsonString().Trim('"'));
        if (request.CommandLine is { } cl) p.Set("command_line", cl);
        foreach (var f in inputs.Pairs.Concat(inputs.Simulations).Concat(inputs.ValidationSimulations).Concat(inputs.Unannotated)) p.AddInput(f);
        if (inputs.Volume is { } vol)
        {
            p.AddInput(vol.Image);
            p.AddInput(vol.Labels);
        }
        if (request.InitialModel is { } init)
        {
            p.Set("init", init);
            p.Set("init_model_id", ModelFile.ReadCard(init).Id);
        }
        return p;
    }
}
