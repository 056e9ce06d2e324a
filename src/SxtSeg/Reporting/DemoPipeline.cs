using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Reporting;

/// <summary>Settings of the one-command pipeline (<c>sxtseg demo</c>).</summary>
public sealed record DemoOptions
{
    /// <summary>Output folder.</summary>
    public required string OutputFolder { get; init; }
    /// <summary>The user's tomogram; null simulates one (and evaluates against its exact truth).</summary>
    public string? Input { get; init; }
    /// <summary>Model file.</summary>
    public required string Model { get; init; }
    /// <summary>Instrument profile of the simulated tomogram.</summary>
    public string Profile { get; init; } = "bessy-u41";
    /// <summary>Size of the simulated tomogram (x, y, z voxels).</summary>
    public (int Nx, int Ny, int Nz) Size { get; init; } = (320, 320, 80);
    /// <summary>Seed of the simulation.</summary>
    public long Seed { get; init; } = 7;
    /// <summary>Network workers.</summary>
    public int Workers { get; init; } = SegmentationModel.DefaultWorkers;
    /// <summary>Segmentation settings (post-processing included).</summary>
    public SegmentOptions Segment { get; init; } = new() { MinObjectVoxels = 30 };
    /// <summary>Objects smaller than this volume (nm³) are not measured or rendered.</summary>
    public double MinObjectVolumeNm3 { get; init; } = 2e5;
    /// <summary>Voxel size to use instead of the input's (nm).</summary>
    public VoxelSize? VoxelSize { get; init; }
}

/// <summary>What the pipeline produced.</summary>
public sealed record DemoResult(string Report, IReadOnlyDictionary<string, double> Timings, EvaluationResult? Evaluation, int Objects);

/// <summary>
/// Simulate (or take the user's tomogram) → segment with the network → objects (closing, hole
/// filling, components) → surfaces and renders → measurements → evaluation against the exact truth
/// (simulations only, with threshold baselines) → one self-contained HTML report. Each stage writes
/// its own subfolder with the same files the single commands write.
/// </summary>
public static class DemoPipeline
{
    /// <summary>Runs everything; <paramref name="log"/> receives one line per finished stage.</summary>
    public static DemoResult Run(DemoOptions o, IProgress<ProgressUpdate>? progress = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        var timings = new Dictionary<string, double>();
        var total = Stopwatch.StartNew();
        var sw = Stopwatch.StartNew();
        void Done(string stage, string message)
        {
            timings[stage] = sw.Elapsed.TotalSeconds;
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{stage}: {message} ({sw.Elapsed.TotalSeconds:0.0} s)"));
            sw.Restart();
        }
        if (!File.Exists(o.Model)) throw new InvalidOptionException("--model", $"model file {o.Model} not found");
        using var root = OutputFolder.Create(o.OutputFolder)
            .Owns("report.html", "demo.json", "simulation/*", "segmentation/*", "measurements/*", "meshes/*", "evaluation/*");
        string Sub(string name) => Path.Combine(root.StagingPath, name);
        // Every stage reads and writes in the staging folder; provenance names the final paths.
        Provenance Prov(string command) => new Provenance(command).Relocate(root.StagingPath, root.Path);

        // 1. The tomogram.
        string tomogram;
        SimulationReport? sim = null;
        if (o.Input is null)
        {
            var p = SimulationParameters.FromProfile(o.Profile) with { Nx = o.Size.Nx, Ny = o.Size.Ny, Nz = o.Size.Nz, Seed = o.Seed };
            using var folder = OutputFolder.Create(Sub("simulation"));
            sim = Simulator.SimulateToFolder(p, folder, Prov("simulate").Set("profile", o.Profile).Set("seed", o.Seed), progress, cancel);
            folder.Commit();
            tomogram = Path.Combine(Sub("simulation"), "tomogram.mrc");
            Done("simulate", $"{o.Size.Nx}×{o.Size.Ny}×{o.Size.Nz} {o.Profile} tomogram, seed {o.Seed}, {sim.Objects.Count} objects");
        }
        else tomogram = o.Input;

        // 2. Segmentation.
        string segFolder = Sub("segmentation");
        SegmentationSummary seg;
        string modelId;
        using (var model = SegmentationModel.Load(o.Model, o.Workers, new InferenceOptions()))
        {
            modelId = model.Id;
            var prov = Prov("segment").AddInput(tomogram);
            prov.ModelId = model.Id;
            seg = Segmenter.Run(tomogram, segFolder, model, o.Segment with { VoxelSize = o.VoxelSize ?? o.Segment.VoxelSize }, prov, progress, w => log?.Invoke("warning: " + w), cancel);
        }
        Done("segment", string.Create(CultureInfo.InvariantCulture, $"{seg.LabelledVoxels:N0} membrane voxels, {seg.MegapixelsPerSecond:0.00} Mpx/s"));
        string labels = Path.Combine(segFolder, SegmentationFiles.LabelsMrc);

        // 3. Objects: membranes closed and filled into organelle volumes slice by slice (face-on tops and
        // bottoms are not traced, so a 3D fill would leak), then measured and rendered.
        var objectOptions = new LabelSourceOptions
        {
            NonZero = true, Close = 1, FillHoles = "2d", MinVolumeNm3 = o.MinObjectVolumeNm3, VoxelSize = o.VoxelSize,
        };
        MeasurementResult measured;
        var renders = new List<(byte[] Png, string Caption)>();
        // Objects cut by the field of view (the filled cell body, organelles at the edge) are left
        // out of Table S1, as of the renders: the table describes whole objects only.
        var measureOptions = new MeasureRunOptions { Measure = new MeasureOptions { ExcludeBorder = true }, Title = "Segmented objects", Slices = false };
        // How the objects were made is recorded once and derived into each stage's provenance.
        var objectsProv = WithModel(Prov("objects"), modelId);
        using (var opened = LabelSource.Open(labels, objectOptions, objectsProv, progress, requireVoxelSize: true))
        {
            var measureProv = measureOptions.Record(objectsProv.Derive("measure"));
            using (var mf = OutputFolder.Create(Sub("measurements")))
            {
                measured = MeasureRun.Run(opened.Labels, opened.Description, mf, measureOptions, measureProv, progress, cancel).Measured;
                mf.Commit();
            }
            Done("measure", $"{measured.Objects.Count} objects measured, {measured.ExcludedByBorder} cut by the field of view left out ({opened.Description})");

            var meshOptions = new MeshRunOptions { Format = MeshFormat.Ply, Smoothing = 10 };
            var meshProv = meshOptions.Record(objectsProv.Derive("mesh"));
            MeshSet meshes;
            using (var meshFolder = OutputFolder.Create(Sub("meshes")))
            {
                meshes = MeshRun.Run(opened.Labels, meshFolder, meshOptions, meshProv, progress, cancel).Meshes;
                meshFolder.Commit();
            }
            // The same objects as Table S1: those cut by the field of view are left out.
            var info = opened.Labels.Info;
            var whole = measured.Objects.Select(x => x.ObjectId).ToHashSet();
            var items = meshes.Objects.Where(m => whole.Contains(m.SourceId) && !opened.Labels.Bounds[(int)m.SourceId - 1].TouchesBorder(info.Nx, info.Ny, info.Nz))
                .Select(m => RenderItem.FromMesh(m, 1)).ToList();
            foreach (var (view, caption) in new[] { (new ViewAngle(30, 35), "surfaces, oblique view"), (new ViewAngle(0, 90), "surfaces seen from above (along z)") })
            {
                if (items.Count == 0) break;
                var (w, h, rgb) = MeshRenderer.Render(items, new RenderOptions { Width = 900, Height = 700, Views = new[] { view } });
                byte[] png = Png.EncodeRgb(w, h, rgb);
                renders.Add((png, $"{caption}: the {items.Count} objects of Table S1, one colour each"));
            }
            for (int i = 0; i < renders.Count; i++)
                AtomicFile.WriteAllBytes(Path.Combine(Sub("meshes"), $"render-{i + 1}.png"), renders[i].Png);
            Done("surfaces", string.Create(CultureInfo.InvariantCulture, $"{meshes.Objects.Count} surfaces, {meshes.TriangleCount:N0} triangles"));
        }

        // 4. Evaluation against the exact truth (simulations only).
        EvaluationResult? evaluation = null;
        IReadOnlyList<TruthMatch>? truthMatches = null;
        if (sim is not null)
        {
            string truthPath = Path.Combine(Sub("simulation"), "membranes.mrc");
            var request = new EvaluationRequest
            {
                Prediction = labels, Truth = truthPath, Tomogram = tomogram, Model = o.Model,
                Tolerance = 1, PostProcessing = o.Segment,
                // Scored on the membranes a slice can show (the simulation's ignore.mrc), all membranes beside
                Ignore = EvaluationRequest.FindIgnore(truthPath, null, false),
            };
            var evalProv = Prov("evaluate");
            evalProv.ModelId = modelId;
            evaluation = EvaluationRun.Run(request, Sub("evaluation"), evalProv, progress, cancel);
            // The measurement stage checked on the simulation's own instances (analytic truth).
            var truthProv = Prov("measure-truth");
            using var inst = LabelSource.Open(Path.Combine(Sub("simulation"), "instances.mrc"), new LabelSourceOptions { Instances = true }, truthProv, progress, true);
            var truthMeasured = ObjectMeasurer.Measure(inst.Labels, new MeasureOptions(), null, progress: progress);
            truthMatches = TruthComparison.Match(TruthComparison.Read(Path.Combine(Sub("simulation"), "truth.json")), truthMeasured);
            var scored = evaluation.Methods[0];
            string scoreText = scored.AllMembranes is { } allMembranes
                ? string.Create(CultureInfo.InvariantCulture, $"visible-membrane F1 (±1 voxel) {scored.Voxels.Tolerant.F1:0.000}, all membranes {allMembranes.Tolerant.F1:0.000}")
                : string.Create(CultureInfo.InvariantCulture, $"membrane F1 (±1 voxel) {scored.Voxels.Tolerant.F1:0.000}");
            Done("evaluate", scoreText);
        }

        // 5. The report.
        var report = DemoReport.Build(new DemoReport.Inputs
        {
            Options = o, Tomogram = tomogram, Simulation = sim, Segmentation = seg, ModelId = modelId, LabelsPath = labels,
            TruthPath = sim is null ? null : Path.Combine(Sub("simulation"), "membranes.mrc"),
            Measured = measured, Renders = renders, Evaluation = evaluation, TruthMatches = truthMatches, Timings = timings,
            TotalSeconds = total.Elapsed.TotalSeconds,
        });
        report.Save(Path.Combine(root.StagingPath, "report.html"));
        Done("report", "report.html");
        var json = new JsonObject
        {
            ["provenance"] = WithModel(Prov("demo"), modelId).Set("seed", o.Seed).Set("profile", o.Profile).ToJsonObject(),
            ["timings_s"] = new JsonObject(timings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        AtomicFile.WriteAllText(Path.Combine(root.StagingPath, "demo.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        root.Commit();
        return new DemoResult(Path.Combine(root.Path, "report.html"), timings, evaluation, measured.Objects.Count);
    }

    private static Provenance WithModel(Provenance p, string modelId)
    {
        p.ModelId = modelId;
        return p;
    }
}
