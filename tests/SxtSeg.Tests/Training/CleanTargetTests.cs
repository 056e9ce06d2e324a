using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>
/// The denoising target of the image decoder (<c>--clean-target</c>): a simulation's noise-free twin
/// (<c>clean.mrc</c>) is read, normalised like the noisy slice, cut and augmented as the input without
/// its added noise, and the recipe's steps aim the image head at it.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CleanTargetTests
{
    /// <summary>A simulation folder whose clean.mrc is a·tomogram + b voxel by voxel; returns the folder.</summary>
    private static string SimulationWithTwin(TempDir tmp, string name, float a, float b, int n = 64, int nz = 6)
    {
        string dir = SyntheticTrainingData.WriteSimulation(tmp.File(name), n, n, nz, seed: 3);
        var image = VolumeIO.Read<float>(Path.Combine(dir, "tomogram.mrc"));
        var clean = new Volume<float>(n, n, nz, image.VoxelSize);
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++) clean[z, y, x] = a * image[z, y, x] + b;
        VolumeIO.Write(Path.Combine(dir, SliceBank.SimClean), clean);
        return dir;
    }

    private static SliceBank Bank(string sim, bool cleanTarget)
    {
        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 0 };
        inputs.Simulations.Add(sim);
        return SliceBank.Build(inputs, TrainingOptions.SxtSegDefaults with { CleanTarget = cleanTarget });
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void TheTargetIsTheTwinNormalisedWithTheNoisySlicesStatistics(double scale)
    {
        // Given a simulation whose twin is 3 × the tomogram + 7: normalised with the noisy slice's affine
        // map v → (v − m)/s, the twin becomes 3·input + (7 + 2m)/s, i.e. 3 × the input plus one constant
        // per crop (normalised on its own statistics it would equal the input)
        using var tmp = new TempDir();
        using var bank = Bank(SimulationWithTwin(tmp, "sim", 3, 7), cleanTarget: true);
        Assert.Equal(1, bank.CleanSources);
        const int c = 32;
        var sampler = new CropSampler(bank, c, new CropAugmentation(false, false, scale, scale, RescaleProbability: 1), context: 1);
        var crop = new float[3 * c * c];
        var target = new float[c * c];
        var labels = new byte[c * c];
        var weights = new byte[c * c];
        for (int k = 0; k < 20; k++)
        {
            // When image and annotated crops are drawn with a target
            bool twin = sampler.DrawImage(new TrainingRandom(k), crop, 0, target);
            Assert.True(twin);
            AssertThreeTimesPlusConstant(crop.AsSpan(c * c, c * c), target, k);
            sampler.DrawAnnotated(new TrainingRandom(100 + k), crop, labels, weights, 0, target);
            AssertThreeTimesPlusConstant(crop.AsSpan(c * c, c * c), target, k);
        }
    }

    private static void AssertThreeTimesPlusConstant(ReadOnlySpan<float> middle, ReadOnlySpan<float> target, int draw)
    {
        // Then target − 3·middle is one constant over the crop, and the target is not the input
        float c0 = target[0] - 3 * middle[0];
        double maxDiff = 0;
        for (int i = 0; i < middle.Length; i++)
        {
            Assert.True(Math.Abs(target[i] - 3 * middle[i] - c0) < 1e-3, $"draw {draw}, pixel {i}: target − 3·input {target[i] - 3 * middle[i]} ≠ {c0}");
            maxDiff = Math.Max(maxDiff, Math.Abs(target[i] - middle[i]));
        }
        Assert.True(maxDiff > 0.5, $"draw {draw}: the target equals the input");
    }

    [Fact]
    public void WithoutATwinTheTargetIsTheMiddlePlaneOfTheAugmentedInput()
    {
        // Given a simulation without clean.mrc, the strong augmentation and inversion always
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 64, 64, 6, seed: 2);
        using var bank = Bank(sim, cleanTarget: false);
        const int c = 32;
        var sampler = new CropSampler(bank, c, new CropAugmentation(true, true, 1, 1), context: 1);
        var crop = new float[3 * c * c];
        var target = new float[c * c];
        for (int k = 0; k < 10; k++)
        {
            // When image crops are drawn with a target
            Assert.False(sampler.DrawImage(new TrainingRandom(k), crop, 1, target));
            // Then the target is the middle plane exactly as the network sees it
            Assert.Equal(crop.AsSpan(c * c, c * c).ToArray(), target);
        }
    }

    [Fact]
    public void TheTwinIsAugmentedAsTheInputButGetsNoNoise()
    {
        // Given a simulation whose twin is the tomogram itself, the strong augmentation and inversion always
        using var tmp = new TempDir();
        string sim = SimulationWithTwin(tmp, "sim", 1, 0, n: 96);
        using var withTwin = Bank(sim, cleanTarget: true);
        using var without = Bank(sim, cleanTarget: false);
        const int c = 48;
        var aug = new CropAugmentation(true, true, 1, 1);
        var a = new CropSampler(withTwin, c, aug);
        var b = new CropSampler(without, c, aug);
        var crop = new float[c * c];
        var plain = new float[c * c];
        var target = new float[c * c];
        int unchanged = 0, noisy = 0;
        for (int k = 0; k < 60; k++)
        {
            // When the same draw is made with and without a target
            a.DrawImage(new TrainingRandom(k), crop, 1, target);
            b.DrawImage(new TrainingRandom(k), plain, 1);
            // Then the input is the same draw (the target takes no random numbers)
            Assert.Equal(plain, crop);
            // And the target is the input without its noise: equal where the draw added none; else the
            // input regressed on the target has slope 1 (same blur, contrast, shading, rescaling and sign;
            // the noise is independent of it)
            double sumT = 0, sumI = 0, maxDiff = 0;
            for (int i = 0; i < crop.Length; i++)
            {
                sumT += target[i];
                sumI += crop[i];
                maxDiff = Math.Max(maxDiff, Math.Abs(crop[i] - target[i]));
            }
            if (maxDiff == 0)
            {
                unchanged++;
                continue;
            }
            noisy++;
            double mt = sumT / crop.Length, mi = sumI / crop.Length, cov = 0, var = 0;
            for (int i = 0; i < crop.Length; i++)
            {
                cov += (target[i] - mt) * (crop[i] - mi);
                var += (target[i] - mt) * (target[i] - mt);
            }
            Assert.InRange(cov / var, 0.85, 1.15);
        }
        Assert.True(unchanged > 5 && noisy > 5, $"{unchanged} draws without noise, {noisy} with");
    }

    [Fact]
    public void ABankAskedForTwinsWithoutAnyIsRefused()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 32, 32, 4);
        var e = Assert.Throws<InvalidOptionException>(() => Bank(sim, cleanTarget: true));
        Assert.Equal(nameof(TrainingOptions.CleanTarget), e.Option);
        Assert.Contains("clean.mrc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATwinTheTruthDisownsIsRefused()
    {
        // Given a simulation whose truth.json says it was made without a twin, beside a clean.mrc (left by an earlier run)
        using var tmp = new TempDir();
        string sim = SimulationWithTwin(tmp, "sim", 1, 0, n: 32, nz: 4);
        File.WriteAllText(Path.Combine(sim, "truth.json"), """{"provenance": {"parameters": {"clean-twin": "false"}}}""");
        var e = Assert.Throws<InvalidInputException>(() => Bank(sim, cleanTarget: true));
        Assert.Contains("--clean", e.Message, StringComparison.Ordinal);
        // And one whose truth.json says it was, or predates the option, is taken
        File.WriteAllText(Path.Combine(sim, "truth.json"), """{"provenance": {"parameters": {"clean-twin": "true"}}}""");
        using (var bank = Bank(sim, cleanTarget: true)) Assert.Equal(1, bank.CleanSources);
        File.WriteAllText(Path.Combine(sim, "truth.json"), """{"provenance": {"parameters": {}}}""");
        using (var bank = Bank(sim, cleanTarget: true)) Assert.Equal(1, bank.CleanSources);
    }

    private static (int Code, string Err) Train(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SxtSeg.Cli.CliApp.Run(args, SxtSeg.Cli.CliContext.Plain(o, e));
        return (code, e.ToString());
    }

    /// <summary>A column of a run's metrics.csv (one value per validation).</summary>
    private static string[] Column(string run, string name)
    {
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        int col = Array.IndexOf(lines[0].Split(','), name);
        return lines.Skip(1).Select(l => l.Split(',')[col]).ToArray();
    }

    /// <summary>The training image-loss column of a run's metrics.csv.</summary>
    private static string[] ImageLosses(string run) => Column(run, "train_image_loss");

    [Fact]
    public void ATrainingRunAimsTheImageDecoderAtTheTwins()
    {
        // Given simulations whose twin is the tomogram itself (a), or the tomogram + 50 (b), and tiny runs without augmentation
        using var tmp = new TempDir();
        string same = SimulationWithTwin(tmp, "same", 1, 0, n: 48, nz: 6), shifted = SimulationWithTwin(tmp, "shifted", 1, 50, n: 48, nz: 6);
        string val = SyntheticTrainingData.WriteSimulation(tmp.File("val"), 48, 48, 6, seed: 9);
        string[] tiny = { "--arch", "unet:w=4-8,enc=1-1,dec=1", "--crop", "32", "--batch", "2", "--steps", "4", "--warmup", "1", "--validate-every", "4", "--threads", "1", "--augment", "off", "--val-sim", val };
        string[] Args(string run, string sim, bool clean) => new[] { "train", "--out", tmp.File(run), "--sim", sim }.Concat(tiny).Concat(clean ? new[] { "--clean-target" } : Array.Empty<string>()).ToArray();
        // When each is trained with --clean-target, and the first also without
        foreach (var (run, sim, clean) in new[] { ("plain", same, false), ("same", same, true), ("shifted", shifted, true) })
        {
            var (code, err) = Train(Args(run, sim, clean));
            Assert.True(code == 0, err);
        }
        // Then a twin equal to the input gives the run without the option, loss for loss, and a different twin changes the image loss
        Assert.Equal(ImageLosses(tmp.File("plain")), ImageLosses(tmp.File("same")));
        Assert.NotEqual(ImageLosses(tmp.File("plain")), ImageLosses(tmp.File("shifted")));
        // And without image steps the label step's small reconstruction term still aims at the twin: a twin equal
        // to the input ends with the weights of the run without the option, a different twin with other weights
        foreach (var (run, sim, clean) in new[] { ("plain0", same, false), ("same0", same, true), ("shifted0", shifted, true) })
        {
            var (code, err) = Train(Args(run, sim, clean).Concat(new[] { "--image-every", "0" }).ToArray());
            Assert.True(code == 0, err);
        }
        string Weights(string run) => SxtSeg.Network.ModelFile.ReadCard(Path.Combine(tmp.File(run), "model-last.sxtmodel")).Id;
        Assert.Equal(Weights("plain0"), Weights("same0"));
        Assert.NotEqual(Weights("plain0"), Weights("shifted0"));
    }

    [Fact]
    public void ATwinOfAnotherSizeIsRefused()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 32, 32, 4);
        VolumeIO.Write(Path.Combine(sim, SliceBank.SimClean), new Volume<float>(32, 32, 3));
        var e = Assert.Throws<InvalidInputException>(() => Bank(sim, cleanTarget: true));
        Assert.Contains("32 × 32 × 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheRecipeRecordsTheTargetAndAResumeReadsItBack(bool clean)
    {
        var json = (TrainingOptions.SxtSegDefaults with { CleanTarget = clean }).RecipeJson();
        Assert.Equal(clean ? true : null, (bool?)json["clean_target"]);
        Assert.Equal(clean, new TrainingOptions { CleanTarget = !clean }.WithRecipe(json).CleanTarget);
        var paper = new TrainingOptions { CleanTarget = true };
        Assert.Equal(nameof(TrainingOptions.CleanTarget), Assert.Throws<InvalidOptionException>(paper.Validate).Option);
    }

    [Fact]
    public void TheStepsAimTheImageHeadAtTheGivenTargets()
    {
        using var scope = NewDisposeScope();
        // Given a small U-Net, one 16 × 16 crop, a target plane that is not the input, learning rate 0
        var arch = SxtSeg.Network.NetworkArchitecture.Parse("unet:w=2-4,enc=1-1,dec=1,head=logit");
        using var net = arch.Create(3);
        var rng = new Random(7);
        var image = Enumerable.Range(0, 256).Select(_ => (float)rng.NextDouble()).ToArray();
        var other = Enumerable.Range(0, 256).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        var labels = new byte[256];
        for (int x = 2; x < 14; x++) labels[8 * 16 + x] = 1;
        var weights = Enumerable.Repeat((byte)1, 256).ToArray();
        using var steps = new RecipeSteps(net, 0, 1e-8, CPU);
        // When label steps are taken without a target and with the input, then with the other plane as target
        var (loss0, label0) = steps.LabelStep(image, labels, weights, 1, 16);
        var (lossSame, _) = steps.LabelStep(image, labels, weights, 1, 16, image);
        var (lossOther, labelOther) = steps.LabelStep(image, labels, weights, 1, 16, other);
        // Then the label loss is unchanged, the input as target is the default, and the image term is
        // 0.01 × Huber(δ = 0.1) of the reconstruction against the other plane, worked out here
        Assert.Equal(label0, labelOther, 5);
        Assert.Equal(loss0, lossSame, 5);
        // And an image step with the input as target equals one without a target, and differs from one with the other plane
        double img0 = steps.ImageStep(image, 1, 16), imgSame = steps.ImageStep(image, 1, 16, image), imgOther = steps.ImageStep(image, 1, 16, other);
        Assert.Equal(img0, imgSame, 5);
        Assert.True(Math.Abs(imgOther - img0) > 1e-3, $"image loss {imgOther} with another target, {img0} without");
        net.train();
        using var g = no_grad();
        var (_, recon) = net.ForwardRaw(tensor(image, new long[] { 1, 1, 16, 16 }));
        var r = recon.data<float>().ToArray();
        double huber = 0;
        for (int i = 0; i < 256; i++)
        {
            double d = Math.Abs(r[i] - other[i]);
            huber += d <= 0.1 ? 0.5 * d * d : 0.1 * (d - 0.05);
        }
        Assert.Equal(0.01 * huber / 256, lossOther - labelOther, 5);
    }
}
