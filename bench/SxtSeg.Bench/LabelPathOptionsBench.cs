using System.Globalization;
using SxtSeg.Network;

namespace SxtSeg.Bench;

/// <summary>
/// What limits label-path speed, measured as ratios inside one run (interleaved rounds, medians):
/// batch-norm folding on/off, channels-last input, tiles per call (1 vs 4), intra-op threads (1 vs 2), bf16.
/// Args: [width=8] [size=256] [rounds=5].
/// </summary>
public sealed class LabelPathOptionsBench : IBenchmark
{
    public string Name => "label-path-options";

    public string Description => "label-path Mpx/s: batch-norm folding, tiles per call, threads (interleaved, one run)";

    public int Run(string[] args)
    {
        int m = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var variants = new (string Name, bool Fold, int Tiles, int Threads, InferencePrecision Precision, bool ChannelsLast)[]
        {
            ("unfolded, 1 tile/call, 2 threads", false, 1, 2, InferencePrecision.Float32, false),
            ("folded, 1 tile/call, 2 threads", true, 1, 2, InferencePrecision.Float32, false),
            ("folded, channels-last, 1 tile/call", true, 1, 2, InferencePrecision.Float32, true),
            ("folded, 4 tiles/call, 2 threads", true, 4, 2, InferencePrecision.Float32, false),
            ("folded, 1 tile/call, 1 thread", true, 1, 1, InferencePrecision.Float32, false),
            ("folded, 4 tiles/call, 2 threads, bf16", true, 4, 2, InferencePrecision.BFloat16, false),
            ("folded, 1 tile/call, bf16", true, 1, 2, InferencePrecision.BFloat16, false),
            ("folded, channels-last, 1 tile/call, bf16", true, 1, 2, InferencePrecision.BFloat16, true),
        };
        var predictors = variants.Select(v => LabelPredictor.FromNetwork(DeepSxtNet.Create(m, 1), new ModelCard(m),
            new InferenceOptions { FoldBatchNorm = v.Fold, Threads = v.Threads, Precision = v.Precision, ChannelsLast = v.ChannelsLast })).ToArray();
        var rng = new Random(1);
        var input = new float[4 * size * size];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
        var output = new float[input.Length];
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int r = -1; r < rounds; r++)
            for (int v = 0; v < variants.Length; v++)
            {
                int n = variants[v].Tiles;
                TorchRuntime.SetThreads(variants[v].Threads);
                double t = Timing.Repeat(1, () => predictors[v].Predict(input.AsSpan(0, n * size * size), n, size, size, output.AsSpan(0, n * size * size)))[0];
                if (r >= 0) times[v].Add(t / n);
            }
        Console.WriteLine($"m={m} tile={size}² rounds={rounds} (median seconds per tile)");
        double baseline = Timing.Median(times[0]);
        for (int v = 0; v < variants.Length; v++)
        {
            double t = Timing.Median(times[v]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {variants[v].Name,-40} {t,8:0.0000} s/tile {(double)size * size / t / 1e6,8:0.000} Mpx/s  ×{baseline / t:0.00} vs first"));
        }
        foreach (var p in predictors) p.Dispose();
        return 0;
    }
}
