using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement;

/// <summary>One object's cross-section in one slice: raw sums (pixel units) and the 2D measures.</summary>
internal struct SliceObject
{
    public uint Label;
    public long N, Sx, Sy, Sxx, Syy, Sxy;
    public int X0, X1, Y0, Y1;
    public SliceMeasurement Measures;
}

/// <summary>
/// Crofton perimeter weights for a pixel grid: eight lattice directions with the physical angle
/// each stands for and the spacing of its parallel lines. L ≈ ½ Σ_d Δθ_d · spacing_d · N_d, with
/// N_d the boundary crossings counted along direction d (Cauchy–Crofton formula).
/// </summary>
internal sealed class CroftonWeights
{
    public static readonly (int Dx, int Dy)[] Directions = { (1, 0), (2, 1), (1, 1), (1, 2), (0, 1), (-1, 2), (-1, 1), (-2, 1) };

    public CroftonWeights(double vx, double vy)
    {
        int n = Directions.Length;
        var angle = new double[n];
        for (int i = 0; i < n; i++)
        {
            var (dx, dy) = Directions[i];
            double a = Math.Atan2(dy * vy, dx * vx);
            angle[i] = a < 0 ? a + Math.PI : a;
        }
        Weight = new double[n];
        var order = Enumerable.Range(0, n).OrderBy(i => angle[i]).ToArray();
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            double prev = angle[order[(k + n - 1) % n]], next = angle[order[(k + 1) % n]];
            double gapPrev = angle[i] - prev, gapNext = next - angle[i];
            if (gapPrev <= 0) gapPrev += Math.PI;
            if (gapNext <= 0) gapNext += Math.PI;
            var (dx, dy) = Directions[i];
            double spacing = vx * vy / Math.Sqrt(dx * dx * vx * vx + dy * dy * vy * vy);
            Weight[i] = 0.5 * 0.5 * (gapPrev + gapNext) * spacing;
        }
    }

    /// <summary>Length contributed by one crossing along each direction (nm).</summary>
    public double[] Weight { get; }
}

/// <summary>
/// Measures every object's cross-section in one label slice: area, centroid, second moments
/// (equivalent ellipse as MATLAB's regionprops: axes 4√λ with the 1/12 pixel term, eccentricity
/// √(1 − λ2/λ1)), Crofton perimeter, and the extents along the two principal axes (MIB's
/// FirstAxisLength and SecondAxisLength), taken over the boundary midpoints between the object's pixels and their
/// 4-neighbours outside it. Not thread-safe: one analyzer per thread.
/// </summary>
internal sealed class SliceAnalyzer
{
    private const int Pad = 2;
    private readonly int _nx, _ny, _w, _h;
    private readonly uint[] _padded;
    private readonly bool[] _rowHasLabels;
    private readonly int[] _slotOf;
    private readonly VoxelSize _voxel;
    private readonly (double X, double Y, double Z) _origin;
    private readonly CroftonWeights _crofton;
    private readonly List<uint> _labels = new();
    private long[] _sums = new long[64 * 6];
    private int[] _box = new int[64 * 4];
    private long[] _crossings = new long[64 * 8];
    private double[] _axes = new double[64 * 4]; // cx, cy (px), ux, uy
    private double[] _ext = new double[64 * 4]; // min1, max1, min2, max2 (nm)

    public SliceAnalyzer(int nx, int ny, int objectCount, VoxelSize voxel, (double X, double Y, double Z) origin, CroftonWeights crofton)
    {
        _nx = nx; _ny = ny; _w = nx + 2 * Pad; _h = ny + 2 * Pad;
        _padded = new uint[_w * _h];
        _rowHasLabels = new bool[_h];
        _slotOf = new int[objectCount + 1];
        Array.Fill(_slotOf, -1);
        _voxel = voxel;
        _origin = origin;
        _crofton = crofton;
    }

    /// <summary>Appends the objects of slice <paramref name="z"/>, in label order, to <paramref name="output"/>.</summary>
    public void Analyze(ReadOnlySpan<uint> slice, int z, List<SliceObject> output)
    {
        output.Clear();
        _labels.Clear();
        int nx = _nx, w = _w;
        // Moments from runs of equal labels.
        for (int y = 0; y < _ny; y++)
        {
            var row = slice.Slice(y * nx, nx);
            var prow = _padded.AsSpan((y + Pad) * w + Pad, nx);
            row.CopyTo(prow);
            int x = row.IndexOfAnyExcept(0u);
            _rowHasLabels[y + Pad] = x >= 0;
            if (x < 0) continue;
            int last = row.LastIndexOfAnyExcept(0u);
            while (x <= last)
            {
                uint lab = row[x];
                int s = x;
                while (x <= last && row[x] == lab) x++;
                if (lab == 0) continue;
                int slot = Slot(lab);
                long len = x - s;
                long sumX = (long)(s + x - 1) * len / 2;
                long sumXX = SumSquares(x - 1) - SumSquares(s - 1);
                int k = slot * 6;
                _sums[k] += len; _sums[k + 1] += sumX; _sums[k + 2] += len * y;
                _sums[k + 3] += sumXX; _sums[k + 4] += len * y * y; _sums[k + 5] += sumX * y;
                int b = slot * 4;
                if (s < _box[b]) _box[b] = s;
                if (x - 1 > _box[b + 1]) _box[b + 1] = x - 1;
                if (y < _box[b + 2]) _box[b + 2] = y;
                if (y > _box[b + 3]) _box[b + 3] = y;
            }
        }
        int objects = _labels.Count;
        if (objects == 0) return;
        // Principal axes of each cross-section (in nm, with the pixel's own second moment).
        double vx = _voxel.X, vy = _voxel.Y;
        for (int i = 0; i < objects; i++)
        {
            var (mx, my, _, _, ux, uy) = Ellipse(i);
            _axes[i * 4] = mx; _axes[i * 4 + 1] = my; _axes[i * 4 + 2] = ux; _axes[i * 4 + 3] = uy;
            _ext[i * 4] = double.MaxValue; _ext[i * 4 + 1] = double.MinValue;
            _ext[i * 4 + 2] = double.MaxValue; _ext[i * 4 + 3] = double.MinValue;
        }
        // Boundary crossings along the eight directions; extents from the 4-neighbour midpoints.
        for (int d = 0; d < CroftonWeights.Directions.Length; d++) ScanPairs(d);
        // Results.
        for (int i = 0; i < objects; i++)
        {
            int k = i * 6;
            double n = _sums[k];
            var (mx, my, l1, l2, _, _) = Ellipse(i);
            double perimeter = 0;
            for (int d = 0; d < 8; d++) perimeter += _crofton.Weight[d] * _crossings[i * 8 + d];
            var m = new SliceMeasurement(
                ObjectId: 0,
                Z: z,
                Pixels: _sums[k],
                AreaNm2: n * vx * vy,
                PerimeterNm: perimeter,
                FirstAxisNm: 4 * Math.Sqrt(l1),
                SecondAxisNm: 4 * Math.Sqrt(l2),
                Eccentricity: l1 > 0 ? Math.Sqrt(Math.Max(0, 1 - l2 / l1)) : 0,
                FirstExtentNm: _ext[i * 4 + 1] - _ext[i * 4],
                SecondExtentNm: _ext[i * 4 + 3] - _ext[i * 4 + 2],
                CentroidXNm: _origin.X + mx * vx,
                CentroidYNm: _origin.Y + my * vy);
            int b = i * 4;
            output.Add(new SliceObject
            {
                Label = _labels[i],
                N = _sums[k], Sx = _sums[k + 1], Sy = _sums[k + 2], Sxx = _sums[k + 3], Syy = _sums[k + 4], Sxy = _sums[k + 5],
                X0 = _box[b], X1 = _box[b + 1], Y0 = _box[b + 2], Y1 = _box[b + 3],
                Measures = m,
            });
        }
        output.Sort((a, b) => a.Label.CompareTo(b.Label));
        // Reset the per-slot state and the padded image for the next slice.
        foreach (uint lab in _labels) _slotOf[lab] = -1;
        for (int y = 0; y < _ny; y++)
            if (_rowHasLabels[y + Pad]) _padded.AsSpan((y + Pad) * w + Pad, nx).Clear();
    }

    /// <summary>Centroid (pixels) and equivalent ellipse (eigenvalues in nm², major direction) of slot i, with the pixel's own 1/12 second moment.</summary>
    private (double Mx, double My, double L1, double L2, double Ux, double Uy) Ellipse(int i)
    {
        int k = i * 6;
        double vx = _voxel.X, vy = _voxel.Y;
        double n = _sums[k], mx = _sums[k + 1] / n, my = _sums[k + 2] / n;
        double cxx = vx * vx * (_sums[k + 3] / n - mx * mx + 1.0 / 12);
        double cyy = vy * vy * (_sums[k + 4] / n - my * my + 1.0 / 12);
        double cxy = vx * vy * (_sums[k + 5] / n - mx * my);
        var (l1, l2, ux, uy) = SymmetricEigen.Symmetric2(cxx, cxy, cyy);
        return (mx, my, l1, l2, ux, uy);
    }

    private static long SumSquares(long n) => n < 0 ? 0 : n * (n + 1) * (2 * n + 1) / 6;

    private int Slot(uint lab)
    {
        int s = _slotOf[lab];
        if (s >= 0) return s;
        s = _labels.Count;
        _labels.Add(lab);
        _slotOf[lab] = s;
        if ((s + 1) * 8 > _crossings.Length)
        {
            int cap = _crossings.Length / 8 * 2;
            var sums = _sums; Array.Resize(ref sums, cap * 6); _sums = sums;
            var box = _box; Array.Resize(ref box, cap * 4); _box = box;
            var cr = _crossings; Array.Resize(ref cr, cap * 8); _crossings = cr;
            var ax = _axes; Array.Resize(ref ax, cap * 4); _axes = ax;
            var ex = _ext; Array.Resize(ref ex, cap * 4); _ext = ex;
        }
        _sums.AsSpan(s * 6, 6).Clear();
        _crossings.AsSpan(s * 8, 8).Clear();
        _box[s * 4] = int.MaxValue; _box[s * 4 + 1] = -1; _box[s * 4 + 2] = int.MaxValue; _box[s * 4 + 3] = -1;
        return s;
    }

    /// <summary>Counts label changes between pixel pairs offset by direction d (padded image, so borders count).</summary>
    private void ScanPairs(int d)
    {
        var (dx, dy) = CroftonWeights.Directions[d];
        int w = _w;
        int xs = Math.Max(0, -dx), xe = w - Math.Max(0, dx);
        int len = xe - xs;
        bool extents = (dx == 1 && dy == 0) || (dx == 0 && dy == 1);
        for (int y = 0; y + dy < _h; y++)
        {
            if (!_rowHasLabels[y] && !_rowHasLabels[y + dy]) continue;
            var a = _padded.AsSpan(y * w + xs, len);
            var b = _padded.AsSpan((y + dy) * w + xs + dx, len);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                int vw = Vector<uint>.Count;
                ref uint ra = ref MemoryMarshal.GetReference(a);
                ref uint rb = ref MemoryMarshal.GetReference(b);
                while (i <= len - vw)
                {
                    if (Vector.EqualsAll(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i))) { i += vw; continue; }
                    for (int j = i; j < i + vw; j++) if (a[j] != b[j]) Crossing(d, a[j], b[j], xs + j, y, dx, dy, extents);
                    i += vw;
                }
            }
            for (; i < len; i++) if (a[i] != b[i]) Crossing(d, a[i], b[i], xs + i, y, dx, dy, extents);
        }
    }

    private void Crossing(int d, uint la, uint lb, int px, int py, int dx, int dy, bool extents)
    {
        if (la != 0)
        {
            int s = _slotOf[la];
            _crossings[s * 8 + d]++;
            if (extents) Extend(s, px - Pad + 0.5 * dx, py - Pad + 0.5 * dy);
        }
        if (lb != 0)
        {
            int s = _slotOf[lb];
            _crossings[s * 8 + d]++;
            if (extents) Extend(s, px - Pad + 0.5 * dx, py - Pad + 0.5 * dy);
        }
    }

    /// <summary>Updates the extents of slot s with the boundary point (x, y) in pixel units.</summary>
    private void Extend(int s, double x, double y)
    {
        double px = (x - _axes[s * 4]) * _voxel.X, py = (y - _axes[s * 4 + 1]) * _voxel.Y;
        double ux = _axes[s * 4 + 2], uy = _axes[s * 4 + 3];
        double p1 = px * ux + py * uy, p2 = -px * uy + py * ux;
        int e = s * 4;
        if (p1 < _ext[e]) _ext[e] = p1;
        if (p1 > _ext[e + 1]) _ext[e + 1] = p1;
        if (p2 < _ext[e + 2]) _ext[e + 2] = p2;
        if (p2 > _ext[e + 3]) _ext[e + 3] = p2;
    }
}
