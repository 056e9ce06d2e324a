using System.Buffers.Binary;
using System.Text;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

public sealed class MrcTests
{
    [Theory]
    [MemberData(nameof(VolumeFixtures.AllTypes), MemberType = typeof(VolumeFixtures))]
    public void WriteThenReadIsBitExactForEveryMode(string type)
    {
        using var dir = new TempDir();
        // Given / When
        byte[] expected = VolumeFixtures.WritePattern(type, dir.File("v.mrc"));
        byte[] actual = VolumeFixtures.ReadRaw(dir.File("v.mrc"), out var info);
        // Then
        Assert.Equal((7, 5, 3), (info.Nx, info.Ny, info.Nz));
        if (VoxelTypes.Parse(type) == VoxelType.UInt8)
        {
            // MRC2014 readers take mode 0 as signed: uint8 data above 127 are stored as uint16 (mode 6), same values.
            Assert.Equal(VoxelType.UInt16, info.Type);
            Assert.Equal(expected.Select(b => (double)b), VolumeIO.Read<float>(dir.File("v.mrc")).Data.Select(f => (double)f));
        }
        else
        {
            Assert.Equal(VoxelTypes.Parse(type), info.Type);
            Assert.Equal(expected, actual);
        }
        Assert.Equal(9.8, info.VoxelSize!.Value.X, 5);
        Assert.Equal(9.8, info.VoxelSize!.Value.Z, 5);
        Assert.Equal((1.5, -2.5, 30.0), (Math.Round(info.OriginNm.X, 4), Math.Round(info.OriginNm.Y, 4), Math.Round(info.OriginNm.Z, 4)));
    }

    [Fact]
    public void HeaderHoldsMrc2014FieldsStatisticsAndProvenance()
    {
        using var dir = new TempDir();
        // Given values 0..11 in a 4 × 3 × 1 float volume
        var v = new Volume<float>(4, 3, 1, VoxelSize.Isotropic(13));
        for (int i = 0; i < 12; i++) v.Data[i] = i;
        // When
        VolumeIO.Write(dir.File("s.mrc"), v, new Provenance("unit-test").Set("seed", 7));
        byte[] h = File.ReadAllBytes(dir.File("s.mrc"))[..1024];
        // Then
        Assert.Equal(1024 + 12 * 4, new FileInfo(dir.File("s.mrc")).Length);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(h.AsSpan(12)));            // mode
        Assert.Equal(4 * 130f, BinaryPrimitives.ReadSingleLittleEndian(h.AsSpan(40)));    // cella x in Å
        Assert.Equal("MAP ", Encoding.ASCII.GetString(h, 208, 4));
        Assert.Equal(new byte[] { 0x44, 0x44, 0, 0 }, h[212..216]);
        Assert.Equal(20140, BinaryPrimitives.ReadInt32LittleEndian(h.AsSpan(108)));
        Assert.Equal(0f, BinaryPrimitives.ReadSingleLittleEndian(h.AsSpan(76)));           // dmin
        Assert.Equal(11f, BinaryPrimitives.ReadSingleLittleEndian(h.AsSpan(80)));          // dmax
        Assert.Equal(5.5f, BinaryPrimitives.ReadSingleLittleEndian(h.AsSpan(84)));         // dmean
        // population std of 0..11 = sqrt((12² − 1) / 12)
        Assert.Equal(Math.Sqrt(143.0 / 12), BinaryPrimitives.ReadSingleLittleEndian(h.AsSpan(216)), 5);
        int nlabl = BinaryPrimitives.ReadInt32LittleEndian(h.AsSpan(220));
        Assert.InRange(nlabl, 1, 10);
        string labels = Encoding.ASCII.GetString(h, 224, 80 * nlabl);
        Assert.Contains("sxtseg", labels);
        Assert.Contains("unit-test", labels);
        Assert.Contains("seed=7", labels);
    }

    /// <summary>Builds an MRC file by hand (either byte order, optional extended header).</summary>
    internal static byte[] HandMadeMrc(int nx, int ny, int nz, int mode, byte[] data, bool bigEndian, int nsymbt = 0,
        float cellX = 0, int imodFlags = -1, float dmin = 0, float dmax = 0)
    {
        var h = new byte[1024];
        void I(int o, int v) { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(o), v); else BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(o), v); }
        void F(int o, float v) { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(h.AsSpan(o), v); else BinaryPrimitives.WriteSingleLittleEndian(h.AsSpan(o), v); }
        I(0, nx); I(4, ny); I(8, nz); I(12, mode); I(28, nx); I(32, ny); I(36, nz);
        F(40, cellX); F(44, cellX * ny / nx); F(48, cellX * nz / nx);
        I(64, 1); I(68, 2); I(72, 3); F(76, dmin); F(80, dmax); I(92, nsymbt);
        if (imodFlags >= 0) { I(152, 1146047817); I(156, imodFlags); }
        Encoding.ASCII.GetBytes("MAP ").CopyTo(h, 208);
        h[212] = bigEndian ? (byte)0x11 : (byte)0x44; h[213] = h[212];
        var file = new byte[1024 + nsymbt + data.Length];
        h.CopyTo(file, 0);
        for (int i = 0; i < nsymbt; i++) file[1024 + i] = 0xEE;
        data.CopyTo(file, 1024 + nsymbt);
        return file;
    }

    [Fact]
    public void ReadsBigEndianFilesWithExtendedHeader()
    {
        using var dir = new TempDir();
        // Given int16 values −3, 2, 300, −32768 stored big-endian after a 256-byte extended header
        short[] values = { -3, 2, 300, short.MinValue };
        var data = new byte[8];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * i), values[i]);
        File.WriteAllBytes(dir.File("be.st"), HandMadeMrc(2, 2, 1, 1, data, bigEndian: true, nsymbt: 256, cellX: 196));
        // When
        using var r = VolumeIO.OpenRead(dir.File("be.st"));
        var slice = r.ReadSlice<short>(0);
        // Then
        Assert.True(((MrcReader)r).Header.BigEndian);
        Assert.Equal(values, slice);
        Assert.Equal(9.8, r.Info.VoxelSize!.Value.X, 6); // 196 Å / 2 voxels = 98 Å = 9.8 nm
        Assert.Equal(new float[] { -3, 2, 300, -32768 }, r.ReadSlice<float>(0));
    }

    [Theory]
    [InlineData(1, -1f, 0f, VoxelType.Int8)]     // IMOD stamp, signed flag
    [InlineData(0, -1f, 0f, VoxelType.UInt8)]    // IMOD stamp, no flag: unsigned
    [InlineData(-1, -5f, 100f, VoxelType.Int8)]  // no stamp, min < 0 and max < 128: signed
    [InlineData(-1, 0f, 255f, VoxelType.UInt8)]  // no stamp, max ≥ 128: unsigned
    public void Mode0SignednessFollowsImodRules(int imodFlags, float dmin, float dmax, VoxelType expected)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("b.mrc"), HandMadeMrc(2, 1, 1, 0, new byte[] { 0xFF, 0x01 }, false, imodFlags: imodFlags, dmin: dmin, dmax: dmax));
        using var r = VolumeIO.OpenRead(dir.File("b.mrc"));
        Assert.Equal(expected, r.Info.Type);
        Assert.Empty(r.Info.Notes); // the file states it: nothing to report
        Assert.Equal(expected == VoxelType.Int8 ? new float[] { -1, 1 } : new float[] { 255, 1 }, r.ReadSlice<float>(0));
    }

    [Theory]
    [InlineData(0f, -1f)]   // MRC2014's "not determined"
    [InlineData(0f, 0f)]    // never filled in
    public void Mode0WithoutStampOrStatisticsIsReadAsItsValuesSpreadLeast(float dmin, float dmax)
    {
        using var dir = new TempDir();
        // signed bytes around 0 (−61 … 123, as an int8 export of a tomogram), two slices of 4
        sbyte[] signedValues = { -61, -3, 0, 5, 12, -20, 123, 1 };
        File.WriteAllBytes(dir.File("s.mrc"), HandMadeMrc(4, 1, 2, 0, signedValues.Select(v => (byte)v).ToArray(), false, dmin: dmin, dmax: dmax));
        using (var r = VolumeIO.OpenRead(dir.File("s.mrc")))
        {
            Assert.Equal(VoxelType.Int8, r.Info.Type);
            Assert.Equal(new float[] { 12, -20, 123, 1 }, r.ReadSlice<float>(1));
            Assert.Contains("read as signed (int8)", Assert.Single(r.Info.Notes)); // a guess the user is told of
        }
        // unsigned bytes spanning 128 (an 8-bit image stretched to 0 … 255)
        byte[] unsignedValues = { 90, 140, 200, 60, 128, 250, 30, 170 };
        File.WriteAllBytes(dir.File("u.mrc"), HandMadeMrc(4, 1, 2, 0, unsignedValues, false, dmin: dmin, dmax: dmax));
        using (var r = VolumeIO.OpenRead(dir.File("u.mrc")))
        {
            Assert.Equal(VoxelType.UInt8, r.Info.Type);
            Assert.Equal(new float[] { 128, 250, 30, 170 }, r.ReadSlice<float>(1));
            Assert.Contains("read as unsigned (uint8)", Assert.Single(r.Info.Notes));
        }
        // a 0/255 mask (read signed, its labels would become −1, and 0 as bytes): unsigned, labels kept
        byte[] mask = { 0, 255, 0, 0, 255, 255, 0, 0 };
        File.WriteAllBytes(dir.File("m.mrc"), HandMadeMrc(4, 1, 2, 0, mask, false, dmin: dmin, dmax: dmax));
        using (var r = VolumeIO.OpenRead(dir.File("m.mrc")))
        {
            Assert.Equal(VoxelType.UInt8, r.Info.Type);
            Assert.Equal(new byte[] { 255, 255, 0, 0 }, r.ReadSlice<byte>(1));
        }
    }

    [Fact]
    public void ReadsAnySliceWithoutReadingTheOthers()
    {
        using var dir = new TempDir();
        var v = VolumeFixtures.Pattern<float>();
        VolumeIO.Write(dir.File("p.rec"), v);
        using var r = VolumeIO.OpenRead(dir.File("p.rec"));
        Assert.Equal(v.Slice(2).ToArray(), r.ReadSlice<float>(2));
        Assert.Equal(v.Slice(0).ToArray(), r.ReadSlice<float>(0));
        var slab = new float[2 * 35];
        r.ReadSlab<float>(1, 2, slab);
        Assert.Equal(v.Data[35..], slab);
    }
}
