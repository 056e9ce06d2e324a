using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// An instance map (each positive integer value is one object, 0 is background: the simulator's
/// instance map, the output of <c>sxtseg components</c>, a MIB model with one material per object)
/// streamed as dense labels. Object ids are kept as <see cref="ILabelStream.SourceIds"/>; objects
/// need not be connected. One pass at opening counts voxels and boxes; values that are negative or
/// not whole numbers are refused.
/// </summary>
public sealed class InstanceLabelStream : ILabelStream, IDisposable
{
    private readonly IVolumeReader _reader;
    private readonly uint[] _ids;
    private readonly long[] _counts;
    private readonly VoxelBox[] _boxes;
    private readonly Dictionary<uint, uint> _dense;
    private readonly uint[]? _denseArray;
    private readonly bool _asFloat;

    /// <summary>Opens an instance map; <paramref name="minVoxels"/>/<paramref name="maxVoxels"/> drop objects outside the range.</summary>
    public InstanceLabelStream(IVolumeReader reader, VoxelSize? voxelSize = null, long minVoxels = 1, long maxVoxels = long.MaxValue,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        _reader = reader;
        var info = reader.Info;
        Info = info with { Type = VoxelType.UInt32, VoxelSize = voxelSize ?? info.VoxelSize };
        _asFloat = info.Type is VoxelType.Int8 or VoxelType.Int16 or VoxelType.Float32 or VoxelType.Float16;
        var all = new Dictionary<uint, (long Count, VoxelBox Box)>();
        int n = (int)info.SliceLength;
        int depth = Math.Max(1, LabelStreams.SlabDepth(info.Nx, info.Ny, info.Nz) / 2);
        var slab = new uint[depth][];
        for (int i = 0; i < depth; i++) slab[i] = new uint[n];
        var floats = _asFloat ? new float[n] : null;
        var partial = new Dictionary<uint, (long, VoxelBox)>[depth];
        for (int z0 = 0; z0 < info.Nz; z0 += depth)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(depth, info.Nz - z0);
            for (int i = 0; i < count; i++) ReadIds(z0 + i, slab[i], floats);
            Parallel.For(0, count, i => partial[i] = Tally(slab[i], info.Nx, z0 + i));
            for (int i = 0; i < count; i++)
                foreach (var (id, (c, box)) in partial[i])
                    all[id] = all.TryGetValue(id, out var prev) ? (prev.Count + c, prev.Box.Union(box)) : (c, box);
            progress.Report("reading instances", z0 + count, info.Nz, "slices");
        }
        var kept = all.Where(kv => kv.Value.Count >= minVoxels && kv.Value.Count <= maxVoxels).Select(kv => kv.Key).Order().ToArray();
        RemovedObjects = all.Count - kept.Length;
        LargestId = all.Count == 0 ? 0 : all.Keys.Max();
        _ids = kept;
        _counts = kept.Select(id => all[id].Count).ToArray();
        _boxes = kept.Select(id => all[id].Box).ToArray();
        _dense = new Dictionary<uint, uint>(kept.Length);
        for (int i = 0; i < kept.Length; i++) _dense[kept[i]] = (uint)(i + 1);
        uint max = all.Count == 0 ? 0 : all.Keys.Max();
        if (max < 1 << 24)
        {
            _denseArray = new uint[max + 1];
            for (int i = 0; i < kept.Length; i++) _denseArray[kept[i]] = (uint)(i + 1);
        }
    }

    /// <summary>The file being read.</summary>
    public string Path => _reader.Path;

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public int ObjectCount => _ids.Length;

    /// <inheritdoc />
    public IReadOnlyList<long> VoxelCounts => _counts;

    /// <inheritdoc />
    public IReadOnlyList<uint> SourceIds => _ids;

    /// <inheritdoc />
    public IReadOnlyList<VoxelBox> Bounds => _boxes;

    /// <summary>The largest id in the map, the objects the size filters removed included (new ids go above it).</summary>
    public uint LargestId { get; }

    /// <summary>Objects dropped by the size limits.</summary>
    public int RemovedObjects { get; }

    /// <inheritdoc />
    public void Stream(Action<LabelSlab> consume, CancellationToken cancellation = default)
    {
        var info = Info;
        int depth = LabelStreams.SlabDepth(info.Nx, info.Ny, info.Nz);
        var slab = new LabelSlab(info.Nx, info.Ny, depth);
        var floats = _asFloat ? new float[info.SliceLength] : null;
        var raw = new uint[info.SliceLength];
        for (int z0 = 0; z0 < info.Nz; z0 += depth)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(depth, info.Nz - z0);
            for (int i = 0; i < count; i++)
            {
                ReadIds(z0 + i, raw, floats);
                var dest = slab.Slice(i);
                if (_denseArray is { } map)
                    for (int k = 0; k < raw.Length; k++) dest[k] = map[raw[k]];
                else
                {
                    uint lastId = 0, lastDense = 0;
                    for (int k = 0; k < raw.Length; k++)
                    {
                        uint id = raw[k];
                        if (id != lastId) { lastId = id; lastDense = id == 0 ? 0 : _dense.GetValueOrDefault(id); }
                        dest[k] = lastDense;
                    }
                }
            }
            slab.Z0 = z0;
            slab.Count = count;
            consume(slab);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    private void ReadIds(int z, uint[] dest, float[]? floats)
    {
        if (floats is null)
        {
            _reader.ReadSlice<uint>(z, dest);
            return;
        }
        _reader.ReadSlice<float>(z, floats);
        for (int i = 0; i < floats.Length; i++)
        {
            float v = floats[i];
            if (v == 0) { dest[i] = 0; continue; }
            if (!(v > 0) || v != MathF.Round(v) || v > uint.MaxValue)
                throw new InvalidInputException(_reader.Path, string.Create(CultureInfo.InvariantCulture,
                    $"not an instance map: slice {z} holds the value {v:G6}; object ids must be whole numbers ≥ 1 (0 = background)"));
            dest[i] = (uint)v;
        }
    }

    private static Dictionary<uint, (long, VoxelBox)> Tally(uint[] ids, int nx, int z)
    {
        var d = new Dictionary<uint, (long, VoxelBox)>();
        for (int i = 0; i < ids.Length;)
        {
            uint id = ids[i];
            int s = i;
            int y = i / nx, rowEnd = (y + 1) * nx;
            while (i < rowEnd && ids[i] == id) i++;
            if (id == 0) continue;
            var box = new VoxelBox(s - y * nx, y, z, i - 1 - y * nx, y, z);
            d[id] = d.TryGetValue(id, out var prev) ? (prev.Item1 + (i - s), prev.Item2.Union(box)) : (i - s, box);
        }
        return d;
    }
}
