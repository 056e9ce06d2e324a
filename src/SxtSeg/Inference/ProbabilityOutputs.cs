namespace SxtSeg.Inference;

/// <summary>Names of <see cref="ProbabilityOutput"/> on the command line and in sidecars.</summary>
public static class ProbabilityOutputs
{
    /// <summary>Largest stored value of <see cref="ProbabilityOutput.Byte"/> (p = value / 127).</summary>
    public const int ByteScale = 127;

    /// <summary>Parses none, float32, float16 or byte (old name uint8, which wrote 0..255, is read as byte).</summary>
    public static ProbabilityOutput Parse(string s, string option = nameof(SegmentOptions.Probabilities)) => s.Trim().ToLowerInvariant() switch
    {
        "none" => ProbabilityOutput.None,
        "float32" or "f32" => ProbabilityOutput.Float32,
        "float16" or "f16" or "half" => ProbabilityOutput.Float16,
        "byte" or "uint8" or "u8" or "int8" => ProbabilityOutput.Byte,
        var other => throw new InvalidOptionException(option, $"unknown '{other}' (none, float32, float16, byte)"),
    };

    /// <summary>The name used in --probabilities and segment.json.</summary>
    public static string Name(this ProbabilityOutput p) => p.ToString().ToLowerInvariant();

    /// <summary>round(p·127) for p in [0, 1] (clamped).</summary>
    public static void ToBytes(ReadOnlySpan<float> p, Span<byte> q)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float v = p[i] * ByteScale + 0.5f;
            q[i] = v <= 0 ? (byte)0 : v >= ByteScale ? (byte)ByteScale : (byte)v;
        }
    }
}
