using SxtSeg.Measurement;
using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Recall by structure: which kinds of membranes a segmentation misses. Each visible membrane voxel
/// of the truth is attributed to the smallest object (by its analytic volume in <c>truth.json</c>)
/// whose instance id occurs within 2 voxels of it in its slice (a 5 × 5 window of
/// <c>instances.mrc</c>): a membrane voxel lies on the boundary between an object and what holds
/// it, on either side, and the boundary belongs to the smaller one — an endosome's membrane to the
/// endosome, not the cytoplasm around it; the plasma membrane, which borders only ice or vacuum, to
/// the cell. Voxels with no object in their window count under "none". A voxel is traced when it
/// lies within ±1 voxel (the 6-neighbourhood in 3D) of a predicted voxel, as in the tolerant recall.
/// </summary>
public static class StructureRecall
{
    /// <summary>Half-width (voxels) of the in-slice window searched for the object a membrane voxel bounds.</summary>
    public const int Window = 2;

    /// <summary>The attribution rule in one sentence (written into evaluation.json).</summary>
    public const string Rule = "each visible membrane voxel belongs to the smallest truth.json object whose instance id occurs within 2 voxels of it in its slice; traced = within ±1 voxel (6-neighbourhood) of the prediction";

    /// <summary>
    /// Streams the volumes slice by slice (three slices of the prediction held at a time) and returns one
    /// row per class with visible membrane, the largest count first. <paramref name="ignore"/> non-zero =
    /// not visible (null: every membrane voxel counts); <paramref name="objects"/> from
    /// <see cref="TruthComparison.Read"/>; instance ids missing from them count under "unknown".
    /// </summary>
    public static IReadOnlyList<StructureRecallRow> Evaluate(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances,
        IReadOnlyList<TruthObject> objects, CancellationToken cancel = default)
    {
        var volume = new Dictionary<uint, double>();
        var classOf = new Dictionary<uint, string>();
        foreach (var o in objects)
        {
            volume[o.Id] = o.VolumeNm3;
            classOf[o.Id] = o.Class;
        }
        int nx = truth.Info.Nx, ny = truth.Info.Ny;
        var visible = new Dictionary<string, long>(StringComparer.Ordinal);
        var traced = new Dictionary<string, long>(StringComparer.Ordinal);
        VisibleTruthScan.Run(prediction, truth, ignore, instances, (ids, _, x, y, near) =>
        {
            string name = Owner(ids, nx, ny, x, y, volume, classOf);
            visible[name] = visible.GetValueOrDefault(name) + 1;
            if (near) traced[name] = traced.GetValueOrDefault(name) + 1;
        }, cancel);
        var rows = new List<StructureRecallRow>(visible.Count);
        foreach (var (name, v) in visible) rows.Add(new StructureRecallRow(name, v, traced.GetValueOrDefault(name)));
        rows.Sort((a, b) => a.Visible != b.Visible ? b.Visible.CompareTo(a.Visible) : string.CompareOrdinal(a.Class, b.Class));
        return rows;
    }

    /// <summary>
    /// One line for the console: each class with its recall and, in brackets, its share of the visible
    /// membrane, e.g. "endosome 71.3 % (42.7 %), endoplasmic_reticulum 32.4 % (26.9 %)".
    /// </summary>
    public static string Summary(IReadOnlyList<StructureRecallRow> rows)
    {
        long all = 0;
        foreach (var r in rows) all += r.Visible;
        var parts = new List<string>(rows.Count);
        foreach (var r in rows)
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.Class} {100 * r.Recall:0.0} % ({100.0 * r.Visible / all:0.0} %)"));
        return string.Join(", ", parts);
    }

    /// <summary>The class of the smallest object whose id occurs in the (2·<see cref="Window"/> + 1)² window around (x, y).</summary>
    private static string Owner(uint[] ids, int nx, int ny, int x, int y, Dictionary<uint, double> volume, Dictionary<uint, string> classOf)
    {
        uint best = 0;
        double bestVolume = double.PositiveInfinity;
        bool unknown = false;
        for (int yy = Math.Max(0, y - Window); yy <= Math.Min(ny - 1, y + Window); yy++)
            for (int xx = Math.Max(0, x - Window); xx <= Math.Min(nx - 1, x + Window); xx++)
            {
                uint id = ids[yy * nx + xx];
                if (id == 0) continue;
                if (!volume.TryGetValue(id, out double v)) { unknown = true; continue; }
                // Ties (equal volumes) go to the smaller id, so the attribution does not depend on the scan order.
                if (v < bestVolume || (v == bestVolume && id < best)) { best = id; bestVolume = v; }
            }
        if (best != 0) return classOf[best];
        return unknown ? "unknown" : "none";
    }
}
