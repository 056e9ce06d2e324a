using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// The binary membrane mask made from probabilities as a stream of slices: weighted fusion of the
/// prediction axes, optional averaging over ±r neighbouring slices, threshold, optional cell mask,
/// cleared borders. Feeds the morphology chain (erosion, small-object removal) and the writers
/// without the volume ever being in memory (2r + 1 slices of probabilities at a time).
/// </summary>
public sealed class ProbabilityMaskStream : IMaskStream
{
    private readonly IProbabilitySlices _source;
    private readonly double[] _weights;
    private readonly int _radius, _crop;
    private readonly float _threshold255;
    private readonly CellMask? _cellMask;
    private readonly Dictionary<int, float[]> _fused = new();
    private readonly byte[] _raw;
    private readonly float[] _sum;
    private int _z;

    /// <summary>Creates the stream.</summary>
    public ProbabilityMaskStream(IProbabilitySlices source, IReadOnlyList<double> axisWeights, int zRadius, double threshold, CellMask? cellMask, int cropBorder)
    {
        _source = source;
        Info = source.Info with { Type = VoxelType.UInt8 };
        _weights = axisWeights.ToArray();
        if (_weights.Length != source.Axes) throw new ArgumentException("one weight per axis", nameof(axisWeights));
        double wsum = _weights.Sum();
        for (int a = 0; a < _weights.Length; a++) _weights[a] /= wsum;
        _radius = zRadius;
        _threshold255 = (float)(threshold * 255);
        _cellMask = cellMask;
        _crop = cropBorder;
        _raw = new byte[Info.SliceLength];
        _sum = new float[Info.SliceLength];
    }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public void Reset()
    {
        _z = 0;
        _fused.Clear();
    }

    /// <summary>The fused (not yet smoothed) probability of slice z, 0..255, cached while needed.</summary>
    private float[] Fused(int z)
    {
        if (_fused.TryGetValue(z, out var f)) return f;
        int n = (int)Info.SliceLength;
        f = new float[n];
        for (int a = 0; a < _weights.Length; a++)
        {
            if (_weights[a] == 0) continue;
            _source.ReadSlice(a, z, _raw);
            float w = (float)_weights[a];
            for (int i = 0; i < n; i++) f[i] += w * _raw[i];
        }
        _fused[z] = f;
        return f;
    }

    /// <summary>
    /// Writes the smoothed, fused probability (0..1) of slice z without advancing (for probability-map
    /// output). Called for z in ascending order it keeps only the window's slices cached, as ReadNext does.
    /// </summary>
    public void Probability(int z, Span<float> dest)
    {
        _fused.Remove(z - _radius - 1);
        int n = (int)Info.SliceLength;
        float inv = 1f / (SumWindow(z, dest[..n]) * 255f);
        for (int i = 0; i < n; i++) dest[i] *= inv;
    }

    /// <summary>Sums the fused slices of z's smoothing window into <paramref name="sum"/>; returns how many there were.</summary>
    private int SumWindow(int z, Span<float> sum)
    {
        sum.Clear();
        int lo = Math.Max(0, z - _radius), hi = Math.Min(Info.Nz - 1, z + _radius);
        for (int zz = lo; zz <= hi; zz++)
        {
            var f = Fused(zz);
            for (int i = 0; i < sum.Length; i++) sum[i] += f[i];
        }
        return hi - lo + 1;
    }

    /// <inheritdoc />
    public void ReadNext(Span<byte> dest)
    {
        int z = _z++;
        int nx = Info.Nx, ny = Info.Ny, n = nx * ny;
        // Drop slices that no later z needs.
        _fused.Remove(z - _radius - 1);
        var sum = _sum;
        float limit = _threshold255 * SumWindow(z, sum);
        for (int i = 0; i < n; i++) dest[i] = sum[i] > limit ? (byte)1 : (byte)0;
        _cellMask?.Apply(z, dest[..n]);
        PostProcessing.CropBorder(dest, z, nx, ny, Info.Nz, _crop);
    }
}
