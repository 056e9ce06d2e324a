using System.Runtime.CompilerServices;

namespace SxtSeg.Morphology;

/// <summary>
/// The foreground runs of one slice (maximal horizontal stretches of 1s) and their 2D connected
/// components. A pure function of the slice, so a second pass recomputes the same runs and the same
/// component numbers, which is what lets the 3D labelling stream instead of storing labels.
/// </summary>
internal sealed class SliceRuns
{
    private int[] _parent = new int[256];

    public SliceRuns(int nx, int ny)
    {
        Nx = nx;
        Ny = ny;
        RowFirst = new int[ny + 1];
    }

    public int Nx { get; }

    public int Ny { get; }

    /// <summary>Slice index these runs were built from.</summary>
    public int Z { get; set; } = -1;

    public int RunCount { get; private set; }

    /// <summary>First x of each run.</summary>
    public int[] Start { get; private set; } = new int[256];

    /// <summary>One past the last x of each run.</summary>
    public int[] End { get; private set; } = new int[256];

    /// <summary>Runs of row y are [RowFirst[y], RowFirst[y + 1]).</summary>
    public int[] RowFirst { get; }

    /// <summary>2D component (0..ComponentCount−1, in raster order of first run) of each run.</summary>
    public int[] Component { get; private set; } = new int[256];

    public int ComponentCount { get; private set; }

    /// <summary>Voxels of each 2D component.</summary>
    public int[] ComponentVoxels { get; private set; } = new int[64];

    /// <summary>Bounding box of each 2D component: x0, x1, y0, y1 (inclusive), 4 ints per component.</summary>
    public int[] ComponentBox { get; private set; } = new int[256];

    /// <summary>Finds the runs of <paramref name="mask"/> (0/1 bytes) and labels them in 2D.</summary>
    public void Build(ReadOnlySpan<byte> mask, bool eightConnected, int z)
    {
        Z = z;
        int nx = Nx;
        int count = 0;
        for (int y = 0; y < Ny; y++)
        {
            RowFirst[y] = count;
            var row = mask.Slice(y * nx, nx);
            int x = 0;
            while (x < nx)
            {
                int s = row[x..].IndexOfAnyExcept((byte)0);
                if (s < 0) break;
                s += x;
                int e = row[s..].IndexOf((byte)0);
                e = e < 0 ? nx : s + e;
                if (count == Start.Length) GrowRuns();
                Start[count] = s;
                End[count] = e;
                count++;
                x = e;
            }
        }
        RowFirst[Ny] = count;
        RunCount = count;
        Label(eightConnected);
    }

    private void GrowRuns()
    {
        int n = Start.Length * 2;
        var s = Start; var e = End;
        Array.Resize(ref s, n);
        Array.Resize(ref e, n);
        Start = s; End = e;
    }

    private void Label(bool eight)
    {
        int n = RunCount;
        if (_parent.Length < n) _parent = new int[Math.Max(n, _parent.Length * 2)];
        if (Component.Length < n) Component = new int[Math.Max(n, Component.Length * 2)];
        var parent = _parent;
        for (int i = 0; i < n; i++) parent[i] = i;
        int expand = eight ? 1 : 0;
        for (int y = 1; y < Ny; y++)
        {
            int i = RowFirst[y - 1], iEnd = RowFirst[y], j = RowFirst[y], jEnd = RowFirst[y + 1];
            while (i < iEnd && j < jEnd)
            {
                if (Start[i] < End[j] + expand && Start[j] < End[i] + expand) Union(parent, i, j);
                if (End[i] < End[j]) i++; else j++;
            }
        }
        int comps = 0;
        for (int r = 0; r < n; r++)
        {
            int root = Find(parent, r);
            Component[r] = root == r ? comps++ : Component[root];
        }
        ComponentCount = comps;
        if (ComponentVoxels.Length < comps) ComponentVoxels = new int[Math.Max(comps, ComponentVoxels.Length * 2)];
        if (ComponentBox.Length < comps * 4) ComponentBox = new int[Math.Max(comps * 4, ComponentBox.Length * 2)];
        var vox = ComponentVoxels.AsSpan(0, comps);
        vox.Clear();
        var box = ComponentBox;
        for (int c = 0; c < comps; c++)
        {
            box[c * 4] = int.MaxValue; box[c * 4 + 1] = -1; box[c * 4 + 2] = int.MaxValue; box[c * 4 + 3] = -1;
        }
        for (int y = 0; y < Ny; y++)
            for (int r = RowFirst[y]; r < RowFirst[y + 1]; r++)
            {
                int c = Component[r];
                vox[c] += End[r] - Start[r];
                int b = c * 4;
                if (Start[r] < box[b]) box[b] = Start[r];
                if (End[r] - 1 > box[b + 1]) box[b + 1] = End[r] - 1;
                if (y < box[b + 2]) box[b + 2] = y;
                if (y > box[b + 3]) box[b + 3] = y;
            }
    }

    /// <summary>
    /// Appends to <paramref name="pairs"/> the (component in <paramref name="below"/>, component here)
    /// pairs of runs that touch across the two slices under <paramref name="connectivity"/>.
    /// Consecutive duplicates are dropped.
    /// </summary>
    public void TouchingPairs(SliceRuns below, Connectivity connectivity, List<long> pairs)
    {
        long last = -1;
        for (int y = 0; y < Ny; y++)
        {
            int j0 = RowFirst[y], j1 = RowFirst[y + 1];
            if (j0 == j1) continue;
            for (int dy = -1; dy <= 1; dy++)
            {
                int expand;
                if (dy == 0) expand = connectivity == Connectivity.Six ? 0 : 1;
                else if (connectivity == Connectivity.Six) continue;
                else expand = connectivity == Connectivity.Eighteen ? 0 : 1;
                int yb = y + dy;
                if ((uint)yb >= (uint)Ny) continue;
                int i = below.RowFirst[yb], i1 = below.RowFirst[yb + 1], j = j0;
                while (i < i1 && j < j1)
                {
                    if (below.Start[i] < End[j] + expand && Start[j] < below.End[i] + expand)
                    {
                        long p = ((long)below.Component[i] << 32) | (uint)Component[j];
                        if (p != last) { pairs.Add(p); last = p; }
                    }
                    if (below.End[i] < End[j]) i++; else j++;
                }
            }
        }
    }

    /// <summary>Writes componentValues[component] over each run into <paramref name="dest"/> (other voxels untouched).</summary>
    public void Paint<T>(Span<T> dest, ReadOnlySpan<T> componentValues) where T : unmanaged, IEquatable<T>
    {
        for (int y = 0; y < Ny; y++)
        {
            var row = dest.Slice(y * Nx, Nx);
            for (int r = RowFirst[y]; r < RowFirst[y + 1]; r++)
            {
                T v = componentValues[Component[r]];
                if (!v.Equals(default)) row[Start[r]..End[r]].Fill(v);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }
}
