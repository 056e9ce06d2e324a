using SxtSeg.Network;
using SxtSeg.Reporting;
using SxtSeg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SxtSeg.Tests.Reporting;

/// <summary>The whole pipeline on a small simulated tomogram with a tiny untrained network; the report is checked in Chromium.</summary>
[Collection(TorchCollection.Name)]
public sealed class DemoPipelineTests
{
    private readonly ITestOutputHelper _out;

    public DemoPipelineTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void DemoWritesEveryStageAndAReportThatShowsAllItsImages()
    {
        using var dir = new TempDir();
        using (var net = DeepSxtNet.Create(2, 5))
            ModelFile.Save(dir.File("tiny.sxtmodel"), net, new ModelCard(2) { VoxelSizeNm = 9.8 });
        // When
        var lines = new List<string>();
        var result = DemoPipeline.Run(new DemoOptions
        {
            OutputFolder = dir.File("demo"), Model = dir.File("tiny.sxtmodel"), Size = (96, 96, 24), Seed = 3, Workers = 1,
            MinObjectVolumeNm3 = 1e4,
        }, log: lines.Add);
        foreach (var l in lines) _out.WriteLine(l);
        // Then every stage wrote its files
        foreach (string f in new[] { "report.html", "demo.json", "simulation/tomogram.mrc", "simulation/truth.json", "segmentation/labels.tif",
                     "segmentation/segment.json", "measurements/objects.csv", "measurements/summary.csv", "meshes/surfaces.ply",
                     "evaluation/evaluation.json", "evaluation/per-slice.png" })
            Assert.True(File.Exists(Path.Combine(dir.File("demo"), f)), f);
        Assert.NotNull(result.Evaluation);
        Assert.Equal(3, result.Evaluation!.Methods.Count);
        string html = File.ReadAllText(result.Report);
        foreach (string section in new[] { "Slices with membrane labels", "3D surfaces", "Measurements (Table S1 layout)", "Evaluation against the exact labels", "Run parameters and provenance" })
            Assert.Contains(section, html);
        Assert.DoesNotContain("http://", html);
        // and the browser shows every image on a page that is not blank
        if (Chromium.Executable is null)
        {
            Assert.False(Chromium.Required, "chromium is required (SXTSEG_REQUIRE_CHROMIUM=1) but not installed");
            _out.WriteLine("chromium not installed: browser check not run");
            return;
        }
        var (loaded, total) = Chromium.LoadedImages(result.Report, dir.Path);
        Assert.True(total >= 6, $"only {total} images in the report");
        Assert.Equal(total, loaded);
        double ink = Chromium.InkFraction(Chromium.Screenshot(result.Report, dir.Path, 1280, 3000));
        Assert.True(ink > 0.05, $"report looks blank ({ink:P1} ink)");
    }
}
