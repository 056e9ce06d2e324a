using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// A binary mask delivered slice by slice in z order, restartable with <see cref="Reset"/>.
/// Slices hold 1 for foreground and 0 for background. Streams can be chained (erosion, hole
/// filling, small-object removal) without ever holding the volume in memory; each pass of a
/// consumer re-reads the chain from its source.
/// </summary>
public interface IMaskStream
{
    /// <summary>Shape, voxel size (nm, may be null) and origin; type is uint8.</summary>
    VolumeInfo Info { get; }

    /// <summary>Starts again at slice 0.</summary>
    void Reset();

    /// <summary>Writes the next slice (Nx·Ny bytes, 0 or 1) into <paramref name="dest"/>.</summary>
    void ReadNext(Span<byte> dest);
}
