using System.Diagnostics;
using System.Globalization;
using SxtSeg.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// End-to-end training on a synthetic "simulation folder" (random spherical shells, 2 voxels thick,
/// in noise with a smooth background): semi-supervised and supervised-only runs of the same recipe,
/// reporting test metrics per epoch and wall time. A convergence smoke check, not a physics benchmark.
/// Args: [width=8] [epochs=6] [size=192] [crop=128] [annotated=4] [folder=/tmp/sxtseg-train-demo].
/// </summary>
public sealed class TrainDemoBench : IBenchmark
{
    public string Name => "train-demo";

    public string Description => "semi-supervised vs supervised-only training on synthetic shells (metrics per epoch, wall time)";

    public int Run(string[] args)
    {
        int m = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
        int size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 192;
        int crop = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 128;
        int annotated = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 4;
        string root = args.Length > 5 ? args[5] : Path.Combine(Path.GetTempPath(), "sxtseg-train-demo");
        if (Directory.Exists(root)) Directory.Delete(root, true);
        string sim = Path.Combine(root, "sim");
        WriteShells(sim, size, size, 24, 7);
        foreach (bool supervised in new[] { false, true })
        {
            var inputs = new TrainingInputs { SimulationAnnotatedSlices = annotated };
            inputs.Simulations.Add(sim);
            var options = new TrainingOptions { Width = m, Epochs = epochs, CropSize = crop, Threads = 2, SupervisedOnly = supervised, LearningRate = 5e-4, Patience = epochs };
            var sw = Stopwatch.StartNew();
            var result = SemiSupervisedTrainer.Run(new TrainingRequest(inputs, options, Path.Combine(root, supervised ? "supervised" : "semi")));
            Console.WriteLine($"{(supervised ? "supervised-only" : "semi-supervised")}: m={m} crop={crop} lr=5e-4 {epochs} epochs in {sw.Elapsed.TotalSeconds:0.0} s, best epoch {result.BestEpoch}");
            Console.WriteLine("  epoch  train_label  test_label  label_acc_1%  image_acc_1std   ssim   F1     s");
            foreach (var h in result.History)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {h.Epoch,5} {h.TrainLabelLoss,12:0.0000} {h.TestLabelLoss,11:0.0000} {h.LabelAccuracy * 100,13:0.0} {h.ImageAccuracy * 100,15:0.0} {h.Ssim,6:0.000} {h.MembraneF1,5:0.000} {h.Seconds,5:0.0}"));
        }
        return 0;
    }

    private static void WriteShells(string folder, int nx, int ny, int nz, int seed)
    {
        Directory.CreateDirectory(folder);
        var rng = new Random(seed);
        var image = new Volume<float>(nx, ny, nz, VoxelSize.Isotropic(10));
        var labels = new Volume<byte>(nx, ny, nz, VoxelSize.Isotropic(10));
        var spheres = Enumerable.Range(0, 10).Select(_ => (X: rng.NextDouble() * nx, Y: rng.NextDouble() * ny, Z: rng.NextDouble() * nz, R: 8 + rng.NextDouble() * 30)).ToArray();
        Parallel.For(0, nz, z =>
        {
            var r = new Random(seed * 1000 + z);
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    bool membrane = false;
                    foreach (var s in spheres)
                    {
                        double d = Math.Sqrt((x - s.X) * (x - s.X) + (y - s.Y) * (y - s.Y) + (z - s.Z) * (z - s.Z) * 4);
                        if (Math.Abs(d - s.R) < 1.0) membrane = true;
                    }
                    image[z, y, x] = (float)(0.004 + (membrane ? 0.0015 : 0) + 0.001 * Math.Sin(x * 0.03) * Math.Cos(y * 0.02) + 0.0012 * (r.NextDouble() - 0.5));
                    labels[z, y, x] = membrane ? (byte)1 : (byte)0;
                }
        });
        VolumeIO.Write(Path.Combine(folder, "tomogram.mrc"), image);
        VolumeIO.Write(Path.Combine(folder, "membranes.mrc"), labels);
    }
}
