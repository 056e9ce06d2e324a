namespace SxtSeg.Network;

/// <summary>Where the network runs.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU (always available).</summary>
    Cpu,
    /// <summary>The first CUDA GPU (needs a CUDA build of TorchSharp and a driver).</summary>
    Cuda,
}
