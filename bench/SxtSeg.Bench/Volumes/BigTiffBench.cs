using System.Diagnostics;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Volumes;

/// <summary>
/// Writes a TIFF stack over 4 GB (1324 × 1284 × 650 float32, 4.4 GB), which must come out as
/// BigTIFF, and reads a few slices back. Check it also with tifffile (is_bigtiff, imagej).
/// </summary>
public sealed class BigTiffBench : IBenchmark
{
    public string Name => "io-bigtiff";

    public string Description => "write a 4.4 GB TIFF stack (BigTIFF) and read it back (arg: path, default /tmp/sxtseg-big.tif)";

    public int Run(string[] args)
    {
        string path = args.Length > 0 ? args[0] : "/tmp/sxtseg-big.tif";
        const int nx = 1324, ny = 1284, nz = 650;
        var sw = Stopwatch.StartNew();
        var slice = new float[nx * ny];
        using (var w = VolumeIO.Create(path, new VolumeInfo(nx, ny, nz, VoxelType.Float32, VoxelSize.Isotropic(9.8))))
        {
            for (int z = 0; z < nz; z++)
            {
                slice[z] = z; slice[^1] = -z;
                w.WriteSlice<float>(slice);
            }
            w.Commit();
        }
        double write = sw.Elapsed.TotalSeconds;
        byte[] magic = new byte[4];
        using (var fs = File.OpenRead(path)) fs.ReadExactly(magic);
        bool big = magic[2] == 43;
        using var r = VolumeIO.OpenRead(path);
        bool ok = r.Info.Nz == nz;
        foreach (int z in new[] { 0, 1, 333, nz - 1 })
        {
            var s = r.ReadSlice<float>(z);
            ok &= s[z] == z && s[^1] == -z;
        }
        Console.WriteLine($"wrote {new FileInfo(path).Length / 1e9:0.00} GB in {write:0.0} s; BigTIFF={big}; read back {(ok ? "OK" : "MISMATCH")}; peak RSS {Timing.PeakRssMiB():0} MiB");
        return ok && big ? 0 : 1;
    }
}
