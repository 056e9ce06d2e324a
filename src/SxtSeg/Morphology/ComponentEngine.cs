using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// Slab-wise union–find over the 2D components of every slice: the first pass of 3D connected
/// components. Memory holds one slab of slices plus a few integers per 2D component (never a
/// label per voxel); the second pass recomputes each slice's runs and maps them to final labels.
/// Slices of a slab are analysed in parallel; unions are applied in z order, and the union–find
/// keeps the smallest id as root, so results do not depend on the thread schedule.
/// </summary>
internal sealed class ComponentEngine
{
    private readonly GrowListInt _parent = new();
    private readonly GrowListInt _voxels = new();
    private readonly GrowListInt _box = new(); // 4 per global component
    private readonly int[] _offset; // first global id of each slice; [nz] = total

    private ComponentEngine(VolumeInfo info, Connectivity connectivity, bool inverted)
    {
        Info = info;
        Connectivity = connectivity;
        Inverted = inverted;
        _offset = new int[info.Nz + 1];
    }

    public VolumeInfo Info { get; }

    public Connectivity Connectivity { get; }

    /// <summary>True when the engine labels the background (0s) instead of the foreground.</summary>
    public bool Inverted { get; }

    /// <summary>Total 2D components over all slices.</summary>
    public int GlobalCount => _offset[Info.Nz];

    /// <summary>First global id of slice z.</summary>
    public int Offset(int z) => _offset[z];

    /// <summary>Root (smallest global id of its 3D component) of each global id, after <see cref="Run"/>.</summary>
    public int[] Roots { get; private set; } = Array.Empty<int>();

    /// <summary>Voxels of each root's 3D component (index = root id; 0 for non-roots).</summary>
    public long[] RootVoxels { get; private set; } = Array.Empty<long>();

    /// <summary>Bounding box of each root's 3D component (index = root id).</summary>
    public VoxelBox[] RootBoxes { get; private set; } = Array.Empty<VoxelBox>();

    /// <summary>Slices per slab for a volume of this shape.</summary>
    public static int SlabDepth(VolumeInfo info) => (int)Math.Clamp((96L << 20) / Math.Max(1, info.SliceLength * 3), 2, 64);

    /// <summary>Runs the first pass over <paramref name="mask"/>.</summary>
    public static ComponentEngine Run(IMaskStream mask, Connectivity connectivity, bool inverted, IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellation)
    {
        var info = mask.Info;
        var engine = new ComponentEngine(info, connectivity, inverted);
        engine.Pass1(mask, progress, stage, cancellation);
        return engine;
    }

    private void Pass1(IMaskStream mask, IProgress<ProgressUpdate>? progress, string stage, CancellationToken cancellation)
    {
        var info = Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, n = (int)info.SliceLength;
        int depth = SlabDepth(info);
        var buffers = new byte[depth][];
        for (int i = 0; i < depth; i++) buffers[i] = new byte[n];
        // depth + 1 run sets: the slab's slices and the last slice of the previous slab.
        var runs = new SliceRuns[depth + 1];
        for (int i = 0; i <= depth; i++) runs[i] = new SliceRuns(nx, ny);
        var pairs = new List<long>[depth];
        for (int i = 0; i < depth; i++) pairs[i] = new List<long>();
        bool eight = Connectivity.EightInPlane();
        SliceRuns? previous = null;
        mask.Reset();
        for (int z0 = 0; z0 < nz; z0 += depth)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(depth, nz - z0);
            for (int i = 0; i < count; i++)
            {
                mask.ReadNext(buffers[i]);
                if (Inverted) Invert(buffers[i]);
            }
            // Pick run sets for this slab that are not the previous slab's last one.
            var slabRuns = new SliceRuns[count];
            for (int i = 0, k = 0; i < count; k++)
                if (!ReferenceEquals(runs[k], previous)) slabRuns[i++] = runs[k];
            var prevLocal = previous;
            Parallel.For(0, count, i =>
            {
                slabRuns[i].Build(buffers[i], eight, z0 + i);
                pairs[i].Clear();
            });
            Parallel.For(0, count, i =>
            {
                var below = i == 0 ? prevLocal : slabRuns[i - 1];
                if (below is not null) slabRuns[i].TouchingPairs(below, Connectivity, pairs[i]);
            });
            for (int i = 0; i < count; i++)
            {
                int z = z0 + i;
                var r = slabRuns[i];
                int first = _offset[z];
                _offset[z + 1] = checked(first + r.ComponentCount);
                for (int c = 0; c < r.ComponentCount; c++)
                {
                    _parent.Add(first + c);
                    _voxels.Add(r.ComponentVoxels[c]);
                    _box.Add(r.ComponentBox[c * 4]); _box.Add(r.ComponentBox[c * 4 + 1]);
                    _box.Add(r.ComponentBox[c * 4 + 2]); _box.Add(r.ComponentBox[c * 4 + 3]);
                }
                if (z > 0)
                {
                    int belowFirst = _offset[z - 1];
                    foreach (long p in pairs[i]) Union(belowFirst + (int)(p >> 32), first + (int)(uint)p);
                }
                progress.Report(stage, z + 1, nz, "slices");
            }
            previous = slabRuns[count - 1];
        }
        Resolve();
    }

    private static void Invert(Span<byte> b)
    {
        for (int i = 0; i < b.Length; i++) b[i] ^= 1;
    }

    private int Find(int i)
    {
        var p = _parent.Items;
        while (p[i] != i)
        {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    private void Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb) return;
        var p = _parent.Items;
        if (ra < rb) p[rb] = ra; else p[ra] = rb;
    }

    private void Resolve()
    {
        int g = GlobalCount;
        var roots = new int[g];
        var voxels = new long[g];
        var boxes = new VoxelBox[g];
        int z = 0;
        for (int i = 0; i < g; i++)
        {
            while (_offset[z + 1] <= i) z++;
            int r = Find(i);
            roots[i] = r;
            voxels[r] += _voxels.Items[i];
            int b = i * 4;
            var box = new VoxelBox(_box.Items[b], _box.Items[b + 2], z, _box.Items[b + 1], _box.Items[b + 3], z);
            boxes[r] = r == i ? box : boxes[r].Union(box);
        }
        Roots = roots;
        RootVoxels = voxels;
        RootBoxes = boxes;
        // The per-component lists are no longer needed.
        _parent.Release();
        _voxels.Release();
        _box.Release();
    }
}

/// <summary>A growable int array exposing its storage (for union–find).</summary>
internal sealed class GrowListInt
{
    public int[] Items { get; private set; } = new int[1024];

    public int Count { get; private set; }

    public void Add(int v)
    {
        if (Count == Items.Length)
        {
            var a = Items;
            long n = Math.Min((long)a.Length * 2, Array.MaxLength);
            if (n <= a.Length) throw new SxtSegException("too many 2D components to label (more than 2^31)");
            Array.Resize(ref a, (int)n);
            Items = a;
        }
        Items[Count++] = v;
    }

    public void Release()
    {
        Items = Array.Empty<int>();
        Count = 0;
    }
}
