using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Compares detected filopodia with a simulation (<c>sxtseg simulate</c>): each truth filopodium of
/// truth.json (class 11) is paired with the detection that has the majority of its voxels inside
/// the filopodium's instance voxels (instances.mrc), the largest such overlap if several; recall, precision and the errors of volume, membrane area, axes, length and mean
/// 2D second axis follow.
/// </summary>
public static class FilopodiaTruth
{
    /// <summary>Reads the filopodia of a truth file.</summary>
    public static IReadOnlyList<TruthFilopodium> Read(string truthPath)
    {
        if (!File.Exists(truthPath)) throw new InvalidInputException(truthPath, "file not found");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(truthPath)); }
        catch (JsonException e) { throw new InvalidInputException(truthPath, $"not valid JSON ({e.Message})", e); }
        if (root?["objects"] is not JsonArray objects) throw new InvalidInputException(truthPath, "no \"objects\" array: not a simulation truth file");
        var list = new List<TruthFilopodium>();
        try
        {
            foreach (var o in objects)
            {
                if (o is null || o["class_id"]?.GetValue<int>() != 11) continue;
                var axes = o["principal_axes_nm"] is JsonArray a ? a.Select(x => x!.GetValue<double>()).OrderDescending().ToArray() : Array.Empty<double>();
                double r = o["shape"]?["radius_nm"]?.GetValue<double>() ?? double.NaN;
                double l = o["shape"]?["length_nm"]?.GetValue<double>() ?? double.NaN;
                list.Add(new TruthFilopodium(o["id"]!.GetValue<uint>(), o["kind"]?.GetValue<string>() ?? "filopodium",
                    o["volume_nm3"]!.GetValue<double>(), o["surface_area_nm2"]!.GetValue<double>(), axes, r, l + r, o["cut_by_fov"]?.GetValue<bool>() ?? false));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidInputException(truthPath, $"a filopodium lacks id, volume_nm3 or surface_area_nm2 ({e.Message})", e);
        }
        return list;
    }

    /// <summary>Matches <paramref name="result"/> with the simulation in folder <paramref name="simulationFolder"/> (truth.json and instances.mrc).</summary>
    public static FilopodiaAccuracy Compare(FilopodiaResult result, string simulationFolder, IProgress<ProgressUpdate>? progress = null)
    {
        var truth = Read(Path.Combine(simulationFolder, "truth.json"));
        string instancesPath = Path.Combine(simulationFolder, "instances.mrc");
        if (!File.Exists(instancesPath)) throw new InvalidInputException(instancesPath, "file not found");
        using var instances = new InstanceLabelStream(VolumeIO.OpenRead(instancesPath), result.VoxelSize);
        var info = instances.Info;
        if (info.Nx != result.Info.Nx || info.Ny != result.Info.Ny || info.Nz != result.Info.Nz)
            throw new InvalidInputException(instancesPath, $"is {info.Nx} × {info.Ny} × {info.Nz}, the labels {result.Info.Nx} × {result.Info.Ny} × {result.Info.Nz}");
        var truthIds = truth.Select(t => t.Id).ToHashSet();
        var dense = new Dictionary<uint, int>();
        for (int l = 1; l <= instances.ObjectCount; l++) dense[instances.SourceIds[l - 1]] = l;

        // Overlaps of every detection with every instance, and the instances' sizes.
        var found = result.Filopodia;
        var overlaps = new Dictionary<uint, long>[found.Count];
        for (int i = 0; i < found.Count; i++) overlaps[i] = new Dictionary<uint, long>();
        instances.Stream(slab =>
        {
            for (int i = 0; i < found.Count; i++)
            {
                var m = found[i].Mask;
                var b = m.Box;
                for (int z = Math.Max(b.Z0, slab.Z0); z <= Math.Min(b.Z1, slab.Z0 + slab.Count - 1); z++)
                {
                    var s = slab.Slice(z - slab.Z0);
                    for (int y = b.Y0; y <= b.Y1; y++)
                        for (int x = b.X0; x <= b.X1; x++)
                        {
                            if (!m.Contains(x, y, z)) continue;
                            uint l = s[y * slab.Nx + x];
                            uint id = l == 0 ? 0 : instances.SourceIds[(int)l - 1];
                            overlaps[i][id] = overlaps[i].GetValueOrDefault(id) + 1;
                        }
                }
            }
        });

        // 2D measures of the truth filopodia's instance voxels (same code as the detections).
        var keep = truth.Where(t => dense.ContainsKey(t.Id)).Select(t => dense[t.Id]).ToArray();
        var secondAxis = new Dictionary<uint, double>();
        if (keep.Length > 0)
        {
            var selected = new SelectedLabels(instances, keep);
            var measured = ObjectMeasurer.Measure(selected, new MeasureOptions { SurfaceSmoothing = 0 }, progress: progress);
            foreach (var o in measured.Objects) secondAxis[o.ObjectId] = o.SecondAxis2D.Mean;
        }

        // A detection belongs to the truth filopodium holding the majority of its voxels; a truth filopodium is found by the detection of it that overlaps it most.
        var matches = new List<FilopodiumMatch>();
        var usedDetections = new HashSet<int>();
        foreach (var t in truth)
        {
            long tv = dense.TryGetValue(t.Id, out int dl) ? instances.VoxelCounts[dl - 1] : 0;
            bool border = tv > 0 && instances.Bounds[dl - 1].TouchesBorder(info.Nx, info.Ny, info.Nz);
            Filopodium? best = null;
            long bestOverlap = 0;
            int bestIndex = -1;
            for (int i = 0; i < found.Count; i++)
            {
                long ov = overlaps[i].GetValueOrDefault(t.Id);
                if (ov * 2 > found[i].Measures.Voxels && ov > bestOverlap)
                {
                    best = found[i];
                    bestOverlap = ov;
                    bestIndex = i;
                }
            }
            if (bestIndex >= 0) usedDetections.Add(bestIndex);
            matches.Add(new FilopodiumMatch(t, tv, secondAxis.GetValueOrDefault(t.Id, double.NaN), best, bestOverlap, border));
        }
        int detections = 0, truePositives = 0;
        for (int i = 0; i < found.Count; i++)
        {
            if (!found[i].InSummary) continue;
            detections++;
            if (usedDetections.Contains(i)) truePositives++;
        }
        return new FilopodiaAccuracy(matches, detections, truePositives);
    }

    /// <summary>Per-filopodium CSV of a comparison (errors are found / true − 1; scored = not cut by the field of view; one header line, provenance in filopodia.json).</summary>
    public static string Csv(FilopodiaAccuracy accuracy)
    {
        var ci = CultureInfo.InvariantCulture;
        string D(double v) => double.IsFinite(v) ? v.ToString("G6", ci) : "";
        var sb = new StringBuilder();
        sb.Append("truth_id,kind,cut_by_fov,scored,found_id,overlap [voxels],truth_voxels,true_volume [nm^3],volume_error,true_area [nm^2],area_error,");
        sb.Append("true_major_axis [nm],major_axis_error,true_second_axis [nm],second_axis_error,true_third_axis [nm],third_axis_error,true_length [nm],length_error,true_second_axis_2d [nm],second_axis_2d_error\n");
        foreach (var m in accuracy.Matches)
        {
            var t = m.Truth;
            double Axis(int k) => t.AxesNm.Length > k ? t.AxesNm[k] : double.NaN;
            sb.Append(string.Join(',', t.Id.ToString(ci), t.Kind, t.CutByFieldOfView ? "1" : "0", m.Scored ? "1" : "0", m.Found?.Id.ToString(ci) ?? "",
                m.Overlap.ToString(ci), m.TruthVoxels.ToString(ci), D(t.VolumeNm3), D(m.VolumeError), D(t.SurfaceAreaNm2), D(m.AreaError),
                D(Axis(0)), D(m.AxisError(0)), D(Axis(1)), D(m.AxisError(1)), D(Axis(2)), D(m.AxisError(2)),
                D(t.LengthNm), D(m.LengthError), D(m.TruthSecondAxis2D), D(m.SecondAxis2DError))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A Markdown summary: recall, precision and median errors.</summary>
    public static string Markdown(FilopodiaAccuracy a)
    {
        var ci = CultureInfo.InvariantCulture;
        string P(double v) => double.IsFinite(v) ? (100 * v).ToString("0.0", ci) + " %" : "–";
        var sb = new StringBuilder();
        sb.Append("## Filopodia against the simulation's truth\n\n");
        sb.Append(string.Create(ci, $"Recall {P(a.Recall)} ({a.Found} of {a.TruthCount} filopodia not cut by the field of view), precision {P(a.Precision)} ({a.TruePositives} of {a.Detections} detections in the summary).\n\n"));
        sb.Append("| measure | median \\|error\\| |\n|---|---|\n");
        sb.Append("| volume | ").Append(P(a.MedianAbs(m => m.VolumeError))).Append(" |\n");
        sb.Append("| membrane area | ").Append(P(a.MedianAbs(m => m.AreaError))).Append(" |\n");
        sb.Append("| major axis | ").Append(P(a.MedianAbs(m => m.AxisError(0)))).Append(" |\n");
        sb.Append("| second axis | ").Append(P(a.MedianAbs(m => m.AxisError(1)))).Append(" |\n");
        sb.Append("| third axis | ").Append(P(a.MedianAbs(m => m.AxisError(2)))).Append(" |\n");
        sb.Append("| length | ").Append(P(a.MedianAbs(m => m.LengthError))).Append(" |\n");
        sb.Append("| 2D second axis | ").Append(P(a.MedianAbs(m => m.SecondAxis2DError))).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>Some objects of a label stream, renumbered 1..k (the others read as background).</summary>
    private sealed class SelectedLabels : ILabelStream
    {
        private readonly ILabelStream _inner;
        private readonly uint[] _map;
        private readonly long[] _counts;
        private readonly uint[] _ids;
        private readonly VoxelBox[] _boxes;

        public SelectedLabels(ILabelStream inner, int[] labels)
        {
            _inner = inner;
            _map = new uint[inner.ObjectCount + 1];
            for (int i = 0; i < labels.Length; i++) _map[labels[i]] = (uint)(i + 1);
            _counts = labels.Select(l => inner.VoxelCounts[l - 1]).ToArray();
            _ids = labels.Select(l => inner.SourceIds[l - 1]).ToArray();
            _boxes = labels.Select(l => inner.Bounds[l - 1]).ToArray();
        }

        public VolumeInfo Info => _inner.Info;

        public int ObjectCount => _ids.Length;

        public IReadOnlyList<long> VoxelCounts => _counts;

        public IReadOnlyList<uint> SourceIds => _ids;

        public IReadOnlyList<VoxelBox> Bounds => _boxes;

        public void Stream(Action<LabelSlab> consume, CancellationToken cancellation = default)
            => _inner.Stream(slab =>
            {
                var d = slab.Data.AsSpan(0, slab.Count * slab.SliceLength);
                for (int i = 0; i < d.Length; i++) d[i] = _map[d[i]];
                consume(slab);
            }, cancellation);
    }
}
