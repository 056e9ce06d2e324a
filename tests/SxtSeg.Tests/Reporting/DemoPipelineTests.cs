using SxtSeg.Network;
using SxtSeg.Reporting;
using SxtSeg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SxtSeg.Tests.Reporting;

/// <summary>The demo run once (small simulated tomogram, tiny untrained network) for the tests below.</summary>
public sealed class DemoRunFixture : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Runs the demo.</summary>
    public DemoRunFixture()
    {
        using (var net = DeepSxtNet.Create(2, 5))
            ModelFile.Save(_dir.File("tiny.sxtmodel"), net, new ModelCard(2) { VoxelSizeNm = 9.8 });
        Result = DemoPipeline.Run(new DemoOptions
        {
            OutputFolder = _dir.File("demo"), Model = _dir.File("tiny.sxtmodel"), Size = (96, 96, 24), Seed = 3, Workers = 1,
            MinObjectVolumeNm3 = 1e4,
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

/// <summary>The whole pipeline on a small simulated tomogram with a tiny untrained network; the report is checked in Chromium.</summary>
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
                     "segmentation/segment.json", "measurements/objects.csv", "measurements/summary.csv", "meshes/surfaces.ply",
                     "evaluation/evaluation.json", "evaluation/per-slice.png" })
            Assert.True(File.Exists(Path.Combine(_demo.Dir.File("demo"), f)), f);
        Assert.NotNull(result.Evaluation);
        Assert.Equal(3, result.Evaluation!.Methods.Count);
        string html = File.ReadAllText(result.Report);
        foreach (string section in new[] { "Slices with membrane labels", "3D surfaces", "Measurements (Table S1 layout)", "Evaluation against the exact labels", "Run parameters and provenance" })
            Assert.Contains(section, html);
        Assert.DoesNotContain("http://", html);
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
}
