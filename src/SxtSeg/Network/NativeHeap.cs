using System.Runtime.InteropServices;

namespace SxtSeg.Network;

/// <summary>
/// Keeps the C heap's freed blocks for reuse instead of handing them back to the kernel after every
/// network call. libtorch allocates its activations with the C library's <c>malloc</c>; with glibc's
/// defaults most of those blocks are unmapped or trimmed when freed and mapped again, zero-filled page
/// by page, on the next forward pass: 5–6 million page faults and about a sixth of the CPU time for 40
/// slices of 1324 × 1284 (bench/RESULTS.md). Called by <see cref="LabelPredictor"/>, so by every
/// prediction (segment, calibrate, the benches); not by training, where it measured no faster (the
/// system time saved came back as user time). <see cref="Configure"/> fixes glibc's mmap threshold at
/// <see cref="MmapThresholdBytes"/> and its trim threshold at <see cref="TrimThresholdBytes"/>, so
/// freed activations stay in the heap and are reused: labels are unchanged, peak memory grows by
/// 4–6 %. Linux with glibc only; elsewhere, or when the environment already sets glibc's malloc
/// tunables, or with <c>SXTSEG_NATIVE_HEAP=system</c>, the C library's own behaviour is kept.
/// </summary>
public static class NativeHeap
{
    /// <summary>Blocks at least this large are still mapped on their own (glibc's largest allowed value, 32 MiB).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the top of a heap is returned to the kernel only beyond this (1 GiB).</summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>Environment variable that turns the setting off when it is <c>system</c>.</summary>
    public const string OptOutVariable = "SXTSEG_NATIVE_HEAP";

    // glibc's mallopt parameters (malloc.h).
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    private static readonly Lazy<string> Outcome = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Applies the setting once per process (later calls return the first outcome) and says what was
    /// done: <c>kept</c> (applied), or why the C library's defaults were left alone.
    /// </summary>
    public static string Configure() => Outcome.Value;

    /// <summary>The outcome of <see cref="Configure"/> when it has been called in this process, else null (reading it applies nothing).</summary>
    public static string? State => Outcome.IsValueCreated ? Outcome.Value : null;

    /// <summary>
    /// Why the setting would not be applied in an environment with these variables, or null when it
    /// would: the opt-out, or glibc tunables the user set (<c>MALLOC_*_</c>, <c>GLIBC_TUNABLES</c>
    /// naming <c>glibc.malloc</c>). Pure, for tests.
    /// </summary>
    public static string? LeftAloneBecause(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.Equals(environment(OptOutVariable), "system", StringComparison.OrdinalIgnoreCase))
            return $"{OptOutVariable}=system";
        foreach (string v in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_" })
            if (!string.IsNullOrEmpty(environment(v))) return $"{v} is set";
        if (environment("GLIBC_TUNABLES") is { } t && t.Contains("glibc.malloc", StringComparison.Ordinal))
            return "GLIBC_TUNABLES sets glibc.malloc";
        return null;
    }

    private static string Apply()
    {
        if (!OperatingSystem.IsLinux()) return "system (not Linux)";
        if (LeftAloneBecause(Environment.GetEnvironmentVariable) is { } why) return $"system ({why})";
        try
        {
            // The mmap threshold first: setting either one turns off glibc's dynamic adjustment of both,
            // and a trim threshold alone (mmap threshold left at 128 KiB) maps every activation anew:
            // 4.5× the page faults of the defaults (bench/RESULTS.md).
            if (mallopt(MMmapThreshold, MmapThresholdBytes) != 1) return "system (mallopt refused)";
            if (mallopt(MTrimThreshold, TrimThresholdBytes) != 1) return $"mmap threshold {MmapThresholdBytes >> 20} MiB only (mallopt refused the trim threshold)";
            return $"kept (mmap threshold {MmapThresholdBytes >> 20} MiB, trim threshold {TrimThresholdBytes >> 30} GiB)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "system (no glibc mallopt)";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
