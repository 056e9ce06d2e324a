using System.Diagnostics;
using System.Text.RegularExpressions;
using SxtSeg.Imaging;

namespace SxtSeg.Tests.Reporting;

/// <summary>Headless Chromium (Debian package "chromium") for checking HTML reports.</summary>
public static partial class Chromium
{
    /// <summary>Path of the browser, or null when it is not installed.</summary>
    public static string? Executable => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// True when the browser must be present (CI sets SXTSEG_REQUIRE_CHROMIUM=1 after installing it);
    /// elsewhere browser tests pass vacuously and say so on the test output.
    /// </summary>
    public static bool Required => Environment.GetEnvironmentVariable("SXTSEG_REQUIRE_CHROMIUM") == "1";

    private static string Run(string html, string mode, string workDir)
    {
        string exe = Executable ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium)");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--user-data-dir=" + Path.Combine(workDir, "chromium-profile"), "--virtual-time-budget=10000" })
            psi.ArgumentList.Add(a);
        foreach (string a in mode.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(new Uri(Path.GetFullPath(html)).AbsoluteUri);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("chromium did not finish in 120 s"); }
        return stdout.Result;
    }

    /// <summary>Loads the page and returns (images loaded, images total) as reported by the page's own check.</summary>
    public static (int Loaded, int Total) LoadedImages(string html, string workDir)
    {
        string dom = Run(html, "--dump-dom", workDir);
        var m = OkAttribute().Match(dom);
        if (!m.Success) throw new InvalidOperationException("the page never reported its images (script did not run?)");
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }

    /// <summary>Screenshots the page and returns the decoded PNG.</summary>
    public static (int Width, int Height, int Channels, byte[] Pixels) Screenshot(string html, string workDir, int width = 1280, int height = 2400)
    {
        string png = Path.Combine(workDir, "screenshot.png");
        Run(html, $"--hide-scrollbars --window-size={width},{height} --screenshot={png}", workDir);
        return Png.Decode(File.ReadAllBytes(png));
    }

    /// <summary>Fraction of pixels that differ clearly from the most common colour (0 for a blank page).</summary>
    public static double InkFraction((int Width, int Height, int Channels, byte[] Pixels) shot)
    {
        var (w, h, ch, px) = shot;
        var counts = new Dictionary<int, int>();
        for (int i = 0; i + ch <= px.Length; i += ch)
        {
            int key = (px[i] >> 3) << 10 | (px[i + 1] >> 3) << 5 | (px[i + 2] >> 3);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        int background = counts.Values.Max();
        return 1 - (double)background / (w * h);
    }

    [GeneratedRegex("data-report-ok=\"(\\d+)/(\\d+)\"")]
    private static partial Regex OkAttribute();
}
