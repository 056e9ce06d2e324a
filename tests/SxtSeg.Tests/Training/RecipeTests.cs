using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>The pieces of SxtSeg's training recipe against hand-computed values.</summary>
[Collection(TorchCollection.Name)]
public sealed class RecipeTests
{
    [Fact]
    public void BceDiceCountsOnlyWeightedPixels()
    {
        using var scope = NewDisposeScope();
        // Given logits 0 (p = ½) and ln 3 (p = ¾), targets 1 and 0, and a third pixel that is ignored
        var logits = tensor(new float[] { 0f, MathF.Log(3f), 5f }).reshape(1, 1, 1, 3);
        var target = tensor(new float[] { 1f, 0f, 1f }).reshape(1, 1, 1, 3);
        var weight = tensor(new float[] { 1f, 1f, 0f }).reshape(1, 1, 1, 3);
        // When
        double loss = Losses.BceDice(logits, target, weight).item<float>();
        // Then BCE = (ln 2 + ln 4)/2 over the two weighted pixels; Dice = 1 − (2·½ + 1)/((½ + ¾) + 1 + 1)
        double bce = (Math.Log(2) + Math.Log(4)) / 2;
        double dice = 1 - (2 * 0.5 + 1) / (0.5 + 0.75 + 1 + 1);
        Assert.Equal(bce + dice, loss, 1e-5);
    }

    [Fact]
    public void PerImageSsimUsesEachImagesOwnRange()
    {
        using var scope = NewDisposeScope();
        // Given two batch items: identical images (SSIM 1), and constant images 1 and 3 whose own range is
        // zero (floored at 1: c1 = 1e-4), so SSIM is the luminance term (2·3 + c1)/(1 + 9 + c1)
        var a = rand(new long[] { 1, 1, 16, 16 }) * 4;
        var x = cat(new[] { a, full(new long[] { 1, 1, 16, 16 }, 1f) }, 0);
        var y = cat(new[] { a, full(new long[] { 1, 1, 16, 16 }, 3f) }, 0);
        // When / Then: the mean of 1 and 0.6
        Assert.Equal((1 + 6.0001 / 10.0001) / 2, Losses.SsimPerImage(x, y).item<float>(), 1e-3); // float32 variances of constants round to ~1e-6 against c2 = 9e-4
    }

    [Fact]
    public void LearningRateWarmsUpLinearlyThenDecaysAlongACosine()
    {
        // Given peak 1e-3, 10 warm-up steps, 110 steps in all, floor 1 % of the peak
        var o = TrainingOptions.SxtSegDefaults with { LearningRate = 1e-3, WarmupSteps = 10, Steps = 110, FinalLearningRateFraction = 0.01 };
        // Then by hand
        Assert.Equal(1e-4, StepTrainer.LearningRate(o, 0), 12);
        Assert.Equal(1e-3, StepTrainer.LearningRate(o, 9), 12);
        Assert.Equal(1e-3, StepTrainer.LearningRate(o, 10), 12);
        Assert.Equal(1e-5 + 0.5 * (1e-3 - 1e-5), StepTrainer.LearningRate(o, 60), 12); // half way: cos(π/2) = 0
        Assert.Equal(1e-5, StepTrainer.LearningRate(o, 110), 12);
    }

    [Fact]
    public void ValidationCountsWithinOnePixelAndSkipsIgnoredPixels()
    {
        // Given a 5 × 3 slice: truth in column 1, prediction in column 2 (one pixel off) on rows 0–1,
        // a prediction far away at (4, 2), and an ignored pixel (0, 2) predicted membrane
        int nx = 5, ny = 3;
        var target = new byte[nx * ny];
        var weight = Enumerable.Repeat((byte)1, nx * ny).ToArray();
        var prob = new float[nx * ny];
        for (int y = 0; y < 3; y++) target[y * nx + 1] = 1;
        prob[0 * nx + 2] = prob[1 * nx + 2] = 0.9f;
        prob[2 * nx + 4] = 0.9f;
        prob[2 * nx + 0] = 0.9f;
        weight[2 * nx + 0] = 0;
        // When
        var (p, pn, t, tn) = SliceValidator.Count(prob, target, weight, nx, ny, 0.5f);
        // Then 3 counted predictions (the ignored one is not counted), 2 near truth; 3 true pixels, all found:
        // row 2's true pixel (1, 2) lies next to the ignored pixel's prediction, and any prediction finds truth
        Assert.Equal((3L, 2L, 3L, 3L), (p, pn, t, tn));
        // and without that prediction row 2's true pixel is missed
        prob[2 * nx + 0] = 0;
        Assert.Equal((3L, 2L, 3L, 2L), SliceValidator.Count(prob, target, weight, nx, ny, 0.5f));
    }

    [Fact]
    public void ValidationTriesThresholdsFromOneTenthToNineTenths()
    {
        // A model whose best threshold lies above 0.8 (a calibration shifted by its loss) must be able to pick it
        Assert.Equal(new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 }, SliceValidator.Thresholds);
    }

    [Fact]
    public void LabelCodingsDecodeTheirValuesAndRefuseOthers()
    {
        float[] labels = { 0, 1, 2 };
        var t = new byte[3];
        var w = new byte[3];
        // painted: 0 = not annotated, 1 = background, 2 = membrane
        Assert.Equal(2, LabelCoding.Painted.Decode(labels, t, w, "x.tif", 0));
        Assert.Equal(new byte[] { 0, 0, 1 }, t);
        Assert.Equal(new byte[] { 0, 1, 1 }, w);
        // membrain: 0 = background, 1 = membrane, 2 = ignore
        LabelCoding.MemBrain.Decode(labels, t, w, "x.tif", 0);
        Assert.Equal(new byte[] { 0, 1, 0 }, t);
        Assert.Equal(new byte[] { 1, 1, 0 }, w);
        // binary: anything non-zero is membrane
        LabelCoding.Binary.Decode(labels, t, w, "x.tif", 0);
        Assert.Equal(new byte[] { 0, 1, 1 }, t);
        Assert.Equal(new byte[] { 1, 1, 1 }, w);
        // a map: 255 = membrane, 0 = background, the rest ignored
        var map = LabelCoding.Parse("255=membrane,0=background,*=ignore");
        map.Decode(new float[] { 255, 0, 7 }, t, w, "x.tif", 0);
        Assert.Equal(new byte[] { 1, 0, 0 }, t);
        Assert.Equal(new byte[] { 1, 1, 0 }, w);
        // values outside the coding are refused, naming the file and the coding
        var e = Assert.Throws<InvalidInputException>(() => LabelCoding.Painted.Decode(new float[] { 3 }, t, w, "labels.tif", 7));
        Assert.Contains("labels.tif", e.Message);
        Assert.Contains("slice 7", e.Message);
        Assert.Contains("painted", e.Message);
        Assert.Throws<InvalidInputException>(() => LabelCoding.Binary.Decode(new float[] { 0.5f }, t, w, "labels.tif", 0));
    }

    [Fact]
    public void BatchNormRecalibrationAveragesTheGivenBatches()
    {
        using var scope = NewDisposeScope();
        // Given a small U-Net and two batches of constant images 1 and 3
        var arch = NetworkArchitecture.Parse("unet:w=2-4,enc=1-1,dec=1,head=logit");
        using var net = arch.Create(3);
        using var steps = new RecipeSteps(net, 1e-3, 1e-8, CPU);
        var b1 = Enumerable.Repeat(1f, 2 * 16 * 16).ToArray();
        var b3 = Enumerable.Repeat(3f, 2 * 16 * 16).ToArray();
        // When the statistics are re-estimated
        steps.RecalibrateBatchNorm(new[] { b1, b3 }, 16);
        // Then the first batch norm's running mean is the plain average of its two batch means (not a momentum-0.01 blend),
        // which we get by running the first convolution ourselves
        var bn = net.modules().OfType<TorchSharp.Modules.BatchNorm2d>().First();
        var conv = net.modules().OfType<TorchSharp.Modules.Conv2d>().First(c => c.weight!.shape[1] == 1 && c.weight.shape[2] == 3);
        using var g = no_grad();
        var m1 = conv.forward(tensor(b1).reshape(2, 1, 16, 16)).mean(new long[] { 0, 2, 3 });
        var m3 = conv.forward(tensor(b3).reshape(2, 1, 16, 16)).mean(new long[] { 0, 2, 3 });
        var expected = ((m1 + m3) / 2).data<float>().ToArray();
        var actual = bn.running_mean!.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
        Assert.False(net.training);
    }

    [Theory]
    [InlineData(300, 20000, 300)]
    [InlineData(300, 301, 300)]
    [InlineData(300, 300, 30)]
    [InlineData(300, 29, 2)]
    [InlineData(300, 2, 0)]
    [InlineData(50, 800, 50)]
    [InlineData(50, 40, 4)]
    public void AWarmUpNobodyAskedForFitsAShortRun(int recipe, int steps, int expected)
    {
        int warmup = TrainingOptions.DefaultWarmup(recipe, steps);
        Assert.Equal(expected, warmup);
        (TrainingOptions.SxtSegDefaults with { Steps = steps, WarmupSteps = warmup }).Validate();
    }

    [Fact]
    public void OptionErrorsNameTheSettingNotTheCommandLineOption()
    {
        // Given options out of range, when checked, then each error's key is the setting's name in the library
        // (the command line maps it to its own option, e.g. --lr)
        static string Key(Action check) => Assert.Throws<InvalidOptionException>(check).Option;
        Assert.Equal(nameof(TrainingOptions.Epochs), Key(new TrainingOptions { Epochs = 0 }.Validate));
        Assert.Equal(nameof(TrainingOptions.LearningRate), Key(new TrainingOptions { LearningRate = 5 }.Validate));
        Assert.Equal(nameof(TrainingOptions.WarmupSteps), Key((TrainingOptions.SxtSegDefaults with { Steps = 10, WarmupSteps = 10 }).Validate));
        Assert.Equal(CropAugmentation.ScaleRangeKey, Key(() => CropAugmentation.ParseScaleRange("0.1-2")));
        Assert.Equal(nameof(AnnotatedVolume.Slices), Key(() => TrainingInputs.ParseSlices("3-1")));
        Assert.Equal(nameof(TrainingInputs.Coding), Key(() => LabelCoding.Parse("7=banana")));
    }
}

/// <summary>Crop drawing and its appearance augmentation.</summary>
[Collection(TorchCollection.Name)]
public sealed class CropSamplerTests
{
    [Fact]
    public void AugmentedCropsKeepTheirLabelsAndTheirRobustScale()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 64, 64, 6);
        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 0 };
        inputs.Simulations.Add(sim);
        using var bank = SliceBank.Build(inputs, TrainingOptions.SxtSegDefaults with { ImageEvery = 0 });
        var plain = new CropSampler(bank, 32);
        var augmented = new CropSampler(bank, 32, augment: true);
        var a = new float[32 * 32];
        var b = new float[32 * 32];
        var ta = new byte[32 * 32];
        var tb = new byte[32 * 32];
        var w = new byte[32 * 32];
        int changed = 0;
        for (int k = 0; k < 40; k++)
        {
            // Given the same draws (same seed) with and without augmentation
            plain.DrawAnnotated(new TrainingRandom(k), a, ta, w, 0);
            augmented.DrawAnnotated(new TrainingRandom(k), b, tb, w, 0);
            // Then the labels are identical and the image keeps its robust SD (within 3 %)
            Assert.Equal(ta, tb);
            Assert.InRange(Scale(b) / Scale(a), 0.97, 1.03);
            if (a.Zip(b).Any(p => Math.Abs(p.First - p.Second) > 1e-3)) changed++;
        }
        // and most crops were changed (each of three changes has probability ½: 7 in 8 crops)
        Assert.InRange(changed, 25, 40);
    }

    [Fact]
    public void CropsComeFromSourcesOfDifferentSlicesSizesInAnyOrder()
    {
        // Given a larger and a smaller simulation in one bank (a slice buffer sized by the larger one
        // once made the smaller one's reads fail: "destination holds N voxels, a slice has M")
        using var tmp = new TempDir();
        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 0 };
        inputs.Simulations.Add(SyntheticTrainingData.WriteSimulation(tmp.File("big"), 80, 72, 4, seed: 1));
        inputs.Simulations.Add(SyntheticTrainingData.WriteSimulation(tmp.File("small"), 40, 36, 4, seed: 2));
        using var bank = SliceBank.Build(inputs, TrainingOptions.SxtSegDefaults with { ImageEvery = 2 });
        var sampler = new CropSampler(bank, 32);
        var image = new float[32 * 32];
        var target = new byte[32 * 32];
        var weight = new byte[32 * 32];
        var rng = new TrainingRandom(5);
        // When crops are drawn from both in a random order (annotated and image-mode draws)
        // Then every draw succeeds and gives a finite image crop with contrast
        for (int k = 0; k < 60; k++)
        {
            sampler.DrawAnnotated(rng, image, target, weight, 0);
            Assert.True(image.All(float.IsFinite) && image.Max() > image.Min(), $"annotated draw {k}");
            sampler.DrawImage(rng, image, 0);
            Assert.True(image.All(float.IsFinite) && image.Max() > image.Min(), $"image draw {k}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void RescaledCropsKeepMembranesThinAndOnTheImageLine(double scale)
    {
        // Given a slice with one vertical 1-pixel membrane at x = 64 (image 10 there, 0 elsewhere), its
        // two neighbours ignored (ignore.mrc), and a sampler that rescales crops by exactly `scale`
        using var tmp = new TempDir();
        string dir = tmp.File("sim");
        Directory.CreateDirectory(dir);
        const int n = 128;
        var image = new Volume<float>(n, n, 2);
        var labels = new Volume<byte>(n, n, 2);
        var ignore = new Volume<byte>(n, n, 2);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < n; y++)
            {
                image[z, y, 64] = 10;
                labels[z, y, 64] = 1;
                ignore[z, y, 63] = ignore[z, y, 65] = 1;
                image[z, y, (y * 7 + z) % n] += 0.5f; // some texture, so the slice has a robust SD
            }
        VolumeIO.Write(Path.Combine(dir, "tomogram.mrc"), image);
        VolumeIO.Write(Path.Combine(dir, "membranes.mrc"), labels);
        VolumeIO.Write(Path.Combine(dir, "ignore.mrc"), ignore);
        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 0 };
        inputs.Simulations.Add(dir);
        using var bank = SliceBank.Build(inputs, TrainingOptions.SxtSegDefaults with { ImageEvery = 0 });
        var sampler = new CropSampler(bank, 32, new CropAugmentation(false, false, scale, scale, RescaleProbability: 1));
        var img = new float[32 * 32];
        var target = new byte[32 * 32];
        var weight = new byte[32 * 32];
        int rescaled = 0;
        for (int k = 0; k < 60; k++)
        {
            sampler.DrawAnnotated(new TrainingRandom(k), img, target, weight, 0);
            // When a crop holds membrane, its membrane pixels form one line (row or column: dihedral
            // transforms) one pixel wide, where the image is brightest
            var lines = new HashSet<int>();
            bool vertical = false;
            for (int r = 0; r < 32; r++)
                for (int c = 0; c < 32; c++)
                    if (target[r * 32 + c] == 1)
                    {
                        Assert.Equal(1, weight[r * 32 + c]);
                        lines.Add(c + 1000 * r);
                    }
            if (lines.Count == 0) continue;
            int[] cols = lines.Select(v => v % 1000).Distinct().ToArray(), rows = lines.Select(v => v / 1000).Distinct().ToArray();
            vertical = cols.Length == 1;
            Assert.True(cols.Length == 1 || rows.Length == 1, $"draw {k}: membrane in {cols.Length} columns and {rows.Length} rows");
            int along = vertical ? rows.Length : cols.Length;
            // Then the line runs through the whole crop (rescaling at 0.5 leaves 1 in 2 pixels of
            // it as membrane, the others ignored; at 2 all of it)
            Assert.InRange(along, scale < 1 ? 16 : 32, scale < 1 ? 16 : 32);
            int line = vertical ? cols[0] : rows[0];
            float onLine = 0, off = 0;
            for (int i = 0; i < 32; i++)
            {
                onLine += vertical ? img[i * 32 + line] : img[line * 32 + i];
                int far = (line + 8) % 32;
                off += vertical ? img[i * 32 + far] : img[far * 32 + i];
            }
            Assert.True(onLine > off + 32 * 2, $"draw {k}: the membrane label is not on the bright line");
            rescaled++;
        }
        // (a 16-pixel window at 0.5 holds the line in about 1 draw in 8, a 64-pixel one at 2 in 1 in 2)
        Assert.InRange(rescaled, scale < 1 ? 5 : 15, 60);
    }

    private static double Scale(float[] v)
    {
        var s = v.Where((_, i) => i % 7 == 0).OrderBy(x => x).ToArray();
        float med = s[s.Length / 2];
        var d = s.Select(x => Math.Abs(x - med)).OrderBy(x => x).ToArray();
        return d[d.Length / 2];
    }
}
