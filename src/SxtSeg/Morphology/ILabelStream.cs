using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// A volume of object labels delivered slab by slab in z order, and repeatable (each call to
/// <see cref="Stream"/> starts again at slice 0). Labels are dense: 0 is background and objects are
/// 1..<see cref="ObjectCount"/>. This is what marching cubes and the measurements consume, so
/// objects can be processed without holding the volume in memory.
/// </summary>
public interface ILabelStream
{
    /// <summary>Shape, voxel size (nm) and origin of the labelled volume (type is uint32).</summary>
    VolumeInfo Info { get; }

    /// <summary>Number of objects; labels run from 1 to this number.</summary>
    int ObjectCount { get; }

    /// <summary>Voxel count of object <c>label</c> at index <c>label − 1</c>.</summary>
    IReadOnlyList<long> VoxelCounts { get; }

    /// <summary>
    /// The id each object has in the source at index <c>label − 1</c>: its value in an instance map,
    /// or its label number (same as the dense label) for connected components.
    /// </summary>
    IReadOnlyList<uint> SourceIds { get; }

    /// <summary>Bounding box (voxel indices) of object <c>label</c> at index <c>label − 1</c>.</summary>
    IReadOnlyList<VoxelBox> Bounds { get; }

    /// <summary>Delivers every slice, in z order, in slabs; the slab buffer is reused between calls.</summary>
    void Stream(Action<LabelSlab> consume, CancellationToken cancellation = default);
}
