using System.Globalization;
using SxtSeg.Evaluation;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Measurement;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Reporting;

/// <summary>Builds the demo's HTML report from the stages' results.</summary>
public static class DemoReport
{
    /// <summary>Everything the report shows.</summary>
    public sealed record Inputs
    {
        /// <summary>Pipeline settings.</summary>
        public required DemoOptions Options { get; init; }
        /// <summary>The tomogram segmented.</summary>
        public required string Tomogram { get; init; }
        /// <summary>The simulation, when the tomogram was simulated.</summary>
        public SimulationReport? Simulation { get; init; }
        /// <summary>Segmentation summary.</summary>
        public required SegmentationSummary Segmentation { get; init; }
        /// <summary>Model id.</summary>
        public required string ModelId { get; init; }
        /// <summary>Predicted labels.</summary>
        public required string LabelsPath { get; init; }
        /// <summary>True labels (simulations).</summary>
        public string? TruthPath { get; init; }
        /// <summary>Measured objects.</summary>
        public required MeasurementResult Measured { get; init; }
        /// <summary>3D renders.</summary>
        public required IReadOnlyList<(byte[] Png, string Caption)> Renders { get; init; }
        /// <summary>Evaluation (simulations).</summary>
        public EvaluationResult? Evaluation { get; init; }
        /// <summary>Measurements of the simulation's instances against the analytic truth.</summary>
        public IReadOnlyList<TruthMatch>? TruthMatches { get; init; }
        /// <summary>Filopodia found and measured (with a filopodium model), or null.</summary>
        public FilopodiaRunResult? Filopodia { get; init; }
        /// <summary>Seconds per stage.</summary>
        public required IReadOnlyDictionary<string, double> Timings { get; init; }
        /// <summary>Seconds in all.</summary>
        public double TotalSeconds { get; init; }
    }

    private static string F(double v, string f = "0.0") => double.IsFinite(v) ? v.ToString(f, CultureInfo.InvariantCulture) : "n/a";
    private static string Pc(double v) => double.IsFinite(v) ? (100 * v).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Builds the report.</summary>
    public static HtmlReport Build(Inputs r)
    {
        bool simulated = r.Simulation is not null;
        var report = new HtmlReport("SxtSeg report",
            simulated ? $"Simulated {r.Options.Profile} tomogram (seed {r.Options.Seed}) segmented, measured and evaluated against its exact ground truth"
                      : $"Tomogram {Path.GetFileName(r.Tomogram)} segmented and measured");
        using var tomo = VolumeIO.OpenRead(r.Tomogram);
        Overview(report, r, tomo.Info);
        Slices(report, r, tomo);
        Surfaces(report, r);
        Measurements(report, r);
        if (r.Filopodia is { } f) FilopodiaSection(report, f);
        if (r.Evaluation is { } e) EvaluationSection(report, e);
        RunParameters(report, r);
        return report;
    }

    /// <summary>Overview: the tomogram, model, counts, headline scores and time per stage.</summary>
    private static void Overview(HtmlReport report, Inputs r, VolumeInfo info)
    {
        bool simulated = r.Simulation is not null;
        report.Section("Overview");
        var overview = new List<(string, string)>
        {
            ("tomogram", simulated ? $"simulated, profile {r.Options.Profile}, seed {r.Options.Seed}" : r.Tomogram),
            ("size (x × y × z)", $"{info.Nx} × {info.Ny} × {info.Nz} voxels"),
            ("voxel size", info.VoxelSize?.ToString() ?? "unknown"),
            ("model", r.ModelId),
            ("membrane voxels", string.Create(CultureInfo.InvariantCulture, $"{r.Segmentation.LabelledVoxels:N0} ({100.0 * r.Segmentation.LabelledVoxels / Math.Max(1, r.Segmentation.TotalVoxels):0.00} %)")),
            ("objects measured", r.Measured.Objects.Count.ToString(CultureInfo.InvariantCulture)),
            ("segmentation speed", string.Create(CultureInfo.InvariantCulture, $"{r.Segmentation.MegapixelsPerSecond:0.00} Mpx/s with {r.Segmentation.Workers} workers")),
            ("total time", string.Create(CultureInfo.InvariantCulture, $"{r.TotalSeconds:0.0} s")),
        };
        if (r.Evaluation is { } ev)
        {
            var net = ev.Methods[0].Voxels;
            bool visible = ev.Methods[0].AllMembranes is not null;
            overview.Add((visible ? "visible-membrane F1 (±1 voxel)" : "membrane F1 (±1 voxel)", F(net.Tolerant.F1, "0.000")));
            overview.Add(("recall / precision (±1 voxel)", $"{Pc(net.Tolerant.Recall)} % / {Pc(net.Tolerant.Precision)} %"));
            if (ev.Methods[0].AllMembranes is { } all)
                overview.Add(("all-membrane F1 (±1 voxel, face-on membranes included)", F(all.Tolerant.F1, "0.000")));
        }
        report.KeyValues(overview);
        report.Table(new[] { "stage", "seconds" }, r.Timings.Select(kv => (IReadOnlyList<string>)new[] { kv.Key, F(kv.Value) }), "Time per stage");
    }

    /// <summary>Slices with membrane labels: raw and overlaid side by side.</summary>
    private static void Slices(HtmlReport report, Inputs r, IVolumeReader tomo)
    {
        bool simulated = r.Simulation is not null;
        var info = tomo.Info;
        report.Section("Slices with membrane labels");
        report.Paragraph(simulated
            ? "Each row: the reconstructed slice (0.5–99.5 % contrast stretch), and the same slice with the exact membrane labels in green, the network's labels in red, and both in yellow."
            : "Each row: the reconstructed slice (0.5–99.5 % contrast stretch), and the network's membrane labels in red.");
        using (var labels = VolumeIO.OpenRead(r.LabelsPath))
        using (var truth = r.TruthPath is null ? null : VolumeIO.OpenRead(r.TruthPath))
        {
            int[] zs = OverlaySlices(labels, truth, 3);
            foreach (int z in zs)
            {
                var s = tomo.ReadSlice<float>(z);
                var gray = SliceRenderer.ToGray(s);
                var pred = labels.ReadSlice<byte>(z);
                var tr = truth?.ReadSlice<byte>(z);
                report.Image(SideBySide(info.Nx, info.Ny, SliceRenderer.GrayToRgb(gray), Compare(gray, pred, tr)),
                    string.Create(CultureInfo.InvariantCulture, $"slice z = {z} of {info.Nz}"), 1100);
            }
        }
    }

    /// <summary>3D surfaces: the renders, or why there are none.</summary>
    private static void Surfaces(HtmlReport report, Inputs r)
    {
        report.Section("3D surfaces");
        if (r.Renders.Count > 0)
        {
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Membranes closed and filled into organelle volumes, surfaces by marching cubes (Taubin-smoothed), in nm. The renders show the objects of Table S1 below: {r.Measured.ExcludedByBorder} object(s) touching a face of the volume (cut by the field of view, such as a filled cell body) are left out of both."));
            report.Gallery(r.Renders, 520);
        }
        else report.Note(r.Measured.ExcludedByBorder > 0
            ? $"No whole object to render: all {r.Measured.ExcludedByBorder} objects touch a face of the volume (cut by the field of view)."
            : "No objects large enough to render.", warning: true);
    }

    /// <summary>Measurements in the layout of Table S1, histograms, and the check against the simulation's analytic truth.</summary>
    private static void Measurements(HtmlReport report, Inputs r)
    {
        report.Section("Measurements (Table S1 layout)");
        var rows = MeasurementTables.Summary(r.Measured);
        report.Table(new[] { "", "measure", "mean ± SD", "n" },
            rows.Select(x => (IReadOnlyList<string>)new[] { x.Section, x.Measure + (x.Unit.Length > 0 ? $" ({x.Unit})" : ""), MeasurementTables.FormatMeanSd(x.Stats), x.Stats.N.ToString(CultureInfo.InvariantCulture) }),
            string.Create(CultureInfo.InvariantCulture, $"{r.Measured.Objects.Count} whole objects at {r.Measured.VoxelSize}; {r.Measured.ExcludedByBorder} touching a face of the volume left out (as in the renders); {r.Measured.ExcludedBySize} excluded by size"));
        if (r.Measured.Objects.Count > 0)
        {
            report.Gallery(new[]
            {
                (Plots.Histogram("Object volume", "volume (µm³)", r.Measured.Objects.Select(m => m.VolumeNm3 / 1e9).ToList(), 20, 500, 320), "volumes"),
                (Plots.Histogram("Surface area", "area (µm²)", r.Measured.Objects.Select(m => m.SurfaceAreaNm2 / 1e6).ToList(), 20, 500, 320), "surface areas"),
                (Plots.Histogram("Major axis", "length (nm)", r.Measured.Objects.Select(m => m.MajorAxisNm).ToList(), 20, 500, 320), "major axis of the equivalent ellipsoid"),
            }, 360);
        }
        if (r.TruthMatches is { } matches)
        {
            var comparable = matches.Where(m => m.Comparable).ToList();
            if (comparable.Count > 0)
            {
                static double Med(IEnumerable<double> v) { var a = v.Where(double.IsFinite).Select(Math.Abs).OrderBy(x => x).ToArray(); return a.Length == 0 ? double.NaN : a[a.Length / 2]; }
                report.Paragraph("The measurement stage checked on the simulation's own objects (instance map), against their analytic volume, area and axes:");
                report.Table(new[] { "objects compared", "median |volume error|", "median |area error|", "median |major-axis error|" },
                    new[] { (IReadOnlyList<string>)new[] { comparable.Count.ToString(CultureInfo.InvariantCulture), Pc(Med(comparable.Select(m => m.VolumeError))) + " %", Pc(Med(comparable.Select(m => m.AreaError))) + " %", Pc(Med(comparable.Select(m => m.AxisError(0)))) + " %" } });
            }
        }
    }

    /// <summary>Filopodia: the Table S1 summary, what was left out and why, the dot plot and renders, and the scores against a simulation.</summary>
    private static void FilopodiaSection(HtmlReport report, FilopodiaRunResult f)
    {
        report.Section("Filopodia (Table S1)");
        report.Paragraph(FilopodiaOutputs.CountsSentence(f.Result));
        if (f.Result.Counts.InSummary == 0)
        {
            report.Note("No filopodia in the summary: none found, or all cut by the field of view or near gold.");
            return;
        }
        report.Table(new[] { "", "measure", "mean ± SD", "n" },
            f.Summary.Select(x => (IReadOnlyList<string>)new[] { x.Section, x.Measure + (x.Unit.Length > 0 ? $" ({x.Unit})" : ""), MeasurementTables.FormatMeanSd(x.Stats), x.Stats.N.ToString(CultureInfo.InvariantCulture) }),
            "filopodia/summary.md; every filopodium in filopodia/filopodia.csv");
        report.Gallery(new[]
        {
            (FilopodiaOutputs.DotPlot(f.Result), "each filopodium's measures with mean ± SD (as the paper's Fig. 3B)"),
            (RenderPng(f.Result), "the filopodia found (grey: left out of the summary)"),
        }, 440);
        if (f.Accuracy is { } a)
            report.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Against the simulation's filopodia: recall {Pc(a.Recall)} % ({a.Found} of {a.TruthCount}), precision {Pc(a.Precision)} %, median |volume error| {Pc(a.MedianAbs(m => m.VolumeError))} %, median |length error| {Pc(a.MedianAbs(m => m.LengthError))} % (filopodia/truth_comparison.md)."));
    }

    private static byte[] RenderPng(FilopodiaResult r)
    {
        var (w, h, rgb) = FilopodiaOutputs.Render(r);
        return Png.EncodeRgb(w, h, rgb);
    }

    /// <summary>Evaluation against the exact labels: voxel scores, the paper's protocol, objects, image decoder, per-slice plot.</summary>
    private static void EvaluationSection(HtmlReport report, EvaluationResult e)
    {
        report.Section("Evaluation against the exact labels");
        report.Paragraph(e.Methods[0].AllMembranes is not null
            ? "Membrane voxels of the network against the simulator's exact labels, next to two classical baselines (Otsu and adaptive thresholding of the tomogram with the same post-processing), on the membranes an x–y slice can show: face-on membranes in the missing wedge (the simulation's ignore.mrc) are left out of the scores (all-membrane F1 in the last column). Tolerant scores accept a voxel within 1 voxel in 3D (6 face neighbours; membranes are 1–3 voxels thick)."
            : "Membrane voxels of the network against the simulator's exact labels, next to two classical baselines (Otsu and adaptive thresholding of the tomogram with the same post-processing). Tolerant scores accept a voxel within 1 voxel in 3D (6 face neighbours; membranes are 1–3 voxels thick).");
        report.Table(new[] { "method", "precision %", "recall %", "F1 = Dice %", "IoU %", "precision ±1 %", "recall ±1 %", "F1 ±1 %", "FP ±1 (% of truth)", "thickness (× true)", "all-membrane F1 ±1 %" },
            e.Methods.Select(m => (IReadOnlyList<string>)new[]
            {
                m.Name, Pc(m.Voxels.Exact.Precision), Pc(m.Voxels.Exact.Recall), Pc(m.Voxels.Exact.F1), Pc(m.Voxels.Exact.IoU),
                Pc(m.Voxels.Tolerant.Precision), Pc(m.Voxels.Tolerant.Recall), Pc(m.Voxels.Tolerant.F1), F(m.Voxels.Tolerant.FalsePositivePercentOfTruth),
                F(m.ThicknessRatio, "0.00"), m.AllMembranes is { } a ? Pc(a.Tolerant.F1) : "–",
            }), "Voxel scores");
        var paperRows = e.Methods.Select(m =>
        {
            var (tp, fn, fp) = m.Voxels.PaperExact;
            var (a, b, c) = m.Voxels.PaperTolerant;
            return (IReadOnlyList<string>)new[] { m.Name, tp.Format(), fn.Format(), fp.Format(), a.Format(), b.Format(), c.Format() };
        }).Append(new[] { "Deep-SXT paper (real data, expert-corrected)", "69.8", "27.7", "1.3", "", "", "" });
        report.Table(new[] { "method", "TP %", "FN %", "FP %", "TP ±1 %", "FN ±1 %", "FP ±1 %" }, paperRows,
            "The paper's protocol: per slice, true positives, false negatives and false positives as % of all labelled pixels (mean ± SD over slices)");
        if (e.Methods.Any(m => m.Objects is not null))
            report.Table(new[] { "method", "true objects", "predicted", "matched (IoU > 0.5)", "matched (IoU > 0.5 within ±1 voxel)", "split", "merged", "missed", "spurious" },
                e.Methods.Where(m => m.Objects is not null).Select(m => (IReadOnlyList<string>)new[]
                {
                    m.Name, m.Objects!.TruthObjects.ToString(CultureInfo.InvariantCulture), m.Objects.PredictedObjects.ToString(CultureInfo.InvariantCulture),
                    m.Objects.Matched.ToString(CultureInfo.InvariantCulture), m.Objects.MatchedTolerant.ToString(CultureInfo.InvariantCulture), m.Objects.Split.ToString(CultureInfo.InvariantCulture),
                    m.Objects.Merged.ToString(CultureInfo.InvariantCulture), m.Objects.Missed.ToString(CultureInfo.InvariantCulture), m.Objects.Spurious.ToString(CultureInfo.InvariantCulture),
                }), "Membrane objects (3D connected components)");
        if (e.Methods.Any(m => m.Organelles is not null))
            report.KeyValues(e.Methods.Where(m => m.Organelles is not null).Select(m => (m.Name + ": organelles traced",
                string.Create(CultureInfo.InvariantCulture, $"{m.Organelles!.Recovered} of {m.Organelles.Instances} ({100 * m.Organelles.Fraction:0.0} %)"))).ToArray(),
                "Organelles traced: simulation instances with ≥ 50 % of their visible membrane within ±1 voxel of the labels (a recall: labels everywhere trace every organelle; read it with the precision above)");
        if (e.Methods[0].Structures is { Count: > 0 } structures)
        {
            long all = structures.Sum(s => s.Visible);
            var withRows = e.Methods.Where(m => m.Structures is not null).ToArray();
            report.Table(new[] { "structure", "share of the visible membrane %" }.Concat(withRows.Select(m => m.Name + ": recall ±1 %")).ToArray(),
                structures.Select(s => (IReadOnlyList<string>)new[] { s.Class, Pc((double)s.Visible / all) }
                    .Concat(withRows.Select(m => m.Structures!.FirstOrDefault(x => x.Class == s.Class) is { } row ? Pc(row.Recall) : "–")).ToArray()),
                "Recall by structure: each visible membrane voxel counted for the smallest simulated object around it (docs/evaluation.md)");
        }
        if (e.ImageDecoder is { } im)
            report.KeyValues(new[] { ("image decoder SSIM", F(im.Ssim, "0.000")), ("image decoder: pixels within one std", Pc(im.WithinOneStd) + " %"), ("tiles", im.Tiles.ToString(CultureInfo.InvariantCulture)) },
                "The image decoder (reconstruction of the input, trained on unannotated slices)");
        report.Image(EvaluationRun.PerSlicePlot(e.Methods), "Per-slice scores", 1000);
    }

    /// <summary>Run parameters and provenance.</summary>
    private static void RunParameters(HtmlReport report, Inputs r)
    {
        report.Section("Run parameters and provenance");
        var o = r.Options.Segment;
        report.KeyValues(new (string, string)[]
        {
            ("tile / overlap / batch", $"{o.Tiles.TileSize} / {o.Tiles.Overlap} / {o.Tiles.BatchSize}"),
            ("blending", o.Tiles.Blend.ToString()), ("test-time augmentation", o.Tiles.Augmentations.ToString(CultureInfo.InvariantCulture)),
            ("axis fusion", o.FuseAxes ? "x–y, x–z, y–z" : "x–y only"), ("threshold", F(o.Threshold ?? 0.5, "0.00")),
            ("z-smoothing", o.ZSmoothing.ToString(CultureInfo.InvariantCulture)), ("min object (voxels)", o.MinObjectVoxels.ToString(CultureInfo.InvariantCulture)),
            ("erosion", o.ErosionSteps.ToString(CultureInfo.InvariantCulture)), ("border crop", o.CropBorder.ToString(CultureInfo.InvariantCulture)),
            ("cell mask", o.CellMask ? "on" : "off"), ("workers", r.Options.Workers.ToString(CultureInfo.InvariantCulture)),
        }, "Segmentation settings");
        report.Paragraph("Every output file carries its provenance (tool version, model id, parameters): MRC labels, TIFF descriptions, mesh comments and the JSON sidecars (segment.json, measure.json, evaluation.json, ...) in the subfolders simulation/, segmentation/, measurements/, meshes/ and evaluation/; the CSV tables have plain headers and keep theirs in the JSON beside them.");
        string sidecar = Path.Combine(Path.GetDirectoryName(r.LabelsPath)!, SegmentationFiles.Sidecar);
        if (File.Exists(sidecar)) report.Code(File.ReadAllText(sidecar));
    }

    /// <summary>
    /// Up to <paramref name="count"/> slices to show: spread evenly over the slices that hold labels
    /// (predicted, or true ones for a simulation) at no less than a quarter of the busiest slice's
    /// count, so that no picture is empty ice above or below the cell; evenly over the whole volume
    /// when nothing is labelled.
    /// </summary>
    internal static int[] OverlaySlices(IVolumeReader labels, IVolumeReader? truth, int count)
    {
        int nz = labels.Info.Nz;
        var counts = new long[nz];
        var buf = new byte[labels.Info.SliceLength];
        for (int z = 0; z < nz; z++)
        {
            labels.ReadSlice<byte>(z, buf);
            foreach (byte b in buf) if (b != 0) counts[z]++;
            if (truth is not null)
            {
                truth.ReadSlice<byte>(z, buf);
                foreach (byte b in buf) if (b != 0) counts[z]++;
            }
        }
        return Segmenter.ChooseSlices(counts, count);
    }

    /// <summary>Grey slice with truth (green), prediction (red) and both (yellow), or prediction only.</summary>
    private static byte[] Compare(byte[] gray, byte[] pred, byte[]? truth)
    {
        var rgb = new byte[gray.Length * 3];
        for (int i = 0; i < gray.Length; i++)
        {
            bool p = pred[i] != 0, t = truth is not null && truth[i] != 0;
            byte g = gray[i];
            (byte R, byte G, byte B) c = (p, t) switch
            {
                (true, true) => ((byte)(0.35 * g + 165), (byte)(0.35 * g + 165), (byte)(0.35 * g)),
                (true, false) => ((byte)(0.35 * g + 165), (byte)(0.35 * g), (byte)(0.35 * g)),
                (false, true) => ((byte)(0.35 * g), (byte)(0.35 * g + 150), (byte)(0.35 * g)),
                _ => (g, g, g),
            };
            rgb[3 * i] = c.R; rgb[3 * i + 1] = c.G; rgb[3 * i + 2] = c.B;
        }
        return rgb;
    }

    /// <summary>Two RGB images of the same size side by side with a white gap, as PNG.</summary>
    private static byte[] SideBySide(int w, int h, byte[] a, byte[] b)
    {
        const int gap = 6;
        return Png.EncodeRgb(SliceRenderer.SideBySideWidth(w, gap, 2), h, SliceRenderer.SideBySide(w, h, gap, a, b));
    }
}
