using System.Globalization;
using System.Text;

namespace SxtSeg.Measurement;

/// <summary>
/// Tables of measurements: per-object and per-slice CSV files (units in the column names; a plain
/// header line and no comment lines, so that Excel, R's read.csv and pandas read them as they are),
/// the summary in the layout of the paper's Table S1 (mean ± SD over objects, n) as CSV and
/// Markdown, and the JSON sidecar (measure.json) that holds the provenance and method notes.
/// </summary>
public static class MeasurementTables
{
    /// <summary>Column names of the per-object CSV.</summary>
    public static readonly string[] ObjectColumns =
    {
        "object_id", "voxels", "volume [nm^3]", "mesh_volume [nm^3]", "surface_area [nm^2]", "surface_to_volume [1/um]", "sphericity",
        "centroid_x [nm]", "centroid_y [nm]", "centroid_z [nm]",
        "bbox_x0 [voxel]", "bbox_y0 [voxel]", "bbox_z0 [voxel]", "bbox_x1 [voxel]", "bbox_y1 [voxel]", "bbox_z1 [voxel]", "touches_border",
        "major_axis [nm]", "second_axis [nm]", "third_axis [nm]",
        "major_extent [nm]", "second_extent [nm]", "third_extent [nm]",
        "major_dir_x", "major_dir_y", "major_dir_z",
        "slices", "area_2d_mean [nm^2]", "area_2d_sd [nm^2]", "perimeter_2d_mean [nm]", "perimeter_2d_sd [nm]",
        "first_axis_2d_mean [nm]", "first_axis_2d_sd [nm]", "second_axis_2d_mean [nm]", "second_axis_2d_sd [nm]",
        "eccentricity_2d_mean", "eccentricity_2d_sd",
        "first_extent_2d_mean [nm]", "first_extent_2d_sd [nm]", "second_extent_2d_mean [nm]", "second_extent_2d_sd [nm]",
        "surface_resolved",
    };

    /// <summary>Files a measurement folder may hold (stale ones are removed when a new run does not write them).</summary>
    public static readonly string[] OwnedFiles = { "objects.csv", "slices.csv", "summary.csv", "summary.md", "measure.json", "truth_comparison.csv", "truth_comparison.md" };

    /// <summary>Column names of the per-slice CSV.</summary>
    public static readonly string[] SliceColumns =
    {
        "object_id", "z [slice]", "pixels", "area [nm^2]", "perimeter [nm]", "first_axis [nm]", "second_axis [nm]", "eccentricity",
        "first_extent [nm]", "second_extent [nm]", "centroid_x [nm]", "centroid_y [nm]",
    };

    /// <summary>The CSV text of the per-object table.</summary>
    public static string ObjectsCsv(MeasurementResult result)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', ObjectColumns.Select(Quote))).Append('\n');
        foreach (var o in result.Objects)
        {
            var cells = new[]
            {
                I(o.ObjectId), I(o.Voxels), D(o.VolumeNm3), D(o.MeshVolumeNm3), D(o.SurfaceAreaNm2), D(o.SurfaceToVolumePerUm), D(o.Sphericity),
                D(o.Centroid.X), D(o.Centroid.Y), D(o.Centroid.Z),
                I(o.Box.X0), I(o.Box.Y0), I(o.Box.Z0), I(o.Box.X1), I(o.Box.Y1), I(o.Box.Z1), o.TouchesBorder ? "1" : "0",
                D(o.MajorAxisNm), D(o.SecondAxisNm), D(o.ThirdAxisNm),
                D(o.MajorExtentNm), D(o.SecondExtentNm), D(o.ThirdExtentNm),
                D(o.MajorDirection.X), D(o.MajorDirection.Y), D(o.MajorDirection.Z),
                I(o.Slices), D(o.Area2D.Mean), D(o.Area2D.Sd), D(o.Perimeter2D.Mean), D(o.Perimeter2D.Sd),
                D(o.FirstAxis2D.Mean), D(o.FirstAxis2D.Sd), D(o.SecondAxis2D.Mean), D(o.SecondAxis2D.Sd),
                D(o.Eccentricity2D.Mean), D(o.Eccentricity2D.Sd),
                D(o.FirstExtent2D.Mean), D(o.FirstExtent2D.Sd), D(o.SecondExtent2D.Mean), D(o.SecondExtent2D.Sd),
                o.SurfaceResolved ? "1" : "0",
            };
            sb.Append(string.Join(',', cells)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The header line and one row per cross-section, for streaming into a file.</summary>
    public static string SliceRow(SliceMeasurement s) => string.Join(',',
        I(s.ObjectId), I(s.Z), I(s.Pixels), D(s.AreaNm2), D(s.PerimeterNm), D(s.FirstAxisNm), D(s.SecondAxisNm), D(s.Eccentricity),
        D(s.FirstExtentNm), D(s.SecondExtentNm), D(s.CentroidXNm), D(s.CentroidYNm));

    /// <summary>The column header line of the per-slice CSV (one row per object and slice follows).</summary>
    public static string SliceCsvHeader() => string.Join(',', SliceColumns.Select(Quote)) + "\n";

    /// <summary>The summary in the layout of the paper's Table S1: mean ± SD over objects, and n.</summary>
    public static IReadOnlyList<SummaryRow> Summary(MeasurementResult result)
    {
        var o = result.Objects;
        MeanSd Of(Func<ObjectMeasurement, double> f) => MeanSd.Of(o.Select(f));
        return new[]
        {
            new SummaryRow("2D", "Cross-section area", "nm²", Of(x => x.Area2D.Mean)),
            new SummaryRow("2D", "First axis length", "nm", Of(x => x.FirstAxis2D.Mean)),
            new SummaryRow("2D", "Second axis length", "nm", Of(x => x.SecondAxis2D.Mean)),
            new SummaryRow("2D", "Perimeter", "nm", Of(x => x.Perimeter2D.Mean)),
            new SummaryRow("2D", "Eccentricity", "", Of(x => x.Eccentricity2D.Mean)),
            new SummaryRow("3D", "Volume", "nm³", Of(x => x.VolumeNm3)),
            new SummaryRow("3D", "Surface area", "nm²", Of(x => x.SurfaceAreaNm2)),
            new SummaryRow("3D", "Surface-to-volume ratio", "1/µm", Of(x => x.SurfaceToVolumePerUm)),
            new SummaryRow("3D", "Major axis length", "nm", Of(x => x.MajorAxisNm)),
            new SummaryRow("3D", "Second axis length", "nm", Of(x => x.SecondAxisNm)),
            new SummaryRow("3D", "Third axis length", "nm", Of(x => x.ThirdAxisNm)),
            new SummaryRow("3D", "Sphericity", "", Of(x => x.Sphericity)),
        };
    }

    /// <summary>The summary as CSV (section, measure, unit, mean, sd, n).</summary>
    public static string SummaryCsv(MeasurementResult result)
    {
        var sb = new StringBuilder();
        // ASCII only, so every spreadsheet reads it.
        AppendSummaryCsv(sb, Summary(result));
        return sb.ToString();
    }

    /// <summary>Summary rows as CSV, header included (ASCII only; shared by every Table S1 writer).</summary>
    internal static void AppendSummaryCsv(StringBuilder sb, IEnumerable<SummaryRow> rows)
    {
        sb.Append("section,measure,unit,mean,sd,n,mean +/- sd\n");
        foreach (var r in rows)
            sb.Append(string.Join(',', r.Section, Quote(r.Measure), Quote(Ascii(r.Unit)), D(r.Stats.Mean), D(r.Stats.Sd), I(r.Stats.N),
                Quote(Ascii(FormatMeanSd(r.Stats))))).Append('\n');
    }

    /// <summary>Summary rows as a Markdown table under a title, a heading row per section (shared by every Table S1 writer).</summary>
    internal static void AppendSummaryMarkdown(StringBuilder sb, IEnumerable<SummaryRow> rows, string title, string twoDHeading)
    {
        sb.Append("## ").Append(title).Append("\n\n");
        sb.Append("| Measure | Mean ± SD | n |\n|---|---|---|\n");
        string? section = null;
        foreach (var r in rows)
        {
            if (r.Section != section)
            {
                section = r.Section;
                sb.Append("| **").Append(section == "2D" ? twoDHeading : "3D").Append("** | | |\n");
            }
            string unit = r.Unit.Length > 0 ? $" ({r.Unit})" : "";
            sb.Append("| ").Append(r.Measure).Append(unit).Append(" | ").Append(FormatMeanSd(r.Stats)).Append(" | ").Append(I(r.Stats.N)).Append(" |\n");
        }
    }

    /// <summary>The summary as a Markdown table (for reports).</summary>
    public static string SummaryMarkdown(MeasurementResult result, string title)
    {
        var sb = new StringBuilder();
        AppendSummaryMarkdown(sb, Summary(result), title, "2D (cross-sections; per-object mean over its slices)");
        var v = result.VoxelSize;
        sb.Append('\n').Append(string.Create(CultureInfo.InvariantCulture,
            $"Voxel size {v}. {result.Objects.Count} objects; {result.ExcludedBySize} excluded by size, {result.ExcludedByBorder} touching the volume's faces excluded. SD is the sample standard deviation over objects.\n"));
        int unresolved = result.WithoutSurface;
        if (unresolved > 0)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"Surface area, surface-to-volume ratio and sphericity leave out {unresolved} objects too small or thin to have a surface at this voxel size (surface_resolved = 0 in objects.csv).\n"));
        return sb.ToString();
    }

    /// <summary>"133 ± 28", "0.62 ± 0.11" or "(2.31 ± 0.45) × 10^7"; "–" when there are no objects.</summary>
    public static string FormatMeanSd(MeanSd s)
    {
        if (s.N == 0 || double.IsNaN(s.Mean)) return "–";
        double m = s.Mean, sd = double.IsNaN(s.Sd) ? 0 : s.Sd;
        string sdText(double x, string fmt) => double.IsNaN(s.Sd) ? "–" : x.ToString(fmt, CultureInfo.InvariantCulture);
        double a = Math.Abs(m);
        if (a >= 1e5)
        {
            int e = (int)Math.Floor(Math.Log10(a));
            double f = Math.Pow(10, e);
            return $"({(m / f).ToString("0.00", CultureInfo.InvariantCulture)} ± {sdText(sd / f, "0.00")}) × 10^{e.ToString(CultureInfo.InvariantCulture)}";
        }
        string fmtMain = a >= 100 ? "0" : a >= 10 ? "0.0" : a >= 1 ? "0.00" : "0.000";
        return $"{m.ToString(fmtMain, CultureInfo.InvariantCulture)} ± {sdText(sd, fmtMain)}";
    }

    /// <summary>How the tables were measured (voxel size, volume, surface, axes), as written into measure.json.</summary>
    public static string MethodNote(MeasurementResult result) => string.Create(CultureInfo.InvariantCulture,
        $"voxel size {result.VoxelSize}; volume = voxels × voxel volume; surface from marching cubes after {result.Options.SurfaceSmoothing} Taubin iterations, its measures (mesh volume, area, surface-to-volume = area / mesh volume, sphericity of area and mesh volume, extents) left empty when it encloses under {ObjectMeasurement.MinEnclosedFraction:0.##} of the voxel volume (surface_resolved = 0: too small or thin to have one); axes: equivalent ellipsoid 2·sqrt(5·λ) (2D: equivalent ellipse 4·sqrt(λ)); extents: range along the principal axes (MIB)");

    /// <summary>
    /// The JSON sidecar of a measurement folder (measure.json): provenance, counts, voxel size, how
    /// the objects were made (<paramref name="labels"/>), the method and what each CSV holds. CSV
    /// files carry no comment lines; this is where their provenance is.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject Sidecar(MeasurementResult result, Provenance provenance, string labels, bool slicesWritten, bool truthCompared = false) => new()
    {
        ["provenance"] = provenance.ToJsonObject(),
        ["objects"] = result.Objects.Count,
        ["excluded_by_size"] = result.ExcludedBySize,
        ["without_surface"] = result.WithoutSurface,
        ["excluded_touching_border"] = result.ExcludedByBorder,
        ["border_objects_excluded"] = result.Options.ExcludeBorder,
        ["voxel_size_nm"] = new System.Text.Json.Nodes.JsonArray(JsonNumbers.Of(result.VoxelSize.X), JsonNumbers.Of(result.VoxelSize.Y), JsonNumbers.Of(result.VoxelSize.Z)),
        ["labels"] = labels,
        ["method"] = MethodNote(result),
        ["files"] = Files(slicesWritten, truthCompared),
    };

    private static System.Text.Json.Nodes.JsonObject Files(bool slices, bool truth)
    {
        var f = new System.Text.Json.Nodes.JsonObject
        {
            ["objects.csv"] = "one row per object; units in the column names; touches_border = 1 when the object reaches a face of the volume; surface_resolved = 0 when the object is too small or thin for a surface (its surface measures empty)",
            ["summary.csv"] = "mean, sample SD and n over objects of each measure (the paper's Table S1 layout)",
            ["summary.md"] = "the same summary as a Markdown table",
        };
        if (slices) f["slices.csv"] = "one row per object and slice: the object's cross-section in that slice (all its pixels there)";
        if (truth)
        {
            f["truth_comparison.csv"] = "per simulated object: analytic truth, measurement and relative error (measured / true − 1); comparable = measured, not cut by the field of view, no enclosed children";
            f["truth_comparison.md"] = "summary of the comparison with the simulation's truth";
        }
        return f;
    }

    private static string Ascii(string s) => s.Replace("nm²", "nm^2").Replace("nm³", "nm^3").Replace("µm", "um").Replace("±", "+/-").Replace("×", "x").Replace("–", "-");

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "" : v.ToString("G7", CultureInfo.InvariantCulture);

    /// <summary>A CSV field, quoted when it holds a comma or a quote.</summary>
    internal static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
