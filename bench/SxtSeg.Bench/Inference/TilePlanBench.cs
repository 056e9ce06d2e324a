using System.Diagnostics;
using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Network;

namespace SxtSeg.Bench.Inference;

/// <summary>
/// Time per slice of several tile layouts (largest side / overlap) for one slice size, with a real
/// model, interleaved round by round in one process so that the machine's load affects them alike:
/// each round predicts the same slices with every layout, N workers (one single-threaded network
/// each) predicting slices in parallel, as <c>segment</c> does. The first layout is the reference of
/// the ratios. Also prints each layout's tiles and network pixels per slice pixel.
/// Args: MODEL WIDTH HEIGHT TILE/OVERLAP[;TILE/OVERLAP...] (a trailing "sq": the square layout of before 2026-11-29) [slices=8] [rounds=5] [workers=2].
/// </summary>
public sealed class TilePlanBench : IBenchmark
{
    /// <inheritdoc />
    public string Name => "tile-plan";

    /// <inheritdoc />
    public string Description => "seconds per slice of tile layouts (TILE/OVERLAP;...) on a WIDTH × HEIGHT slice with a model, interleaved rounds: tile-plan MODEL W H 256/32;512/64 [slices=8] [rounds=5] [workers=2]";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        if (args.Length < 4) { Console.Error.WriteLine(Description); return 2; }
        string model = args[0];
        int width = int.Parse(args[1], CultureInfo.InvariantCulture), height = int.Parse(args[2], CultureInfo.InvariantCulture);
        var layouts = args[3].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(s =>
        {
            bool square = s.EndsWith("sq", StringComparison.Ordinal);
            var p = s.TrimEnd('s', 'q').Split('/');
            return new TileOptions { TileSize = int.Parse(p[0], CultureInfo.InvariantCulture), Overlap = int.Parse(p[1], CultureInfo.InvariantCulture), BatchSize = 1, SquareTiles = square };
        }).ToArray();
        int slices = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8;
        int rounds = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 5;
        int workers = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 2;
        using var seg = SegmentationModel.Load(model, workers, new InferenceOptions { Threads = 1 });
        int channels = Math.Max(1, seg.Workers[0].InputChannels);
        // a normalised-looking slice stack: smooth structure plus noise (content does not change the network's cost)
        var rng = new Random(1);
        var stack = new float[channels * width * height];
        for (int i = 0; i < stack.Length; i++)
        {
            int x = i % width, y = i / width % height;
            stack[i] = (float)(Math.Sin(x * 0.05) * Math.Cos(y * 0.07) + 0.5 * (rng.NextDouble() * 2 - 1));
        }
        var predictors = layouts.Select(l => seg.Workers.Select(w => new SlicePredictor(w, l)).ToArray()).ToArray();
        Console.WriteLine($"model {seg.Id}; slice {width} × {height}, {channels} planes; {workers} workers × 1 thread; {slices} slices per layout per round, {rounds} rounds (+1 warm-up)");
        var times = layouts.Select(_ => new List<double>()).ToArray();
        for (int r = -1; r < rounds; r++)
        {
            for (int l = 0; l < layouts.Length; l++)
            {
                var ps = predictors[l];
                var sw = Stopwatch.StartNew();
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    var prob = new float[width * height];
                    for (int s = w; s < slices; s += workers) ps[w].Predict(stack, width, height, prob);
                });
                if (r >= 0) times[l].Add(sw.Elapsed.TotalSeconds / slices);
            }
        }
        Console.WriteLine($"{"layout",-12} {"tiles",-28} {"net px/px",9} {"s/slice",8} {"ratio",6}  ratios per round");
        for (int l = 0; l < layouts.Length; l++)
        {
            var (ly, lx) = predictors[l][0].LayoutOf(width, height);
            string tiles = $"{ly.Count}×{lx.Count} ({Sides(ly)} × {Sides(lx)})";
            double npp = (double)ly.Predicted * lx.Predicted / ((double)width * height);
            var ratios = times[l].Zip(times[0], (a, b) => a / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{layouts[l].TileSize + "/" + layouts[l].Overlap + (layouts[l].SquareTiles ? "sq" : ""),-12} {tiles,-28} {npp,9:0.000} {Timing.Median(times[l]),8:0.000} {Timing.Median(ratios),6:0.000}  {string.Join(' ', ratios.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))}"));
        }
        Console.WriteLine($"peak RSS {Timing.PeakRssMiB():0} MiB");
        return 0;
    }

    private static string Sides(AxisTiles a) => string.Join('+', a.Sides.GroupBy(v => v).Select(g => g.Count() == 1 ? $"{g.Key}" : $"{g.Count()}·{g.Key}"));
}
