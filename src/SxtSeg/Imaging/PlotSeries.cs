namespace SxtSeg.Imaging;

/// <summary>One named series of (x, y) points.</summary>
public sealed record PlotSeries(string Name, double[] X, double[] Y);
