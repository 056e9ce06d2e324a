using System.Globalization;

namespace SxtSeg;

/// <summary>
/// The memory a run may take, checked before large allocations so that an option value or a file
/// header can never make the tool take more than the machine has: the request is refused with a
/// <see cref="ResourceLimitException"/> that states the estimate instead.
/// <para>
/// The budget is the memory available now (Linux <c>MemAvailable</c>, bounded by the runtime's
/// view of physical memory or the container limit), optionally lowered by the environment
/// variable <c>SXTSEG_MEMORY_LIMIT_MB</c>.
/// </para>
/// </summary>
public static class MemoryBudget
{
    private static readonly AsyncLocal<long?> Override = new();

    /// <summary>Bytes the run may use.</summary>
    public static long Available
    {
        get
        {
            if (Override.Value is { } o) return o;
            long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (total <= 0) total = long.MaxValue;
            long avail = Math.Min(total, MemAvailable() ?? total);
            if (Environment.GetEnvironmentVariable("SXTSEG_MEMORY_LIMIT_MB") is { } s
                && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long mb) && mb > 0)
                avail = Math.Min(avail, mb << 20);
            return avail;
        }
    }

    /// <summary>
    /// Throws <see cref="ResourceLimitException"/> when <paramref name="bytes"/> exceed the budget:
    /// "<paramref name="what"/> needs about X GB but Y GB are available; <paramref name="hint"/>".
    /// </summary>
    public static void Require(double bytes, string what, string hint)
    {
        long avail = Available;
        if (!(bytes <= avail))
            throw new ResourceLimitException($"not enough memory: {what} needs about {Size(bytes)} but {Size(avail)} are available; {hint}");
    }

    /// <summary>Sets the budget for the calling flow (tests); dispose to restore.</summary>
    public static IDisposable Limit(long bytes)
    {
        var before = Override.Value;
        Override.Value = bytes;
        return new Restore(before);
    }

    /// <summary>"1.5 GB", "300 MB".</summary>
    public static string Size(double bytes)
        => double.IsFinite(bytes) && bytes < 1e15
            ? bytes >= 1e9 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(bytes, 0) / 1e6:0.#} MB")
            : "more than a PB";

    private static long? MemAvailable()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return null;
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private sealed class Restore(long? before) : IDisposable
    {
        public void Dispose() => Override.Value = before;
    }
}
