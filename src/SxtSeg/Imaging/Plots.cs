namespace SxtSeg.Imaging;

/// <summary>
/// Small plotting helpers on ScottPlot (rendered headless with SkiaSharp) returning PNG bytes, for
/// loss curves, per-slice metrics and histograms in reports.
/// </summary>
public static class Plots
{
    /// <summary>Line plot of one or more series.</summary>
    public static byte[] Lines(string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, int width = 800, int height = 450, bool logY = false)
    {
        var plt = new ScottPlot.Plot();
        foreach (var s in series)
        {
            double[] y = logY ? s.Y.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray() : s.Y;
            var sc = plt.Add.Scatter(s.X, y);
            sc.LegendText = s.Name;
            sc.MarkerSize = s.X.Length > 60 ? 0 : 4;
            sc.LineWidth = 2;
        }
        Style(plt, title, xLabel, logY ? yLabel + " (log10)" : yLabel);
        if (series.Count > 1) plt.ShowLegend();
        return plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Histogram of values in <paramref name="bins"/> equal bins over their range.</summary>
    public static byte[] Histogram(string title, string xLabel, IReadOnlyList<double> values, int bins = 30, int width = 600, int height = 400)
    {
        var plt = new ScottPlot.Plot();
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
        {
            double lo = finite.Min(), hi = finite.Max();
            if (hi <= lo) { lo -= 0.5; hi += 0.5; }
            var counts = new double[bins];
            double w = (hi - lo) / bins;
            foreach (double v in finite) counts[Math.Clamp((int)((v - lo) / w), 0, bins - 1)]++;
            var bars = new List<ScottPlot.Bar>();
            for (int i = 0; i < bins; i++)
                bars.Add(new ScottPlot.Bar { Position = lo + (i + 0.5) * w, Value = counts[i], Size = w * 0.95 });
            plt.Add.Bars(bars);
        }
        Style(plt, title, xLabel, "count");
        return plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    /// <summary>Bar chart with one bar per label.</summary>
    public static byte[] Bars(string title, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values, int width = 600, int height = 400)
    {
        var plt = new ScottPlot.Plot();
        var bars = new List<ScottPlot.Bar>();
        var ticks = new List<ScottPlot.Tick>();
        for (int i = 0; i < labels.Count; i++)
        {
            bars.Add(new ScottPlot.Bar { Position = i, Value = values[i] });
            ticks.Add(new ScottPlot.Tick(i, labels[i]));
        }
        plt.Add.Bars(bars);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        Style(plt, title, "", yLabel);
        return plt.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }

    private static void Style(ScottPlot.Plot plt, string title, string xLabel, string yLabel)
    {
        plt.Title(title);
        plt.XLabel(xLabel);
        plt.YLabel(yLabel);
        plt.Axes.Margins(0.03, 0.08);
    }
}
