using System.Diagnostics;
using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Inference;

/// <summary>
/// End-to-end segmentation throughput (read → normalise → tiles → network → blend → post-process →
/// write) against the network alone on the same tiles, in one run: the ratio gives the fraction of
/// time spent outside the network. Usage: segment-speed MODEL TOMOGRAM [SLICES] [WORKERS] [TILE] [REPEATS] [OVERLAP].
/// </summary>
public sealed class SegmentSpeedBench : IBenchmark
{
    public string Name => "segment-speed";

    public string Description => "end-to-end Mpx/s of sxtseg segment vs the network alone (MODEL TOMOGRAM [SLICES=16] [WORKERS=2] [TILE=256] [REPEATS=3] [OVERLAP=TILE/4])";

    public int Run(string[] args)
    {
        if (args.Length < 2) { Console.Error.WriteLine(Description); return 2; }
        string model = args[0], tomogram = args[1];
        int slices = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        int workers = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        int tile = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 256;
        int repeats = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;
        using var reader = VolumeIO.OpenRead(tomogram);
        var info = reader.Info;
        slices = Math.Min(slices, info.Nz);
        int z0 = (info.Nz - slices) / 2;
        int overlap = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : tile / 4;
        var tiles = new TileOptions { TileSize = tile, Overlap = overlap, BatchSize = 1 };
        using var seg = SegmentationModel.Load(model, workers, new InferenceOptions());
        Console.WriteLine($"model {seg.Id}: {seg.Description}");
        // the tiles segment lays out on one slice (Tiling.Plan), the network alone is given the same shapes
        var (ly, lx) = new SlicePredictor(seg.Workers[0], tiles).LayoutOf(info.Nx, info.Ny);
        var shapes = new List<(int H, int W)>();
        foreach (int h in ly.Sides) foreach (int w in lx.Sides) shapes.Add((h, w));
        long tileCount = (long)shapes.Count * slices;
        double mpx = (double)info.Nx * info.Ny * slices / 1e6;
        Console.WriteLine($"{tomogram}: {info}; {slices} slices from z={z0}; {workers} workers × 1 thread; tiles of at most {tile}², {shapes.Count} per slice ({ly.Predicted} × {lx.Predicted} px predicted)");
        string outDir = Path.Combine(Path.GetTempPath(), $"sxtseg-speed-{Environment.ProcessId}");
        var e2e = new List<double>();
        var net = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            // Network alone: the same number of tiles, same workers, no I/O, no blending.
            var sw = Stopwatch.StartNew();
            long next = -1;
            var tasks = seg.Workers.Select(w => Task.Run(() =>
            {
                int planes = Math.Max(1, w.InputChannels);
                var input = new float[tile * tile * planes];
                var output = new float[tile * tile];
                var rng = new Random(1);
                for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
                long k;
                while ((k = Interlocked.Increment(ref next)) < tileCount)
                {
                    var (h, wd) = shapes[(int)(k % shapes.Count)];
                    w.Predict(input.AsSpan(0, h * wd * planes), 1, h, wd, output.AsSpan(0, h * wd));
                }
            })).ToArray();
            Task.WaitAll(tasks);
            net.Add(sw.Elapsed.TotalSeconds);
            // End to end, as `sxtseg segment --slices` does it, outputs included.
            sw.Restart();
            Segmenter.Run(tomogram, outDir, seg, new SegmentOptions { Tiles = tiles, Slices = (z0, slices), MinObjectVoxels = 30 }, new Provenance("bench"));
            e2e.Add(sw.Elapsed.TotalSeconds);
            Directory.Delete(outDir, true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1}: network alone {net[^1]:0.00} s, end to end {e2e[^1]:0.00} s ({mpx / e2e[^1]:0.000} Mpx/s), outside the network {100 * (1 - net[^1] / e2e[^1]):0.0} %"));
        }
        double mNet = Timing.Median(net), mE2e = Timing.Median(e2e);
        var fractions = net.Zip(e2e, (a, b) => 1 - a / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: end to end {mpx / mE2e:0.000} Mpx/s, network alone {mpx / mNet:0.000} Mpx/s, outside the network {100 * Timing.Median(fractions):0.0} % (runs: {string.Join(", ", fractions.Select(f => (100 * f).ToString("0.0", CultureInfo.InvariantCulture)))}); " +
            $"full 1324×1284×350 tomogram ≈ {1324.0 * 1284 * 350 / 1e6 / (mpx / mE2e) / 60:0.0} min; peak RSS {Timing.PeakRssMiB():0} MiB"));
        return 0;
    }
}
