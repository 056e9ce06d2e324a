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

/// <summary>An in-memory label volume viewed as a stream.</summary>
internal sealed class VolumeLabelStream : ILabelStream
{
    private readonly Volume<uint> _labels;
    private readonly long[] _counts;
    private readonly uint[] _ids;
    private readonly VoxelBox[] _boxes;

    public VolumeLabelStream(Volume<uint> labels, int objectCount, uint[]? sourceIds = null)
    {
        if (sourceIds is not null && sourceIds.Length != objectCount) throw new ArgumentException($"{sourceIds.Length} ids for {objectCount} objects", nameof(sourceIds));
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
        _ids = sourceIds ?? new uint[objectCount];
        if (sourceIds is null) for (int i = 0; i < objectCount; i++) _ids[i] = (uint)(i + 1);
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
