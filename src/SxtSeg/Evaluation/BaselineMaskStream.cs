using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// A threshold baseline as a mask stream: per-slice z-score over the whole slice (like, but simpler than,
/// the network input's <see cref="SxtSeg.Network.SliceNormalization"/>, which uses the real image area), then Otsu or
/// adaptive thresholding, the optional cell mask and border crop; callers add the same 3D
/// post-processing as the network (<see cref="PostProcessing.Chain"/>).
/// </summary>
public sealed class BaselineMaskStream : IMaskStream
{
    private readonly IVolumeReader _reader;
    private readonly BaselineKind _kind;
    private readonly CellMask? _cellMask;
    private readonly int _crop, _radius;
    private readonly float _offset;
    private readonly float[] _slice;
    private readonly byte[] _tmp;
    private int _z;

    /// <summary>Creates the stream; for Otsu this makes one pass over the tomogram to choose the threshold.</summary>
    public BaselineMaskStream(IVolumeReader tomogram, BaselineKind kind, CellMask? cellMask = null, int cropBorder = 0, int radius = 8, float offsetStd = 0.5f)
    {
        _reader = tomogram;
        _kind = kind;
        _cellMask = cellMask;
        _crop = cropBorder;
        _radius = radius;
        _offset = offsetStd;
        Info = tomogram.Info with { Type = VoxelType.UInt8 };
        _slice = new float[Info.SliceLength];
        _tmp = new byte[Info.SliceLength];
        if (kind == BaselineKind.Otsu) Threshold = GlobalOtsu();
    }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <summary>The Otsu threshold in z-score units (NaN for the adaptive baseline).</summary>
    public float Threshold { get; } = float.NaN;

    private float GlobalOtsu()
    {
        // Sample every slice (strided) of the z-scored tomogram: at most ~4 M values in all.
        int stride = (int)Math.Max(1, Info.VoxelCount / (4L << 20));
        var sample = new List<float>();
        for (int z = 0; z < Info.Nz; z++)
        {
            Load(z);
            for (int i = (z * 7) % stride; i < _slice.Length; i += stride) sample.Add(_slice[i]);
        }
        return Thresholds.Otsu(sample.ToArray());
    }

    private void Load(int z)
    {
        _reader.ReadSlice<float>(z, _slice);
        double sum = 0, ss = 0;
        int n = 0;
        foreach (float v in _slice) if (float.IsFinite(v)) { sum += v; n++; }
        double mean = n > 0 ? sum / n : 0;
        foreach (float v in _slice) if (float.IsFinite(v)) ss += (v - mean) * (v - mean);
        double std = n > 1 ? Math.Sqrt(ss / n) : 1;
        float inv = std > 0 ? (float)(1 / std) : 1f;
        for (int i = 0; i < _slice.Length; i++) _slice[i] = float.IsFinite(_slice[i]) ? (float)((_slice[i] - mean) * inv) : 0f;
    }

    /// <inheritdoc />
    public void Reset() => _z = 0;

    /// <inheritdoc />
    public void ReadNext(Span<byte> dest)
    {
        int z = _z++;
        Load(z);
        int n = _slice.Length;
        if (_kind == BaselineKind.Otsu)
            for (int i = 0; i < n; i++) dest[i] = _slice[i] > Threshold ? (byte)1 : (byte)0;
        else
        {
            Thresholds.AdaptiveMean(_slice, Info.Nx, Info.Ny, _radius, _offset, _tmp);
            _tmp.AsSpan(0, n).CopyTo(dest);
        }
        _cellMask?.Apply(z, dest[..n]);
        PostProcessing.CropBorder(dest, z, Info.Nx, Info.Ny, Info.Nz, _crop);
    }
}
