using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// The seeded fuzz test of issue 15: mutants of small valid MRC and TIFF files (header byte flips,
/// truncations, absurd dimensions, modes, offsets, NaN/Inf, directory loops, ImageJ text) given to
/// info, convert and measure (and segment, below) in-process. Every run must exit 0, or exit 2 with
/// one line naming the file and nothing left behind; no run may hang or silently truncate. The
/// larger run (thousands of cases) is <c>sxtseg-bench fuzz</c>.
/// </summary>
public sealed class FuzzTests
{
    private static void AssertAllClean(IEnumerable<FuzzOutcome> outcomes)
    {
        var bad = outcomes.Where(o => !o.Clean).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(10).Select(o =>
            $"{o.Command} {o.Mutant.Seed.Name} {o.Mutant.Mutation} ({o.Mutant.Detail}): {o.Problem}; exit {o.ExitCode}: {o.Err}")));
    }

    [Fact]
    public void InfoConvertAndMeasureSurviveSeededMutants()
    {
        using var dir = new TempDir();
        var seeds = FuzzHarness.Seeds(dir.File("seeds"));
        var rng = new Random(20261125);
        var outcomes = new List<FuzzOutcome>();
        // 3 × 9 mutation kinds × 11 seeds ≈ 300 mutants, each to one command (measure on label seeds)
        for (int round = 0; round < 3; round++)
            foreach (string kind in FuzzHarness.Mutations)
                foreach (var seed in seeds)
                {
                    var m = FuzzHarness.Mutate(seed, kind, rng);
                    string command = seed.Labels && rng.Next(2) == 0 ? "measure" : rng.Next(2) == 0 ? "info" : "convert";
                    outcomes.Add(FuzzHarness.Run(command, m, dir.Path, null, TimeSpan.FromSeconds(30)));
                }
        Assert.True(outcomes.Count >= 290);
        AssertAllClean(outcomes);
        // The mutants are not all refused: the fuzz also exercises the success path.
        Assert.Contains(outcomes, o => o.ExitCode == 0);
        Assert.Contains(outcomes, o => o.ExitCode == 2);
    }
}

/// <summary>Segment on mutants, with a tiny untrained model (a few cases: networks are slow).</summary>
[Collection(TorchCollection.Name)]
public sealed class SegmentFuzzTests
{
    [Fact]
    public void SegmentSurvivesSeededMutants()
    {
        using var dir = new TempDir();
        using (var net = DeepSxtNet.Create(2, 7))
            ModelFile.Save(dir.File("tiny.sxtmodel"), net, new ModelCard(2) { VoxelSizeNm = 10 });
        var seeds = FuzzHarness.Seeds(dir.File("seeds"));
        var rng = new Random(15);
        var outcomes = new List<FuzzOutcome>();
        foreach (string kind in new[] { "truncate", "dimensions", "nan-inf", "ifd-loop", "flip-header", "offsets" })
        {
            var seed = seeds[rng.Next(seeds.Count)];
            outcomes.Add(FuzzHarness.Run("segment", FuzzHarness.Mutate(seed, kind, rng), dir.Path, dir.File("tiny.sxtmodel"), TimeSpan.FromSeconds(60)));
        }
        var bad = outcomes.Where(o => !o.Clean).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad.Select(o => $"{o.Mutant.Seed.Name} {o.Mutant.Mutation} ({o.Mutant.Detail}): {o.Problem}; {o.Err}")));
    }
}
