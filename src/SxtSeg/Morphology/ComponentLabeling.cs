using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// The result of 3D labelling: object count, sizes and boxes, and the labels themselves streamed
/// on demand (recomputed from the mask slab by slab). Implements <see cref="ILabelStream"/>, so it
/// feeds marching cubes and the measurements directly.
/// </summary>
public sealed class ComponentLabeling : ILabelStream
{
    private readonly IMaskStream _mask;
    private readonly ComponentEngine _engine;
    private readonly uint[] _globalLabel;
    private readonly long[] _voxels;
    private readonly VoxelBox[] _boxes;
    private readonly uint[] _ids;

    internal ComponentLabeling(IMaskStream mask, ComponentEngine engine, ComponentOptions options)
    {
        _mask = mask;
        _engine = engine;
        Options = options;
        Info = mask.Info with { Type = VoxelType.UInt32 };
        int g = engine.GlobalCount;
        _globalLabel = new uint[g];
        var rootLabel = new uint[g];
        var voxels = new List<long>();
        var boxes = new List<VoxelBox>();
        long removedVoxels = 0;
        int removed = 0;
        uint next = 0;
        for (int i = 0; i < g; i++)
        {
            int r = engine.Roots[i];
            if (r == i)
            {
                long n = engine.RootVoxels[r];
                if (n >= options.MinVoxels && n <= options.MaxVoxels)
                {
                    rootLabel[r] = ++next;
                    voxels.Add(n);
                    boxes.Add(engine.RootBoxes[r]);
                }
                else
                {
                    removed++;
                    removedVoxels += n;
                }
            }
            _globalLabel[i] = rootLabel[r];
        }
        ObjectCount = checked((int)next);
        _voxels = voxels.ToArray();
        _boxes = boxes.ToArray();
        _ids = new uint[ObjectCount];
        for (int i = 0; i < ObjectCount; i++) _ids[i] = (uint)(i + 1);
        RemovedObjects = removed;
        RemovedVoxels = removedVoxels;
    }

    /// <summary>The options used.</summary>
    public ComponentOptions Options { get; }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public int ObjectCount { get; }

    /// <inheritdoc />
    public IReadOnlyList<long> VoxelCounts => _voxels;

    /// <inheritdoc />
    public IReadOnlyList<uint> SourceIds => _ids;

    /// <summary>Bounding box of object <c>label</c> at index <c>label − 1</c>.</summary>
    public IReadOnlyList<VoxelBox> Bounds => _boxes;

    /// <summary>Objects removed by the size limits.</summary>
    public int RemovedObjects { get; }

    /// <summary>Voxels of the removed objects.</summary>
    public long RemovedVoxels { get; }

    /// <inheritdoc />
    public void Stream(Action<LabelSlab> consume, CancellationToken cancellation = default)
    {
        var info = Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, n = (int)info.SliceLength;
        int depth = Math.Min(ComponentEngine.SlabDepth(info), LabelStreams.SlabDepth(nx, ny, nz));
        var slab = new LabelSlab(nx, ny, depth);
        var masks = new byte[depth][];
        var runs = new SliceRuns[depth];
        for (int i = 0; i < depth; i++) { masks[i] = new byte[n]; runs[i] = new SliceRuns(nx, ny); }
        bool eight = Options.Connectivity.EightInPlane();
        _mask.Reset();
        for (int z0 = 0; z0 < nz; z0 += depth)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(depth, nz - z0);
            for (int i = 0; i < count; i++) _mask.ReadNext(masks[i]);
            Parallel.For(0, count, i =>
            {
                int z = z0 + i;
                runs[i].Build(masks[i], eight, z);
                var dest = slab.Slice(i);
                dest.Clear();
                runs[i].Paint<uint>(dest, _globalLabel.AsSpan(_engine.Offset(z), _engine.Offset(z + 1) - _engine.Offset(z)));
            });
            slab.Z0 = z0;
            slab.Count = count;
            consume(slab);
        }
    }
}
