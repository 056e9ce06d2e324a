using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Gold beads from a tomogram: gold absorbs about a hundred times more than cytoplasm, so its
/// voxels are far brighter than anything biological. Voxels above the threshold (default 2.5 ×
/// the tomogram's 99.9th percentile, estimated from about a million evenly spaced voxels) are gold.
/// </summary>
internal sealed class BeadFinder
{
    private readonly IVolumeReader _tomogram;

    private BeadFinder(IVolumeReader tomogram, float threshold)
    {
        _tomogram = tomogram;
        Threshold = threshold;
    }

    /// <summary>Values above this are gold.</summary>
    public float Threshold { get; }

    /// <summary>Finds the threshold (one pass over the tomogram unless it is given).</summary>
    public static BeadFinder Build(IVolumeReader tomogram, double? threshold, IProgress<ProgressUpdate>? progress, CancellationToken cancellation)
    {
        if (threshold is { } t) return new BeadFinder(tomogram, (float)t);
        var info = tomogram.Info;
        long stride = Math.Max(1, info.VoxelCount / 1_000_000);
        var sample = new List<float>();
        var slice = new float[info.SliceLength];
        long next = 0, offset = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            cancellation.ThrowIfCancellationRequested();
            tomogram.ReadSlice<float>(z, slice);
            for (; next < offset + slice.Length; next += stride)
            {
                float v = slice[next - offset];
                if (float.IsFinite(v)) sample.Add(v);
            }
            offset += slice.Length;
            progress.Report("reading the tomogram", z + 1, info.Nz, "slices");
        }
        if (sample.Count == 0) return new BeadFinder(tomogram, float.PositiveInfinity);
        var sorted = sample.ToArray();
        Array.Sort(sorted);
        float p999 = sorted[(int)Math.Round(0.999 * (sorted.Length - 1))];
        return new BeadFinder(tomogram, p999 > 0 ? 2.5f * p999 : float.PositiveInfinity);
    }

    /// <summary>Streams the gold mask (1 = gold).</summary>
    public IMaskStream Beads() => new BeadStream(this);

    private sealed class BeadStream(BeadFinder f) : IMaskStream
    {
        private readonly float[] _slice = new float[f._tomogram.Info.SliceLength];
        private int _z;

        public VolumeInfo Info { get; } = f._tomogram.Info with { Type = VoxelType.UInt8 };

        public void Reset() => _z = 0;

        public void ReadNext(Span<byte> dest)
        {
            f._tomogram.ReadSlice<float>(_z++, _slice);
            float t = f.Threshold;
            for (int i = 0; i < dest.Length; i++) dest[i] = _slice[i] > t ? (byte)1 : (byte)0;
        }
    }
}
