using SxtSeg.Network;
using SxtSeg.Tests.Reporting;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// A test that needs headless Chromium: reported as skipped (not passed) where it is not installed,
/// and run (so failing without it) where SXTSEG_REQUIRE_CHROMIUM=1, as in CI.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the browser is missing and not required.</summary>
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null && !Chromium.Required)
            Skip = "chromium is not installed (apt-get install chromium); CI installs it and requires it (SXTSEG_REQUIRE_CHROMIUM=1)";
    }
}

/// <summary>A test of the no-GPU error path: reported as skipped on a machine with a CUDA device.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when CUDA is available.</summary>
    public NoCudaFactAttribute()
    {
        if (TorchRuntime.CudaAvailable) Skip = "a CUDA device is present: the error for a missing GPU cannot be tested here";
    }
}

/// <summary>
/// A test that sends SIGINT to a child process: reported as skipped when this process ignores SIGINT
/// (the tests were started as a background job of a non-interactive shell, <c>cmd &amp;</c>, which sets
/// SIGINT to "ignore" for the job and its children, so the child never sees the signal).
/// </summary>
public sealed class FactUnlessSigintIgnoredAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when SIGINT is ignored (bit 2 of SigIgn in /proc/self/status).</summary>
    public FactUnlessSigintIgnoredAttribute()
    {
        if (SigintIgnored()) Skip = "SIGINT is ignored by this process (started as a background job of a non-interactive shell), so a child cannot receive it";
    }

    /// <summary>True when /proc/self/status says SIGINT (signal 2) is ignored.</summary>
    public static bool SigintIgnored()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status")) return false;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal)
                && ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out ulong mask))
                return (mask & (1UL << 1)) != 0;
        return false;
    }
}

/// <summary>A test of Linux behaviour (processes in /proc, case-sensitive names): reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> off Linux.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (/proc and case-sensitive file names)";
    }
}

/// <summary>
/// A test of the C heap setting (<see cref="NativeHeap"/>): reported as skipped off Linux and where the
/// environment leaves glibc's malloc to the user (SXTSEG_NATIVE_HEAP=system, MALLOC_*_ or GLIBC_TUNABLES).
/// </summary>
public sealed class GlibcHeapFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> where the setting is not applied.</summary>
    public GlibcHeapFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux with glibc (mallopt, getrusage per thread)";
        else if (NativeHeap.LeftAloneBecause(Environment.GetEnvironmentVariable) is { } why) Skip = $"the C heap is left to the environment here ({why})";
    }
}
