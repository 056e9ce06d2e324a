using SxtSeg.Imaging;
using SxtSeg.Reporting;
using SxtSeg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SxtSeg.Tests.Reporting;

public sealed class HtmlReportTests
{
    private readonly ITestOutputHelper _out;

    public HtmlReportTests(ITestOutputHelper output) => _out = output;

    private static HtmlReport Sample(out int images)
    {
        var r = new HtmlReport("SxtSeg report", "test");
        r.Section("Plots").Paragraph("Two plots.")
            .Image(Plots.Lines("loss", "epoch", "loss", new[] { new PlotSeries("train", new double[] { 1, 2, 3 }, new double[] { 3, 2, 1 }) }, 400, 250), "a line plot")
            .Gallery(new[] { (Plots.Histogram("h", "x", new double[] { 1, 2, 2, 3, 3, 3 }, 3, 300, 200), "a histogram") });
        r.Section("Table").Table(new[] { "metric", "value" }, new[] { new[] { "F1", "0.91" }, new[] { "n", "12" } });
        images = r.ImageCount;
        return r;
    }

    [Fact]
    public void ReportIsSelfContained()
    {
        string html = Sample(out int images).Render();
        Assert.Equal(2, images);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Equal(2, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("<td class=\"num\">0.91</td>", html);
    }

    [ChromiumFact]
    public void BrowserShowsEveryImageAndAPageThatIsNotBlank()
    {
        using var dir = new TempDir();
        // Given
        var report = Sample(out int images);
        report.Save(dir.File("report.html"));
        // When
        var (loaded, total) = Chromium.LoadedImages(dir.File("report.html"), dir.Path);
        double ink = Chromium.InkFraction(Chromium.Screenshot(dir.File("report.html"), dir.Path, 1000, 1400));
        // Then
        Assert.Equal((images, images), (loaded, total));
        Assert.True(ink > 0.05, $"page looks blank: only {ink:P1} of pixels differ from the background");
    }

    [ChromiumFact]
    public void BrowserCheckCatchesBrokenImagesAndBlankPages()
    {
        using var dir = new TempDir();
        // Given a page with one valid and one corrupt image, and a blank page
        var good = Plots.Histogram("h", "x", new double[] { 1, 2 }, 2, 200, 150);
        File.WriteAllText(dir.File("broken.html"), new HtmlReport("x").Section("s").Image(good, "ok").Render()
            .Replace("</main>", "<img src=\"data:image/png;base64,AAAABBBB\"></main>"));
        File.WriteAllText(dir.File("blank.html"), "<!DOCTYPE html><html><body></body></html>");
        // Then
        Assert.Equal((1, 2), Chromium.LoadedImages(dir.File("broken.html"), dir.Path));
        Assert.True(Chromium.InkFraction(Chromium.Screenshot(dir.File("blank.html"), dir.Path, 800, 600)) < 0.01);
    }
}
