using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// The files of a filopodia analysis: <c>filopodia.csv</c> (one row per filopodium),
/// <c>slices.csv</c> (cross-sections), <c>summary.md</c>/<c>summary.csv</c> (Table S1: mean ± SD and
/// n over the filopodia in the summary, with the counts left out), <c>filopodia.json</c> (options,
/// counts, provenance), <c>dotplot.png</c>, <c>filopodia.png</c> and optionally <c>filopodia.mrc</c>.
/// </summary>
public static class FilopodiaOutputs
{
    /// <summary>Columns of filopodia.csv.</summary>
    public static readonly string[] Columns =
    {
        "filopodium_id", "in_summary", "cut_by_fov", "near_bead", "voxels", "volume [nm^3]", "surface_area [nm^2]", "base_area [nm^2]", "closed_surface_area [nm^2]",
        "surface_to_volume [1/um]", "length [nm]", "diameter [nm]", "major_axis [nm]", "second_axis [nm]", "third_axis [nm]",
        "base_x [nm]", "base_y [nm]", "base_z [nm]", "tip_x [nm]", "tip_y [nm]", "tip_z [nm]", "centroid_x [nm]", "centroid_y [nm]", "centroid_z [nm]",
        "bbox_x0 [voxel]", "bbox_y0 [voxel]", "bbox_z0 [voxel]", "bbox_x1 [voxel]", "bbox_y1 [voxel]", "bbox_z1 [voxel]", "slices",
        "area_2d_mean [nm^2]", "area_2d_sd [nm^2]", "first_axis_2d_mean [nm]", "first_axis_2d_sd [nm]", "second_axis_2d_mean [nm]", "second_axis_2d_sd [nm]",
        "perimeter_2d_mean [nm]", "perimeter_2d_sd [nm]", "eccentricity_2d_mean", "eccentricity_2d_sd",
    };

    /// <summary>The summary rows (Table S1 layout plus length and diameter) over the filopodia in the summary.</summary>
    public static IReadOnlyList<SummaryRow> Summary(FilopodiaResult result)
    {
        var f = result.InSummary;
        MeanSd Of(Func<Filopodium, double> g) => MeanSd.Of(f.Select(g));
        return new[]
        {
            new SummaryRow("2D", "Cross-section area", "nm²", Of(x => x.Measures.Area2D.Mean)),
            new SummaryRow("2D", "First axis length", "nm", Of(x => x.Measures.FirstAxis2D.Mean)),
            new SummaryRow("2D", "Second axis length", "nm", Of(x => x.Measures.SecondAxis2D.Mean)),
            new SummaryRow("2D", "Perimeter", "nm", Of(x => x.Measures.Perimeter2D.Mean)),
            new SummaryRow("2D", "Eccentricity", "", Of(x => x.Measures.Eccentricity2D.Mean)),
            new SummaryRow("3D", "Volume", "nm³", Of(x => x.VolumeNm3)),
            new SummaryRow("3D", "Surface area", "nm²", Of(x => x.SurfaceAreaNm2)),
            new SummaryRow("3D", "Surface-to-volume ratio", "1/µm", Of(x => x.SurfaceToVolumePerUm)),
            new SummaryRow("3D", "Major axis length", "nm", Of(x => x.Measures.MajorAxisNm)),
            new SummaryRow("3D", "Second axis length", "nm", Of(x => x.Measures.SecondAxisNm)),
            new SummaryRow("3D", "Third axis length", "nm", Of(x => x.Measures.ThirdAxisNm)),
            new SummaryRow("3D", "Length (base to tip)", "nm", Of(x => x.LengthNm)),
            new SummaryRow("3D", "Mean diameter", "nm", Of(x => x.DiameterNm)),
        };
    }

    /// <summary>Writes every output into <paramref name="folder"/> (the caller commits it).</summary>
    public static void Write(FilopodiaResult result, OutputFolder folder, Provenance provenance, FilopodiaOutputOptions? options = null)
    {
        options ??= new FilopodiaOutputOptions();
        AtomicFile.WriteAllText(folder.File("filopodia.csv"), FilopodiaCsv(result, provenance));
        AtomicFile.WriteAllText(folder.File("slices.csv"), SlicesCsv(result, provenance));
        AtomicFile.WriteAllText(folder.File("summary.csv"), SummaryCsv(result, provenance));
        AtomicFile.WriteAllText(folder.File("summary.md"), SummaryMarkdown(result, "Filopodia"));
        AtomicFile.WriteAllText(folder.File("filopodia.json"), Json(result, provenance));
        var text = new Dictionary<string, string> { ["Software"] = $"{ToolInfo.Name} {ToolInfo.Version}", ["Provenance"] = provenance.ToJson() };
        if (options.DotPlot) AtomicFile.WriteAllBytes(folder.File("dotplot.png"), DotPlot(result));
        if (options.Render)
        {
            var (w, h, rgb) = Render(result, options.Seed);
            AtomicFile.WriteAllBytes(folder.File("filopodia.png"), Png.EncodeRgb(w, h, rgb, text));
        }
        if (options.Labels) WriteLabels(result, folder.File("filopodia.mrc"), provenance);
    }

    /// <summary>filopodia.csv.</summary>
    public static string FilopodiaCsv(FilopodiaResult result, Provenance provenance)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns.Select(MeasurementTables.Quote))).Append('\n');
        foreach (var f in result.Filopodia)
        {
            var m = f.Measures;
            var b = f.Box;
            sb.Append(string.Join(',', new[]
            {
                I(f.Id), f.InSummary ? "1" : "0", f.CutByFieldOfView ? "1" : "0", f.NearBead ? "1" : "0", I(m.Voxels), D(f.VolumeNm3), D(f.SurfaceAreaNm2), D(f.BaseAreaNm2), D(m.SurfaceAreaNm2),
                D(f.SurfaceToVolumePerUm), D(f.LengthNm), D(f.DiameterNm), D(m.MajorAxisNm), D(m.SecondAxisNm), D(m.ThirdAxisNm),
                D(f.BaseNm.X), D(f.BaseNm.Y), D(f.BaseNm.Z), D(f.TipNm.X), D(f.TipNm.Y), D(f.TipNm.Z), D(m.Centroid.X), D(m.Centroid.Y), D(m.Centroid.Z),
                I(b.X0), I(b.Y0), I(b.Z0), I(b.X1), I(b.Y1), I(b.Z1), I(m.Slices),
                D(m.Area2D.Mean), D(m.Area2D.Sd), D(m.FirstAxis2D.Mean), D(m.FirstAxis2D.Sd), D(m.SecondAxis2D.Mean), D(m.SecondAxis2D.Sd),
                D(m.Perimeter2D.Mean), D(m.Perimeter2D.Sd), D(m.Eccentricity2D.Mean), D(m.Eccentricity2D.Sd),
            })).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>slices.csv: every filopodium's cross-section in each slice (same columns as <c>sxtseg measure</c>).</summary>
    public static string SlicesCsv(FilopodiaResult result, Provenance provenance)
    {
        var sb = new StringBuilder(MeasurementTables.SliceCsvHeader());
        foreach (var f in result.Filopodia)
            foreach (var s in f.Slices) sb.Append(MeasurementTables.SliceRow(s)).Append('\n');
        return sb.ToString();
    }

    /// <summary>summary.csv: section, measure, unit, mean, sd, n.</summary>
    public static string SummaryCsv(FilopodiaResult result, Provenance provenance)
    {
        var sb = new StringBuilder();
        MeasurementTables.AppendSummaryCsv(sb, Summary(result));
        return sb.ToString();
    }

    /// <summary>The Table S1 summary as Markdown, with the counts of what was found and left out.</summary>
    public static string SummaryMarkdown(FilopodiaResult result, string title)
    {
        var sb = new StringBuilder();
        MeasurementTables.AppendSummaryMarkdown(sb, Summary(result), title, "2D (cross-sections in the slices; per-filopodium mean)");
        sb.Append('\n').Append(CountsSentence(result)).Append('\n');
        return sb.ToString();
    }

    /// <summary>One paragraph: what was found, left out and why, and the voxel size.</summary>
    public static string CountsSentence(FilopodiaResult result)
    {
        var c = result.Counts;
        var o = result.Options;
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.Found} filopodia found, {c.InSummary} in the summary; left out: {c.CutByFieldOfView} cut by the field of view{(o.ExcludeCutByFieldOfView ? "" : " (kept in the summary)")}, {c.NearBead} near gold beads. "
            + $"Of {c.Candidates} protrusions, not filopodia: {c.Detached} not attached to a cell, {c.TooShort} shorter than {o.MinLengthNm:0.#} nm, {c.TooThin} thinner than {o.MinDiameterNm:0.#} nm, {c.TooWide} wider than {o.MaxDiameterNm:0.#} nm. "
            + $"Voxel size {result.VoxelSize}. SD is the sample standard deviation over filopodia; surface area is the membrane area without the base.");
    }

    /// <summary>filopodia.json: provenance, options, counts and per-filopodium key figures.</summary>
    public static string Json(FilopodiaResult result, Provenance provenance)
    {
        var c = result.Counts;
        var o = result.Options;
        var list = new JsonArray();
        foreach (var f in result.Filopodia)
            list.Add(new JsonObject
            {
                ["id"] = f.Id, ["in_summary"] = f.InSummary, ["cut_by_fov"] = f.CutByFieldOfView, ["near_bead"] = f.NearBead,
                ["volume_nm3"] = f.VolumeNm3, ["surface_area_nm2"] = f.SurfaceAreaNm2, ["length_nm"] = f.LengthNm, ["diameter_nm"] = f.DiameterNm,
                ["base_nm"] = new JsonArray(f.BaseNm.X, f.BaseNm.Y, f.BaseNm.Z), ["tip_nm"] = new JsonArray(f.TipNm.X, f.TipNm.Y, f.TipNm.Z),
            });
        var root = new JsonObject
        {
            ["provenance"] = provenance.ToJsonObject(),
            ["definitions"] = Definitions,
            ["voxel_size_nm"] = new JsonArray(result.VoxelSize.X, result.VoxelSize.Y, result.VoxelSize.Z),
            ["options"] = new JsonObject
            {
                ["max_diameter_nm"] = o.MaxDiameterNm, ["min_diameter_nm"] = o.MinDiameterNm, ["min_length_nm"] = o.MinLengthNm,
                ["close"] = o.CloseSteps, ["max_membrane_thickness_nm"] = o.MaxMembraneThicknessNm, ["exclude_cut_by_fov"] = o.ExcludeCutByFieldOfView,
                ["bead_distance_nm"] = o.BeadDistanceNm, ["smooth"] = o.SurfaceSmoothing,
            },
            ["outside_rule"] = result.OutsideRule,
            ["cell_volume_nm3"] = result.CellVoxels * result.VoxelSize.Volume,
            ["counts"] = new JsonObject
            {
                ["protrusions"] = c.Candidates, ["not_attached"] = c.Detached, ["too_short"] = c.TooShort, ["too_thin"] = c.TooThin, ["too_wide"] = c.TooWide,
                ["filopodia"] = c.Found, ["cut_by_fov"] = c.CutByFieldOfView, ["near_bead"] = c.NearBead, ["in_summary"] = c.InSummary,
            },
            ["filopodia"] = list,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// A dot plot like the paper's Fig. 3B: one panel per measure (volume, membrane area, length,
    /// 2D second axis, surface-to-volume ratio, eccentricity), each filopodium of the summary a dot,
    /// with the mean and ± SD marked. PNG bytes.
    /// </summary>
    public static byte[] DotPlot(FilopodiaResult result, int panelWidth = 300, int panelHeight = 360)
    {
        var f = result.InSummary;
        var panels = new (string Title, string Unit, double Scale, Func<Filopodium, double> Value)[]
        {
            ("Volume", "10⁷ nm³", 1e-7, x => x.VolumeNm3),
            ("Surface area", "10⁵ nm²", 1e-5, x => x.SurfaceAreaNm2),
            ("Length", "nm", 1, x => x.LengthNm),
            ("2D second axis", "nm", 1, x => x.Measures.SecondAxis2D.Mean),
            ("Surface / volume", "1/µm", 1, x => x.SurfaceToVolumePerUm),
            ("Eccentricity (2D)", "", 1, x => x.Measures.Eccentricity2D.Mean),
        };
        int cols = 3, rows = (panels.Length + cols - 1) / cols;
        int w = panelWidth * cols, h = panelHeight * rows;
        var image = new byte[w * h * 3];
        for (int p = 0; p < panels.Length; p++)
        {
            var (title, unit, scale, value) = panels[p];
            var ys = f.Select(x => value(x) * scale).Where(double.IsFinite).ToArray();
            var plt = new ScottPlot.Plot();
            if (ys.Length > 0)
            {
                // Deterministic horizontal spread (golden-ratio sequence) so dots do not hide each other.
                var xs = ys.Select((_, i) => 0.3 * (((i * 0.6180339887) % 1.0) - 0.5)).ToArray();
                var dots = plt.Add.ScatterPoints(xs, ys);
                dots.MarkerSize = 7;
                dots.Color = ScottPlot.Color.FromHex("#1f77b4").WithAlpha(0.75);
                var s = MeanSd.Of(ys);
                var mean = plt.Add.Line(-0.3, s.Mean, 0.3, s.Mean);
                mean.LineWidth = 2.5f;
                mean.Color = ScottPlot.Colors.Black;
                if (double.IsFinite(s.Sd))
                {
                    var bar = plt.Add.Line(0.35, s.Mean - s.Sd, 0.35, s.Mean + s.Sd);
                    bar.LineWidth = 2;
                    bar.Color = ScottPlot.Colors.Black;
                }
                plt.Axes.SetLimitsX(-0.6, 0.6);
            }
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(new[] { new ScottPlot.Tick(0, $"n = {ys.Length}") });
            plt.Title(title);
            plt.YLabel(unit);
            var png = plt.GetImageBytes(panelWidth, panelHeight, ScottPlot.ImageFormat.Png);
            var (pw, ph, ch, pixels) = Png.Decode(png);
            int ox = p % cols * panelWidth, oy = p / cols * panelHeight;
            for (int y = 0; y < Math.Min(ph, panelHeight); y++)
                for (int x = 0; x < Math.Min(pw, panelWidth); x++)
                    for (int k = 0; k < 3; k++)
                        image[((oy + y) * w + ox + x) * 3 + k] = pixels[(y * pw + x) * ch + Math.Min(k, ch - 1)];
        }
        return Png.EncodeRgb(w, h, image);
    }

    /// <summary>
    /// Renders the separated filopodia (smoothed surfaces, one colour each; those left out of the
    /// summary in grey), seen from above and obliquely. RGB pixels.
    /// </summary>
    public static (int Width, int Height, byte[] Rgb) Render(FilopodiaResult result, int seed = 1, int panelWidth = 900, int panelHeight = 700)
    {
        var items = new List<RenderItem>();
        foreach (var f in result.Filopodia)
        {
            var mesh = MarchingCubes.ExtractMask(f.Mask.ToVolume(result.VoxelSize, result.Info.OriginNm));
            MeshSmoothing.Taubin(mesh, 20);
            var colour = f.InSummary ? MeshColors.ForObject((uint)f.Id, seed) : new Rgb(150, 150, 150);
            items.Add(new RenderItem(mesh.Vertices, mesh.Triangles, colour));
        }
        var options = new RenderOptions { Width = panelWidth, Height = panelHeight, Views = new[] { new ViewAngle(0, 90), new ViewAngle(30, 35) } };
        return MeshRenderer.Render(items, options);
    }

    /// <summary>Writes a uint16 instance map of the filopodia (0 = none), slice by slice.</summary>
    public static void WriteLabels(FilopodiaResult result, string path, Provenance provenance)
    {
        var info = new VolumeInfo(result.Info.Nx, result.Info.Ny, result.Info.Nz, VoxelType.UInt16, result.VoxelSize) { OriginNm = result.Info.OriginNm };
        if (result.Filopodia.Count > ushort.MaxValue) throw new OutputException(path, "more than 65535 filopodia do not fit a uint16 label volume");
        using var writer = VolumeIO.Create(path, info, provenance);
        var slice = new ushort[info.SliceLength];
        var byZ = result.Filopodia.OrderBy(f => f.Box.Z0).ToList();
        for (int z = 0; z < info.Nz; z++)
        {
            Array.Clear(slice);
            foreach (var f in byZ)
            {
                var b = f.Box;
                if (z < b.Z0 || z > b.Z1) continue;
                for (int y = b.Y0; y <= b.Y1; y++)
                    for (int x = b.X0; x <= b.X1; x++)
                        if (f.Mask.Contains(x, y, z)) slice[y * info.Nx + x] = (ushort)f.Id;
            }
            writer.WriteSlice<ushort>(slice);
        }
        writer.Commit();
    }

    /// <summary>What the columns mean (in filopodia.json: CSV files carry no comment lines, so Excel and R read them as they are).</summary>
    internal const string Definitions = "volume = voxels x voxel volume of the solid filopodium (filled, ending at the middle of its membrane, cut from the cell at its base); surface_area = smoothed membrane surface without the base; length = centre line from base to tip; axes: equivalent ellipsoid 2*sqrt(5*lambda) (2D: equivalent ellipse 4*sqrt(lambda)); in slices.csv object_id is the filopodium id of filopodia.csv";

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "" : v.ToString("G7", CultureInfo.InvariantCulture);
}
