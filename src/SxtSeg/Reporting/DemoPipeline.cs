using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Measurement;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Simulation;
using SxtSeg.Surfaces;

namespace SxtSeg.Reporting;

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
        var total = Stopwatch.StartNew();
        if (!File.Exists(o.Model)) throw new InvalidOptionException(nameof(DemoOptions.Model), $"model file {o.Model} not found");
        if (o.FilopodiumModel is { } fm && !File.Exists(fm)) throw new InvalidOptionException(nameof(DemoOptions.FilopodiumModel), $"model file {fm} not found");
        using var root = OutputFolder.Create(o.OutputFolder)
            .Owns("report.html", "demo.json", "simulation/*", "segmentation/*", "measurements/*", "meshes/*", "evaluation/*", "filopodia/*", "filopodia/filopodium-segmentation/*");
        var run = new Stages(o, root, progress, log, cancel);

        var (tomogram, sim) = Tomogram(run);
        var (seg, modelId) = Segment(run, tomogram);
        string labels = Path.Combine(run.Sub("segmentation"), SegmentationFiles.LabelsMrc);
        var (measured, renders) = ObjectsMeasuredAndRendered(run, labels, modelId);
        var (evaluation, truthMatches) = sim is null ? (null, null) : Evaluate(run, tomogram, labels, modelId);
        var (filopodia, filopodiumModelId) = o.FilopodiumModel is null ? (null, null) : Filopodia(run, tomogram, labels, modelId, sim is not null);
        WriteReport(run, new DemoReport.Inputs
        {
            Options = o, Tomogram = tomogram, Simulation = sim, Segmentation = seg, ModelId = modelId, LabelsPath = labels,
            TruthPath = sim is null ? null : Path.Combine(run.Sub("simulation"), "membranes.mrc"),
            Measured = measured, Renders = renders, Evaluation = evaluation, TruthMatches = truthMatches, Filopodia = filopodia, Timings = run.Timings,
            TotalSeconds = total.Elapsed.TotalSeconds,
        }, modelId, filopodiumModelId);
        root.Commit();
        return new DemoResult(Path.Combine(root.Path, "report.html"), run.Timings, evaluation, measured.Objects.Count);
    }

    /// <summary>What the stages of one run share: its settings, staging folder, stage clock and sinks.</summary>
    private sealed class Stages(DemoOptions options, OutputFolder root, IProgress<ProgressUpdate>? progress, Action<string>? log, CancellationToken cancel)
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();

        public DemoOptions O { get; } = options;
        public OutputFolder Root { get; } = root;
        public IProgress<ProgressUpdate>? Progress { get; } = progress;
        public Action<string>? Log { get; } = log;
        public CancellationToken Cancel { get; } = cancel;
        public Dictionary<string, double> Timings { get; } = new();

        /// <summary>A stage's subfolder in the staging folder.</summary>
        public string Sub(string name) => Path.Combine(Root.StagingPath, name);

        /// <summary>Every stage reads and writes in the staging folder; provenance names the final paths.</summary>
        public Provenance Prov(string command) => new Provenance(command).Relocate(Root.StagingPath, Root.Path);

        /// <summary>Records the stage's time, logs one line and restarts the stage clock.</summary>
        public void Done(string stage, string message)
        {
            Timings[stage] = _sw.Elapsed.TotalSeconds;
            Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{stage}: {message} ({_sw.Elapsed.TotalSeconds:0.0} s)"));
            _sw.Restart();
        }
    }

    /// <summary>1. The tomogram: the user's, or a simulated one (with its truth).</summary>
    private static (string Tomogram, SimulationReport? Simulation) Tomogram(Stages run)
    {
        var o = run.O;
        if (o.Input is not null) return (o.Input, null);
        var p = SimulationParameters.FromProfile(o.Profile) with { Nx = o.Size.Nx, Ny = o.Size.Ny, Nz = o.Size.Nz, Seed = o.Seed };
        using var folder = OutputFolder.Create(run.Sub("simulation"));
        var sim = Simulator.SimulateToFolder(p, folder, run.Prov("simulate").Set("profile", o.Profile).Set("seed", o.Seed), run.Progress, run.Cancel);
        folder.Commit();
        run.Done("simulate", $"{o.Size.Nx}×{o.Size.Ny}×{o.Size.Nz} {o.Profile} tomogram, seed {o.Seed}, {sim.Objects.Count} objects");
        return (Path.Combine(run.Sub("simulation"), "tomogram.mrc"), sim);
    }

    /// <summary>2. Segmentation with the network.</summary>
    private static (SegmentationSummary Summary, string ModelId) Segment(Stages run, string tomogram)
    {
        var o = run.O;
        SegmentationSummary seg;
        string modelId;
        using (var model = SegmentationModel.Load(o.Model, o.Workers, new InferenceOptions()))
        {
            modelId = model.Id;
            var prov = run.Prov("segment").AddInput(tomogram);
            prov.ModelId = model.Id;
            seg = Segmenter.Run(tomogram, run.Sub("segmentation"), model, o.Segment with { VoxelSize = o.VoxelSize ?? o.Segment.VoxelSize }, prov, run.Progress,
                w => run.Log?.Invoke("warning: " + w), run.Cancel);
        }
        run.Done("segment", string.Create(CultureInfo.InvariantCulture, $"{seg.LabelledVoxels:N0} membrane voxels, {seg.MegapixelsPerSecond:0.00} Mpx/s"));
        return (seg, modelId);
    }

    /// <summary>
    /// 3. Objects: membranes closed and filled into organelle volumes slice by slice (face-on tops and
    /// bottoms are not traced, so a 3D fill would leak), then measured, meshed and rendered.
    /// </summary>
    private static (MeasurementResult Measured, List<(byte[] Png, string Caption)> Renders) ObjectsMeasuredAndRendered(Stages run, string labels, string modelId)
    {
        var objectOptions = new LabelSourceOptions
        {
            NonZero = true, Close = 1, FillHoles = "2d", MinVolumeNm3 = run.O.MinObjectVolumeNm3, VoxelSize = run.O.VoxelSize,
        };
        // How the objects were made is recorded once and derived into each stage's provenance.
        var objectsProv = WithModel(run.Prov("objects"), modelId);
        using var opened = LabelSource.Open(labels, objectOptions, objectsProv, run.Progress, requireVoxelSize: true);
        foreach (string w in opened.Warnings) run.Log?.Invoke("warning: " + w);
        var measured = Measure(run, opened, objectsProv);
        var renders = MeshAndRender(run, opened, objectsProv, measured);
        return (measured, renders);
    }

    /// <summary>Table S1 of the objects (measure's files).</summary>
    private static MeasurementResult Measure(Stages run, OpenedLabels opened, Provenance objectsProv)
    {
        // Objects cut by the field of view (the filled cell body, organelles at the edge) are left
        // out of Table S1, as of the renders: the table describes whole objects only.
        var measureOptions = new MeasureRunOptions { Measure = new MeasureOptions { ExcludeBorder = true }, Title = "Segmented objects", Slices = false };
        var measureProv = measureOptions.Record(objectsProv.Derive("measure"));
        MeasurementResult measured;
        using (var mf = OutputFolder.Create(run.Sub("measurements")))
        {
            measured = MeasureRun.Run(opened.Labels, opened.Description, mf, measureOptions, measureProv, run.Progress, run.Cancel, opened.RemovedBySize).Measured;
            mf.Commit();
        }
        run.Done("measure", $"{measured.Objects.Count} objects measured, {measured.ExcludedByBorder} cut by the field of view left out ({opened.Description})");
        return measured;
    }

    /// <summary>Surfaces of the objects (mesh's files) and two renders of those in Table S1.</summary>
    private static List<(byte[] Png, string Caption)> MeshAndRender(Stages run, OpenedLabels opened, Provenance objectsProv, MeasurementResult measured)
    {
        var meshOptions = new MeshRunOptions { Format = MeshFormat.Ply, Smoothing = 10 };
        var meshProv = meshOptions.Record(objectsProv.Derive("mesh"));
        MeshSet meshes;
        using (var meshFolder = OutputFolder.Create(run.Sub("meshes")))
        {
            meshes = MeshRun.Run(opened.Labels, meshFolder, meshOptions, meshProv, run.Progress, run.Cancel).Meshes;
            meshFolder.Commit();
        }
        // The same objects as Table S1: those cut by the field of view are left out.
        var info = opened.Labels.Info;
        var whole = measured.Objects.Select(x => x.ObjectId).ToHashSet();
        var items = meshes.Objects.Where(m => whole.Contains(m.SourceId) && !opened.Labels.Bounds[(int)m.SourceId - 1].TouchesBorder(info.Nx, info.Ny, info.Nz))
            .Select(m => RenderItem.FromMesh(m, 1)).ToList();
        var renders = new List<(byte[] Png, string Caption)>();
        foreach (var (view, caption) in new[] { (new ViewAngle(30, 35), "surfaces, oblique view"), (new ViewAngle(0, 90), "surfaces seen from above (along z)") })
        {
            if (items.Count == 0) break;
            var (w, h, rgb) = MeshRenderer.Render(items, new RenderOptions { Width = 900, Height = 700, Views = new[] { view } });
            byte[] png = Png.EncodeRgb(w, h, rgb);
            renders.Add((png, $"{caption}: the {items.Count} objects of Table S1, one colour each"));
        }
        for (int i = 0; i < renders.Count; i++)
            AtomicFile.WriteAllBytes(Path.Combine(run.Sub("meshes"), $"render-{i + 1}.png"), renders[i].Png);
        run.Done("surfaces", string.Create(CultureInfo.InvariantCulture, $"{meshes.Objects.Count} surfaces, {meshes.TriangleCount:N0} triangles"));
        return renders;
    }

    /// <summary>4. Evaluation against the exact truth (simulations only), with the measurements checked on the simulation's instances.</summary>
    private static (EvaluationResult? Evaluation, IReadOnlyList<TruthMatch>? TruthMatches) Evaluate(Stages run, string tomogram, string labels, string modelId)
    {
        var o = run.O;
        string truthPath = Path.Combine(run.Sub("simulation"), "membranes.mrc");
        var request = new EvaluationRequest
        {
            Prediction = labels, Truth = truthPath, Tomogram = tomogram, Model = o.Model,
            Tolerance = 1, PostProcessing = o.Segment,
            // Scored on the membranes a slice can show (the simulation's ignore.mrc), all membranes beside
            Ignore = EvaluationRequest.FindIgnore(truthPath, null, false),
        };
        var evalProv = run.Prov("evaluate");
        evalProv.ModelId = modelId;
        var evaluation = EvaluationRun.Run(request, run.Sub("evaluation"), evalProv, run.Progress, run.Cancel);
        // The measurement stage checked on the simulation's own instances (analytic truth).
        var truthProv = run.Prov("measure-truth");
        using var inst = LabelSource.Open(Path.Combine(run.Sub("simulation"), "instances.mrc"), new LabelSourceOptions { Instances = true }, truthProv, run.Progress, true);
        var truthMeasured = ObjectMeasurer.Measure(inst.Labels, new MeasureOptions(), null, progress: run.Progress);
        var truthMatches = TruthComparison.Match(TruthComparison.Read(Path.Combine(run.Sub("simulation"), "truth.json")), truthMeasured);
        var scored = evaluation.Methods[0];
        string scoreText = scored.AllMembranes is { } allMembranes
            ? string.Create(CultureInfo.InvariantCulture, $"visible-membrane F1 (±1 voxel) {scored.Voxels.Tolerant.F1:0.000}, all membranes {allMembranes.Tolerant.F1:0.000}")
            : string.Create(CultureInfo.InvariantCulture, $"membrane F1 (±1 voxel) {scored.Voxels.Tolerant.F1:0.000}");
        run.Done("evaluate", scoreText);
        return (evaluation, truthMatches);
    }

    /// <summary>
    /// 4b. Filopodia (with a filopodium model): found in the tomogram by the model, their bases told by the membrane
    /// labels, measured as Table S1 into <c>filopodia/</c> (the files of <c>sxtseg filopodia</c>), scored against the
    /// simulation's filopodia when the tomogram was simulated.
    /// </summary>
    private static (FilopodiaRunResult Result, string? ModelId) Filopodia(Stages run, string tomogram, string labels, string modelId, bool simulated)
    {
        var o = run.O;
        var request = new FilopodiaRunRequest
        {
            LabelsPath = labels, TomogramPath = tomogram, FilopodiumModelPath = o.FilopodiumModel, VoxelSize = o.VoxelSize,
            TruthFolder = simulated ? run.Sub("simulation") : null,
            Outputs = new FilopodiaOutputOptions { Render = true, DotPlot = true },
        };
        // The membrane labels come from the demo's model (its id, as in every stage); the filopodium model's id is a parameter.
        var prov = WithModel(run.Prov("filopodia"), modelId).AddInput(labels).AddInput(tomogram).AddInput(o.FilopodiumModel!);
        request.Options.Record(prov);
        using var folder = OutputFolder.Create(run.Sub("filopodia"));
        var result = FilopodiaRun.Execute(request, folder, prov, run.Progress, run.Cancel);
        folder.Commit();
        var c = result.Result.Counts;
        string score = result.Accuracy is { } a
            ? string.Create(CultureInfo.InvariantCulture, $"; against the simulation: recall {a.Recall:P0} ({a.Found}/{a.TruthCount}), precision {a.Precision:P0}")
            : "";
        run.Done("filopodia", string.Create(CultureInfo.InvariantCulture, $"{c.Found} filopodia, {c.InSummary} in the summary{score}"));
        return (result, prov.Parameters.GetValueOrDefault("filopodium_model_id"));
    }

    /// <summary>5. The report and demo.json (provenance and stage timings).</summary>
    private static void WriteReport(Stages run, DemoReport.Inputs inputs, string modelId, string? filopodiumModelId)
    {
        var report = DemoReport.Build(inputs);
        report.Save(Path.Combine(run.Root.StagingPath, "report.html"));
        run.Done("report", "report.html");
        // The user's tomogram is an input; a simulation's profile and seed are recorded only when one ran
        var prov = WithModel(run.Prov("demo"), modelId);
        if (run.O.Input is { } input) prov.AddInput(input);
        else prov.Set("seed", run.O.Seed).Set("profile", run.O.Profile);
        if (run.O.FilopodiumModel is { } filoModel) prov.AddInput(filoModel).Set("filopodium_model_id", filopodiumModelId);
        var json = new JsonObject
        {
            ["provenance"] = prov.ToJsonObject(),
            ["timings_s"] = new JsonObject(run.Timings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        AtomicFile.WriteAllText(Path.Combine(run.Root.StagingPath, "demo.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static Provenance WithModel(Provenance p, string modelId)
    {
        p.ModelId = modelId;
        return p;
    }
}
