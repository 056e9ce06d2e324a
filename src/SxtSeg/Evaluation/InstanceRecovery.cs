using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Organelles traced: of the simulation's membrane instances (one object per organelle, cell or
/// vesicle in <c>instances.mrc</c>) with at least <see cref="MinVoxels"/> visible membrane voxels, how
/// many have at least <see cref="MinFraction"/> of those voxels within ±1 voxel (self or a face
/// neighbour) of the prediction. A per-object recall that, unlike matching connected components,
/// does not depend on how the traced lines happen to connect; spurious labels are counted by the
/// voxel scores' false positives, not here.
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
        int count = 0, recovered = 0;
        foreach (var (id, v) in visible)
        {
            if (v < minVoxels) continue;
            count++;
            if (traced.GetValueOrDefault(id) >= minFraction * v) recovered++;
        }
        return new InstanceRecovery(count, recovered, minFraction, minVoxels);
    }
}
