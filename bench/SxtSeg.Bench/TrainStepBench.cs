using System.Globalization;
using SxtSeg.Network;
using SxtSeg.Training;
using static TorchSharp.torch;

namespace SxtSeg.Bench;

/// <summary>
/// Seconds per training step (forward, backward, Adam) of both modes at batch 1 on crops of the
/// given size: the cost that decides how long CPU training takes.
/// Args: [networks=8,16] [crop=256] [threads=2] [steps=6]; networks are Deep-SXT widths, or
/// ';'-separated preset names / architecture specs (e.g. "small;unet:w=8-16-32-64-128").
/// </summary>
public sealed class TrainStepBench : IBenchmark
{
    public string Name => "train-step";

    public string Description => "seconds per label-mode and image-mode training step (m=8/16, 256² crops, batch 1)";

    public int Run(string[] args)
    {
        string list = args.Length > 0 ? args[0] : "8,16";
        var archs = list.Split(list.Contains(';') || list.Contains(':') ? ';' : ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? NetworkArchitecture.DeepSxt(m) : NetworkArchitecture.Parse(s)).ToArray();
        int crop = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        int n = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 6;
        TorchRuntime.SetThreads(threads);
        var rng = new Random(1);
        var image = new float[crop * crop];
        var label = new float[crop * crop];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (float)(rng.NextDouble() * 2 - 1);
            label[i] = rng.NextDouble() < 0.1 ? 1 : -1;
        }
        Console.WriteLine($"crop={crop}² batch=1 threads={threads} steps={n} (median; 2 warm-up steps each)");
        Console.WriteLine("network   label step s   image step s   epoch of 71×6 + 461 steps (min)");
        foreach (var arch in archs)
        {
            using var net = arch.Create(1);
            using var steps = new TrainingSteps(net, 5e-5, 1e-7, 76, CPU);
            for (int i = 0; i < 2; i++) { steps.LabelStep(image, label, 1, crop); steps.ImageStep(image, 1, crop); }
            double tl = Timing.Median(Timing.Repeat(n, () => steps.LabelStep(image, label, 1, crop)));
            double ti = Timing.Median(Timing.Repeat(n, () => steps.ImageStep(image, 1, crop)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(arch.IsDeepSxt ? $"m={arch.Width}" : arch.Spec)} {tl,14:0.000} {ti,14:0.000} {(71 * 6 * tl + 461 * ti) / 60,20:0.0}"));
        }
        Console.WriteLine($"peak RSS {Timing.PeakRssMiB():0} MiB");
        return 0;
    }
}
