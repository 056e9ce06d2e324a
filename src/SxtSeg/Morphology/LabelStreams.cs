using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>Helpers for label streams.</summary>
public static class LabelStreams
{
    /// <summary>Reads the whole stream into a volume (only for volumes that fit in memory).</summary>
    public static Volume<uint> ToVolume(this ILabelStream stream, CancellationToken cancellation = default)
    {
        var info = stream.Info;
        var v = new Volume<uint>(info.Nx, info.Ny, info.Nz, info.VoxelSize) { OriginNm = info.OriginNm };
        stream.Stream(slab => slab.Data.AsSpan(0, slab.Count * slab.SliceLength).CopyTo(v.Data.AsSpan((int)((long)slab.Z0 * v.SliceLength))), cancellation);
        return v;
    }

    /// <summary>
    /// Wraps a volume whose values are already dense labels 0..N (for example the output of
    /// ConnectedComponents.Label).
    /// Counts voxels once; throws when a label above <paramref name="objectCount"/> is found.
    /// </summary>
    public static ILabelStream FromVolume(Volume<uint> labels, int objectCount) => new VolumeLabelStream(labels, objectCount);

    /// <summary>Dense labels 1..<paramref name="objectCount"/> of an in-memory volume, object k reported with id <paramref name="sourceIds"/>[k − 1].</summary>
    public static ILabelStream FromVolume(Volume<uint> labels, int objectCount, uint[] sourceIds) => new VolumeLabelStream(labels, objectCount, sourceIds);

    /// <summary>Slices per slab so that one slab of uint32 labels stays near <paramref name="budgetBytes"/>.</summary>
    internal static int SlabDepth(int nx, int ny, int nz, long budgetBytes = 64L << 20)
    {
        long slice = (long)nx * ny * 4;
        return (int)Math.Clamp(budgetBytes / Math.Max(1, slice), 1, Math.Max(1, Math.Min(nz, 64)));
    }
}
