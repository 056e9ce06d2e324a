using SxtSeg.Network;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Network;

/// <summary><c>sxtseg model average</c>: the weight average of models of one architecture (a model soup).</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelAverageTests
{
    [Fact]
    public void EveryFloatingWeightIsTheMeanOfTheModels()
    {
        // Given three tiny U-Nets of one architecture with different seeded weights (thresholds 0.3, 0.5, 0.7),
        // and batch-norm running means of 1, 2 and 6 everywhere
        using var tmp = new TempDir();
        string Write(string name, long seed, double threshold, float mean)
        {
            var arch = NetworkArchitecture.Parse(TinyModels.UNet3);
            using var net = arch.Create(seed);
            using (no_grad())
                foreach (var (n, buffer) in net.named_buffers())
                    if (n.EndsWith("running_mean", StringComparison.Ordinal)) buffer.fill_(mean);
            ModelFile.Save(tmp.File(name), net, new ModelCard(arch) { Normalisation = SliceNormalization.Robust, VoxelSizeRangeNm = (10, 10), Threshold = threshold });
            return tmp.File(name);
        }
        string a = Write("a.sxtmodel", 1, 0.3, 1), b = Write("b.sxtmodel", 2, 0.5, 2), c = Write("c.sxtmodel", 3, 0.7, 6);
        // When they are averaged through the command line
        var r = CliRunner.Run("model", "average", a, b, c, "--out", tmp.File("soup.sxtmodel"));
        Assert.True(r.ExitCode == 0, r.Err);
        // Then every floating-point tensor is (a + b + c) / 3 of the inputs, integer buffers are the first model's
        var (na, _) = ModelFile.Load(a);
        var (nb, _) = ModelFile.Load(b);
        var (nc, _) = ModelFile.Load(c);
        var (soup, card) = ModelFile.Load(tmp.File("soup.sxtmodel"));
        using (na) using (nb) using (nc) using (soup)
        {
            var (sa, sb, sc) = (na.state_dict(), nb.state_dict(), nc.state_dict());
            int floats = 0;
            foreach (var (name, t) in soup.state_dict())
            {
                if (!t.is_floating_point())
                {
                    Assert.True(t.equal(sa[name]).item<bool>(), name);
                    continue;
                }
                floats++;
                var x = t.data<float>().ToArray();
                var (xa, xb, xc) = (sa[name].data<float>().ToArray(), sb[name].data<float>().ToArray(), sc[name].data<float>().ToArray());
                for (int i = 0; i < x.Length; i++) Assert.Equal((xa[i] + (double)xb[i] + xc[i]) / 3, x[i], 5);
            }
            Assert.True(floats > 10, $"{floats} floating tensors");
            // (the running means: (1 + 2 + 6) / 3 = 3)
            foreach (var (name, t) in soup.named_buffers())
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) Assert.All(t.data<float>().ToArray(), v => Assert.Equal(3f, v, 5));
        }
        // And the card keeps the first model's threshold, records the three sources and no metrics of other weights
        Assert.Equal(0.3, card.Threshold);
        Assert.Empty(card.Metrics);
        var from = card.Training["averaged_from"]!.AsArray();
        Assert.Equal(new[] { ModelFile.ReadCard(a).Id, ModelFile.ReadCard(b).Id, ModelFile.ReadCard(c).Id }, from.Select(n => (string)n!["id"]!).ToArray());
    }

    [Fact]
    public void AModelAveragedWithItselfIsItself()
    {
        using var tmp = new TempDir();
        string a = TinyModels.Write(tmp, "a.sxtmodel", seed: 4);
        var card = ModelFile.Average(new[] { a, a }, tmp.File("same.sxtmodel"), threshold: 0.4);
        // (x + x) / 2 = x exactly: the same weights, so the same id; the threshold given is stored
        Assert.Equal(ModelFile.ReadCard(a).Id, card.Id);
        Assert.Equal(0.4, ModelFile.ReadCard(tmp.File("same.sxtmodel")).Threshold);
    }

    [Fact]
    public void OtherArchitecturesOneModelOrABadThresholdAreRefusedAndNothingIsWritten()
    {
        using var tmp = new TempDir();
        string a = TinyModels.Write(tmp, "a.sxtmodel"), b = TinyModels.Write(tmp, "b.sxtmodel", spec: "unet:w=4-8,enc=1-1,dec=1,head=logit");
        var r = CliRunner.Run("model", "average", a, b, "--out", tmp.File("x.sxtmodel"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("sxtseg: error: ", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("only one architecture averages", r.Err, StringComparison.Ordinal);
        var one = CliRunner.Run("model", "average", a, "--out", tmp.File("x.sxtmodel"));
        Assert.NotEqual(0, one.ExitCode);
        Assert.Contains("at least two models", one.Err, StringComparison.Ordinal);
        Assert.Throws<InvalidOptionException>(() => ModelFile.Average(new[] { a, a }, tmp.File("x.sxtmodel"), threshold: 1.5));
        Assert.False(File.Exists(tmp.File("x.sxtmodel")));
    }
}
