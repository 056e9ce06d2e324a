using System.Runtime.InteropServices;
using SxtSeg.Morphology;

namespace SxtSeg.Evaluation;

/// <summary>
/// Matches the objects of two label streams by their voxel overlaps, exact and within ±1 voxel,
/// streaming: both label volumes go to temporary files slab by slab, then are read back three slices
/// at a time, so memory is three slices of each plus the tables of overlapping pairs.
/// </summary>
public static class ObjectMatching
{
    /// <summary>Compares <paramref name="predicted"/> with <paramref name="truth"/> (same shape).</summary>
    public static ObjectEvaluation Compare(ILabelStream predicted, ILabelStream truth, double matchIoU = 0.5, string? tempFolder = null, CancellationToken cancel = default)
    {
        var pi = predicted.Info;
        var ti = truth.Info;
        if (pi.Nx != ti.Nx || pi.Ny != ti.Ny || pi.Nz != ti.Nz) throw new ArgumentException("label volumes differ in size");
        int nx = pi.Nx, ny = pi.Ny, nz = pi.Nz, n = (int)pi.SliceLength;
        long sliceBytes = (long)n * 4;
        string folder = tempFolder ?? Path.GetTempPath();
        var overlaps = new Dictionary<(uint P, uint T), long>();
        var nearP = new Dictionary<(uint P, uint T), long>(); // predicted voxels of P within ±1 of T
        var nearT = new Dictionary<(uint P, uint T), long>(); // true voxels of T within ±1 of P
        using (var ph = OpenTemp(folder))
        using (var th = OpenTemp(folder))
        {
            Spool(predicted, ph, sliceBytes, cancel);
            Spool(truth, th, sliceBytes, cancel);
            // A window of three slices of each; slices outside the volume are empty.
            var p = new[] { new uint[n], new uint[n], new uint[n] };
            var t = new[] { new uint[n], new uint[n], new uint[n] };
            ReadSlice(ph, 0, sliceBytes, p[1]);
            ReadSlice(th, 0, sliceBytes, t[1]);
            if (nz > 1)
            {
                ReadSlice(ph, 1, sliceBytes, p[2]);
                ReadSlice(th, 1, sliceBytes, t[2]);
            }
            Span<uint> seen = stackalloc uint[7];
            for (int z = 0; z < nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                uint[] pc = p[1], tc = t[1];
                uint[]? pb = z > 0 ? p[0] : null, pa = z + 1 < nz ? p[2] : null;
                uint[]? tb = z > 0 ? t[0] : null, ta = z + 1 < nz ? t[2] : null;
                for (int i = 0; i < n; i++)
                {
                    uint a = pc[i], b = tc[i];
                    if (a == 0 && b == 0) continue;
                    int x = i % nx, y = i / nx;
                    if (a != 0 && b != 0) CollectionsMarshal.GetValueRefOrAddDefault(overlaps, (a, b), out _)++;
                    if (a != 0)
                    {
                        int k = Neighbours(tc, tb, ta, i, x, y, nx, ny, seen);
                        for (int j = 0; j < k; j++) CollectionsMarshal.GetValueRefOrAddDefault(nearP, (a, seen[j]), out _)++;
                    }
                    if (b != 0)
                    {
                        int k = Neighbours(pc, pb, pa, i, x, y, nx, ny, seen);
                        for (int j = 0; j < k; j++) CollectionsMarshal.GetValueRefOrAddDefault(nearT, (seen[j], b), out _)++;
                    }
                }
                if (z + 1 < nz)
                {
                    (p[0], p[1], p[2]) = (p[1], p[2], p[0]);
                    (t[0], t[1], t[2]) = (t[1], t[2], t[0]);
                    if (z + 2 < nz)
                    {
                        ReadSlice(ph, z + 2, sliceBytes, p[2]);
                        ReadSlice(th, z + 2, sliceBytes, t[2]);
                    }
                }
            }
        }
        var result = Score(overlaps, predicted.VoxelCounts, truth.VoxelCounts, matchIoU);
        return result with { MatchedTolerant = TolerantMatches(nearP, nearT, predicted.VoxelCounts, truth.VoxelCounts, matchIoU) };
    }

    /// <summary>The distinct non-zero labels of <paramref name="c"/>[i], its four in-slice face neighbours and the voxels above and below.</summary>
    private static int Neighbours(uint[] c, uint[]? below, uint[]? above, int i, int x, int y, int nx, int ny, Span<uint> seen)
    {
        int k = 0;
        Add(c[i], seen, ref k);
        if (x > 0) Add(c[i - 1], seen, ref k);
        if (x + 1 < nx) Add(c[i + 1], seen, ref k);
        if (y > 0) Add(c[i - nx], seen, ref k);
        if (y + 1 < ny) Add(c[i + nx], seen, ref k);
        if (below is not null) Add(below[i], seen, ref k);
        if (above is not null) Add(above[i], seen, ref k);
        return k;
    }

    private static void Add(uint label, Span<uint> seen, ref int k)
    {
        if (label == 0) return;
        for (int j = 0; j < k; j++)
            if (seen[j] == label) return;
        seen[k++] = label;
    }

    /// <summary>True objects with a predicted object of tolerant IoU above the threshold (each true object counted once).</summary>
    internal static int TolerantMatches(Dictionary<(uint P, uint T), long> nearP, Dictionary<(uint P, uint T), long> nearT,
        IReadOnlyList<long> predSizes, IReadOnlyList<long> truthSizes, double matchIoU)
    {
        var matched = new bool[truthSizes.Count + 1];
        int count = 0;
        foreach (var (key, np) in nearP)
        {
            long nt = nearT.GetValueOrDefault(key);
            double m = 0.5 * (np + nt);
            double iou = m / (predSizes[(int)key.P - 1] + truthSizes[(int)key.T - 1] - m);
            if (iou > matchIoU && !matched[key.T])
            {
                matched[key.T] = true;
                count++;
            }
        }
        return count;
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenTemp(string folder)
    {
        string temp = Path.Combine(folder, $".sxtseg-objects-{Guid.NewGuid():N}.tmp");
        var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        if (!OperatingSystem.IsWindows()) File.Delete(temp);
        return handle;
    }

    private static void Spool(ILabelStream labels, Microsoft.Win32.SafeHandles.SafeFileHandle handle, long sliceBytes, CancellationToken cancel) =>
        labels.Stream(slab =>
            RandomAccess.Write(handle, MemoryMarshal.AsBytes(slab.Data.AsSpan(0, slab.Count * slab.SliceLength)), slab.Z0 * sliceBytes), cancel);

    private static void ReadSlice(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int z, long sliceBytes, uint[] dest)
    {
        var bytes = MemoryMarshal.AsBytes(dest.AsSpan());
        int done = 0;
        while (done < bytes.Length)
        {
            int r = RandomAccess.Read(handle, bytes[done..], z * sliceBytes + done);
            if (r <= 0) throw new IOException("temporary label file truncated");
            done += r;
        }
    }

    /// <summary>Scores an overlap table (pairs of labels 1..N with their shared voxel counts).</summary>
    internal static ObjectEvaluation Score(Dictionary<(uint P, uint T), long> overlaps, IReadOnlyList<long> predSizes, IReadOnlyList<long> truthSizes, double matchIoU)
    {
        int np = predSizes.Count, nt = truthSizes.Count;
        var pTouched = new bool[np + 1];
        var tTouched = new bool[nt + 1];
        var partsInTruth = new int[nt + 1];  // predicted objects lying mostly (> 50 %) inside each true object
        var truthsInPred = new int[np + 1];  // true objects lying mostly inside each predicted object
        int matched = 0;
        foreach (var ((p, t), o) in overlaps)
        {
            pTouched[p] = true;
            tTouched[t] = true;
            long ps = predSizes[(int)p - 1], ts = truthSizes[(int)t - 1];
            double iou = (double)o / (ps + ts - o);
            if (iou > matchIoU) matched++;
            if (o * 2 > ps) partsInTruth[t]++;
            if (o * 2 > ts) truthsInPred[p]++;
        }
        int split = 0, merged = 0, missed = 0, spurious = 0;
        for (int t = 1; t <= nt; t++) { if (partsInTruth[t] >= 2) split++; if (!tTouched[t]) missed++; }
        for (int p = 1; p <= np; p++) { if (truthsInPred[p] >= 2) merged++; if (!pTouched[p]) spurious++; }
        return new ObjectEvaluation
        {
            TruthObjects = nt, PredictedObjects = np, Matched = matched, Split = split, Merged = merged,
            Missed = missed, Spurious = spurious, MatchIoU = matchIoU,
        };
    }
}
