using System.Runtime.InteropServices;
using SxtSeg.Morphology;

namespace SxtSeg.Evaluation;

/// <summary>Object-level comparison of predicted and true objects (3D connected components or instances).</summary>
public sealed record ObjectEvaluation
{
    /// <summary>True objects.</summary>
    public int TruthObjects { get; init; }
    /// <summary>Predicted objects.</summary>
    public int PredictedObjects { get; init; }
    /// <summary>Pairs with IoU above the matching threshold (one-to-one, since IoU &gt; 0.5 is unique).</summary>
    public int Matched { get; init; }
    /// <summary>True objects shared out among two or more predicted objects that each lie mostly inside it.</summary>
    public int Split { get; init; }
    /// <summary>Predicted objects covering two or more true objects that each lie mostly inside it.</summary>
    public int Merged { get; init; }
    /// <summary>True objects no predicted voxel touches.</summary>
    public int Missed { get; init; }
    /// <summary>Predicted objects touching no true voxel.</summary>
    public int Spurious { get; init; }
    /// <summary>IoU threshold used for matching.</summary>
    public double MatchIoU { get; init; }
    /// <summary>Matched / predicted.</summary>
    public double Precision => PredictedObjects == 0 ? (TruthObjects == 0 ? 1 : 0) : (double)Matched / PredictedObjects;
    /// <summary>Matched / true.</summary>
    public double Recall => TruthObjects == 0 ? (PredictedObjects == 0 ? 1 : 0) : (double)Matched / TruthObjects;
}

/// <summary>
/// Matches the objects of two label streams by their voxel overlaps, streaming: the predicted labels
/// go to a temporary file slab by slab, then the true labels are streamed against it, so memory is
/// one slab of each plus the table of overlapping pairs.
/// </summary>
public static class ObjectMatching
{
    /// <summary>Compares <paramref name="predicted"/> with <paramref name="truth"/> (same shape).</summary>
    public static ObjectEvaluation Compare(ILabelStream predicted, ILabelStream truth, double matchIoU = 0.5, string? tempFolder = null, CancellationToken cancel = default)
    {
        var pi = predicted.Info;
        var ti = truth.Info;
        if (pi.Nx != ti.Nx || pi.Ny != ti.Ny || pi.Nz != ti.Nz) throw new ArgumentException("label volumes differ in size");
        long sliceBytes = pi.SliceLength * 4;
        string temp = Path.Combine(tempFolder ?? Path.GetTempPath(), $".sxtseg-objects-{Guid.NewGuid():N}.tmp");
        var overlaps = new Dictionary<(uint P, uint T), long>();
        using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None))
        {
            if (!OperatingSystem.IsWindows()) File.Delete(temp);
            predicted.Stream(slab =>
                RandomAccess.Write(handle, MemoryMarshal.AsBytes(slab.Data.AsSpan(0, slab.Count * slab.SliceLength)), slab.Z0 * sliceBytes), cancel);
            uint[] pbuf = Array.Empty<uint>();
            truth.Stream(slab =>
            {
                int n = slab.Count * slab.SliceLength;
                if (pbuf.Length < n) pbuf = new uint[n];
                var bytes = MemoryMarshal.AsBytes(pbuf.AsSpan(0, n));
                int done = 0;
                while (done < bytes.Length)
                {
                    int r = RandomAccess.Read(handle, bytes[done..], slab.Z0 * sliceBytes + done);
                    if (r <= 0) throw new IOException("temporary label file truncated");
                    done += r;
                }
                var t = slab.Data;
                for (int i = 0; i < n; i++)
                {
                    uint a = pbuf[i], b = t[i];
                    if (a == 0 || b == 0) continue;
                    CollectionsMarshal.GetValueRefOrAddDefault(overlaps, (a, b), out _)++;
                }
            }, cancel);
        }
        return Score(overlaps, predicted.VoxelCounts, truth.VoxelCounts, matchIoU);
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
