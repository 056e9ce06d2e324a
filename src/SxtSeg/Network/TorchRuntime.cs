using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>Process-wide libtorch settings: thread count and device selection.</summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();

    /// <summary>
    /// Sets libtorch's intra-op thread count (it applies to the whole process). Values below 1 are
    /// refused; null leaves the current setting.
    /// </summary>
    public static void SetThreads(int? threads, string option = nameof(InferenceOptions.Threads))
    {
        if (threads is null) return;
        if (threads < 1 || threads > 1024) throw new InvalidOptionException(option, $"thread count must be 1..1024, got {threads}");
        lock (Gate)
        {
            if (get_num_threads() != threads.Value) set_num_threads(threads.Value);
        }
    }

    /// <summary>True when a CUDA device can be used by this build.</summary>
    public static bool CudaAvailable
    {
        get
        {
            try
            {
                return cuda.is_available();
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The torch device for <paramref name="device"/>; throws <see cref="InvalidOptionException"/> when CUDA is asked for but absent.</summary>
    public static Device Resolve(ComputeDevice device, string option = nameof(InferenceOptions.Device))
    {
        if (device == ComputeDevice.Cpu) return CPU;
        if (!CudaAvailable)
            throw new InvalidOptionException(option, "CUDA was requested but no CUDA device is usable (this build ships TorchSharp-cpu; a GPU build needs the TorchSharp-cuda-linux package and an NVIDIA driver)");
        return CUDA;
    }
}
