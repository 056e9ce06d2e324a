using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SxtSeg.Volumes;

/// <summary>
/// Conversions between raw voxel bytes of a <see cref="VoxelType"/> (native byte order) and typed
/// spans. Narrowing conversions round to nearest and saturate at the target's range; NaN becomes 0
/// in integer targets.
/// </summary>
public static class VoxelConvert
{
    private const int Chunk = 4096;

    /// <summary>Converts <paramref name="src"/> (voxels of <paramref name="srcType"/>) into <paramref name="dest"/>.</summary>
    public static void FromRaw<T>(ReadOnlySpan<byte> src, VoxelType srcType, Span<T> dest) where T : unmanaged
    {
        int n = dest.Length;
        if (src.Length < (long)n * srcType.Size()) throw new ArgumentException("source too short", nameof(src));
        if (VoxelTypes.Of<T>() == srcType)
        {
            src[..(n * srcType.Size())].CopyTo(MemoryMarshal.AsBytes(dest));
            return;
        }
        if (typeof(T) == typeof(float))
        {
            ToFloat(src, srcType, MemoryMarshal.Cast<T, float>(dest));
            return;
        }
        double[] buf = new double[Math.Min(n, Chunk)];
        for (int i = 0; i < n; i += Chunk)
        {
            int m = Math.Min(Chunk, n - i);
            ToDouble(src.Slice(i * srcType.Size(), m * srcType.Size()), srcType, buf.AsSpan(0, m));
            FromDouble(buf.AsSpan(0, m), dest.Slice(i, m));
        }
    }

    /// <summary>Converts typed voxels into raw bytes of <paramref name="dstType"/>.</summary>
    public static void ToRaw<T>(ReadOnlySpan<T> src, VoxelType dstType, Span<byte> dest) where T : unmanaged
    {
        int n = src.Length;
        if (dest.Length < (long)n * dstType.Size()) throw new ArgumentException("destination too short", nameof(dest));
        if (VoxelTypes.Of<T>() == dstType)
        {
            MemoryMarshal.AsBytes(src).CopyTo(dest);
            return;
        }
        double[] buf = new double[Math.Min(n, Chunk)];
        for (int i = 0; i < n; i += Chunk)
        {
            int m = Math.Min(Chunk, n - i);
            var d = buf.AsSpan(0, m);
            ToDouble(MemoryMarshal.AsBytes(src.Slice(i, m)), VoxelTypes.Of<T>(), d);
            var o = dest.Slice(i * dstType.Size(), m * dstType.Size());
            switch (dstType)
            {
                case VoxelType.UInt8: FromDouble<byte>(d, o); break;
                case VoxelType.Int8: FromDouble(d, MemoryMarshal.Cast<byte, sbyte>(o)); break;
                case VoxelType.Int16: FromDouble(d, MemoryMarshal.Cast<byte, short>(o)); break;
                case VoxelType.UInt16: FromDouble(d, MemoryMarshal.Cast<byte, ushort>(o)); break;
                case VoxelType.UInt32: FromDouble(d, MemoryMarshal.Cast<byte, uint>(o)); break;
                case VoxelType.Float32: FromDouble(d, MemoryMarshal.Cast<byte, float>(o)); break;
                case VoxelType.Float16: FromDouble(d, MemoryMarshal.Cast<byte, Half>(o)); break;
            }
        }
    }

    /// <summary>Converts any element type to float32.</summary>
    public static void ToFloat(ReadOnlySpan<byte> src, VoxelType srcType, Span<float> dest)
    {
        int n = dest.Length;
        switch (srcType)
        {
            case VoxelType.Float32: src[..(n * 4)].CopyTo(MemoryMarshal.AsBytes(dest)); break;
            case VoxelType.UInt8: for (int i = 0; i < n; i++) dest[i] = src[i]; break;
            case VoxelType.Int8: { var s = MemoryMarshal.Cast<byte, sbyte>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.Int16: { var s = MemoryMarshal.Cast<byte, short>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.UInt16: { var s = MemoryMarshal.Cast<byte, ushort>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.UInt32: { var s = MemoryMarshal.Cast<byte, uint>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.Float16: { var s = MemoryMarshal.Cast<byte, Half>(src); for (int i = 0; i < n; i++) dest[i] = (float)s[i]; break; }
            default: throw new ArgumentOutOfRangeException(nameof(srcType));
        }
    }

    /// <summary>Converts any element type to double.</summary>
    public static void ToDouble(ReadOnlySpan<byte> src, VoxelType srcType, Span<double> dest)
    {
        int n = dest.Length;
        switch (srcType)
        {
            case VoxelType.Float32: { var s = MemoryMarshal.Cast<byte, float>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.UInt8: for (int i = 0; i < n; i++) dest[i] = src[i]; break;
            case VoxelType.Int8: { var s = MemoryMarshal.Cast<byte, sbyte>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.Int16: { var s = MemoryMarshal.Cast<byte, short>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.UInt16: { var s = MemoryMarshal.Cast<byte, ushort>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.UInt32: { var s = MemoryMarshal.Cast<byte, uint>(src); for (int i = 0; i < n; i++) dest[i] = s[i]; break; }
            case VoxelType.Float16: { var s = MemoryMarshal.Cast<byte, Half>(src); for (int i = 0; i < n; i++) dest[i] = (double)s[i]; break; }
            default: throw new ArgumentOutOfRangeException(nameof(srcType));
        }
    }

    /// <summary>Narrows doubles into <typeparamref name="T"/>: round to nearest, saturate, NaN → 0 for integers.</summary>
    public static void FromDouble<T>(ReadOnlySpan<double> src, Span<T> dest) where T : unmanaged
    {
        int n = src.Length;
        if (typeof(T) == typeof(float)) { var d = MemoryMarshal.Cast<T, float>(dest); for (int i = 0; i < n; i++) d[i] = (float)src[i]; }
        else if (typeof(T) == typeof(Half)) { var d = MemoryMarshal.Cast<T, Half>(dest); for (int i = 0; i < n; i++) d[i] = (Half)src[i]; }
        else if (typeof(T) == typeof(byte)) { var d = MemoryMarshal.Cast<T, byte>(dest); for (int i = 0; i < n; i++) d[i] = (byte)Sat(src[i], 0, 255); }
        else if (typeof(T) == typeof(sbyte)) { var d = MemoryMarshal.Cast<T, sbyte>(dest); for (int i = 0; i < n; i++) d[i] = (sbyte)Sat(src[i], -128, 127); }
        else if (typeof(T) == typeof(short)) { var d = MemoryMarshal.Cast<T, short>(dest); for (int i = 0; i < n; i++) d[i] = (short)Sat(src[i], short.MinValue, short.MaxValue); }
        else if (typeof(T) == typeof(ushort)) { var d = MemoryMarshal.Cast<T, ushort>(dest); for (int i = 0; i < n; i++) d[i] = (ushort)Sat(src[i], 0, ushort.MaxValue); }
        else if (typeof(T) == typeof(uint)) { var d = MemoryMarshal.Cast<T, uint>(dest); for (int i = 0; i < n; i++) d[i] = (uint)Sat(src[i], 0, uint.MaxValue); }
        else throw new NotSupportedException(typeof(T).Name);
    }

    private static double Sat(double v, double lo, double hi)
    {
        if (double.IsNaN(v)) return 0;
        v = Math.Round(v, MidpointRounding.AwayFromZero);
        return v < lo ? lo : v > hi ? hi : v;
    }

    /// <summary>Reverses the byte order of each element in place (big-endian files).</summary>
    public static void SwapBytes(Span<byte> data, int elementSize)
    {
        switch (elementSize)
        {
            case 1: return;
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(data)); return;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(data)); return;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize));
        }
    }
}
