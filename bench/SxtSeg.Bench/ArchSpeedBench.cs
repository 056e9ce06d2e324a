using System.Diagnostics;
using System.Globalization;
using SxtSeg.Network;

namespace SxtSeg.Bench;

/// <summary>
/// Label-path throughput of several architectures, interleaved round by round in one process so
/// that the machine's load affects them alike: each round runs every architecture with N workers
/// (each its own <see cref="LabelPredictor"/>, 1 intra-op thread, batch-norm folded) on 256² tiles.
/// Args: ARCH[;ARCH...] (preset names or specs, ';'-separated) [size=256] [workers=2] [tiles=8] [rounds=5] [precision=fp32].
/// </summary>
public sealed class ArchSpeedBench : IBenchmark
{
    public string Name => "arch-speed";

    public string Description => "label-path Mpx/s of several architectures (workers × 1 thread, interleaved rounds)";

    public int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: arch-speed ARCH[;ARCH...] [size=256] [workers=2] [tiles=8] [rounds=5] [fp32|bf16]");
            return 2;
        }
        var archs = args[0].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => NetworkArchitecture.Parse(a)).ToArray();
        int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        int tiles = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        int rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
        var precision = InferenceOptions.ParsePrecision(args.Length > 5 ? args[5] : "fp32");
        var rng = new Random(1);
        // one plane per input channel (2c + 1 slices for a network with context)
        var input = new float[size * size * archs.Max(a => a.InputChannels)];
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
        var predictors = archs.Select(a => Enumerable.Range(0, workers).Select(_ =>
            LabelPredictor.FromNetwork(a.Create(1), new ModelCard(a), new InferenceOptions { Threads = 1, Precision = precision })).ToArray()).ToArray();
        var times = archs.Select(_ => new List<double>()).ToArray();
        for (int r = -1; r < rounds; r++)
        {
            for (int a = 0; a < archs.Length; a++)
            {
                var ps = predictors[a];
                var sw = Stopwatch.StartNew();
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    var output = new float[size * size];
                    var planes = input.AsSpan(0, size * size * archs[a].InputChannels);
                    for (int t = w; t < tiles; t += workers) ps[w].Predict(planes, 1, size, size, output);
                });
                if (r >= 0) times[a].Add(sw.Elapsed.TotalSeconds);
            }
        }
        Console.WriteLine($"tile={size}² workers={workers}×1 thread tiles/round={tiles} rounds={rounds} precision={precision} (medians; rounds interleaved)");
        Console.WriteLine($"{"architecture",-80} {"params",10} {"kFLOP/px",9} {"Mpx/s",7} {"GFLOP/s",8}  runs (Mpx/s)");
        for (int a = 0; a < archs.Length; a++)
        {
            var mpx = times[a].Select(t => tiles * (double)size * size / t / 1e6).OrderBy(v => v).ToArray();
            double med = Timing.Median(mpx.ToList());
            double flops = archs[a].LabelPathFlopsPerPixel;
            string name = NetworkPreset.NameOf(archs[a]) is var n && n != "custom" ? $"{n} ({archs[a].Spec})" : archs[a].Spec;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-80} {archs[a].TrainableParameters,10:N0} {flops / 1e3,9:0.0} {med,7:0.000} {med * flops / 1e3,8:0.0}  {string.Join(' ', mpx.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        }
        foreach (var ps in predictors) foreach (var p in ps) p.Dispose();
        return 0;
    }
}
