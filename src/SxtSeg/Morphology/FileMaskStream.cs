using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>An in-memory volume as a mask stream (non-zero = foreground).</summary>
internal sealed class VolumeMaskStream : IMaskStream
{
    private readonly Volume<byte> _v;
    private int _z;

    public VolumeMaskStream(Volume<byte> v)
    {
        _v = v;
        Info = new VolumeInfo(v.Nx, v.Ny, v.Nz, VoxelType.UInt8, v.VoxelSize) { OriginNm = v.OriginNm };
    }

    public VolumeInfo Info { get; }

    public void Reset() => _z = 0;

    public void ReadNext(Span<byte> dest)
    {
        if (_z >= _v.Nz) throw new InvalidOperationException("read past the last slice");
        MaskStreams.Binarize(_v.Slice(_z++), dest);
    }
}

/// <summary>A label file binarised slice by slice by a <see cref="ForegroundRule"/>.</summary>
public sealed class FileMaskStream : IMaskStream, IDisposable
{
    private readonly IVolumeReader _reader;
    private readonly byte[]? _bytes;
    private readonly uint[]? _uints;
    private readonly float[]? _floats;
    private int _z;
    private double _firstValue = double.NaN;

    internal FileMaskStream(IVolumeReader reader, ForegroundRule rule, VoxelSize? voxelSize)
    {
        _reader = reader;
        Rule = rule;
        var info = reader.Info;
        Info = info with { Type = VoxelType.UInt8, VoxelSize = voxelSize ?? info.VoxelSize };
        switch (info.Type)
        {
            case VoxelType.UInt8: _bytes = new byte[info.SliceLength]; break;
            case VoxelType.UInt16 or VoxelType.UInt32: _uints = new uint[info.SliceLength]; break;
            default: _floats = new float[info.SliceLength]; break;
        }
    }

    /// <summary>The file being read.</summary>
    public string Path => _reader.Path;

    /// <summary>The rule applied.</summary>
    public ForegroundRule Rule { get; }

    /// <summary>The value found besides 0 in a binary mask (NaN until one is seen).</summary>
    public double ForegroundValue => _firstValue;

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public void Reset() => _z = 0;

    /// <inheritdoc />
    public void ReadNext(Span<byte> dest)
    {
        if (_z >= Info.Nz) throw new InvalidOperationException("read past the last slice");
        int z = _z++;
        if (_bytes is not null)
        {
            _reader.ReadSlice<byte>(z, _bytes);
            ApplyBytes(_bytes, dest, z);
        }
        else if (_uints is not null)
        {
            _reader.ReadSlice<uint>(z, _uints);
            ApplyUInts(_uints, dest, z);
        }
        else
        {
            _reader.ReadSlice<float>(z, _floats!);
            ApplyFloats(_floats!, dest, z);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    private void ApplyBytes(ReadOnlySpan<byte> src, Span<byte> dest, int z)
    {
        switch (Rule.Mode)
        {
            case ForegroundMode.Binary:
                CheckBinary(src, z);
                MaskStreams.Binarize(src, dest);
                break;
            case ForegroundMode.NonZero:
                MaskStreams.Binarize(src, dest);
                break;
            default:
                for (int i = 0; i < src.Length; i++) dest[i] = Decide(src[i]);
                break;
        }
    }

    private void ApplyUInts(ReadOnlySpan<uint> src, Span<byte> dest, int z)
    {
        if (Rule.Mode == ForegroundMode.Binary) CheckBinary(src, z);
        if (Rule.Mode is ForegroundMode.Binary or ForegroundMode.NonZero)
        {
            for (int i = 0; i < src.Length; i++) dest[i] = src[i] != 0 ? (byte)1 : (byte)0;
            return;
        }
        for (int i = 0; i < src.Length; i++) dest[i] = Decide(src[i]);
    }

    private void ApplyFloats(ReadOnlySpan<float> src, Span<byte> dest, int z)
    {
        switch (Rule.Mode)
        {
            case ForegroundMode.Binary:
                for (int i = 0; i < src.Length; i++)
                {
                    float v = src[i];
                    if (v == 0) { dest[i] = 0; continue; }
                    if (!float.IsFinite(v) || v != MathF.Round(v))
                        throw new InvalidInputException(Path, string.Create(CultureInfo.InvariantCulture,
                            $"not a binary label volume: slice {z} holds the non-integer value {v:G6} (a probability map?); binarise it with --above T (voxels above T become foreground)"));
                    SeeValue(v, z);
                    dest[i] = 1;
                }
                break;
            case ForegroundMode.NonZero:
                for (int i = 0; i < src.Length; i++) dest[i] = src[i] != 0 && !float.IsNaN(src[i]) ? (byte)1 : (byte)0;
                break;
            default:
                for (int i = 0; i < src.Length; i++) dest[i] = Decide(src[i]);
                break;
        }
    }

    private byte Decide(double v) => Rule.Mode == ForegroundMode.Threshold
        ? (v > Rule.Value ? (byte)1 : (byte)0)
        : (v == Rule.Value ? (byte)1 : (byte)0);

    private void CheckBinary(ReadOnlySpan<byte> src, int z)
    {
        int i = src.IndexOfAnyExcept((byte)0);
        if (i < 0) return;
        SeeValue(src[i], z);
        byte v = (byte)_firstValue;
        int j = src.IndexOfAnyExcept((byte)0, v);
        if (j >= 0) SeeValue(src[j], z);
    }

    private void CheckBinary(ReadOnlySpan<uint> src, int z)
    {
        int i = src.IndexOfAnyExcept(0u);
        if (i < 0) return;
        SeeValue(src[i], z);
        uint v = (uint)_firstValue;
        int j = src.IndexOfAnyExcept(0u, v);
        if (j >= 0) SeeValue(src[j], z);
    }

    private void SeeValue(double v, int z)
    {
        if (double.IsNaN(_firstValue)) { _firstValue = v; return; }
        if (v == _firstValue) return;
        double a = Math.Min(v, _firstValue), b = Math.Max(v, _firstValue);
        throw new InvalidInputException(Path, string.Create(CultureInfo.InvariantCulture,
            $"not a binary label volume: it holds at least two non-zero values ({a:G6} and {b:G6}, seen by slice {z}); use --instances to treat each value as one object, --select V to keep one value (e.g. a MIB material), --nonzero to merge all non-zero voxels, or --above T"));
    }
}
