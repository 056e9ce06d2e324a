using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// A run of consecutive labelled slices handed to a consumer of an <see cref="ILabelStream"/>.
/// The buffer is reused by the stream after the consumer returns: copy what must be kept.
/// </summary>
public sealed class LabelSlab
{
    internal LabelSlab(int nx, int ny, int capacity)
    {
        Nx = nx;
        Ny = ny;
        Data = new uint[(long)nx * ny * capacity];
    }

    /// <summary>Index of the first slice of the slab.</summary>
    public int Z0 { get; internal set; }

    /// <summary>Number of slices in the slab.</summary>
    public int Count { get; internal set; }

    /// <summary>Voxels along x.</summary>
    public int Nx { get; }

    /// <summary>Voxels along y.</summary>
    public int Ny { get; }

    /// <summary>Voxels per slice.</summary>
    public int SliceLength => Nx * Ny;

    /// <summary>Labels of the slab, z-major (slice i of the slab starts at i·Nx·Ny).</summary>
    public uint[] Data { get; }

    /// <summary>Labels of slice <paramref name="i"/> of the slab (absolute z = Z0 + i).</summary>
    public Span<uint> Slice(int i) => Data.AsSpan(i * SliceLength, SliceLength);
}

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

    /// <summary>Slices per slab so that one slab of uint32 labels stays near <paramref name="budgetBytes"/>.</summary>
    internal static int SlabDepth(int nx, int ny, int nz, long budgetBytes = 64L << 20)
    {
        long slice = (long)nx * ny * 4;
        return (int)Math.Clamp(budgetBytes / Math.Max(1, slice), 1, Math.Max(1, Math.Min(nz, 64)));
    }
}

/// <summary>An in-memory label volume viewed as a stream.</summary>
internal sealed class VolumeLabelStream : ILabelStream
{
    private readonly Volume<uint> _labels;
    private readonly long[] _counts;
    private readonly uint[] _ids;
    private readonly VoxelBox[] _boxes;

    public VolumeLabelStream(Volume<uint> labels, int objectCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(objectCount);
        _labels = labels;
        ObjectCount = objectCount;
        Info = new VolumeInfo(labels.Nx, labels.Ny, labels.Nz, VoxelType.UInt32, labels.VoxelSize) { OriginNm = labels.OriginNm };
        _counts = new long[objectCount];
        int nz = labels.Nz;
        _boxes = new VoxelBox[objectCount];
        var seen = new bool[objectCount];
        int nx = labels.Nx;
        // Slices in parallel blocks, each with its own tallies, merged in block order.
        int blocks = Math.Min(nz, Environment.ProcessorCount * 4);
        var partialCounts = new long[blocks][];
        var partialBoxes = new VoxelBox[blocks][];
        var partialSeen = new bool[blocks][];
        Parallel.For(0, blocks, b =>
        {
            var c = new long[objectCount + 1];
            var box = new VoxelBox[objectCount + 1];
            var s = new bool[objectCount + 1];
            for (int z = (int)((long)nz * b / blocks); z < (int)((long)nz * (b + 1) / blocks); z++)
            {
                var slice = labels.Slice(z);
                for (int i = 0; i < slice.Length; i++)
                {
                    uint v = slice[i];
                    if (v == 0) continue;
                    if (v > (uint)objectCount) throw new ArgumentException($"label {v} in slice {z} exceeds the object count {objectCount}", nameof(labels));
                    c[v]++;
                    int x = i % nx, y = i / nx;
                    var vb = new VoxelBox(x, y, z, x, y, z);
                    box[v] = s[v] ? box[v].Union(vb) : vb;
                    s[v] = true;
                }
            }
            partialCounts[b] = c;
            partialBoxes[b] = box;
            partialSeen[b] = s;
        });
        for (int b = 0; b < blocks; b++)
            for (int i = 0; i < objectCount; i++)
            {
                if (!partialSeen[b][i + 1]) continue;
                _counts[i] += partialCounts[b][i + 1];
                _boxes[i] = seen[i] ? _boxes[i].Union(partialBoxes[b][i + 1]) : partialBoxes[b][i + 1];
                seen[i] = true;
            }
        _ids = new uint[objectCount];
        for (int i = 0; i < objectCount; i++) _ids[i] = (uint)(i + 1);
    }

    public VolumeInfo Info { get; }

    public int ObjectCount { get; }

    public IReadOnlyList<long> VoxelCounts => _counts;

    public IReadOnlyList<uint> SourceIds => _ids;

    public IReadOnlyList<VoxelBox> Bounds => _boxes;

    public void Stream(Action<LabelSlab> consume, CancellationToken cancellation = default)
    {
        int depth = LabelStreams.SlabDepth(Info.Nx, Info.Ny, Info.Nz);
        var slab = new LabelSlab(Info.Nx, Info.Ny, depth);
        for (int z0 = 0; z0 < Info.Nz; z0 += depth)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(depth, Info.Nz - z0);
            _labels.Data.AsSpan((int)((long)z0 * _labels.SliceLength), count * _labels.SliceLength).CopyTo(slab.Data);
            slab.Z0 = z0;
            slab.Count = count;
            consume(slab);
        }
    }
}
