using System.Diagnostics;
using SxtSeg.Simulation;
namespace SxtSeg.Bench;
public sealed class SimKernelsBenchmark : IBenchmark
{
    public string Name => "sim-kernels";
    public string Description => "single-thread timings of the projector, back-projector and WBP filter on one batch of rows";
    public int Run(string[] args)
    {
        int W = 512, H = 256, D = 512, L = ParallelBeamProjector.Lanes;
        var angles = Enumerable.Range(0, 139).Select(i => -70.0 + i).ToArray();
        var pr = new ParallelBeamProjector(W, H, D, angles);
        var rec = new Reconstructor(W, H, D, angles, new ReconstructionOptions(ReconstructionMethod.Wbp, FbpFilter.Hamming));
        var plane = new float[W * H * L];
        var rng = new SimRandom(1);
        for (int i = 0; i < plane.Length; i++) plane[i] = (float)rng.NextDouble();
        var sino = new float[angles.Length * D * L];
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            pr.ForwardBatch(plane, sino, DepthBands.Single);
            double f = sw.Elapsed.TotalSeconds; sw.Restart();
            pr.BackBatch(sino, plane);
            double b = sw.Elapsed.TotalSeconds; sw.Restart();
            rec.ReconstructBatch(sino, plane);
            double r = sw.Elapsed.TotalSeconds;
            double steps = (double)angles.Length * W * H;
            Console.WriteLine($"forward {f * 1e3:0} ms ({f / steps * 1e9:0.00} ns/pixel·angle), back {b * 1e3:0} ms ({b / steps * 1e9:0.00} ns), WBP (filter + back) {r * 1e3:0} ms, for {L} rows");
        }
        return 0;
    }
}
