using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>Networks that read neighbouring slices (--context): architecture, widening a 2D model, crops, and the CLI.</summary>
[Collection(TorchCollection.Name)]
public sealed class ContextTrainingTests
{
    [Fact]
    public void ContextIsPartOfTheSpecAndTheCardOnlyWhenGiven()
    {
        // A 2D spec is unchanged (earlier model files keep their spec and id)
        var flat = NetworkArchitecture.Parse("unet:w=4-8,enc=1-1,dec=1,head=logit");
        Assert.Equal("unet:w=4-8,enc=1-1,dec=1,block=plain,img=1,head=logit", flat.Spec);
        Assert.Null(flat.ToJson()["unet"]!["context"]);
        Assert.Equal(1, flat.InputChannels);
        // With context 2: ",ctx=2", 5 input channels, and the JSON round trip keeps it
        var deep = flat.WithContext(2);
        Assert.Equal("unet:w=4-8,enc=1-1,dec=1,block=plain,img=1,head=logit,ctx=2", deep.Spec);
        Assert.Equal(5, deep.InputChannels);
        Assert.Equal(2, (int)deep.ToJson()["unet"]!["context"]!);
        Assert.Equal(deep, NetworkArchitecture.FromJson(JsonNode.Parse(deep.ToJson().ToJsonString())));
        Assert.Equal(deep, NetworkArchitecture.Parse(deep.Spec));
        Assert.Equal(flat, deep.WithContext(0));
        // Out of range, and the Deep-SXT network (one slice), are refused
        Assert.Throws<InvalidOptionException>(() => NetworkArchitecture.Parse("unet:w=4-8,enc=1-1,dec=1,ctx=6"));
        Assert.Equal(nameof(NetworkArchitecture.Context), Assert.Throws<InvalidOptionException>(() => NetworkArchitecture.DeepSxt(8).WithContext(1)).Option);
    }

    [Fact]
    public void AWidenedTwoDModelComputesWhatTheTwoDModelDid()
    {
        // Given a 2D U-Net and the same with context 1, its weights copied (first convolution widened)
        var flat = NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit");
        using var net2 = flat.Create(3);
        using var net3 = flat.WithContext(1).Create(99);
        TrainingSetup.CopyWeights(net2, net3);
        net2.eval();
        net3.eval();
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        // When the 3-plane network sees the slice between two unrelated neighbours
        var slice = randn(2, 1, 32, 32, generator: new Generator(5));
        var neighbours = randn(2, 2, 32, 32, generator: new Generator(6)) * 10;
        var stack = cat(new[] { neighbours.narrow(1, 0, 1), slice, neighbours.narrow(1, 1, 1) }, 1);
        // Then both give the same labels and the same reconstruction
        var (l2, i2) = net2.ForwardBoth(slice);
        var (l3, i3) = net3.ForwardBoth(stack);
        Assert.True(l2.allclose(l3, rtol: 1e-5, atol: 1e-6), "labels differ");
        Assert.True(i2.allclose(i3, rtol: 1e-5, atol: 1e-6), "reconstructions differ");
        // and a one-plane input is refused by the wider network
        Assert.Throws<ArgumentException>(() => net3.forward(slice));
    }

    [Fact]
    public void AModelWithContextWidenedToMoreContextComputesWhatItDid()
    {
        // Given a U-Net reading 3 slices and the same reading 7, its weights copied (first convolution widened)
        var flat = NetworkArchitecture.Parse("unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit");
        using var net3 = flat.WithContext(1).Create(3);
        using var net7 = flat.WithContext(3).Create(99);
        TrainingSetup.CopyWeights(net3, net7);
        net3.eval();
        net7.eval();
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        // When the 7-plane network sees the same 3 slices between four unrelated farther ones
        var middle = randn(2, 3, 32, 32, generator: new Generator(5));
        var far = randn(2, 4, 32, 32, generator: new Generator(6)) * 10;
        var stack = cat(new[] { far.narrow(1, 0, 2), middle, far.narrow(1, 2, 2) }, 1);
        // Then both give the same labels and the same reconstruction
        var (l3, i3) = net3.ForwardBoth(middle);
        var (l7, i7) = net7.ForwardBoth(stack);
        Assert.True(l3.allclose(l7, rtol: 1e-5, atol: 1e-6), "labels differ");
        Assert.True(i3.allclose(i7, rtol: 1e-5, atol: 1e-6), "reconstructions differ");
        // and a model with more context cannot start one with less
        using var net5 = flat.WithContext(2).Create(4);
        Assert.Throws<InvalidOperationException>(() => TrainingSetup.CopyWeights(net7, net5));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void CropPlanesAreTheNeighbouringSlicesCutAlike(double scale)
    {
        // Given three slices of 64 × 64, each with one bright vertical line: slice 0 at x = 24,
        // slice 1 at x = 32, slice 2 at x = 40 (labelled there), on a faint random texture
        using var tmp = new TempDir();
        string dir = tmp.File("sim");
        Directory.CreateDirectory(dir);
        const int n = 64, c = 32;
        int[] lineX = { 24, 32, 40 };
        var image = new Volume<float>(n, n, 3);
        var labels = new Volume<byte>(n, n, 3);
        var rng = new Random(4);
        for (int z = 0; z < 3; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                {
                    image[z, y, x] = (float)rng.NextDouble() + (x == lineX[z] ? 10 : 0);
                    labels[z, y, x] = x == lineX[z] ? (byte)1 : (byte)0;
                }
        VolumeIO.Write(Path.Combine(dir, "tomogram.mrc"), image);
        VolumeIO.Write(Path.Combine(dir, "membranes.mrc"), labels);
        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 0 };
        inputs.Simulations.Add(dir);
        using var bank = SliceBank.Build(inputs, TrainingOptions.SxtSegDefaults with { ImageEvery = 0 });
        var sampler = new CropSampler(bank, c, new CropAugmentation(false, false, scale, scale, RescaleProbability: 1), context: 1);
        Assert.Equal(3, sampler.Channels);
        var crop = new float[3 * c * c];
        var target = new byte[c * c];
        var weight = new byte[c * c];
        int mirrored = 0, middle = 0;
        for (int k = 0; k < 200; k++)
        {
            sampler.DrawAnnotated(new TrainingRandom(k), crop, target, weight, 0);
            // When every plane shows its line (the line of the labels is the middle plane's)
            var lines = new (bool Vertical, int At)?[3];
            for (int p = 0; p < 3; p++) lines[p] = Line(crop.AsSpan(p * c * c, c * c), c);
            if (lines.Any(l => l is null)) continue;
            var t = Line(target.Select(b => (float)b).ToArray(), c);
            Assert.NotNull(t);
            Assert.Equal(t, lines[1]);
            // Then all three run the same way, and the neighbours' lines lie 8 source pixels from the
            // middle one: both on the same side at the ends of the tomogram (slice −1 = slice 1, slice 3 =
            // slice 1), on opposite sides for slice 1
            Assert.True(lines[0]!.Value.Vertical == t!.Value.Vertical && lines[2]!.Value.Vertical == t.Value.Vertical, $"draw {k}: planes cut differently");
            int d0 = lines[0]!.Value.At - t.Value.At, d2 = lines[2]!.Value.At - t.Value.At;
            double expected = 8 / scale;
            Assert.InRange(Math.Abs(d0), expected - 1, expected + 1);
            Assert.InRange(Math.Abs(d2), expected - 1, expected + 1);
            if (d0 == d2) mirrored++;
            else if (d0 == -d2) middle++;
            else Assert.Fail($"draw {k}: neighbour offsets {d0} and {d2}");
        }
        Assert.True(mirrored > 5 && middle > 5, $"{mirrored} draws at the ends, {middle} of the middle slice");
    }

    /// <summary>The brightest full row or column of a c × c plane, if it stands out (else null).</summary>
    private static (bool Vertical, int At)? Line(ReadOnlySpan<float> plane, int c)
    {
        var cols = new double[c];
        var rows = new double[c];
        for (int r = 0; r < c; r++)
            for (int x = 0; x < c; x++)
            {
                cols[x] += plane[r * c + x];
                rows[r] += plane[r * c + x];
            }
        bool vertical = cols.Max() - cols.Average() > rows.Max() - rows.Average();
        var sums = vertical ? cols : rows;
        var sorted = sums.OrderBy(v => v).ToArray();
        double median = sorted[c / 2], spread = sorted[c * 3 / 4] - sorted[c / 4] + 1e-9;
        int at = Array.IndexOf(sums, sums.Max());
        return sums[at] - median > 10 * spread ? (vertical, at) : null;
    }

    /// <summary>An untrained tiny 2D U-Net with a logit head, as a model file.</summary>
    private static string TinyModel(TempDir tmp) => TinyModels.Write(tmp, "start.sxtmodel");

    private static readonly string[] Short = { "--crop", "32", "--batch", "2", "--steps", "4", "--warmup", "1", "--validate-every", "2", "--threads", "1" };

    [Fact]
    public void ATwoDModelTrainsOnWithContextAndSegmentsXySlicesOnly()
    {
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        string val = SyntheticTrainingData.WriteSimulation(tmp.File("val"), 48, 48, 8, seed: 2);
        // Given the same fine-tuning from a 2D model, once 2D and once reading 3 slices
        var (c2, _, e2) = CliRunner.Run(new[] { "train", "--init", model, "--sim", sim, "--val-sim", val, "--out", tmp.File("flat") }.Concat(Short).ToArray());
        var (c3, _, e3) = CliRunner.Run(new[] { "train", "--init", model, "--context", "1", "--sim", sim, "--val-sim", val, "--out", tmp.File("ctx") }.Concat(Short).ToArray());
        Assert.True(c2 == 0, e2);
        Assert.True(c3 == 0, e3);
        // Then the widened starting model scores exactly what the 2D one does (its neighbours start at weight 0)
        string Start(string run) => File.ReadAllLines(Path.Combine(tmp.File(run), "metrics.csv"))[1];
        Assert.StartsWith("0,", Start("ctx"));
        Assert.Equal(Start("flat"), Start("ctx"));
        // and the trained model records its context
        string trained = Path.Combine(tmp.File("ctx"), "model-last.sxtmodel");
        Assert.Equal(1, ModelFile.ReadCard(trained).Network.Context);
        Assert.EndsWith(",ctx=1", ModelFile.ReadCard(trained).Network.Spec);
        // When it segments a tomogram: x–y slices work, multi-axis fusion is refused in one line, nothing written
        string tomo = Path.Combine(sim, "tomogram.mrc");
        var (s1, _, se1) = CliRunner.Run("segment", tomo, "--model", trained, "--out", tmp.File("seg"), "--workers", "1");
        Assert.True(s1 == 0, se1);
        using (var labels = VolumeIO.OpenRead(Path.Combine(tmp.File("seg"), "labels.mrc"))) Assert.Equal(8, labels.Info.Nz);
        var (s2, _, se2) = CliRunner.Run("segment", tomo, "--model", trained, "--out", tmp.File("fused"), "--fuse-axes", "--workers", "1");
        Assert.Equal(2, s2);
        Assert.Single(se2.Trim().Split('\n'));
        Assert.Contains("--fuse-axes", se2);
        Assert.False(Directory.Exists(tmp.File("fused")));
    }

    [Fact]
    public void ContextOutOfRangeOrWithThePaperRecipeIsRefused()
    {
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        foreach (var extra in new[] { new[] { "--init", model, "--context", "6" }, new[] { "--recipe", "paper", "--arch", "unet:w=4-8,enc=1-1,dec=1", "--context", "1" } })
        {
            var (code, _, err) = CliRunner.Run(new[] { "train", "--sim", sim, "--val-sim", sim, "--out", tmp.File("x") }.Concat(extra).Concat(Short).ToArray());
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("--context", err);
            Assert.False(Directory.Exists(tmp.File("x")));
        }
    }
}
