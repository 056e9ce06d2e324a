using System.Diagnostics;

namespace SxtSeg.Bench;

/// <summary>Timing helpers: medians of repeated runs, peak resident memory.</summary>
public static class Timing
{
    /// <summary>Runs <paramref name="action"/> <paramref name="repeats"/> times and returns each duration in seconds.</summary>
    public static double[] Repeat(int repeats, Action action)
    {
        var t = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        return t;
    }

    /// <summary>The median of the values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    /// <summary>Peak resident set size of this process in MiB (VmHWM from /proc), or −1 if unknown.</summary>
    public static double PeakRssMiB()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return -1;
    }
}
