namespace SxtSeg.Volumes;

/// <summary>
/// Minimum, maximum, mean and RMS deviation of the voxels written to an MRC file, accumulated slice
/// by slice (per-slice mean and sum of squares in double, merged with Chan's formula); NaN is skipped.
/// Shared by every MRC writer so that files written in any order are byte-identical.
/// </summary>
public sealed class MrcStatistics
{
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _mean, _m2;
    private long _count;
    private readonly double[] _values = new double[1024];

    /// <summary>Adds one slice of <paramref name="n"/> voxels given as raw bytes of <paramref name="type"/>.</summary>
    public void AddSlice(ReadOnlySpan<byte> raw, VoxelType type, int n)
    {
        double sMin = double.PositiveInfinity, sMax = double.NegativeInfinity, sum = 0;
        int size = type.Size();
        for (int i = 0; i < n; i += _values.Length)
        {
            int m = Math.Min(_values.Length, n - i);
            var t = _values.AsSpan(0, m);
            VoxelConvert.ToDouble(raw.Slice(i * size, m * size), type, t);
            foreach (double v in t)
            {
                if (double.IsNaN(v)) continue;
                if (v < sMin) sMin = v;
                if (v > sMax) sMax = v;
                sum += v;
            }
        }
        double sMean = sum / n, sM2 = 0;
        for (int i = 0; i < n; i += _values.Length)
        {
            int m = Math.Min(_values.Length, n - i);
            var t = _values.AsSpan(0, m);
            VoxelConvert.ToDouble(raw.Slice(i * size, m * size), type, t);
            foreach (double v in t)
            {
                if (double.IsNaN(v)) continue;
                double d = v - sMean;
                sM2 += d * d;
            }
        }
        _min = Math.Min(_min, sMin);
        _max = Math.Max(_max, sMax);
        long total = _count + n;
        double delta = sMean - _mean;
        _mean += delta * n / total;
        _m2 += sM2 + delta * delta * _count * n / total;
        _count = total;
    }

    /// <summary>Copies the statistics into the header's dmin, dmax, dmean and rms.</summary>
    public void Apply(MrcHeader header)
    {
        header.DMin = (float)_min;
        header.DMax = (float)_max;
        header.DMean = (float)_mean;
        header.Rms = (float)Math.Sqrt(_m2 / Math.Max(1, _count));
    }
}
