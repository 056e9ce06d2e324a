using System.Diagnostics;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Volumes;

/// <summary>
/// Peak memory and speed of streaming statistics on a tomogram larger than the slab budget:
/// writes a 1324 × 1284 × 500 float32 MRC (3.4 GB) once, then times VolumeStatistics over it and
/// reports this process's peak RSS. Run the CLI under /usr/bin/time for the end-to-end figure.
/// </summary>
public sealed class LargeInfoBench : IBenchmark
{
    public string Name => "io-large-info";

    public string Description => "3.4 GB MRC: write it, then streaming statistics time and peak RSS (arg: path, default /tmp/sxtseg-large.mrc)";

    public int Run(string[] args)
    {
        string path = args.Length > 0 ? args[0] : "/tmp/sxtseg-large.mrc";
        const int nx = 1324, ny = 1284, nz = 500;
        if (!File.Exists(path) || new FileInfo(path).Length != 1024L + 4L * nx * ny * nz)
        {
            var sw = Stopwatch.StartNew();
            using var w = VolumeIO.Create(path, new VolumeInfo(nx, ny, nz, VoxelType.Float32, VoxelSize.Isotropic(9.8)));
            var slice = new float[nx * ny];
            var rng = new Random(1);
            for (int z = 0; z < nz; z++)
            {
                for (int i = 0; i < slice.Length; i += 97) slice[i] = (float)rng.NextDouble();
                w.WriteSlice<float>(slice);
            }
            w.Commit();
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e9:0.00} GB) in {sw.Elapsed.TotalSeconds:0.0} s, peak RSS {Timing.PeakRssMiB():0} MiB");
        }
        var times = Timing.Repeat(args.Length > 1 ? int.Parse(args[1]) : 1, () =>
        {
            using var r = VolumeIO.OpenRead(path);
            var st = VolumeStatistics.Compute(r);
            Console.WriteLine($"  mean {st.Mean:G6} std {st.Std:G6} p99.5 {st.P995:G6}");
        });
        double gb = new FileInfo(path).Length / 1e9;
        Console.WriteLine($"statistics (two streaming passes): median {Timing.Median(times):0.0} s = {2 * gb / Timing.Median(times):0.00} GB/s read; peak RSS of this process {Timing.PeakRssMiB():0} MiB");
        return 0;
    }
}
