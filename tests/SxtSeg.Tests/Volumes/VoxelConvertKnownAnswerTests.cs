using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// Voxel type names and conversions against hand-worked answers: rounding half away from zero,
/// saturation at each integer type's range, NaN to 0, conversions longer than one internal chunk
/// (4096 values), the float fast path, byte swapping and the length checks.
/// </summary>
public sealed class VoxelConvertKnownAnswerTests
{
    [Theory]
    [InlineData("uint8", VoxelType.UInt8)]
    [InlineData("u8", VoxelType.UInt8)]
    [InlineData("byte", VoxelType.UInt8)]
    [InlineData("int8", VoxelType.Int8)]
    [InlineData("i8", VoxelType.Int8)]
    [InlineData("sbyte", VoxelType.Int8)]
    [InlineData("int16", VoxelType.Int16)]
    [InlineData("i16", VoxelType.Int16)]
    [InlineData("short", VoxelType.Int16)]
    [InlineData("uint16", VoxelType.UInt16)]
    [InlineData("u16", VoxelType.UInt16)]
    [InlineData("ushort", VoxelType.UInt16)]
    [InlineData("uint32", VoxelType.UInt32)]
    [InlineData("u32", VoxelType.UInt32)]
    [InlineData("float32", VoxelType.Float32)]
    [InlineData("f32", VoxelType.Float32)]
    [InlineData("float", VoxelType.Float32)]
    [InlineData("float16", VoxelType.Float16)]
    [InlineData("f16", VoxelType.Float16)]
    [InlineData("half", VoxelType.Float16)]
    [InlineData("FLOAT32", VoxelType.Float32)]
    public void TypeNamesAndTheirShortFormsAreKnown(string name, VoxelType type) => Assert.Equal(type, VoxelTypes.Parse(name));

    [Fact]
    public void AnUnknownTypeNameListsTheKnownOnes()
    {
        var e = Assert.Throws<InvalidOptionException>(() => VoxelTypes.Parse("double"));
        Assert.Equal((nameof(ConvertOptions.Type), "unknown voxel type 'double' (use uint8, int8, int16, uint16, uint32, float32 or float16)"), (e.Option, e.Problem));
    }

    private static readonly double[] Values = { -1e10, -128.5, -0.5, 0.4, 0.5, 2.5, 127.5, 255.5, 1e10, double.NaN };

    [Fact]
    public void IntegersAreRoundedHalfAwayFromZeroAndSaturated()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 3, 128, 255, 255, 0 }, Convert<byte>());
        Assert.Equal(new sbyte[] { -128, -128, -1, 0, 1, 3, 127, 127, 127, 0 }, Convert<sbyte>());
        Assert.Equal(new short[] { -32768, -129, -1, 0, 1, 3, 128, 256, 32767, 0 }, Convert<short>());
        Assert.Equal(new ushort[] { 0, 0, 0, 0, 1, 3, 128, 256, 65535, 0 }, Convert<ushort>());
        Assert.Equal(new uint[] { 0, 0, 0, 0, 1, 3, 128, 256, uint.MaxValue, 0 }, Convert<uint>());
        Assert.Equal(new[] { -1e10f, -128.5f, -0.5f, 0.4f, 0.5f, 2.5f, 127.5f, 255.5f, 1e10f }, Convert<float>()[..9]);
        Assert.Equal((Half)2.5, Convert<Half>()[5]);
        Assert.True(Half.IsNegativeInfinity(Convert<Half>()[0])); // beyond float16's range
        Assert.Throws<NotSupportedException>(() => VoxelConvert.FromDouble<long>(Values, new long[Values.Length]));
    }

    private static T[] Convert<T>() where T : unmanaged
    {
        var d = new T[Values.Length];
        VoxelConvert.FromDouble<T>(Values, d);
        return d;
    }

    [Fact]
    public void LongSlicesAreConvertedAcrossChunks()
    {
        // 10,005 uint16 values v = 7 i mod 65536 read as int16: saturated at 32767
        const int n = 10_005;
        var raw = new ushort[n];
        for (int i = 0; i < n; i++) raw[i] = (ushort)(7 * i % 65536);
        var shorts = new short[n];
        VoxelConvert.FromRaw<short>(MemoryMarshal.AsBytes(raw.AsSpan()), VoxelType.UInt16, shorts);
        for (int i = 0; i < n; i++) Assert.Equal((short)Math.Min(7 * i % 65536, 32767), shorts[i]);
        // and written back from float as uint8: −10..289 clamped to 0..255
        var floats = new float[n];
        for (int i = 0; i < n; i++) floats[i] = i % 300 - 10;
        var bytes = new byte[n];
        VoxelConvert.ToRaw<float>(floats, VoxelType.UInt8, bytes);
        for (int i = 0; i < n; i++) Assert.Equal((byte)Math.Clamp(i % 300 - 10, 0, 255), bytes[i]);
    }

    [Theory]
    [InlineData(VoxelType.UInt8, new[] { 0.0, 255.0 })]
    [InlineData(VoxelType.Int8, new[] { -128.0, 127.0 })]
    [InlineData(VoxelType.Int16, new[] { -1.0, 300.0 })]
    [InlineData(VoxelType.UInt16, new[] { 0.0, 65535.0 })]
    [InlineData(VoxelType.UInt32, new[] { 0.0, 4e9 })]
    [InlineData(VoxelType.Float32, new[] { -1.5, 3.25 })]
    [InlineData(VoxelType.Float16, new[] { -1.5, 3.25 })]
    public void EveryTypeIsWrittenAndReadBackExactlyWithinItsRange(VoxelType type, double[] values)
    {
        var raw = new byte[values.Length * type.Size()];
        VoxelConvert.ToRaw<float>(values.Select(v => (float)v).ToArray(), type, raw);
        var back = new double[values.Length];
        VoxelConvert.ToDouble(raw, type, back);
        Assert.Equal(values, back);
        var f = new float[values.Length];
        VoxelConvert.ToFloat(raw, type, f);
        Assert.Equal(values.Select(v => (float)v), f);
        var viaFromRaw = new float[values.Length];
        VoxelConvert.FromRaw<float>(raw, type, viaFromRaw);
        Assert.Equal(f, viaFromRaw);
    }

    [Fact]
    public void ShortBuffersAreRefused()
    {
        Assert.Contains("source too short", Assert.Throws<ArgumentException>(() => VoxelConvert.FromRaw<float>(new byte[7], VoxelType.Float32, new float[2])).Message, StringComparison.Ordinal);
        Assert.Contains("destination too short", Assert.Throws<ArgumentException>(() => VoxelConvert.ToRaw<float>(new float[2], VoxelType.UInt16, new byte[3])).Message, StringComparison.Ordinal);
        // exactly long enough is fine
        VoxelConvert.FromRaw<float>(new byte[8], VoxelType.Float32, new float[2]);
        VoxelConvert.ToRaw<float>(new float[2], VoxelType.UInt16, new byte[4]);
    }

    [Fact]
    public void BytesAreSwappedWithinEachElement()
    {
        byte[] d = { 1, 2, 3, 4, 5, 6, 7, 8 };
        VoxelConvert.SwapBytes(d, 1);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, d);
        VoxelConvert.SwapBytes(d, 2);
        Assert.Equal(new byte[] { 2, 1, 4, 3, 6, 5, 8, 7 }, d);
        VoxelConvert.SwapBytes(d, 2);
        VoxelConvert.SwapBytes(d, 4);
        Assert.Equal(new byte[] { 4, 3, 2, 1, 8, 7, 6, 5 }, d);
    }
}
