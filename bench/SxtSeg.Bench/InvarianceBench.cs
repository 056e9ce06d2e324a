using System.Globalization;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Issue 12's invariance checks, with default <c>sxtseg segment</c> options (automatic polarity,
/// the model's threshold, rescaling outside the model's voxel-size range):
/// <list type="bullet">
/// <item><b>Negation</b>: the tomogram and its negation (−v) segmented; agreement = voxels with the
/// same label / all voxels, and the Jaccard index of the two membrane sets.</item>
/// <item><b>Pixel size</b>: the tomogram resampled in-plane to each of <c>--sizes</c> (nm; Gaussian
/// anti-aliasing before downsampling, bilinear; z untouched, header voxel size set) and segmented;
/// each pair (native, resampled) is compared on the coarser grid of the two (labels brought there by
/// "any membrane pixel whose centre falls in the coarse pixel"): the fraction of membrane voxels of
/// each within ±1 voxel (3D Euclidean, 6 face neighbours) of the other, pooled over both directions.</item>
/// </list>
/// Args: MODEL SIM[,SIM...] [--sizes 10,13,25] [--workers 1] [--resolution-from-truth] [--no-negation].
/// </summary>
public sealed class InvarianceBench : IBenchmark
{
    public string Name => "invariance";

    public string Description => "labels of a tomogram vs its negation and vs itself resampled to other pixel sizes (MODEL SIM[,SIM] [--sizes 10,13,25])";

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: invariance MODEL SIM[,SIM...] [--sizes 10,13,25] [--workers 1]");
            return 2;
        }
        string model = args[0];
        var sims = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        double[] sizes = { 10, 13, 25 };
        int workers = 1;
        bool resolutionFromTruth = false, negation = true;
        for (int i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[++i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--workers": workers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                // as a user who knows the zone plate would run it (segment --resolution R): R is physical, the same at every pixel size
                case "--resolution-from-truth": resolutionFromTruth = true; break;
                case "--no-negation": negation = false; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        string scratch = Path.Combine(Path.GetTempPath(), $"sxtseg-invariance-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            using var loaded = SegmentationModel.Load(model, workers, new InferenceOptions());
            Console.WriteLine($"# {model}: {loaded.Id}, threshold {loaded.Threshold:0.00}, voxel-size range {loaded.VoxelSizeRange?.ToString() ?? "none"}");
            long negSame = 0, negAll = 0, negInter = 0, negUnion = 0;
            var pooled = sizes.ToDictionary(s => s, _ => (Near: 0L, Total: 0L));
            foreach (string sim in sims)
            {
                string name = Path.GetFileName(Path.GetFullPath(sim));
                string tomo = Path.Combine(sim, "tomogram.mrc");
                var (vol, info) = ReadFloat(tomo);
                double v0 = info.VoxelSize?.X ?? throw new InvalidOperationException($"{tomo} states no voxel size");
                double? resolution = resolutionFromTruth ? SxtSeg.Simulation.SimulationResult.ReadResolution(sim)?.ResolutionNm : null;
                var native = Segment(loaded, tomo, Path.Combine(scratch, name + "-native"), resolution, out string pol);

                // Negation
                if (negation)
                {
                string negPath = Path.Combine(scratch, name + "-neg.mrc");
                var neg = new float[vol.Length];
                for (int i = 0; i < neg.Length; i++) neg[i] = -vol[i];
                Write(negPath, neg, info, info.VoxelSize!.Value);
                var negLabels = Segment(loaded, negPath, Path.Combine(scratch, name + "-negseg"), resolution, out string negPol);
                long same = 0, inter = 0, union = 0;
                for (int i = 0; i < native.Length; i++)
                {
                    bool a = native[i] != 0, b = negLabels[i] != 0;
                    if (a == b) same++;
                    if (a && b) inter++;
                    if (a || b) union++;
                }
                negSame += same; negAll += native.Length; negInter += inter; negUnion += union;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}: polarity {pol} / negated {negPol}; voxel agreement {100.0 * same / native.Length:0.000} %, membrane Jaccard {100.0 * inter / Math.Max(1, union):0.0} %"));
                }

                // Pixel sizes
                foreach (double v in sizes)
                {
                    if (Math.Abs(v - v0) < 1e-6) { Console.WriteLine($"    {v} nm: the native size"); continue; }
                    double scale = v0 / v;
                    int nx2 = (int)Math.Round(info.Nx * scale), ny2 = (int)Math.Round(info.Ny * scale);
                    var res = ResampleVolume(vol, info.Nx, info.Ny, info.Nz, nx2, ny2, scale);
                    string rp = Path.Combine(scratch, $"{name}-{v}nm.mrc");
                    Write(rp, res, info with { Nx = nx2, Ny = ny2 }, new VoxelSize(v, v, info.VoxelSize!.Value.Z));
                    var lab = Segment(loaded, rp, Path.Combine(scratch, $"{name}-{v}nm-seg"), resolution, out _);
                    // Compare on the coarser grid
                    Volume<byte> a, b;
                    if (v > v0)
                    {
                        a = new Volume<byte>(nx2, ny2, info.Nz, AnyPool(native, info.Nx, info.Ny, info.Nz, nx2, ny2));
                        b = new Volume<byte>(nx2, ny2, info.Nz, lab);
                    }
                    else
                    {
                        a = new Volume<byte>(info.Nx, info.Ny, info.Nz, native);
                        b = new Volume<byte>(info.Nx, info.Ny, info.Nz, AnyPool(lab, nx2, ny2, info.Nz, info.Nx, info.Ny));
                    }
                    var e = SegmentationEvaluator.Evaluate(b, a, 1).Tolerant;
                    long near = e.PredictedNearTruth + e.TruthNearPrediction, total = e.Predicted + e.Truth;
                    pooled[v] = (pooled[v].Near + near, pooled[v].Total + total);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {v} nm ({nx2} × {ny2}): {100.0 * near / Math.Max(1, total):0.0} % of membrane voxels within ±1 voxel of the native labels (native→{v}: {100.0 * e.Recall:0.0} %, {v}→native: {100.0 * e.Precision:0.0} %)"));
                }
            }
            if (negation) Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"NEGATION pooled: voxel agreement {100.0 * negSame / negAll:0.000} %, membrane Jaccard {100.0 * negInter / Math.Max(1, negUnion):0.0} %"));
            foreach (var kv in pooled)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PIXEL SIZE {kv.Key} nm pooled: {(kv.Value.Total == 0 ? double.NaN : 100.0 * kv.Value.Near / kv.Value.Total):0.0} % within ±1 voxel"));
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
        return 0;
    }

    private static byte[] Segment(SegmentationModel model, string tomo, string outDir, double? resolutionNm, out string polarity)
    {
        var summary = Segmenter.Run(tomo, outDir, model, new SegmentOptions { ResolutionNm = resolutionNm }, new Provenance("invariance"));
        polarity = summary.Polarity?.Name ?? "?";
        var (labels, _) = ReadBytes(Path.Combine(outDir, SegmentationFiles.LabelsMrc));
        Directory.Delete(outDir, true);
        return labels;
    }

    private static (float[] Data, VolumeInfo Info) ReadFloat(string path)
    {
        using var r = VolumeIO.OpenRead(path);
        var info = r.Info;
        var data = new float[(long)info.Nx * info.Ny * info.Nz];
        for (int z = 0; z < info.Nz; z++) r.ReadSlice<float>(z, data.AsSpan((int)(z * (long)info.SliceLength), (int)info.SliceLength));
        return (data, info);
    }

    private static (byte[] Data, VolumeInfo Info) ReadBytes(string path)
    {
        using var r = VolumeIO.OpenRead(path);
        var info = r.Info;
        var data = new byte[(long)info.Nx * info.Ny * info.Nz];
        for (int z = 0; z < info.Nz; z++) r.ReadSlice<byte>(z, data.AsSpan((int)(z * (long)info.SliceLength), (int)info.SliceLength));
        for (int i = 0; i < data.Length; i++) data[i] = data[i] != 0 ? (byte)1 : (byte)0;
        return (data, info);
    }

    private static void Write(string path, float[] data, VolumeInfo info, VoxelSize voxel)
    {
        var outInfo = new VolumeInfo(info.Nx, info.Ny, info.Nz, VoxelType.Float32, voxel);
        using var w = VolumeIO.Create(path, outInfo, new Provenance("invariance"));
        int n = info.Nx * info.Ny;
        for (int z = 0; z < info.Nz; z++) w.WriteSlice<float>(data.AsSpan(z * n, n));
        w.Commit();
    }

    /// <summary>In-plane resampling by <paramref name="scale"/> (new/old pixels per length), anti-aliased when shrinking.</summary>
    private static float[] ResampleVolume(float[] vol, int nx, int ny, int nz, int nx2, int ny2, double scale)
    {
        var res = new float[(long)nx2 * ny2 * nz];
        double sigma = scale < 1 ? 0.5 * Math.Sqrt(1 / (scale * scale) - 1) : 0;
        Parallel.For(0, nz, z =>
        {
            var slice = vol.AsSpan(z * nx * ny, nx * ny).ToArray();
            if (sigma > 0) Blur(slice, nx, ny, sigma);
            PlaneResampler.Bilinear(slice, nx, ny, res.AsSpan(z * nx2 * ny2, nx2 * ny2), nx2, ny2);
        });
        return res;
    }

    private static void Blur(float[] s, int nx, int ny, double sigma)
    {
        int r = (int)Math.Ceiling(3 * sigma);
        var k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= sum;
        var t = new float[s.Length];
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                double acc = 0;
                for (int i = -r; i <= r; i++) acc += k[i + r] * s[y * nx + Math.Clamp(x + i, 0, nx - 1)];
                t[y * nx + x] = (float)acc;
            }
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                double acc = 0;
                for (int i = -r; i <= r; i++) acc += k[i + r] * t[Math.Clamp(y + i, 0, ny - 1) * nx + x];
                s[y * nx + x] = (float)acc;
            }
    }

    /// <summary>Brings a fine label grid to a coarser one: a coarse pixel is membrane when any fine pixel centre inside it is.</summary>
    private static byte[] AnyPool(byte[] fine, int fx, int fy, int nz, int cx, int cy)
    {
        var c = new byte[(long)cx * cy * nz];
        double sx = (double)cx / fx, sy = (double)cy / fy;
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < fy; y++)
            {
                int y2 = Math.Min(cy - 1, (int)((y + 0.5) * sy));
                for (int x = 0; x < fx; x++)
                    if (fine[(long)z * fx * fy + y * fx + x] != 0)
                        c[(long)z * cx * cy + y2 * cx + Math.Min(cx - 1, (int)((x + 0.5) * sx))] = 1;
            }
        return c;
    }
}
