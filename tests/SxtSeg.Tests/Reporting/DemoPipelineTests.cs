using SxtSeg.Evaluation;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Network;
using SxtSeg.Reporting;
using SxtSeg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SxtSeg.Tests.Reporting;

/// <summary>The demo run once (small simulated tomogram, the shipped model) for the tests below.</summary>
public sealed class DemoRunFixture : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Runs the demo.</summary>
    public DemoRunFixture()
    {
        // The shipped model, so that the report holds what a user's does: traced membranes, whole objects, renders
        Result = DemoPipeline.Run(new DemoOptions
        {
            OutputFolder = _dir.File("demo"), Model = DefaultModel.Path, Size = (160, 160, 48), Seed = 11, Workers = 1,
            MinObjectVolumeNm3 = 1e4,
            FilopodiumModel = FilopodiumModel.FindDefaultModel() ?? throw new InvalidOperationException("the shipped filopodium model (models/sxtseg-filopodia.sxtmodel) is missing"),
        }, log: Log.Add);
    }

    /// <summary>The demo's result.</summary>
    public DemoResult Result { get; }

    /// <summary>Its log lines.</summary>
    public List<string> Log { get; } = new();

    /// <summary>Scratch folder (the demo is in "demo").</summary>
    public TempDir Dir => _dir;

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();
}

/// <summary>The whole pipeline on a small simulated tomogram with the shipped model; the report is checked in Chromium.</summary>
[Collection(TorchCollection.Name)]
public sealed class DemoPipelineTests : IClassFixture<DemoRunFixture>
{
    private readonly ITestOutputHelper _out;
    private readonly DemoRunFixture _demo;

    public DemoPipelineTests(ITestOutputHelper output, DemoRunFixture demo)
    {
        _out = output;
        _demo = demo;
    }

    [Fact]
    public void DemoWritesEveryStageAndAReportWithEverySection()
    {
        var result = _demo.Result;
        foreach (var l in _demo.Log) _out.WriteLine(l);
        // Then every stage wrote its files
        foreach (string f in new[] { "report.html", "demo.json", "simulation/tomogram.mrc", "simulation/truth.json", "segmentation/labels.tif",
                     "segmentation/segment.json", "measurements/objects.csv", "measurements/summary.csv", "measurements/measure.json", "meshes/meshes.ply", "meshes/mesh.json",
                     "evaluation/evaluation.json", "evaluation/per-slice.png" })
            Assert.True(File.Exists(Path.Combine(_demo.Dir.File("demo"), f)), f);
        Assert.NotNull(result.Evaluation);
        Assert.Equal(3, result.Evaluation!.Methods.Count);
        string html = File.ReadAllText(result.Report);
        foreach (string section in new[] { "Slices with membrane labels", "3D surfaces", "Measurements (Table S1 layout)", "Evaluation against the exact labels", "Run parameters and provenance" })
            Assert.Contains(section, html);
        Assert.DoesNotContain("http://", html);
        // Recall by structure: its rows add up to the voxel scores' tolerant recall (two independent
        // counts of the same visible truth and the same ±1 rule), and the report shows them
        var net = result.Evaluation.Methods[0];
        var rows = Assert.IsAssignableFrom<IReadOnlyList<StructureRecallRow>>(net.Structures);
        Assert.Equal(net.Voxels.Tolerant.Truth, rows.Sum(r => r.Visible));
        Assert.Equal(net.Voxels.Tolerant.TruthNearPrediction, rows.Sum(r => r.Traced));
        Assert.Contains("Recall by structure", html);
        Assert.Contains($"<td>{rows[0].Class}</td>", html);
    }

    [ChromiumFact]
    public void TheBrowserShowsEveryImageOfTheReport()
    {
        var result = _demo.Result;
        var (loaded, total) = Chromium.LoadedImages(result.Report, _demo.Dir.Path);
        Assert.True(total >= 6, $"only {total} images in the report");
        Assert.Equal(total, loaded);
        double ink = Chromium.InkFraction(Chromium.Screenshot(result.Report, _demo.Dir.Path, 1280, 3000));
        Assert.True(ink > 0.05, $"report looks blank ({ink:P1} ink)");
    }

    [Fact]
    public void NoOutputNamesTheStagingFolderItWasBuiltIn()
    {
        // Every file of the demo (JSON sidecars, MRC labels, TIFF descriptions, mesh headers, the report)
        foreach (string f in Directory.GetFiles(_demo.Dir.File("demo"), "*", SearchOption.AllDirectories))
        {
            string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f));
            Assert.False(text.Contains(".partial", StringComparison.Ordinal), $"{f} names a staging path");
        }
        // and the segmentation's sidecar names the tomogram where it now is
        var seg = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_demo.Dir.File("demo/segmentation/segment.json")))!;
        Assert.Equal(_demo.Dir.File("demo/simulation/tomogram.mrc"), (string)seg["tomogram"]!);
        Assert.True(File.Exists((string)seg["tomogram"]!));
    }

    [Fact]
    public void TableS1AndTheRendersLeaveOutTheSameBorderObjects()
    {
        var html = File.ReadAllText(_demo.Result.Report);
        var measure = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_demo.Dir.File("demo/measurements/measure.json")))!;
        int excluded = (int)measure["excluded_touching_border"]!;
        Assert.True((bool)measure["border_objects_excluded"]!);
        // the objects table holds no object touching a face, and the report says how many were left out
        var rows = File.ReadAllLines(_demo.Dir.File("demo/measurements/objects.csv"));
        int col = Array.IndexOf(rows[0].Split(','), "touches_border");
        Assert.All(rows.Skip(1), r => Assert.Equal("0", r.Split(',')[col]));
        Assert.Contains($"{excluded} touching a face of the volume left out (as in the renders)", html);
        Assert.Equal(_demo.Result.Objects, rows.Length - 1);
    }

    [Fact]
    public void TheFilopodiaStageWritesTheTableS1FilesAndItsReportSection()
    {
        // Given the demo run with the shipped filopodium model
        string filo = _demo.Dir.File("demo/filopodia");
        // Then the stage wrote the files of `sxtseg filopodia`, the model's segmentation and the scores against the simulation
        foreach (var f in new[] { "filopodia.csv", "summary.md", "filopodia.json", "truth_comparison.md", "filopodium-segmentation/labels.mrc", "filopodium-segmentation/segment.json" })
            Assert.True(File.Exists(Path.Combine(filo, f)), f);
        // and its outputs name the filopodium model that found them
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(filo, "filopodia.json")))!.ToJsonString();
        Assert.Contains(ModelFile.ReadCard(FilopodiumModel.FindDefaultModel()!).Id, json);
        // and the report has its section and the log its line
        string html = File.ReadAllText(_demo.Result.Report);
        Assert.Contains("Filopodia (Table S1)", html);
        Assert.Contains(_demo.Log, l => l.StartsWith("filopodia: ", StringComparison.Ordinal));
        Assert.True(_demo.Result.Timings.ContainsKey("filopodia"));
    }

    [Fact]
    public void OnTheUsersTomogramDemoJsonNamesItAndNoSimulation()
    {
        // Given the demo run on a tomogram of the user's (here the fixture's simulated one, taken as --input)
        string input = _demo.Dir.File("input.mrc");
        File.Copy(_demo.Dir.File("demo/simulation/tomogram.mrc"), input, overwrite: true);
        DemoPipeline.Run(new DemoOptions
        {
            OutputFolder = _demo.Dir.File("demo-input"), Input = input, Model = DefaultModel.Path, Workers = 1, MinObjectVolumeNm3 = 1e4,
        });
        // Then demo.json's provenance names that tomogram as an input, and no simulation profile or seed (none ran)
        var prov = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_demo.Dir.File("demo-input/demo.json")))!["provenance"]!;
        Assert.Contains(input, prov["inputs"]!.AsArray().Select(n => (string)n!));
        var parameters = prov["parameters"]!.AsObject();
        Assert.False(parameters.ContainsKey("profile"), parameters.ToJsonString());
        Assert.False(parameters.ContainsKey("seed"), parameters.ToJsonString());
        Assert.False(Directory.Exists(_demo.Dir.File("demo-input/simulation")));
    }

    [ReferenceReadersFact("numpy", "mrcfile", "tifffile", "meshio")]
    public void EveryFileOfTheDemoReadsAlikeInThePythonReaders()
    {
        var m = new ReferenceReaders.Manifest(_demo.Dir.File("expected")).Folder(_demo.Dir.File("demo"));
        var (code, output) = m.Check();
        _out.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Contains(_demo.Dir.File("demo/simulation/tomogram.mrc"), m.Paths);
        Assert.Contains(_demo.Dir.File("demo/evaluation/per-slice.csv"), m.Paths);
    }
}
