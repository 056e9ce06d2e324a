using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Compares a predicted label volume with the truth, streaming slices (2k+1 slices of each in
/// memory): exact counts, tolerant counts, per-slice paper-protocol scores. Any non-zero voxel is
/// a label (float inputs are rounded first, i.e. thresholded at 0.5).
/// </summary>
public static class SegmentationEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="prediction"/> against <paramref name="truth"/>; with an
    /// <paramref name="ignore"/> mask (non-zero = ignored), on visible membranes (<see cref="IgnoreRule"/>).
    /// </summary>
    public static VoxelEvaluation Evaluate(IVolumeReader prediction, IVolumeReader truth, EvaluationOptions? options = null, IProgress<ProgressUpdate>? progress = null, IVolumeReader? ignore = null)
    {
        options ??= new EvaluationOptions();
        var p = prediction.Info;
        var t = truth.Info;
        if (p.Nx != t.Nx || p.Ny != t.Ny || p.Nz != t.Nz)
            throw new InvalidInputException(prediction.Path, $"is {p.Nx} × {p.Ny} × {p.Nz} but the truth {truth.Path} is {t.Nx} × {t.Ny} × {t.Nz}");
        if (ignore is not null && (ignore.Info.Nx != t.Nx || ignore.Info.Ny != t.Ny || ignore.Info.Nz != t.Nz))
            throw new InvalidInputException(ignore.Path, $"is {ignore.Info.Nx} × {ignore.Info.Ny} × {ignore.Info.Nz} but the truth {truth.Path} is {t.Nx} × {t.Ny} × {t.Nz}");
        if (options.Tolerance < 0 || options.Tolerance > 10) throw new InvalidOptionException(nameof(EvaluationOptions.Tolerance), $"must be 0..10 voxels, got {options.Tolerance}");
        var (first, count) = options.Slices ?? (0, p.Nz);
        if (first < 0 || count <= 0 || first + count > p.Nz) throw new InvalidOptionException(nameof(EvaluationOptions.Slices), $"{first}:{first + count} is outside 0:{p.Nz}");
        return Evaluate(z => Read(prediction, z), z => Read(truth, z), ignore is null ? null : z => Read(ignore, z), p.Nx, p.Ny, p.Nz, first, count, options.Tolerance, progress);
    }

    /// <summary>Evaluates two in-memory label volumes (with an optional ignore mask, <see cref="IgnoreRule"/>).</summary>
    public static VoxelEvaluation Evaluate(Volume<byte> prediction, Volume<byte> truth, int tolerance = 1, Volume<byte>? ignore = null)
    {
        if (prediction.Nx != truth.Nx || prediction.Ny != truth.Ny || prediction.Nz != truth.Nz)
            throw new ArgumentException("volumes differ in size");
        if (ignore is not null && (ignore.Nx != truth.Nx || ignore.Ny != truth.Ny || ignore.Nz != truth.Nz))
            throw new ArgumentException("the ignore mask differs in size");
        return Evaluate(z => prediction.Slice(z).ToArray(), z => truth.Slice(z).ToArray(), ignore is null ? null : z => ignore.Slice(z).ToArray(),
            truth.Nx, truth.Ny, truth.Nz, 0, truth.Nz, tolerance, null);
    }

    private static byte[] Read(IVolumeReader r, int z)
    {
        var s = new byte[r.Info.SliceLength];
        if (r.Info.Type.IsFloat())
        {
            var f = r.ReadSlice<float>(z);
            for (int i = 0; i < s.Length; i++) s[i] = f[i] >= 0.5f ? (byte)1 : (byte)0;
        }
        else r.ReadSlice<byte>(z, s);
        return s;
    }

    private static VoxelEvaluation Evaluate(Func<int, byte[]> readPred, Func<int, byte[]> readTruth, Func<int, byte[]>? readIgnore, int nx, int ny, int nz, int first, int count, int k, IProgress<ProgressUpdate>? progress)
    {
        // Slices as 0/1 (any non-zero label is membrane); ignored truth voxels as Ignored.
        var rp = readPred;
        readPred = z =>
        {
            var p = rp(z);
            for (int i = 0; i < p.Length; i++) p[i] = p[i] != 0 ? (byte)1 : (byte)0;
            return p;
        };
        var rt = readTruth;
        readTruth = z =>
        {
            var t = rt(z);
            var g = readIgnore?.Invoke(z);
            for (int i = 0; i < t.Length; i++) t[i] = g is not null && g[i] != 0 ? Ignored : t[i] != 0 ? (byte)1 : (byte)0;
            return t;
        };
        var offsets = BallOffsets(k);
        var predCache = new Dictionary<int, byte[]>();
        var truthCache = new Dictionary<int, byte[]>();
        var slices = new List<SliceScore>(count);
        Confusion total = default;
        TolerantScore tolTotal = new(k, 0, 0, 0, 0);
        for (int z = first; z < first + count; z++)
        {
            // Keep slices z−k..z+k (clamped to the volume, not to the evaluated range: neighbours count).
            for (int dz = -k; dz <= k; dz++)
            {
                int zz = z + dz;
                if (zz < 0 || zz >= nz) continue;
                if (!predCache.ContainsKey(zz)) predCache[zz] = readPred(zz);
                if (!truthCache.ContainsKey(zz)) truthCache[zz] = readTruth(zz);
            }
            predCache.Remove(z - k - 1);
            truthCache.Remove(z - k - 1);
            var score = ScoreSlice(z, nx, ny, nz, k, offsets, predCache, truthCache);
            slices.Add(score);
            total += score.Counts;
            tolTotal += score.Tolerant;
            progress.Report("evaluating", z - first + 1, count, "slices");
        }
        return new VoxelEvaluation { Exact = total, Tolerant = tolTotal, Slices = slices };
    }

    /// <summary>Integer offsets (dz, dy, dx) with dz² + dy² + dx² ≤ k², nearest first.</summary>
    internal static (int Dz, int Dy, int Dx)[] BallOffsets(int k)
    {
        var list = new List<(int, int, int)>();
        for (int dz = -k; dz <= k; dz++)
            for (int dy = -k; dy <= k; dy++)
                for (int dx = -k; dx <= k; dx++)
                    if (dz * dz + dy * dy + dx * dx <= k * k) list.Add((dz, dy, dx));
        return list.OrderBy(o => o.Item1 * o.Item1 + o.Item2 * o.Item2 + o.Item3 * o.Item3).ToArray();
    }

    /// <summary>Truth-slice value of an ignored voxel (not a true membrane, not counted).</summary>
    private const byte Ignored = 2;

    private static SliceScore ScoreSlice(int z, int nx, int ny, int nz, int k, (int Dz, int Dy, int Dx)[] offsets,
        Dictionary<int, byte[]> pred, Dictionary<int, byte[]> truth)
    {
        byte[] p = pred[z], t = truth[z];
        long tp = 0, fp = 0, fn = 0, tn = 0, pNear = 0, tNear = 0;
        object gate = new();
        Parallel.For(0, ny, () => (0L, 0L, 0L, 0L, 0L, 0L), (y, _, acc) =>
        {
            var (a, b, c, d, e, f) = acc;
            int row = y * nx;
            for (int x = 0; x < nx; x++)
            {
                if (t[row + x] == Ignored) continue;
                bool pv = p[row + x] != 0, tv = t[row + x] == 1;
                if (pv && tv) a++;
                else if (pv) b++;
                else if (tv) c++;
                else d++;
                if (pv && (tv || Near(truth, z, y, x, nx, ny, nz, offsets))) e++;
                if (tv && (pv || Near(pred, z, y, x, nx, ny, nz, offsets))) f++;
            }
            return (a, b, c, d, e, f);
        }, acc =>
        {
            lock (gate)
            {
                tp += acc.Item1; fp += acc.Item2; fn += acc.Item3; tn += acc.Item4; pNear += acc.Item5; tNear += acc.Item6;
            }
        });
        var counts = new Confusion(tp, fp, fn, tn);
        return new SliceScore(z, counts, new TolerantScore(k, tp + fp, pNear, tp + fn, tNear));
    }

    private static bool Near(Dictionary<int, byte[]> other, int z, int y, int x, int nx, int ny, int nz, (int Dz, int Dy, int Dx)[] offsets)
    {
        for (int i = 1; i < offsets.Length; i++)
        {
            var (dz, dy, dx) = offsets[i];
            int zz = z + dz, yy = y + dy, xx = x + dx;
            if ((uint)zz >= (uint)nz || (uint)yy >= (uint)ny || (uint)xx >= (uint)nx) continue;
            if (other[zz][yy * nx + xx] == 1) return true;
        }
        return false;
    }
}
