using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Tests.Training;

/// <summary>The tolerant Dice of the label loss (<c>--dice tolerant</c>) on 3 × 3 crops worked out by hand.</summary>
[Collection(TorchCollection.Name)]
public sealed class TolerantDiceTests
{
    private static Tensor Image(params float[] v) => tensor(v, new long[] { 1, 1, 3, 3 });

    /// <summary>Logits of +20 where <paramref name="on"/> is 1, −20 elsewhere: σ = 1 − 2·10⁻⁹ and 2·10⁻⁹.</summary>
    private static Tensor Logits(params float[] on) => Image(on.Select(v => v > 0 ? 20f : -20f).ToArray());

    [Fact]
    public void DilationTakesThePixelAndItsFourEdgeNeighboursOnly()
    {
        using var scope = NewDisposeScope();
        // Given a single 1 in the corner and a 0.5 in the middle of the opposite edge
        var d = Losses.DilateByOne(Image(1, 0, 0, 0, 0, 0, 0, 0.5f, 0)).data<float>().ToArray();
        // Then the corner spreads right and down (not diagonally), the 0.5 to its three neighbours
        Assert.Equal(new[] { 1f, 1f, 0f, 1f, 0.5f, 0f, 0.5f, 0.5f, 0.5f }, d);
    }

    [Fact]
    public void APredictionOnePixelBesideTheTruthCostsOnlyTheCrossEntropy()
    {
        using var scope = NewDisposeScope();
        // Given the truth in the centre and the prediction one pixel to its right, every pixel weighted
        var t = Image(0, 0, 0, 0, 1, 0, 0, 0, 0);
        var w = Image(1, 1, 1, 1, 1, 1, 1, 1, 1);
        var logits = Logits(0, 0, 0, 0, 0, 1, 0, 0, 0);
        // Then BCE = (20 + 20 + 7·2·10⁻⁹)/9 and the tolerant term is 0: recall (1 + 1)/(1 + 1), precision (1 + 1)/(1 + 1)
        Assert.Equal(40.0 / 9, Losses.BceTolerantDice(logits, t, w).item<float>(), 4);
        // while the exact Dice adds 1 − 1/(1 + 1 + 1) = 2/3
        Assert.Equal(40.0 / 9 + 2.0 / 3, Losses.BceDice(logits, t, w).item<float>(), 4);
    }

    [Fact]
    public void ADiagonalNeighbourIsNotWithinTolerance()
    {
        using var scope = NewDisposeScope();
        // Given the prediction diagonally below-right of the true centre pixel
        var t = Image(0, 0, 0, 0, 1, 0, 0, 0, 0);
        var w = Image(1, 1, 1, 1, 1, 1, 1, 1, 1);
        var logits = Logits(0, 0, 0, 0, 0, 0, 0, 0, 1);
        // Then recall = (0 + 1)/(1 + 1), precision = (0 + 1)/(1 + 1), F1 = 1/2: the term is 1/2
        Assert.Equal(40.0 / 9 + 0.5, Losses.BceTolerantDice(logits, t, w).item<float>(), 4);
    }

    [Fact]
    public void IgnoredPixelsNeitherCoverTheTruthNorCount()
    {
        using var scope = NewDisposeScope();
        // Given the prediction beside the truth but on an ignored pixel (weight 0)
        var t = Image(0, 0, 0, 0, 1, 0, 0, 0, 0);
        var w = Image(1, 1, 1, 1, 1, 0, 1, 1, 1);
        var logits = Logits(0, 0, 0, 0, 0, 1, 0, 0, 0);
        // Then BCE = 20/8 over the 8 weighted pixels; recall (0 + 1)/(1 + 1) = 1/2, precision (0 + 1)/(0 + 1) = 1,
        // F1 = 2·(1/2)·1/(3/2) = 2/3: the term is 1/3
        Assert.Equal(2.5 + 1.0 / 3, Losses.BceTolerantDice(logits, t, w).item<float>(), 4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheChoiceIsPartOfTheRecipeThatAResumeReadsBack(bool tolerant)
    {
        // Given SxtSeg-recipe options with or without the tolerant Dice
        var o = new TrainingOptions { Recipe = TrainingRecipe.SxtSeg, TolerantDice = tolerant };
        var json = o.RecipeJson();
        // Then the recipe says so, and options rebuilt from it (as --resume does) agree
        Assert.Equal(tolerant ? "tolerant" : null, (string?)json["dice"]);
        Assert.Equal(tolerant, ((string?)json["loss"])!.Contains("±1 px", StringComparison.Ordinal));
        Assert.Equal(tolerant, new TrainingOptions { TolerantDice = !tolerant }.WithRecipe(json).TolerantDice);
    }

    [Fact]
    public void ThePapersRecipeRefusesIt()
    {
        var e = Assert.Throws<InvalidOptionException>(() => new TrainingOptions { Recipe = TrainingRecipe.Paper, TolerantDice = true }.Validate());
        Assert.Equal(nameof(TrainingOptions.TolerantDice), e.Option);
        // and the command line names the option
        using var dir = new TempDir();
        CliRunner.Refused(new[] { "train", "--recipe", "paper", "--out", dir.File("run"), "--dice", "tolerant", "--sim", dir.Path },
            "--dice: the tolerant Dice is a loss of the SxtSeg recipe (--recipe sxtseg)");
    }
}
