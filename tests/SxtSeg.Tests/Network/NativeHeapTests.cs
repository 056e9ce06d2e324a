using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Network;

public class NativeHeapTests
{
    [Fact]
    public void TheUsersOwnMallocSettingsAndTheOptOutAreLeftAlone()
    {
        static string? Env(string name, string value, string asked) => asked == name ? value : null;
        Assert.Null(NativeHeap.LeftAloneBecause(_ => null));
        Assert.Null(NativeHeap.LeftAloneBecause(n => Env("SXTSEG_NATIVE_HEAP", "kept", n)));
        Assert.Equal("SXTSEG_NATIVE_HEAP=system", NativeHeap.LeftAloneBecause(n => Env("SXTSEG_NATIVE_HEAP", "System", n)));
        Assert.Equal("MALLOC_TRIM_THRESHOLD_ is set", NativeHeap.LeftAloneBecause(n => Env("MALLOC_TRIM_THRESHOLD_", "0", n)));
        Assert.Equal("MALLOC_MMAP_THRESHOLD_ is set", NativeHeap.LeftAloneBecause(n => Env("MALLOC_MMAP_THRESHOLD_", "65536", n)));
        Assert.Null(NativeHeap.LeftAloneBecause(n => Env("MALLOC_TRIM_THRESHOLD_", "", n)));
        Assert.Equal("GLIBC_TUNABLES sets glibc.malloc", NativeHeap.LeftAloneBecause(n => Env("GLIBC_TUNABLES", "glibc.pthread.rseq=0:glibc.malloc.arena_max=2", n)));
        Assert.Null(NativeHeap.LeftAloneBecause(n => Env("GLIBC_TUNABLES", "glibc.pthread.rseq=0", n)));
    }

    /// <summary>
    /// What the setting is for: blocks that are freed and asked for again (libtorch's activations, one
    /// forward pass after another) come back without new page faults. Four 4 MiB blocks, freed together,
    /// 20 times over on one thread, after one round that grows the heap: kept, 8 page faults were
    /// counted (Debian 12, glibc 2.36); with glibc's defaults (the setting removed) 8,164, two rounds'
    /// worth of the 4,096 pages, because freed top memory is handed back to the kernel.
    /// </summary>
    [GlibcHeapFact]
    public void FreedBlocksAreReusedWithoutNewPageFaults()
    {
        Assert.StartsWith("kept", NativeHeap.Configure());
        long faults = 0;
        var t = new Thread(() =>
        {
            const int block = 4 << 20, blocks = 4, rounds = 20;
            Rounds(1, block, blocks); // the heap grows to its working size once
            long before = ThreadMinorFaults();
            Rounds(rounds, block, blocks);
            faults = ThreadMinorFaults() - before;
        });
        t.Start();
        t.Join();
        // A tenth of one round's 4,096 pages allows for the thread's own noise.
        Assert.True(faults < 400, $"{faults} page faults over 20 rounds of reused 4 MiB blocks");
    }

    /// <summary>
    /// In a process of its own (where no other test has set the heap), <c>sxtseg segment</c> sets it when it
    /// loads the model and records it in segment.json; with the opt-out it records that glibc's defaults
    /// were kept.
    /// </summary>
    [GlibcHeapFact]
    public async Task SegmentSetsTheHeapAndSaysSoInItsSidecar()
    {
        using var dir = new TempDir();
        TinyModels.Write(dir, "tiny.sxtmodel");
        var v = new Volume<float>(32, 32, 3, VoxelSize.Isotropic(10));
        var rng = new Random(3);
        for (int i = 0; i < v.Length; i++) v.Data[i] = (float)rng.NextDouble();
        VolumeIO.Write(dir.File("t.mrc"), v);
        Assert.Equal("kept (mmap threshold 32 MiB, trim threshold 1 GiB)", await SegmentedHeap(dir, "kept", optOut: false));
        Assert.Equal("system (SXTSEG_NATIVE_HEAP=system)", await SegmentedHeap(dir, "system", optOut: true));
    }

    private static async Task<string?> SegmentedHeap(TempDir dir, string name, bool optOut)
    {
        var psi = CliProcess.StartInfo("segment", dir.File("t.mrc"), "--out", dir.File(name),
            "--model", dir.File("tiny.sxtmodel"), "--tile", "32", "--overlap", "8", "--workers", "1", "--quiet");
        if (optOut) psi.Environment["SXTSEG_NATIVE_HEAP"] = "system";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await err);
        return (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File(name), "segment.json")))!["timings_s"]!["native_heap"];
    }

    private static unsafe void Rounds(int rounds, int block, int blocks)
    {
        var p = new nint[blocks];
        for (int r = 0; r < rounds; r++)
        {
            for (int b = 0; b < blocks; b++)
            {
                byte* q = (byte*)NativeMemory.Alloc((nuint)block);
                for (int i = 0; i < block; i += 4096) q[i] = (byte)(r + 1);
                p[b] = (nint)q;
            }
            for (int b = 0; b < blocks; b++) NativeMemory.Free((void*)p[b]);
        }
    }

    private static unsafe long ThreadMinorFaults()
    {
        // struct rusage: two struct timeval (4 longs), then ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, …
        long* usage = stackalloc long[18];
        if (getrusage(RusageThread, usage) != 0) throw new InvalidOperationException("getrusage(RUSAGE_THREAD) failed");
        return usage[8];
    }

    private const int RusageThread = 1;

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern unsafe int getrusage(int who, long* usage);
}
