using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SxtSeg.Measurement;

/// <summary>
/// Compares measurements of a simulated instance map (<c>sxtseg measure instances.mrc --instances</c>)
/// with the simulator's analytic truth (<c>truth.json</c>, format "sxtseg-simulation-truth"): volume,
/// surface area and equivalent-ellipsoid axes per object, and per-class error summaries. Objects cut
/// by the field of view, and objects enclosing others (their instance voxels exclude their
/// children's), are listed but left out of the summary.
/// </summary>
public static class TruthComparison
{
    /// <summary>Reads the objects of a truth file; throws <see cref="InvalidInputException"/> naming the file.</summary>
    public static IReadOnlyList<TruthObject> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException(path, "file not found");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidInputException(path, $"not valid JSON ({e.Message})", e);
        }
        if (root?["objects"] is not JsonArray objects)
            throw new InvalidInputException(path, "no \"objects\" array: not a simulation truth file (sxtseg simulate writes truth.json)");
        var list = new List<TruthObject>();
        try
        {
            foreach (var o in objects)
            {
                if (o is null) continue;
                var axes = o["principal_axes_nm"] is JsonArray a ? a.Select(x => x!.GetValue<double>()).OrderDescending().ToArray() : Array.Empty<double>();
                list.Add(new TruthObject(
                    o["id"]!.GetValue<uint>(),
                    o["class"]?.GetValue<string>() ?? "",
                    o["kind"]?.GetValue<string>() ?? "",
                    o["parent_id"] is JsonValue p && p.TryGetValue(out uint pid) ? pid : null,
                    o["volume_nm3"]!.GetValue<double>(),
                    o["surface_area_nm2"]!.GetValue<double>(),
                    axes,
                    o["cut_by_fov"]?.GetValue<bool>() ?? false));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidInputException(path, $"an object lacks id, volume_nm3 or surface_area_nm2, or has a wrong type ({e.Message})", e);
        }
        return list;
    }

    /// <summary>Pairs every truth object with its measurement (by id).</summary>
    public static IReadOnlyList<TruthMatch> Match(IReadOnlyList<TruthObject> truth, MeasurementResult measured)
    {
        var byId = measured.Objects.ToDictionary(o => o.ObjectId);
        var parents = truth.Where(t => t.ParentId is not null).Select(t => t.ParentId!.Value).ToHashSet();
        return truth.Select(t => new TruthMatch(t, byId.GetValueOrDefault(t.Id), parents.Contains(t.Id))).ToList();
    }

    /// <summary>Per-object CSV: truth, measurement and relative errors.</summary>
    /// <remarks>Errors are measured / true − 1; comparable = measured, not cut by the field of view, no enclosed children (stated in measure.json; the CSV has no comment lines).</remarks>
    public static string Csv(IReadOnlyList<TruthMatch> matches)
    {
        var ci = CultureInfo.InvariantCulture;
        string D(double v) => double.IsNaN(v) ? "" : v.ToString("G7", ci);
        var sb = new StringBuilder();
        sb.Append("object_id,class,kind,cut_by_fov,has_children,comparable,true_volume [nm^3],volume [nm^3],volume_error,true_area [nm^2],area [nm^2],area_error,");
        sb.Append("true_major_axis [nm],major_axis [nm],major_axis_error,true_second_axis [nm],second_axis [nm],second_axis_error,true_third_axis [nm],third_axis [nm],third_axis_error\n");
        foreach (var m in matches)
        {
            var t = m.Truth;
            var o = m.Measured;
            double Axis(double[] a, int k) => a.Length > k ? a[k] : double.NaN;
            sb.Append(string.Join(',',
                t.Id.ToString(ci), Quote(t.Class), Quote(t.Kind), t.CutByFieldOfView ? "1" : "0", m.HasChildren ? "1" : "0", m.Comparable ? "1" : "0",
                D(t.VolumeNm3), D(o?.VolumeNm3 ?? double.NaN), D(m.VolumeError),
                D(t.SurfaceAreaNm2), D(o?.SurfaceAreaNm2 ?? double.NaN), D(m.AreaError),
                D(Axis(t.AxesNm, 0)), D(o?.MajorAxisNm ?? double.NaN), D(m.AxisError(0)),
                D(Axis(t.AxesNm, 1)), D(o?.SecondAxisNm ?? double.NaN), D(m.AxisError(1)),
                D(Axis(t.AxesNm, 2)), D(o?.ThirdAxisNm ?? double.NaN), D(m.AxisError(2)))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Per-class summary of the comparable objects: n and median absolute relative errors (Markdown).</summary>
    public static string Markdown(IReadOnlyList<TruthMatch> matches)
    {
        var sb = new StringBuilder();
        sb.Append("## Measurements against the simulation's truth\n\n");
        sb.Append("| class | n | volume: median \\|error\\| | area: median \\|error\\| | axes: median \\|error\\| | worst volume error |\n|---|---|---|---|---|---|\n");
        var comparable = matches.Where(m => m.Comparable).ToList();
        foreach (var g in comparable.GroupBy(m => m.Truth.Class).OrderBy(g => g.Key, StringComparer.Ordinal).Append(comparable.GroupBy(_ => "all").FirstOrDefault()))
        {
            if (g is null) continue;
            var items = g.ToList();
            var axes = items.SelectMany(m => new[] { m.AxisError(0), m.AxisError(1), m.AxisError(2) }).Where(e => !double.IsNaN(e));
            var worst = items.MaxBy(m => Math.Abs(m.VolumeError))!;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"| {(g.Key == "all" ? "**all**" : g.Key)} | {items.Count} | {MedianAbs(items.Select(m => m.VolumeError)):P1} | {MedianAbs(items.Select(m => m.AreaError)):P1} | {MedianAbs(axes):P1} | {worst.VolumeError:+0.0%;-0.0%} (id {worst.Truth.Id}) |\n"));
        }
        int cut = matches.Count(m => m.Truth.CutByFieldOfView), parents = matches.Count(m => m.HasChildren), missing = matches.Count(m => m.Measured is null);
        sb.Append(string.Create(CultureInfo.InvariantCulture,
            $"\n{comparable.Count} of {matches.Count} truth objects compared; left out: {cut} cut by the field of view, {parents} enclosing other objects, {missing} not measured (no voxels in the labels, or removed by the size or border filters).\n"));
        int noSurface = comparable.Count(m => m.Measured is { SurfaceResolved: false });
        if (noSurface > 0)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"The area column leaves out {noSurface} compared objects too small or thin to have a surface (surface_resolved = 0).\n"));
        return sb.ToString();
    }

    private static double MedianAbs(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).Select(Math.Abs).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
