using SxtSeg.Imaging;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// What the tomogram adds to the membrane labels: the cells' deep inside (so that a hole in a
/// membrane, such as a top membrane the missing wedge blurred away, cannot let the outside flood
/// the cell) and the gold beads. Cells absorb more than ice; the tomogram is averaged in 4 × 4
/// blocks, smoothed, thresholded by Otsu (values clipped to their 1–99 % quantiles) and the cell
/// part eroded by 8 pixels in x and y and 60 nm in z, so that it stays well inside the plasma
/// membrane. Gold is brighter than anything biological: voxels above the bead threshold (default
/// 2.5 × the tomogram's 99.9th percentile) are beads. Memory: the tomogram / 16 as float.
/// </summary>
internal sealed class TomogramGuide
{
    private const int Factor = 4;
    private readonly int _nx, _ny, _nz, _lx, _ly;
    private readonly byte[] _core;
    private readonly IVolumeReader _tomogram;

    private TomogramGuide(IVolumeReader tomogram, byte[] core, int lx, int ly, float cellThreshold, float beadThreshold)
    {
        _tomogram = tomogram;
        var info = tomogram.Info;
        _nx = info.Nx; _ny = info.Ny; _nz = info.Nz; _lx = lx; _ly = ly;
        _core = core;
        CellThreshold = cellThreshold;
        BeadThreshold = beadThreshold;
    }

    /// <summary>Otsu threshold between ice and cell (tomogram units).</summary>
    public float CellThreshold { get; }

    /// <summary>Values above this are gold.</summary>
    public float BeadThreshold { get; }

    /// <summary>Builds the guide in one pass over the tomogram.</summary>
    public static TomogramGuide Build(IVolumeReader tomogram, VoxelSize voxel, double? beadThreshold, IProgress<ProgressUpdate>? progress, CancellationToken cancellation)
    {
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz;
        int lx = (nx + Factor - 1) / Factor, ly = (ny + Factor - 1) / Factor, plane = lx * ly;
        var low = new float[(long)plane * nz];
        var slice = new float[info.SliceLength];
        // A deterministic sample of raw values for the bead threshold (about a million voxels).
        long stride = Math.Max(1, info.VoxelCount / 1_000_000);
        var sample = new List<float>();
        long next = 0, offset = 0;
        for (int z = 0; z < nz; z++)
        {
            cancellation.ThrowIfCancellationRequested();
            tomogram.ReadSlice<float>(z, slice);
            var dst = low.AsSpan(z * plane, plane);
            for (int by = 0; by < ly; by++)
                for (int bx = 0; bx < lx; bx++)
                {
                    double s = 0;
                    int n = 0;
                    for (int y = by * Factor; y < Math.Min(ny, (by + 1) * Factor); y++)
                        for (int x = bx * Factor; x < Math.Min(nx, (bx + 1) * Factor); x++)
                        {
                            float v = slice[y * nx + x];
                            if (float.IsFinite(v)) { s += v; n++; }
                        }
                    dst[by * lx + bx] = n > 0 ? (float)(s / n) : float.NaN;
                }
            for (; next < offset + slice.Length; next += stride)
            {
                float v = slice[next - offset];
                if (float.IsFinite(v)) sample.Add(v);
            }
            offset += slice.Length;
            progress.Report("reading the tomogram", z + 1, nz, "slices");
        }
        // Smooth (3 × 3 × 3 box), Otsu on clipped values.
        var sm = new float[low.Length];
        Parallel.For(0, nz, z =>
        {
            for (int y = 0; y < ly; y++)
                for (int x = 0; x < lx; x++)
                {
                    double s = 0;
                    int n = 0;
                    for (int dz = -1; dz <= 1; dz++)
                        for (int dy = -1; dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                            {
                                int zz = z + dz, yy = y + dy, xx = x + dx;
                                if ((uint)zz >= (uint)nz || (uint)yy >= (uint)ly || (uint)xx >= (uint)lx) continue;
                                float v = low[(long)zz * plane + yy * lx + xx];
                                if (float.IsFinite(v)) { s += v; n++; }
                            }
                    sm[(long)z * plane + y * lx + x] = n > 0 ? (float)(s / n) : float.NaN;
                }
        });
        var finite = sm.Where(float.IsFinite).ToArray();
        float t = finite.Length > 0 ? Thresholds.OtsuClipped(finite) : 0;
        var cell = new byte[sm.Length];
        for (long i = 0; i < sm.LongLength; i++) cell[i] = sm[i] > t ? (byte)1 : (byte)0;
        // Erode: 2 blocks in x and y (8 pixels), 60 nm in z.
        int kz = Math.Max(1, (int)Math.Ceiling(60 / voxel.Z));
        var vol = new Volume<byte>(lx, ly, nz, cell);
        var core = MaskStreams.FromVolume(vol);
        IMaskStream eroded = core;
        for (int i = 0; i < 2; i++) eroded = eroded.Erode(1, Connectivity.Six);
        var xy = eroded.ToVolume();
        var result = new byte[xy.Data.Length];
        for (int z = 0; z < nz; z++)
            for (int i = 0; i < plane; i++)
            {
                bool all = true;
                for (int dz = -kz; dz <= kz && all; dz++)
                {
                    int zz = z + dz;
                    if ((uint)zz < (uint)nz && xy.Data[(long)zz * plane + i] == 0) all = false;
                }
                result[(long)z * plane + i] = all ? (byte)1 : (byte)0;
            }
        float beads;
        if (beadThreshold is { } bt) beads = (float)bt;
        else
        {
            var arr = sample.ToArray();
            var (_, p999) = Quantiles(arr, 0.5, 0.999);
            beads = 2.5f * p999;
        }
        return new TomogramGuide(tomogram, result, lx, ly, t, beads);
    }

    /// <summary>Streams the deep inside of the cells (1) at full resolution.</summary>
    public IMaskStream Core(VolumeInfo info) => new CoreStream(this, info);

    /// <summary>Streams the gold beads (voxels above <see cref="BeadThreshold"/>) from the tomogram.</summary>
    public IMaskStream Beads(VolumeInfo info) => new BeadStream(this, info);

    private static (float Lo, float Hi) Quantiles(float[] values, double a, double b)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        float Q(double q) => sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
        return (Q(a), Q(b));
    }

    private sealed class CoreStream(TomogramGuide g, VolumeInfo info) : IMaskStream
    {
        private int _z;

        public VolumeInfo Info { get; } = info with { Type = VoxelType.UInt8 };

        public void Reset() => _z = 0;

        public void ReadNext(Span<byte> dest)
        {
            int z = _z++;
            var plane = g._core.AsSpan(z * g._lx * g._ly, g._lx * g._ly);
            for (int y = 0; y < g._ny; y++)
            {
                var row = dest.Slice(y * g._nx, g._nx);
                var low = plane.Slice(y / Factor * g._lx, g._lx);
                for (int x = 0; x < g._nx; x++) row[x] = low[x / Factor];
            }
        }
    }

    private sealed class BeadStream(TomogramGuide g, VolumeInfo info) : IMaskStream
    {
        private readonly float[] _slice = new float[info.SliceLength];
        private int _z;

        public VolumeInfo Info { get; } = info with { Type = VoxelType.UInt8 };

        public void Reset() => _z = 0;

        public void ReadNext(Span<byte> dest)
        {
            g._tomogram.ReadSlice<float>(_z++, _slice);
            float t = g.BeadThreshold;
            for (int i = 0; i < dest.Length; i++) dest[i] = _slice[i] > t ? (byte)1 : (byte)0;
        }
    }
}
