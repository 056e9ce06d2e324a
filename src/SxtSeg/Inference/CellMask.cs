using SxtSeg.Imaging;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// An automatic rough mask of the cell (versus the surrounding ice), to drop membrane labels in
/// empty ice: cells absorb more than vitreous ice (LAC 0.2–0.45 against 0.104 µm⁻¹), so a heavily
/// smoothed, downsampled tomogram thresholded by Otsu separates them. Built from slices as they
/// stream past (<see cref="Add"/>), then <see cref="Build"/> (Otsu on values clipped to their
/// 1–99 % quantiles: gold beads would otherwise be one class and the whole cell the other); memory is the tomogram divided by
/// the downsampling factor squared.
/// </summary>
public sealed class CellMask
{
    private readonly int _nx, _ny, _nz, _f, _lx, _ly;
    private readonly float[] _low;
    private byte[]? _mask;

    /// <summary>Prepares a mask for an nx × ny × nz tomogram at 1/<paramref name="factor"/> resolution in x and y.</summary>
    public CellMask(int nx, int ny, int nz, int factor = 8, int marginLowRes = 2)
    {
        _nx = nx; _ny = ny; _nz = nz; _f = factor;
        _lx = (nx + factor - 1) / factor;
        _ly = (ny + factor - 1) / factor;
        _low = new float[(long)_lx * _ly * nz];
        Margin = marginLowRes;
    }

    /// <summary>Builds the mask of a whole tomogram in one streaming pass over its slices.</summary>
    public static CellMask FromReader(IVolumeReader tomogram, IProgress<ProgressUpdate>? progress = null)
    {
        var info = tomogram.Info;
        var mask = new CellMask(info.Nx, info.Ny, info.Nz);
        var slice = new float[info.SliceLength];
        for (int z = 0; z < info.Nz; z++)
        {
            tomogram.ReadSlice<float>(z, slice);
            mask.Add(z, slice);
            progress?.Report("cell mask", z + 1, info.Nz, "slices");
        }
        mask.Build();
        return mask;
    }

    /// <summary>Dilation of the mask in low-resolution pixels (each one is factor pixels).</summary>
    public int Margin { get; }

    /// <summary>Threshold chosen by Otsu (on the smoothed low-resolution values, clipped to their 1–99 % quantiles).</summary>
    public float Threshold { get; private set; }

    /// <summary>Fraction of voxels inside the mask.</summary>
    public double Coverage { get; private set; }

    /// <summary>Adds slice z (raw values; NaN ignored) as block means.</summary>
    public void Add(int z, ReadOnlySpan<float> slice)
    {
        var low = _low.AsSpan((int)((long)z * _lx * _ly), _lx * _ly);
        for (int by = 0; by < _ly; by++)
            for (int bx = 0; bx < _lx; bx++)
            {
                double s = 0;
                int n = 0;
                for (int y = by * _f; y < Math.Min(_ny, (by + 1) * _f); y++)
                    for (int x = bx * _f; x < Math.Min(_nx, (bx + 1) * _f); x++)
                    {
                        float v = slice[y * _nx + x];
                        if (float.IsFinite(v)) { s += v; n++; }
                    }
                low[by * _lx + bx] = n > 0 ? (float)(s / n) : float.NaN;
            }
    }

    /// <summary>Smooths, thresholds (Otsu, cell = brighter), fills holes per slice and dilates.</summary>
    public void Build()
    {
        int plane = _lx * _ly;
        // 3D box smoothing (radius 1 in low-res voxels).
        var sm = new float[_low.Length];
        Parallel.For(0, _nz, z =>
        {
            for (int y = 0; y < _ly; y++)
                for (int x = 0; x < _lx; x++)
                {
                    double s = 0;
                    int n = 0;
                    for (int dz = -1; dz <= 1; dz++)
                        for (int dy = -1; dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                            {
                                int zz = z + dz, yy = y + dy, xx = x + dx;
                                if ((uint)zz >= (uint)_nz || (uint)yy >= (uint)_ly || (uint)xx >= (uint)_lx) continue;
                                float v = _low[(long)zz * plane + yy * _lx + xx];
                                if (float.IsFinite(v)) { s += v; n++; }
                            }
                    sm[(long)z * plane + y * _lx + x] = n > 0 ? (float)(s / n) : float.NaN;
                }
        });
        Threshold = Thresholds.OtsuClipped(sm);
        var mask = new byte[sm.Length];
        Parallel.For(0, _nz, z =>
        {
            var m = mask.AsSpan(z * plane, plane);
            var s = sm.AsSpan(z * plane, plane);
            for (int i = 0; i < plane; i++) m[i] = s[i] > Threshold ? (byte)1 : (byte)0;
            FillHoles2D(m, _lx, _ly);
            for (int r = 0; r < Margin; r++) Dilate2D(m, _lx, _ly);
        });
        _mask = mask;
        long inside = 0;
        foreach (byte b in mask) inside += b;
        Coverage = (double)inside / mask.Length;
    }

    /// <summary>Clears labels outside the mask in slice z (full resolution).</summary>
    public void Apply(int z, Span<byte> labels)
    {
        if (_mask is null) throw new InvalidOperationException("call Build first");
        int plane = _lx * _ly;
        var m = _mask.AsSpan(z * plane, plane);
        for (int y = 0; y < _ny; y++)
        {
            var mrow = m.Slice((y / _f) * _lx, _lx);
            var row = labels.Slice(y * _nx, _nx);
            for (int x = 0; x < _nx; x++)
                if (mrow[x / _f] == 0) row[x] = 0;
        }
    }

    /// <summary>Whether full-resolution voxel (z, y, x) is inside the mask.</summary>
    public bool Contains(int z, int y, int x) => _mask![(long)z * _lx * _ly + (y / _f) * _lx + x / _f] != 0;

    /// <summary>Fills background regions not connected to the image border (4-connectivity flood from the border).</summary>
    internal static void FillHoles2D(Span<byte> m, int w, int h)
    {
        var outside = new byte[w * h];
        var stack = new Stack<int>();
        for (int x = 0; x < w; x++) { Seed(m, outside, stack, x); Seed(m, outside, stack, (h - 1) * w + x); }
        for (int y = 0; y < h; y++) { Seed(m, outside, stack, y * w); Seed(m, outside, stack, y * w + w - 1); }
        while (stack.Count > 0)
        {
            int i = stack.Pop(), x = i % w, y = i / w;
            if (x > 0) Seed(m, outside, stack, i - 1);
            if (x < w - 1) Seed(m, outside, stack, i + 1);
            if (y > 0) Seed(m, outside, stack, i - w);
            if (y < h - 1) Seed(m, outside, stack, i + w);
        }
        for (int i = 0; i < m.Length; i++) if (outside[i] == 0) m[i] = 1;
    }

    private static void Seed(Span<byte> m, byte[] outside, Stack<int> stack, int i)
    {
        if (m[i] != 0 || outside[i] != 0) return;
        outside[i] = 1;
        stack.Push(i);
    }

    private static void Dilate2D(Span<byte> m, int w, int h) => CrossDilation.Dilate(m.ToArray(), m, w, h);
}
