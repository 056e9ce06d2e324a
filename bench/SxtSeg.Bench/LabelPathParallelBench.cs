using System.Diagnostics;
using System.Globalization;
using SxtSeg.Network;

namespace SxtSeg.Bench;

/// <summary>
/// Throughput of the label path when tiles are spread over several .NET workers, each running
/// its own tiles with libtorch intra-op threads = 1, against one worker with all threads.
/// Args: [width=8] [size=256] [workers=2] [tiles=16] [precision=fp32].
/// </summary>
public sealed class LabelPathParallelBench : IBenchmark
{
    public string Name => "label-path-workers";

    public string Description => "label-path tiles/s: N workers × 1 intra-op thread vs 1 worker × N threads";

    public int Run(string[] args)
    {
        int m = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        int tiles = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16;
        var precision = InferenceOptions.ParsePrecision(args.Length > 4 ? args[4] : "fp32");
        var input = new float[size * size];
        var rng = new Random(1);
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
        Console.WriteLine($"m={m} tile={size}² tiles={tiles} precision={precision}");
        foreach (var (nWorkers, threads) in new[] { (1, workers), (workers, 1), (1, workers) })
        {
            var predictors = Enumerable.Range(0, nWorkers)
                .Select(_ => LabelPredictor.FromNetwork(DeepSxtNet.Create(m, 1), new ModelCard(m), new InferenceOptions { Threads = threads, Precision = precision }))
                .ToArray();
            foreach (var p in predictors) p.Predict(input, 1, size, size);
            var sw = Stopwatch.StartNew();
            Parallel.For(0, nWorkers, new ParallelOptions { MaxDegreeOfParallelism = nWorkers }, w =>
            {
                var output = new float[input.Length];
                for (int t = w; t < tiles; t += nWorkers) predictors[w].Predict(input, 1, size, size, output);
            });
            double s = sw.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"workers={nWorkers} intra-op threads={threads}: {s:0.000} s, {tiles * (double)size * size / s / 1e6:0.000} Mpx/s"));
            foreach (var p in predictors) p.Dispose();
        }
        return 0;
    }
}
