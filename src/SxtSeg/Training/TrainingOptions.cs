using System.Globalization;
using System.Text.Json.Nodes;
using SxtSeg.Network;

namespace SxtSeg.Training;

/// <summary>
/// Options of a training run. Defaults are the published recipe (NETWORK.md); <see cref="SxtSegDefaults"/>
/// gives SxtSeg's recipe.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Which recipe (and trainer) the run follows.</summary>
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.Paper;

    /// <summary>Input normalisation of the slices (recorded in the model card; inference applies the same).</summary>
    public SliceNormalization Normalisation { get; init; } = SliceNormalization.Default;

    /// <summary>SxtSeg recipe: optimiser steps of the learning-rate schedule (the run's length).</summary>
    public int Steps { get; init; } = 20000;

    /// <summary>SxtSeg recipe: linear warm-up steps before the cosine decay.</summary>
    public int WarmupSteps { get; init; } = 300;

    /// <summary>
    /// The warm-up a run of <paramref name="steps"/> steps gets when none is asked for: the recipe's
    /// <paramref name="recipeWarmup"/>, or a tenth of the steps (rounded down) when the run is not longer
    /// than it (a short trial run, <c>--steps 200</c>, is not refused for a warm-up nobody asked for).
    /// </summary>
    public static int DefaultWarmup(int recipeWarmup, int steps) => recipeWarmup < steps ? recipeWarmup : Math.Max(0, steps / 10);

    /// <summary>SxtSeg recipe: the cosine decay ends at this fraction of the peak learning rate.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.01;

    /// <summary>SxtSeg recipe: validate (and save) every this many steps.</summary>
    public int ValidateEvery { get; init; } = 500;

    /// <summary>SxtSeg recipe: an image-mode step after every this many label steps (0 = none: supervised only).</summary>
    public int ImageEvery { get; init; } = 2;

    /// <summary>SxtSeg recipe: appearance augmentation of the crops (blur, noise, contrast; <see cref="CropSampler.Augment"/>).</summary>
    public bool Augment { get; init; }

    /// <summary>SxtSeg recipe: the stronger appearance augmentation (<see cref="CropSampler.Strong"/>; <c>--augment strong</c>).</summary>
    public bool StrongAugment { get; init; }

    /// <summary>SxtSeg recipe: the label loss's Dice term counts a prediction within ±1 pixel of the truth as a hit (<see cref="Losses.BceTolerantDice"/>; <c>--dice tolerant</c>).</summary>
    public bool TolerantDice { get; init; }

    /// <summary>SxtSeg recipe: weight of the skeleton-recall term of the label loss (<see cref="Losses.SkeletonRecall"/>; <c>--skeleton-recall W</c>; 0 = off).</summary>
    public double SkeletonRecall { get; init; }

    /// <summary>
    /// SxtSeg recipe: weight W of deep supervision (<see cref="DeepSupervisionHeads"/>; <c>--deep-supervision W</c>; 0 = off):
    /// training-only logit heads on the annotation decoder at 1/2 and 1/4 of the side, their label losses weighted W and W/2.
    /// </summary>
    public double DeepSupervision { get; init; }

    /// <summary>
    /// SxtSeg recipe: the image decoder learns to denoise (<c>--clean-target</c>): on crops from a
    /// simulation with a noise-free twin (<c>clean.mrc</c>, <c>sxtseg simulate --clean</c>) its target is
    /// the twin, normalised like the noisy slice, instead of the noisy input; other crops keep the input.
    /// </summary>
    public bool CleanTarget { get; init; }

    /// <summary>SxtSeg recipe: smallest source pixels per crop pixel of the rescaling augmentation (1 = off).</summary>
    public double ScaleMin { get; init; } = 1;

    /// <summary>SxtSeg recipe: largest source pixels per crop pixel of the rescaling augmentation (1 = off).</summary>
    public double ScaleMax { get; init; } = 1;

    /// <summary>The crop augmentations these options ask for.</summary>
    public CropAugmentation CropAugmentation => new(Augment, StrongAugment, ScaleMin, ScaleMax);

    /// <summary>SxtSeg recipe: probability of inverting the contrast of a training crop (0 = never).</summary>
    public double InvertProbability { get; init; }

    /// <summary>Stop (with a resumable checkpoint) after this many minutes of this invocation; null = no budget.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>
    /// Fine-tuning defaults (<c>--init</c> with the SxtSeg recipe): the shipped model's recipe with a short
    /// schedule (800 steps, lr 3e-4, 50 warm-up steps, validation every 100) and a 10-minute budget:
    /// a coffee break on a 2-core laptop.
    /// </summary>
    public static TrainingOptions FineTuneDefaults => SxtSegDefaults with
    {
        LearningRate = 3e-4, Steps = 800, WarmupSteps = 50, ValidateEvery = 100, MaxMinutes = 10,
    };

    /// <summary>The SxtSeg recipe's defaults (two-headed U-Net with a logit head, batch 8 of 160² crops, lr 1e-3).</summary>
    public static TrainingOptions SxtSegDefaults { get; } = new()
    {
        Recipe = TrainingRecipe.SxtSeg,
        Architecture = NetworkArchitecture.FromUNet(UNetConfig.Parse("w=8-16-32-64-128,enc=1-2-2-2-2,dec=1-1-2-2,head=logit")),
        Normalisation = SliceNormalization.Robust,
        LearningRate = 1e-3,
        BatchSize = 8,
        CropSize = 160,
        AdamEpsilon = 1e-8,
        Augment = true,
    };

    /// <summary>The network to train (default: Deep-SXT m = 8, the <c>small</c> preset; the paper used m = 64).</summary>
    public NetworkArchitecture Architecture { get; init; } = NetworkArchitecture.DeepSxt(8);

    /// <summary>
    /// Deep-SXT base width m (U-Net: full-resolution width). Setting it selects the Deep-SXT network of that width.
    /// </summary>
    public int Width
    {
        get => Architecture.Width;
        init => Architecture = NetworkArchitecture.DeepSxt(value);
    }

    /// <summary>Maximum epochs (an epoch = a label-mode pass, then an image-mode pass).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Stop after this many epochs without a new best test loss.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Adam learning rate of both optimisers (constant).</summary>
    public double LearningRate { get; init; } = 5e-5;

    /// <summary>Crops per optimiser step.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Side of the square random crops (multiple of 16).</summary>
    public int CropSize { get; init; } = 256;

    /// <summary>Times each annotated training slice is visited per epoch (label mode).</summary>
    public int LabelRepeats { get; init; } = 6;

    /// <summary>Times each unannotated training slice is visited per epoch (image mode).</summary>
    public int ImageRepeats { get; init; } = 1;

    /// <summary>Fraction of slices held out for testing (before augmentation).</summary>
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Fixed test crops per test slice.</summary>
    public int TestCropsPerSlice { get; init; } = 4;

    /// <summary>Seed of weights, split, crops and augmentation.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Train the label mode only (no image mode), to measure the semi-supervised gain.</summary>
    public bool SupervisedOnly { get; init; }

    /// <summary>libtorch intra-op threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Device.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Adam ε (Keras default 1e-7, as the authors' optimiser).</summary>
    public double AdamEpsilon { get; init; } = 1e-7;

    /// <summary>Weight of membrane pixels in the label-mode Huber loss (1 = the published loss; see <see cref="Losses.LabelMode"/>).</summary>
    public double MembraneWeight { get; init; } = 1;

    /// <summary>Checks ranges; throws <see cref="InvalidOptionException"/>.</summary>
    public void Validate()
    {
        if (Architecture.IsDeepSxt && (Width < 2 || Width > 256)) throw new InvalidOptionException(nameof(Width), $"base width must be 2..256, got {Width}");
        if (Epochs < 1) throw new InvalidOptionException(nameof(Epochs), $"must be at least 1, got {Epochs}");
        if (Patience < 1) throw new InvalidOptionException(nameof(Patience), $"must be at least 1, got {Patience}");
        if (!(LearningRate > 0 && LearningRate < 1)) throw new InvalidOptionException(nameof(LearningRate), $"learning rate must be in (0, 1), got {LearningRate.ToString(CultureInfo.InvariantCulture)}");
        if (BatchSize < 1 || BatchSize > 256) throw new InvalidOptionException(nameof(BatchSize), $"batch size must be 1..256, got {BatchSize}");
        int multiple = Math.Max(16, Architecture.InputMultiple);
        if (CropSize < 32 || CropSize % multiple != 0) throw new InvalidOptionException(nameof(CropSize), $"crop size must be a multiple of {multiple} and at least 32, got {CropSize}");
        if (LabelRepeats < 1) throw new InvalidOptionException(nameof(LabelRepeats), $"must be at least 1, got {LabelRepeats}");
        if (ImageRepeats < 1) throw new InvalidOptionException(nameof(ImageRepeats), $"must be at least 1, got {ImageRepeats}");
        if (!(TestFraction > 0 && TestFraction < 0.5)) throw new InvalidOptionException(nameof(TestFraction), "must be in (0, 0.5)");
        if (TestCropsPerSlice < 1) throw new InvalidOptionException(nameof(TestCropsPerSlice), "must be at least 1");
        if (!(MembraneWeight >= 1 && MembraneWeight <= 100)) throw new InvalidOptionException(nameof(MembraneWeight), $"must be in 1..100, got {MembraneWeight.ToString(CultureInfo.InvariantCulture)}");
        if (Recipe == TrainingRecipe.SxtSeg)
        {
            if (Steps < 1 || Steps > 10_000_000) throw new InvalidOptionException(nameof(Steps), $"must be 1..10000000, got {Steps}");
            if (WarmupSteps < 0 || WarmupSteps >= Steps) throw new InvalidOptionException(nameof(WarmupSteps), $"must be 0..{Steps - 1} (fewer than --steps), got {WarmupSteps}");
            if (ValidateEvery < 1) throw new InvalidOptionException(nameof(ValidateEvery), $"must be at least 1, got {ValidateEvery}");
            if (ImageEvery < 0 || ImageEvery > 1000) throw new InvalidOptionException(nameof(ImageEvery), $"must be 0..1000, got {ImageEvery}");
            if (!(InvertProbability >= 0 && InvertProbability <= 1)) throw new InvalidOptionException(nameof(InvertProbability), "must be a probability in 0..1");
            if (!(FinalLearningRateFraction > 0 && FinalLearningRateFraction <= 1)) throw new InvalidOptionException(nameof(FinalLearningRateFraction), "must be in (0, 1]");
        }
        if (Recipe != TrainingRecipe.SxtSeg && Architecture.Context > 0)
            throw new InvalidOptionException(nameof(NetworkArchitecture.Context), "a network that reads neighbouring slices trains with the SxtSeg recipe (--recipe sxtseg)");
        if (Recipe != TrainingRecipe.SxtSeg && TolerantDice)
            throw new InvalidOptionException(nameof(TolerantDice), "the tolerant Dice is a loss of the SxtSeg recipe (--recipe sxtseg)");
        if (!(SkeletonRecall >= 0 && SkeletonRecall <= 10)) throw new InvalidOptionException(nameof(SkeletonRecall), $"must be in 0..10, got {SkeletonRecall.ToString(CultureInfo.InvariantCulture)}");
        if (Recipe != TrainingRecipe.SxtSeg && SkeletonRecall > 0)
            throw new InvalidOptionException(nameof(SkeletonRecall), "the skeleton-recall term is a loss of the SxtSeg recipe (--recipe sxtseg)");
        if (!(DeepSupervision >= 0 && DeepSupervision <= 10)) throw new InvalidOptionException(nameof(DeepSupervision), $"must be in 0..10, got {DeepSupervision.ToString(CultureInfo.InvariantCulture)}");
        if (Recipe != TrainingRecipe.SxtSeg && DeepSupervision > 0)
            throw new InvalidOptionException(nameof(DeepSupervision), "deep supervision is part of the SxtSeg recipe (--recipe sxtseg)");
        if (DeepSupervision > 0 && Architecture.UNet is { } u && u.Widths.Count < 3)
            throw new InvalidOptionException(nameof(DeepSupervision), $"deep supervision needs a U-Net of at least 3 levels (a coarse decoder level to supervise); {Architecture.Spec} has {u.Widths.Count}");
        if (Recipe != TrainingRecipe.SxtSeg && CleanTarget)
            throw new InvalidOptionException(nameof(CleanTarget), "the noise-free image target is part of the SxtSeg recipe (--recipe sxtseg)");
        if (MaxMinutes is double mm && !(mm > 0 && mm <= 100_000)) throw new InvalidOptionException(nameof(MaxMinutes), $"must be a positive number of minutes, got {mm.ToString(CultureInfo.InvariantCulture)}");
        TorchRuntime.Resolve(Device);
    }

    /// <summary>The options that define the run (everything but epochs, patience, threads and device, which a resume may change).</summary>
    public JsonObject RecipeJson()
    {
        var o = new JsonObject
        {
        ["recipe"] = Recipe == TrainingRecipe.SxtSeg ? "sxtseg" : "paper",
        ["normalisation"] = Normalisation.Method,
        ["width"] = Width,
        ["architecture"] = Architecture.Spec,
        ["learning_rate"] = LearningRate,
        ["batch_size"] = BatchSize,
        ["crop_size"] = CropSize,
        ["label_repeats"] = LabelRepeats,
        ["image_repeats"] = ImageRepeats,
        ["test_fraction"] = TestFraction,
        ["test_crops_per_slice"] = TestCropsPerSlice,
        ["seed"] = Seed,
        ["supervised_only"] = SupervisedOnly,
        ["adam_epsilon"] = AdamEpsilon,
        ["membrane_weight"] = MembraneWeight,
        };
        if (Recipe == TrainingRecipe.SxtSeg)
        {
            o["loss"] = TolerantDice ? "bce+dice within ±1 px (logit head), ignored voxels weight 0" : "bce+dice (logit head), ignored voxels weight 0";
            if (TolerantDice) o["dice"] = "tolerant";
            if (SkeletonRecall > 0) o["skeleton_recall"] = SkeletonRecall;
            if (DeepSupervision > 0) o["deep_supervision"] = DeepSupervision;
            if (CleanTarget) o["clean_target"] = true;
            o["steps"] = Steps;
            o["warmup_steps"] = WarmupSteps;
            o["final_lr_fraction"] = FinalLearningRateFraction;
            o["validate_every"] = ValidateEvery;
            o["image_every"] = ImageEvery;
            o["invert_probability"] = InvertProbability;
            o["augment"] = Augment;
            if (StrongAugment) o["augment_strong"] = true;
            if (ScaleMin != 1 || ScaleMax != 1) o["scale_augment"] = new JsonArray(ScaleMin, ScaleMax);
        }
        return o;
    }

    /// <summary>These options with the recipe of a checkpoint (run options such as epochs, patience, threads and device kept).</summary>
    public TrainingOptions WithRecipe(JsonObject r) => this with
    {
        Recipe = (string?)r["recipe"] == "sxtseg" ? TrainingRecipe.SxtSeg : TrainingRecipe.Paper,
        Normalisation = (string?)r["normalisation"] == SliceNormalization.RobustPerSlice ? SliceNormalization.Robust : SliceNormalization.Default,
        Steps = (int?)r["steps"] ?? Steps,
        WarmupSteps = (int?)r["warmup_steps"] ?? WarmupSteps,
        FinalLearningRateFraction = (double?)r["final_lr_fraction"] ?? FinalLearningRateFraction,
        ValidateEvery = (int?)r["validate_every"] ?? ValidateEvery,
        ImageEvery = (int?)r["image_every"] ?? ImageEvery,
        InvertProbability = (double?)r["invert_probability"] ?? InvertProbability,
        Augment = (bool?)r["augment"] ?? false,
        StrongAugment = (bool?)r["augment_strong"] ?? false,
        TolerantDice = (string?)r["dice"] == "tolerant",
        SkeletonRecall = (double?)r["skeleton_recall"] ?? 0,
        DeepSupervision = (double?)r["deep_supervision"] ?? 0,
        CleanTarget = (bool?)r["clean_target"] ?? false,
        ScaleMin = r["scale_augment"] is JsonArray sa && sa.Count == 2 ? (double)sa[0]! : 1,
        ScaleMax = r["scale_augment"] is JsonArray sb && sb.Count == 2 ? (double)sb[1]! : 1,
        Architecture = RecipeArchitecture(r) ?? Architecture,
        LearningRate = (double?)r["learning_rate"] ?? LearningRate,
        BatchSize = (int?)r["batch_size"] ?? BatchSize,
        CropSize = (int?)r["crop_size"] ?? CropSize,
        LabelRepeats = (int?)r["label_repeats"] ?? LabelRepeats,
        ImageRepeats = (int?)r["image_repeats"] ?? ImageRepeats,
        TestFraction = (double?)r["test_fraction"] ?? TestFraction,
        TestCropsPerSlice = (int?)r["test_crops_per_slice"] ?? TestCropsPerSlice,
        Seed = (long?)r["seed"] ?? Seed,
        SupervisedOnly = (bool?)r["supervised_only"] ?? SupervisedOnly,
        AdamEpsilon = (double?)r["adam_epsilon"] ?? AdamEpsilon,
        MembraneWeight = (double?)r["membrane_weight"] ?? 1,
    };

    /// <summary>
    /// The architecture of a recipe: its "architecture" spec, or (checkpoints written before
    /// architectures were recorded) the Deep-SXT network of its "width"; null when neither is present.
    /// </summary>
    public static NetworkArchitecture? RecipeArchitecture(JsonObject r)
    {
        if ((string?)r["architecture"] is { } spec) return NetworkArchitecture.Parse(spec, nameof(TrainingRequest.Resume));
        return (int?)r["width"] is int m ? NetworkArchitecture.DeepSxt(m) : null;
    }

    /// <summary>All options as JSON.</summary>
    public JsonObject ToJson()
    {
        var o = RecipeJson();
        o["epochs"] = Epochs;
        o["patience"] = Patience;
        o["threads"] = Threads;
        o["device"] = Device.ToString().ToLowerInvariant();
        o["max_minutes"] = MaxMinutes;
        return o;
    }
}
