namespace SxtSeg.Network;

/// <summary>How a <see cref="LabelPredictor"/> runs.</summary>
public sealed record InferenceOptions
{
    /// <summary>Device (default CPU).</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Intra-op CPU threads for libtorch (process-wide setting); null keeps the current setting (default: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Precision (default float32).</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>Fold batch norms that follow a convolution into its weights (exact up to rounding; default on).</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>
    /// Feed the network NHWC-strided ("channels-last") tensors, so libtorch's oneDNN convolutions
    /// keep that layout instead of reordering NCHW to blocked layouts around every convolution.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Parses "cpu" / "cuda".</summary>
    public static ComputeDevice ParseDevice(string s, string option = nameof(Device)) => s.ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "cuda" or "gpu" => ComputeDevice.Cuda,
        _ => throw new InvalidOptionException(option, $"unknown device '{s}' (use cpu or cuda)"),
    };

    /// <summary>Parses "fp32" / "bf16".</summary>
    public static InferencePrecision ParsePrecision(string s, string option = nameof(Precision)) => s.ToLowerInvariant() switch
    {
        "fp32" or "float32" or "f32" => InferencePrecision.Float32,
        "bf16" or "bfloat16" => InferencePrecision.BFloat16,
        _ => throw new InvalidOptionException(option, $"unknown precision '{s}' (use fp32 or bf16)"),
    };
}
