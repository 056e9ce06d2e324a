using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Recall and precision (±1 voxel: Euclidean distance ≤ 1 in 3D, the voxel or one of its 6 face
/// neighbours, as <c>sxtseg evaluate</c>) of a segmentation against a simulation's visible
/// membranes, in bands of distance from the tilt axis (the simulator's y axis, at the centre of x):
/// far from the axis the high-tilt projections are out of focus (depth of focus), so this shows how
/// much of a wide field a model traces. Voxels of the simulation's ignore mask are treated as <c>sxtseg evaluate</c> treats them: not counted, not true
/// neighbours, but a predicted voxel there still recalls a true one beside it.
/// Args: PRED SIM [BANDS] [y] (PRED a label volume, non-zero = membrane; SIM a simulator output folder;
/// y: bands of distance from the centre row instead, along the tilt axis, where there is no defocus: the control).
/// </summary>
public sealed class FieldProfileBench : IBenchmark
{
    public string Name => "field-profile";

    public string Description => "recall/precision ±1 of labels against a simulation's visible membranes by distance from the tilt axis (PRED SIM [BANDS] [y])";

    public int Run(string[] args)
    {
        if (args.Length is < 2 or > 4 || (args.Length == 4 && args[3] != "y"))
        {
            Console.Error.WriteLine("usage: field-profile PRED SIM [BANDS] [y]");
            return 2;
        }
        int bands = args.Length >= 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6;
        bool alongY = args.Length == 4;
        if (bands < 1)
        {
            Console.Error.WriteLine("BANDS must be at least 1");
            return 2;
        }
        using var pred = VolumeIO.OpenRead(args[0]);
        using var truth = VolumeIO.OpenRead(Path.Combine(args[1], "membranes.mrc"));
        using var ignore = VolumeIO.OpenRead(Path.Combine(args[1], "ignore.mrc"));
        var ti = truth.Info;
        foreach (var other in new[] { pred.Info, ignore.Info })
            if (other.Nx != ti.Nx || other.Ny != ti.Ny || other.Nz != ti.Nz)
            {
                Console.Error.WriteLine("prediction, truth and ignore mask differ in size");
                return 2;
            }
        var p = Profile(pred, truth, ignore, bands, alongY);
        double nm = ti.VoxelSize?.X ?? 1000, half = (alongY ? ti.Ny : ti.Nx) / 2.0;
        Console.WriteLine((alongY ? "|y - centre|" : "|x - axis|") + (ti.VoxelSize is null ? " (voxels / 1000)" : " µm") + "\ttrue voxels\trecall %\tpredicted voxels\tprecision %\tF1 %");
        for (int b = 0; b < bands; b++)
        {
            double r = 100.0 * p.TrueHit[b] / Math.Max(1, p.True[b]), q = 100.0 * p.PredHit[b] / Math.Max(1, p.Pred[b]);
            Console.WriteLine($"{b * half / bands * nm / 1000:F2}-{(b + 1) * half / bands * nm / 1000:F2}\t{p.True[b]}\t{r:F1}\t{p.Pred[b]}\t{q:F1}\t{(r + q > 0 ? 2 * r * q / (r + q) : 0):F1}");
        }
        return 0;
    }

    /// <summary>
    /// Counts per band of distance from the centre column (or row, <paramref name="alongY"/>): true
    /// voxels, true voxels with a prediction within ±1, predicted voxels, predicted voxels with a true
    /// one within ±1. Streamed: three slices of the prediction and of the visible truth at a time.
    /// </summary>
    public static (long[] True, long[] TrueHit, long[] Pred, long[] PredHit) Profile(IVolumeReader pred, IVolumeReader truth, IVolumeReader ignore, int bands, bool alongY = false)
    {
        var info = truth.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, sl = (int)info.SliceLength;
        long[] t = new long[bands], th = new long[bands], q = new long[bands], qh = new long[bands];
        int n = alongY ? ny : nx;
        double c = (n - 1) / 2.0, half = n / 2.0;
        var band = new int[n];
        for (int i = 0; i < n; i++) band[i] = Math.Min(bands - 1, (int)(Math.Abs(i - c) / half * bands));
        // As sxtseg evaluate (SegmentationEvaluator): ignored voxels are neither counted nor true
        // neighbours, but a predicted voxel in an ignored place still recalls a true one beside it.
        // Rings of three slices (z − 1, z, z + 1) of the prediction, the visible truth and the ignore mask.
        var P = new byte[3][];
        var T = new byte[3][];
        var I = new byte[3][];
        for (int k = 0; k < 3; k++) { P[k] = new byte[sl]; T[k] = new byte[sl]; I[k] = new byte[sl]; }
        var raw = new byte[sl];
        void Load(int z)
        {
            int k = z % 3;
            pred.ReadSlice<byte>(z, P[k]);
            ignore.ReadSlice<byte>(z, I[k]);
            truth.ReadSlice<byte>(z, raw);
            for (int i = 0; i < sl; i++) T[k][i] = (byte)(I[k][i] == 0 && raw[i] != 0 ? 1 : 0);
        }
        static bool Near(byte[] v, byte[]? below, byte[]? above, int i, int x, int y, int nx, int ny) =>
            v[i] != 0 || (x > 0 && v[i - 1] != 0) || (x < nx - 1 && v[i + 1] != 0) || (y > 0 && v[i - nx] != 0) || (y < ny - 1 && v[i + nx] != 0)
            || (below is not null && below[i] != 0) || (above is not null && above[i] != 0);
        Load(0);
        if (nz > 1) Load(1);
        for (int z = 0; z < nz; z++)
        {
            if (z + 1 < nz && z >= 1) Load(z + 1);
            int k = z % 3;
            byte[] p = P[k], tv = T[k], ig = I[k];
            byte[]? pb = z > 0 ? P[(z - 1) % 3] : null, pa = z + 1 < nz ? P[(z + 1) % 3] : null;
            byte[]? tb = z > 0 ? T[(z - 1) % 3] : null, ta = z + 1 < nz ? T[(z + 1) % 3] : null;
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    int i = y * nx + x;
                    if (ig[i] != 0) continue;
                    int b = band[alongY ? y : x];
                    if (tv[i] != 0) { t[b]++; if (Near(p, pb, pa, i, x, y, nx, ny)) th[b]++; }
                    if (p[i] != 0) { q[b]++; if (Near(tv, tb, ta, i, x, y, nx, ny)) qh[b]++; }
                }
        }
        return (t, th, q, qh);
    }
}
