using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>Voxel neighbourhoods in 3D (and the matching ones in a slice: 4 for 6, 8 for 18 and 26).</summary>
public enum Connectivity
{
    /// <summary>Face neighbours (6).</summary>
    Six = 6,
    /// <summary>Face and edge neighbours (18).</summary>
    Eighteen = 18,
    /// <summary>Face, edge and corner neighbours (26), MATLAB's and MIB's default.</summary>
    TwentySix = 26,
}

/// <summary>Parsing and facts about <see cref="Connectivity"/>.</summary>
public static class Connectivities
{
    /// <summary>Parses "6", "18" or "26".</summary>
    public static Connectivity Parse(string s, string option = "--connectivity") => s.Trim() switch
    {
        "6" => Connectivity.Six,
        "18" => Connectivity.Eighteen,
        "26" => Connectivity.TwentySix,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a connectivity (use 6, 18 or 26)"),
    };

    /// <summary>The connectivity of the background that is complementary to a foreground connectivity (6 ↔ 26, 18 → 6).</summary>
    public static Connectivity Complement(this Connectivity c) => c == Connectivity.Six ? Connectivity.TwentySix : Connectivity.Six;

    /// <summary>True when diagonal neighbours within a slice count (18 and 26).</summary>
    public static bool EightInPlane(this Connectivity c) => c != Connectivity.Six;
}

/// <summary>
/// A binary mask delivered slice by slice in z order, restartable with <see cref="Reset"/>.
/// Slices hold 1 for foreground and 0 for background. Streams can be chained (erosion, hole
/// filling, small-object removal) without ever holding the volume in memory; each pass of a
/// consumer re-reads the chain from its source.
/// </summary>
public interface IMaskStream
{
    /// <summary>Shape, voxel size (nm, may be null) and origin; type is uint8.</summary>
    VolumeInfo Info { get; }

    /// <summary>Starts again at slice 0.</summary>
    void Reset();

    /// <summary>Writes the next slice (Nx·Ny bytes, 0 or 1) into <paramref name="dest"/>.</summary>
    void ReadNext(Span<byte> dest);
}

/// <summary>How the values of a label file become foreground.</summary>
public enum ForegroundMode
{
    /// <summary>
    /// A binary mask is expected: 0 is background and every voxel with the single other value
    /// (1, 255, any) is foreground. A second distinct non-zero value, or a non-integer value,
    /// is refused with a message saying how to proceed.
    /// </summary>
    Binary,
    /// <summary>Every non-zero voxel is foreground, whatever its value.</summary>
    NonZero,
    /// <summary>Voxels with a value strictly above <see cref="ForegroundRule.Value"/> are foreground (probability maps).</summary>
    Threshold,
    /// <summary>Voxels equal to <see cref="ForegroundRule.Value"/> are foreground (one material of a MIB model, one class of a class map).</summary>
    Select,
}

/// <summary>A rule turning label-file values into a binary mask.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Value">Threshold or selected value (unused for <see cref="ForegroundMode.Binary"/> and <see cref="ForegroundMode.NonZero"/>).</param>
public sealed record ForegroundRule(ForegroundMode Mode, double Value = 0)
{
    /// <summary>The default: binary masks (0 and one other value, such as 0/1 or 0/255 from MIB or Fiji).</summary>
    public static ForegroundRule Binary { get; } = new(ForegroundMode.Binary);

    /// <summary>Every non-zero voxel is foreground.</summary>
    public static ForegroundRule NonZero { get; } = new(ForegroundMode.NonZero);

    /// <summary>Values above <paramref name="t"/> are foreground.</summary>
    public static ForegroundRule Above(double t) => new(ForegroundMode.Threshold, t);

    /// <summary>Values equal to <paramref name="v"/> are foreground.</summary>
    public static ForegroundRule Equal(double v) => new(ForegroundMode.Select, v);

    /// <summary>One line describing the rule, for provenance and messages.</summary>
    public string Describe() => Mode switch
    {
        ForegroundMode.Binary => "binary mask: 0 = background, the other value = foreground",
        ForegroundMode.NonZero => "every non-zero voxel is foreground",
        ForegroundMode.Threshold => string.Create(CultureInfo.InvariantCulture, $"voxels > {Value} are foreground"),
        _ => string.Create(CultureInfo.InvariantCulture, $"voxels = {Value} are foreground"),
    };

    /// <summary>Short form for provenance ("binary", "nonzero", "threshold:0.5", "select:2").</summary>
    public override string ToString() => Mode switch
    {
        ForegroundMode.Binary => "binary",
        ForegroundMode.NonZero => "nonzero",
        ForegroundMode.Threshold => string.Create(CultureInfo.InvariantCulture, $"threshold:{Value}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"select:{Value}"),
    };
}

/// <summary>Factories for mask streams.</summary>
public static class MaskStreams
{
    /// <summary>Streams a volume held in memory; every non-zero voxel is foreground.</summary>
    public static IMaskStream FromVolume(Volume<byte> mask) => new VolumeMaskStream(mask);

    /// <summary>
    /// Streams a label file (MRC, TIFF, folder of TIFFs) through a <see cref="ForegroundRule"/>.
    /// The file stays open until the returned stream is disposed. Problems in the values
    /// (non-binary input under <see cref="ForegroundMode.Binary"/>) are reported as
    /// <see cref="InvalidInputException"/> while reading, before any output is committed.
    /// </summary>
    /// <param name="reader">An open reader (owned by the stream).</param>
    /// <param name="rule">How values become foreground.</param>
    /// <param name="voxelSize">Voxel size overriding the file's (nm), or null to keep the file's.</param>
    public static FileMaskStream FromReader(IVolumeReader reader, ForegroundRule rule, VoxelSize? voxelSize = null)
        => new(reader, rule, voxelSize);

    /// <summary>
    /// <paramref name="mask"/> with the foreground of <paramref name="exclude"/> removed (same shape): e.g.
    /// membranes outside an ignore mask. Both streams are owned by the result only if the caller disposes them.
    /// </summary>
    public static IMaskStream Except(this IMaskStream mask, IMaskStream exclude)
    {
        var a = mask.Info;
        var b = exclude.Info;
        if (a.Nx != b.Nx || a.Ny != b.Ny || a.Nz != b.Nz) throw new ArgumentException("mask streams differ in shape", nameof(exclude));
        return new ExceptMaskStream(mask, exclude);
    }

    private sealed class ExceptMaskStream(IMaskStream mask, IMaskStream exclude) : IMaskStream
    {
        private byte[] _buf = Array.Empty<byte>();

        public VolumeInfo Info => mask.Info;

        public void Reset()
        {
            mask.Reset();
            exclude.Reset();
        }

        public void ReadNext(Span<byte> dest)
        {
            if (_buf.Length != dest.Length) _buf = new byte[dest.Length];
            mask.ReadNext(dest);
            exclude.ReadNext(_buf);
            for (int i = 0; i < dest.Length; i++) if (_buf[i] != 0) dest[i] = 0;
        }
    }

    /// <summary>Reads a whole stream into a volume of 0/1 bytes (only for volumes that fit in memory).</summary>
    public static Volume<byte> ToVolume(this IMaskStream stream)
    {
        var info = stream.Info;
        var v = new Volume<byte>(info.Nx, info.Ny, info.Nz, info.VoxelSize) { OriginNm = info.OriginNm };
        stream.Reset();
        for (int z = 0; z < info.Nz; z++) stream.ReadNext(v.Slice(z));
        return v;
    }

    /// <summary>Counts the foreground voxels of a stream (one pass).</summary>
    public static long CountForeground(this IMaskStream stream)
    {
        var info = stream.Info;
        var buf = new byte[info.SliceLength];
        stream.Reset();
        long n = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            stream.ReadNext(buf);
            n += buf.Length - buf.AsSpan().Count((byte)0);
        }
        return n;
    }

    /// <summary>Sets dest[i] = 1 where src[i] ≠ 0, else 0 (vectorised).</summary>
    internal static void Binarize(ReadOnlySpan<byte> src, Span<byte> dest)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<byte>.One;
            var vs = MemoryMarshal.Cast<byte, Vector<byte>>(src);
            var vd = MemoryMarshal.Cast<byte, Vector<byte>>(dest);
            for (int k = 0; k < vs.Length; k++) vd[k] = Vector.Min(vs[k], one);
            i = vs.Length * Vector<byte>.Count;
        }
        for (; i < src.Length; i++) dest[i] = src[i] != 0 ? (byte)1 : (byte)0;
    }
}

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
                            $"not a binary label volume: slice {z} holds the non-integer value {v:G6} (a probability map?); binarise it with --threshold T (voxels above T become foreground)"));
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
            $"not a binary label volume: it holds at least two non-zero values ({a:G6} and {b:G6}, seen by slice {z}); use --instances to treat each value as one object, --select V to keep one value (e.g. a MIB material), --nonzero to merge all non-zero voxels, or --threshold T"));
    }
}
