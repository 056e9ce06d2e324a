using System.Globalization;
using SxtSeg.Network;

namespace SxtSeg.Bench;

/// <summary>
/// Times the label-path forward of the Deep-SXT network (presets m = 8 and 16 by default) on one
/// tile, float32 and bfloat16, and reports Mpx/s and GFLOP/s (label-path convolution FLOPs).
/// Args: [widths=8,16] [sizes=256,1024] [threads=2] [repeats=5].
/// </summary>
public sealed class LabelPathBench : IBenchmark
{
    public string Name => "label-path";

    public string Description => "label-path forward of m=8/16 on 256² and 1024² tiles, fp32 and bf16 (Mpx/s, GFLOP/s)";

    public int Run(string[] args)
    {
        int[] widths = Ints(args, 0, "8,16");
        int[] sizes = Ints(args, 1, "256,1024");
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"threads={threads} repeats={repeats} (median reported; first call is a warm-up)");
        Console.WriteLine("   m   size  precision   s/tile    Mpx/s  GFLOP/s");
        foreach (int m in widths)
        {
            foreach (var precision in new[] { InferencePrecision.Float32, InferencePrecision.BFloat16 })
            {
                using var net = DeepSxtNet.Create(m, 1);
                using var predictor = LabelPredictor.FromNetwork(net, new ModelCard(m), new InferenceOptions { Threads = threads, Precision = precision });
                foreach (int size in sizes)
                {
                    var rng = new Random(1);
                    var input = new float[size * size];
                    for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
                    var output = new float[input.Length];
                    predictor.Predict(input, 1, size, size, output);
                    int reps = size >= 1024 ? Math.Max(2, repeats / 2) : repeats;
                    double t = Timing.Median(Timing.Repeat(reps, () => predictor.Predict(input, 1, size, size, output)));
                    double px = (double)size * size;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{m,4} {size,6}  {(precision == InferencePrecision.Float32 ? "fp32" : "bf16"),9} {t,8:0.000} {px / t / 1e6,8:0.000} {px * predictor.FlopsPerPixel / t / 1e9,8:0.0}"));
                }
            }
        }
        Console.WriteLine($"peak RSS {Timing.PeakRssMiB():0} MiB");
        return 0;
    }

    private static int[] Ints(string[] args, int i, string dflt)
        => (args.Length > i ? args[i] : dflt).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
