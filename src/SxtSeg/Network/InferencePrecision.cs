namespace SxtSeg.Network;

/// <summary>Arithmetic precision of inference.</summary>
public enum InferencePrecision
{
    /// <summary>32-bit floats (the reference).</summary>
    Float32,
    /// <summary>bfloat16 weights and activations (faster on CPUs with AVX-512 BF16 / AMX and on GPUs; outputs returned as float32).</summary>
    BFloat16,
}
