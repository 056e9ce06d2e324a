using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Organelles traced: of the simulation's membrane instances (one object per organelle, cell or
/// vesicle in <c>instances.mrc</c>) with at least <see cref="MinVoxels"/> visible membrane voxels, how
/// many have at least <see cref="MinFraction"/> of those voxels within ±1 voxel (self or a face
/// neighbour) of the prediction. A per-object recall that, unlike matching connected components,
/// does not depend on how the traced lines happen to connect; spurious labels are counted by the
/// voxel scores' false positives, not here. Beside it, <see cref="Matched"/>: organelles whose traced
/// outline matches their visible membrane at tolerant IoU &gt; 0.5, with the prediction attributed to
/// organelles by <see cref="PredictionAttribution"/> (docs/evaluation.md).
/// </summary>
/// <param name="Instances">Instances with enough visible membrane.</param>
/// <param name="Recovered">Of those, the ones traced over at least the fraction.</param>
/// <param name="MinFraction">Fraction of an instance's visible membrane that must be traced.</param>
/// <param name="MinVoxels">Smallest visible membrane (voxels) for an instance to count.</param>
public sealed record InstanceRecovery(int Instances, int Recovered, double MinFraction, int MinVoxels)
{
    /// <summary><see cref="Recovered"/> / <see cref="Instances"/> (1 when there are none).</summary>
    public double Fraction => Instances == 0 ? 1 : (double)Recovered / Instances;

    /// <summary>
    /// Of <see cref="Instances"/>, those matched at tolerant IoU &gt; 0.5: m / (|P| + |T| − m) with T the
    /// instance's visible membrane voxels, P the predicted voxels attributed to it (every predicted voxel outside the
    /// ignore mask belongs to the organelle of the visible membrane it is near, else of the nearest in its slice:
    /// <see cref="PredictionAttribution"/>), and m the mean of
    /// |T within ±1 of the prediction| and |P within ±1 of T| (the tolerant IoU of <see cref="ObjectMatching"/>).
    /// </summary>
    public int Matched { get; init; }

    /// <summary><see cref="Matched"/> / <see cref="Instances"/> (1 when there are none).</summary>
    public double MatchedFraction => Instances == 0 ? 1 : (double)Matched / Instances;

    /// <summary>Tolerant IoU above which an organelle is matched.</summary>
    public const double MatchIoU = 0.5;

    /// <summary>
    /// Streams the four volumes slice by slice (three slices of the prediction held at a time).
    /// <paramref name="truth"/> non-zero = membrane; <paramref name="ignore"/> non-zero = not visible
    /// (null: every membrane voxel counts); <paramref name="instances"/> the instance id of each voxel.
    /// </summary>
    public static InstanceRecovery Evaluate(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances,
        double minFraction = 0.5, int minVoxels = 20, CancellationToken cancel = default)
    {
        var visible = new Dictionary<uint, long>();
        var traced = new Dictionary<uint, long>();
        VisibleTruthScan.Run(prediction, truth, ignore, instances, (ids, i, _, _, near) =>
        {
            uint id = ids[i];
            if (id == 0) return;
            visible[id] = visible.GetValueOrDefault(id) + 1;
            if (near) traced[id] = traced.GetValueOrDefault(id) + 1;
        }, cancel);
        var attributed = new Dictionary<uint, long>();
        var attributedNear = new Dictionary<uint, long>();
        PredictionAttribution.Run(prediction, truth, ignore, instances, (id, near) =>
        {
            attributed[id] = attributed.GetValueOrDefault(id) + 1;
            if (near) attributedNear[id] = attributedNear.GetValueOrDefault(id) + 1;
        }, cancel);
        int count = 0, recovered = 0, matched = 0;
        foreach (var (id, v) in visible)
        {
            if (v < minVoxels) continue;
            count++;
            long t = traced.GetValueOrDefault(id);
            if (t >= minFraction * v) recovered++;
            if (TolerantIoU(v, t, attributed.GetValueOrDefault(id), attributedNear.GetValueOrDefault(id)) > MatchIoU) matched++;
        }
        return new InstanceRecovery(count, recovered, minFraction, minVoxels) { Matched = matched };
    }

    /// <summary>m / (predicted + truth − m), m the mean of the truth voxels near the prediction and the predicted voxels near the truth.</summary>
    internal static double TolerantIoU(long truth, long truthNear, long predicted, long predictedNear)
    {
        double m = 0.5 * (truthNear + predictedNear);
        double union = predicted + truth - m;
        return union > 0 ? m / union : 0;
    }
}
