using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>The skeleton-recall target and term (<c>--skeleton-recall W</c>) on small crops worked out by hand.</summary>
[Collection(TorchCollection.Name)]
public sealed class TubedSkeletonTests
{
    /// <summary>A size × size crop with ones at the given (row, column) pairs.</summary>
    private static byte[] Crop(int size, params (int Y, int X)[] on)
    {
        var m = new byte[size * size];
        foreach (var (y, x) in on) m[y * size + x] = 1;
        return m;
    }

    private static (int, int)[] Block(int y0, int y1, int x0, int x1)
    {
        var list = new List<(int, int)>();
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) list.Add((y, x));
        return list.ToArray();
    }

    [Fact]
    public void AThreeByFiveBlockThinsToTheTwoMiddlePixelsOfItsMiddleRow()
    {
        // Given rows 1–3, columns 1–5 of a 5 × 7 image. Worked out by hand: sub-iteration 1 removes the
        // bottom row, the east end of the middle row and the NW and NE corners; sub-iteration 2 the rest
        // of the top row and pixels (2,1) and (2,4), where (2,2) has two 0→1 transitions and (2,3) has
        // P2·P4·P8 = 1; then both survivors are end points (one neighbour) and nothing changes.
        var m = new byte[5 * 7];
        foreach (var (y, x) in Block(1, 3, 1, 5)) m[y * 7 + x] = 1;
        TubedSkeleton.Thin(m, 5, 7, new byte[35]);
        var expected = new byte[35];
        expected[2 * 7 + 2] = expected[2 * 7 + 3] = 1;
        Assert.Equal(expected, m);
    }

    [Fact]
    public void AOnePixelLineIsItsOwnSkeleton()
    {
        // Given a line one pixel wide, diagonal then straight: its two ends have one neighbour (B = 1)
        // and every inner pixel two, with two 0→1 transitions (A = 2), so no pixel may be removed
        var line = Crop(8, (1, 1), (2, 2), (3, 3), (3, 4), (3, 5), (3, 6));
        var m = (byte[])line.Clone();
        TubedSkeleton.Thin(m, 8, 8, new byte[64]);
        Assert.Equal(line, m);
    }

    [Fact]
    public void TheTubeIsTheLabelWithinTwoCrossStepsOfTheSkeletonAndOnWeightedPixels()
    {
        // Given the 3 × 5 block at rows 1–3, columns 1–5 of a 7 × 7 crop (skeleton (2,2), (2,3) as above)
        const int n = 7;
        var t = Crop(n, Block(1, 3, 1, 5));
        var w = Enumerable.Repeat((byte)1, n * n).ToArray();
        w[3 * n + 4] = 0; // one ignored label pixel
        var r = new byte[n * n];
        TubedSkeleton.Compute(t, w, 1, n, r);
        // Then: block pixels at city-block distance ≤ 2 from (2,2) or (2,3) — all but (1,5) and (3,5) —
        // less the ignored (3,4): 15 − 2 − 1 = 12 pixels, nothing outside the label
        var expected = Crop(n, Block(1, 3, 1, 5));
        expected[1 * n + 5] = expected[3 * n + 5] = expected[3 * n + 4] = 0;
        Assert.Equal(expected, r);
        Assert.Equal(12, r.Count(v => v != 0));
    }

    [Fact]
    public void EachCropOfABatchIsThinnedOnItsOwn()
    {
        // Given two 7 × 7 crops: the 3 × 5 block, and an empty one
        const int n = 7;
        var t = Crop(n, Block(1, 3, 1, 5)).Concat(new byte[n * n]).ToArray();
        var w = Enumerable.Repeat((byte)1, 2 * n * n).ToArray();
        var r = new byte[2 * n * n];
        TubedSkeleton.Compute(t, w, 2, n, r);
        // Then the first holds the 13 tube pixels of the block and the second none
        Assert.Equal(13, r.Take(n * n).Count(v => v != 0));
        Assert.Equal(0, r.Skip(n * n).Count(v => v != 0));
    }

    [Fact]
    public void TheTermIsOneMinusTheSmoothedRecallOfTheSkeleton()
    {
        using var scope = NewDisposeScope();
        // Given a 3 × 3 skeleton map with 4 pixels on, and a prediction certain on 3 of them (logit +20) and off elsewhere (−20)
        var s = tensor(new float[] { 1, 1, 0, 1, 1, 0, 0, 0, 0 }, new long[] { 1, 1, 3, 3 });
        var logits = tensor(new float[] { 20, 20, 20, 20, -20, -20, -20, -20, -20 }, new long[] { 1, 1, 3, 3 });
        // Then recall = (3 + 1)/(4 + 1) = 0.8 (the certain pixel off the skeleton does not count) and the term is 0.2
        Assert.Equal(0.2, Losses.SkeletonRecall(logits, s).item<float>(), 5);
        // and with nothing on the skeleton, the term is 0 whatever is predicted
        Assert.Equal(0.0, Losses.SkeletonRecall(logits, zeros_like(s)).item<float>(), 5);
    }

    [Fact]
    public void TheLabelStepAddsTheWeightedTermToTheLabelLoss()
    {
        using var scope = NewDisposeScope();
        // Given a small U-Net, one 16 × 16 crop whose label is a one-pixel line (its own skeleton; the tube cut back
        // to the label is the line), every pixel weighted, and learning rate 0 so that no step changes the weights
        var arch = SxtSeg.Network.NetworkArchitecture.Parse("unet:w=2-4,enc=1-1,dec=1,head=logit");
        using var net = arch.Create(3);
        var rng = new Random(5);
        var image = Enumerable.Range(0, 256).Select(_ => (float)rng.NextDouble()).ToArray();
        var target = new byte[256];
        for (int x = 2; x < 14; x++) target[8 * 16 + x] = 1;
        var weight = Enumerable.Repeat((byte)1, 256).ToArray();
        using var plain = new RecipeSteps(net, 0, 1e-8, CPU, tolerantDice: true);
        using var weighted = new RecipeSteps(net, 0, 1e-8, CPU, tolerantDice: true, skeletonRecall: 2);
        // When both take a label step on it
        double without = plain.LabelStep(image, target, weight, 1, 16).LabelLoss;
        double with = weighted.LabelStep(image, target, weight, 1, 16).LabelLoss;
        // Then the difference is 2 × (1 − (Σ p over the 12 line pixels + 1)/(12 + 1)), p from the network's own output
        net.train();
        using var g = no_grad();
        var (logits, _) = net.ForwardRaw(tensor(image, new long[] { 1, 1, 16, 16 }));
        var p = logits.sigmoid().data<float>().ToArray();
        double sum = 0;
        for (int x = 2; x < 14; x++) sum += p[8 * 16 + x];
        Assert.Equal(2 * (1 - (sum + 1) / 13), with - without, 4);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void TheWeightIsPartOfTheRecipeThatAResumeReadsBack(double weight)
    {
        var o = new TrainingOptions { Recipe = TrainingRecipe.SxtSeg, SkeletonRecall = weight };
        var json = o.RecipeJson();
        Assert.Equal(weight > 0 ? weight : null, (double?)json["skeleton_recall"]);
        Assert.Equal(weight, new TrainingOptions { SkeletonRecall = 3 }.WithRecipe(json).SkeletonRecall);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(10.5)]
    [InlineData(double.NaN)]
    public void AWeightOutsideZeroToTenIsRefused(double weight)
    {
        var o = TrainingOptions.SxtSegDefaults with { SkeletonRecall = weight };
        var e = Assert.Throws<InvalidOptionException>(() => o.Validate());
        Assert.Equal(nameof(TrainingOptions.SkeletonRecall), e.Option);
    }

    [Fact]
    public void ThePaperRecipeRefusesTheTerm()
    {
        var o = new TrainingOptions { SkeletonRecall = 1 };
        var e = Assert.Throws<InvalidOptionException>(() => o.Validate());
        Assert.Equal(nameof(TrainingOptions.SkeletonRecall), e.Option);
    }
}
