using System.Numerics;

namespace SxtSeg.Volumes;

/// <summary>Value statistics of a volume, computed by streaming slices (two passes, constant memory).</summary>
public sealed record VolumeStatistics
{
    /// <summary>Finite voxels counted.</summary>
    public long Count { get; init; }
    /// <summary>NaN voxels.</summary>
    public long NaNCount { get; init; }
    /// <summary>Infinite voxels.</summary>
    public long InfinityCount { get; init; }
    /// <summary>Smallest finite value.</summary>
    public double Min { get; init; }
    /// <summary>Largest finite value.</summary>
    public double Max { get; init; }
    /// <summary>Mean of finite values.</summary>
    public double Mean { get; init; }
    /// <summary>Population standard deviation of finite values.</summary>
    public double Std { get; init; }
    /// <summary>0.5th percentile.</summary>
    public double P005 { get; init; }
    /// <summary>99.5th percentile.</summary>
    public double P995 { get; init; }
    /// <summary>Resolution of the percentiles: (max − min) / bins; 0 when exact.</summary>
    public double PercentileResolution { get; init; }

    private const int Bins = 1 << 16;

    /// <summary>Computes statistics of every slice of <paramref name="reader"/>.</summary>
    public static VolumeStatistics Compute(IVolumeReader reader, IProgress<ProgressUpdate>? progress = null)
    {
        var info = reader.Info;
        int n = (int)info.SliceLength;
        var slice = GC.AllocateUninitializedArray<float>(n);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, mean = 0, m2 = 0;
        long count = 0, nan = 0, inf = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            reader.ReadSlice<float>(z, slice);
            SliceMoments(slice, out float sMin, out float sMax, out double sSum, out long sCount, out long sNan, out long sInf);
            nan += sNan; inf += sInf;
            if (sCount == 0) { progress.Report("statistics", z + 1, 2L * info.Nz, "slices"); continue; }
            double sMean = sSum / sCount, sM2 = 0;
            foreach (float v in slice)
                if (float.IsFinite(v)) { double d = v - sMean; sM2 += d * d; }
            min = Math.Min(min, sMin); max = Math.Max(max, sMax);
            long tot = count + sCount;
            double delta = sMean - mean;
            mean += delta * sCount / tot;
            m2 += sM2 + delta * delta * count * sCount / tot;
            count = tot;
            progress.Report("statistics", z + 1, 2L * info.Nz, "slices");
        }
        if (count == 0)
            return new VolumeStatistics { NaNCount = nan, InfinityCount = inf, Min = double.NaN, Max = double.NaN, Mean = double.NaN, Std = double.NaN, P005 = double.NaN, P995 = double.NaN };

        // Second pass: histogram over [min, max]; integer types with a small range get one bin per value (exact).
        bool exact = !info.Type.IsFloat() && max - min < Bins;
        int bins = exact ? (int)(max - min) + 1 : Bins;
        double width = exact ? 1 : (max - min) / bins;
        var hist = new long[bins];
        for (int z = 0; z < info.Nz; z++)
        {
            reader.ReadSlice<float>(z, slice);
            if (width <= 0) { foreach (float v in slice) if (float.IsFinite(v)) hist[0]++; }
            else
            {
                double inv = exact ? 1 : 1 / width;
                foreach (float v in slice)
                {
                    if (!float.IsFinite(v)) continue;
                    int b = exact ? (int)Math.Round(v - min) : (int)((v - min) * inv);
                    hist[Math.Clamp(b, 0, bins - 1)]++;
                }
            }
            progress.Report("statistics", info.Nz + z + 1, 2L * info.Nz, "slices");
        }
        return new VolumeStatistics
        {
            Count = count, NaNCount = nan, InfinityCount = inf, Min = min, Max = max, Mean = mean,
            Std = Math.Sqrt(m2 / count),
            P005 = HistQuantile(hist, count, 0.005, min, width, exact),
            P995 = HistQuantile(hist, count, 0.995, min, width, exact),
            PercentileResolution = exact ? 0 : width,
        };
    }

    private static double HistQuantile(long[] hist, long count, double q, double min, double width, bool exact)
    {
        // numpy's default (linear) definition: position q·(n−1) in the sorted values, interpolated
        // between the values of the two neighbouring ranks; each rank's value is its bin's centre
        // (exact for integer data with one bin per value).
        double target = q * (count - 1);
        long k0 = (long)Math.Floor(target);
        long k1 = Math.Min(k0 + 1, count - 1);
        double v0 = RankValue(hist, k0, min, width, exact), v1 = RankValue(hist, k1, min, width, exact);
        return v0 + (target - k0) * (v1 - v0);
    }

    private static double RankValue(long[] hist, long rank, double min, double width, bool exact)
    {
        long seen = 0;
        for (int b = 0; b < hist.Length; b++)
        {
            seen += hist[b];
            if (seen > rank) return exact ? min + b : min + (b + 0.5) * width;
        }
        return exact ? min + hist.Length - 1 : min + (hist.Length - 0.5) * width;
    }

    /// <summary>Min, max and sum of the finite values of a slice, vectorised; counts NaN and ±∞.</summary>
    public static void SliceMoments(ReadOnlySpan<float> s, out float min, out float max, out double sum, out long count, out long nan, out long inf)
    {
        min = float.PositiveInfinity; max = float.NegativeInfinity; sum = 0; count = 0; nan = 0; inf = 0;
        int i = 0;
        int w = Vector<float>.Count;
        var vmin = new Vector<float>(float.PositiveInfinity);
        var vmax = new Vector<float>(float.NegativeInfinity);
        var vsum = Vector<double>.Zero;
        var big = new Vector<float>(float.MaxValue);
        for (; i <= s.Length - w; i += w)
        {
            var v = new Vector<float>(s.Slice(i, w));
            // |v| <= MaxValue is false for NaN and ±∞.
            if (!Vector.LessThanOrEqualAll(Vector.Abs(v), big)) break; // finish this and the rest in the scalar loop
            vmin = Vector.Min(vmin, v);
            vmax = Vector.Max(vmax, v);
            Vector.Widen(v, out Vector<double> lo, out Vector<double> hi);
            vsum += lo + hi;
        }
        for (int k = 0; k < w; k++) { min = Math.Min(min, vmin[k]); max = Math.Max(max, vmax[k]); }
        sum = Vector.Sum(vsum);
        count = i;
        for (; i < s.Length; i++)
        {
            float v = s[i];
            if (float.IsNaN(v)) { nan++; continue; }
            if (float.IsInfinity(v)) { inf++; continue; }
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
            count++;
        }
    }
}
