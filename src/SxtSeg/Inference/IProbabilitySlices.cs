using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>Probability slices (bytes 0..255) of one or more prediction axes, read by z.</summary>
public interface IProbabilitySlices
{
    /// <summary>Shape of the volume.</summary>
    VolumeInfo Info { get; }

    /// <summary>Number of axes stored.</summary>
    int Axes { get; }

    /// <summary>Reads slice z of axis a.</summary>
    void ReadSlice(int axis, int z, Span<byte> dest);
}
