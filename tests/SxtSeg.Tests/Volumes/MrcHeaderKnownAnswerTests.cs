using System.Buffers.Binary;
using System.Text;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// MRC headers written byte by byte at the offsets of the MRC2014 specification, then parsed: every
/// field, the voxel size from cell / sampling, IMOD's signed-byte rule, the refusals of impossible
/// headers with their messages, and the header SxtSeg writes read back field by field.
/// </summary>
public sealed class MrcHeaderKnownAnswerTests
{
    /// <summary>A little-endian 1024-byte header: 3 × 4 × 5 float32, identity axes, no stamp.</summary>
    private static byte[] Header(Action<byte[]>? edit = null)
    {
        var b = new byte[MrcHeader.Size];
        I(b, 0, 3); I(b, 4, 4); I(b, 8, 5); I(b, 12, 2);
        I(b, 64, 1); I(b, 68, 2); I(b, 72, 3);
        b[212] = 0x44; b[213] = 0x44;
        edit?.Invoke(b);
        return b;
    }

    private static void I(byte[] b, int offset, int v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(offset), v);

    private static void F(byte[] b, int offset, float v) => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(offset), v);

    [Fact]
    public void EveryFieldIsReadFromItsOffset()
    {
        var h = MrcHeader.Parse(Header(b =>
        {
            I(b, 16, 7); I(b, 20, -8); I(b, 24, 9);
            I(b, 28, 3); I(b, 32, 4); I(b, 36, 10);
            F(b, 40, 30); F(b, 44, 80); F(b, 48, 300);      // Å: 10, 20, 30 Å per voxel
            F(b, 52, 91); F(b, 56, 92); F(b, 60, 93);
            F(b, 76, -1.5f); F(b, 80, 2.5f); F(b, 84, 0.25f);
            I(b, 88, 401); I(b, 92, 0);
            Encoding.ASCII.GetBytes("FEI1", b.AsSpan(104, 4));
            I(b, 108, 20140);
            F(b, 196, 100); F(b, 200, -200); F(b, 204, 300);
            F(b, 216, 0.75f);
            I(b, 220, 2);
            Encoding.ASCII.GetBytes("first label   ", b.AsSpan(224));
            Encoding.ASCII.GetBytes("second", b.AsSpan(304));
            Encoding.ASCII.GetBytes("never read", b.AsSpan(384)); // a third label beyond nlabl
        }), "h.mrc");
        Assert.Equal((3, 4, 5, 2), (h.Nx, h.Ny, h.Nz, h.Mode));
        Assert.Equal((7, -8, 9), (h.NxStart, h.NyStart, h.NzStart));
        Assert.Equal((3, 4, 10), (h.Mx, h.My, h.Mz));
        Assert.Equal((30f, 80f, 300f), (h.CellX, h.CellY, h.CellZ));
        Assert.Equal((91f, 92f, 93f), (h.Alpha, h.Beta, h.Gamma));
        Assert.Equal((-1.5f, 2.5f, 0.25f, 0.75f), (h.DMin, h.DMax, h.DMean, h.Rms));
        Assert.Equal((401, 0, "FEI1", 20140), (h.Ispg, h.NSymBt, h.ExtType, h.NVersion));
        Assert.Equal((100f, -200f, 300f), (h.OriginX, h.OriginY, h.OriginZ));
        Assert.Equal(new[] { "first label", "second" }, h.Labels);
        Assert.False(h.BigEndian);
        Assert.Equal(new VoxelSize(1, 2, 3), h.VoxelSizeNm);
        Assert.Equal(VoxelType.Float32, h.VoxelType);
    }

    [Theory]
    [InlineData(0, 4, 10, 30, 80, 300)]   // no sampling on x
    [InlineData(3, 0, 10, 30, 80, 300)]
    [InlineData(3, 4, 0, 30, 80, 300)]
    [InlineData(3, 4, 10, 0, 80, 300)]    // no cell on x
    [InlineData(3, 4, 10, 30, 0, 300)]
    [InlineData(3, 4, 10, 30, 80, 0)]
    [InlineData(3, 4, 10, float.NaN, 80, 300)]
    public void AVoxelSizeNeedsSamplingAndCellOnEveryAxis(int mx, int my, int mz, float cx, float cy, float cz)
    {
        var h = MrcHeader.Parse(Header(b => { I(b, 28, mx); I(b, 32, my); I(b, 36, mz); F(b, 40, cx); F(b, 44, cy); F(b, 48, cz); }), "h.mrc");
        Assert.Null(h.VoxelSizeNm);
    }

    [Theory]
    // IMOD's rule for mode 0: the stamp's flag decides; without a stamp, min/max (unsigned when ambiguous)
    [InlineData(true, 1, 0f, 200f, true)]
    [InlineData(true, 0, -100f, 20f, false)]
    [InlineData(false, 0, -5f, 127f, true)]      // negative values that fit a signed byte
    [InlineData(false, 0, -5f, 128f, true)]      // −DMin = 5 exceeds DMax − 128 = 0: signed
    [InlineData(false, 0, 0f, 128f, false)]
    [InlineData(false, 0, 0f, 127f, false)]      // ambiguous: unsigned
    [InlineData(false, 0, -100f, 130f, true)]    // 100 below 0 is further out than 2 above 127
    [InlineData(false, 0, -2f, 200f, false)]     // 72 above 127 is further out than 2 below 0
    public void ByteSignednessFollowsImodsRule(bool stamped, int flags, float min, float max, bool signed)
    {
        var h = MrcHeader.Parse(Header(b =>
        {
            I(b, 12, 0);
            F(b, 76, min); F(b, 80, max);
            if (stamped) { I(b, 152, MrcHeader.ImodStamp); I(b, 156, flags); }
        }), "h.mrc");
        Assert.Equal(signed, h.BytesSigned);
        Assert.Equal(signed ? VoxelType.Int8 : VoxelType.UInt8, h.VoxelType);
        // other modes are never signed bytes
        var f = MrcHeader.Parse(Header(b => { F(b, 76, min); F(b, 80, max); }), "h.mrc");
        Assert.False(f.BytesSigned);
    }

    [Theory]
    [InlineData(false, 0f, -1f, true)]       // MRC2014: max < min means "not determined"
    [InlineData(false, 0f, 0f, true)]        // all zero: never filled in
    [InlineData(false, float.NaN, 5f, true)]
    [InlineData(false, 0f, 200f, false)]     // stated
    [InlineData(false, -5f, 5f, false)]
    [InlineData(true, 0f, -1f, false)]       // IMOD's stamp: its flag states it
    public void ByteSignednessIsUnstatedOnlyWithoutStampAndStatistics(bool stamped, float min, float max, bool unstated)
    {
        var h = MrcHeader.Parse(Header(b =>
        {
            I(b, 12, 0);
            F(b, 76, min); F(b, 80, max);
            if (stamped) I(b, 152, MrcHeader.ImodStamp);
        }), "h.mrc");
        Assert.Equal(unstated, h.ByteSignednessUnstated);
        Assert.False(MrcHeader.Parse(Header(b => { F(b, 76, 0f); F(b, 80, -1f); }), "f.mrc").ByteSignednessUnstated); // float data
    }

    [Theory]
    // signed −2, −1, 1 (zeros left out; variance 1.56) read unsigned as 254, 255, 1 (variance ≈ 14,300): signed
    [InlineData(new byte[] { 254, 255, 0, 1 }, true)]
    // unsigned 100, 130, 160 (variance 600) read signed as 100, −126, −96 (variance ≈ 10,000): unsigned
    [InlineData(new byte[] { 100, 130, 160 }, false)]
    // one side of 128 only: the same spread either way, unsigned (IMOD's reading)
    [InlineData(new byte[] { 10, 20, 30 }, false)]
    [InlineData(new byte[] { 200, 220, 250 }, false)]
    // a 0/255 mask: read signed its labels would be −1 (and 0 as bytes); zeros left out, 255 alone ties: unsigned
    [InlineData(new byte[] { 0, 0, 0, 255, 255, 0 }, false)]
    // bright data beside zero padding: the padding is left out, 150–255 tie: unsigned
    [InlineData(new byte[] { 0, 0, 0, 0, 150, 200, 255 }, false)]
    [InlineData(new byte[] { 0, 0 }, false)]
    [InlineData(new byte[0], false)]
    public void UnstatedSignednessIsTheReadingWithTheSmallerSpreadOfNonZeroValues(byte[] data, bool signed)
    {
        var counts = new long[256];
        MrcHeader.AddHistogram(data, counts);
        Assert.Equal(signed, MrcHeader.SignedByData(counts));
    }

    [Fact]
    public void ImodsOriginFlagNegatesTheOrigin()
    {
        var flipped = MrcHeader.Parse(Header(b => { I(b, 152, MrcHeader.ImodStamp); I(b, 156, 4); F(b, 196, 10); F(b, 200, -20); F(b, 204, 30); }), "h.mrc");
        Assert.Equal((-10f, 20f, -30f), (flipped.OriginX, flipped.OriginY, flipped.OriginZ));
        var unstamped = MrcHeader.Parse(Header(b => { I(b, 156, 4); F(b, 196, 10); }), "h.mrc");
        Assert.Equal(10f, unstamped.OriginX); // the flag means nothing without IMOD's stamp
    }

    [Fact]
    public void TheByteOrderComesFromTheMachineStampOrFromThePlausibleMode()
    {
        var be = new byte[MrcHeader.Size];
        BinaryPrimitives.WriteInt32BigEndian(be.AsSpan(0), 3); BinaryPrimitives.WriteInt32BigEndian(be.AsSpan(4), 4);
        BinaryPrimitives.WriteInt32BigEndian(be.AsSpan(8), 5); BinaryPrimitives.WriteInt32BigEndian(be.AsSpan(12), 6);
        be[212] = 0x11; be[213] = 0x11;
        var h = MrcHeader.Parse(be, "be.mrc");
        Assert.True(h.BigEndian);
        Assert.Equal((3, 4, 5, VoxelType.UInt16), (h.Nx, h.Ny, h.Nz, h.VoxelType));
        be[212] = 0; be[213] = 0; // no stamp: big-endian because only that reading gives a known mode
        Assert.True(MrcHeader.Parse(be, "be.mrc").BigEndian);
        var le = Header(b => { b[212] = 0; b[213] = 0; });
        Assert.False(MrcHeader.Parse(le, "le.mrc").BigEndian);
    }

    [Theory]
    [InlineData(0, 0, "MRC header gives impossible dimensions 0 × 4 × 5")]
    [InlineData(4, -1, "MRC header gives impossible dimensions 3 × -1 × 5")]
    [InlineData(8, 0, "MRC header gives impossible dimensions 3 × 4 × 0")]
    [InlineData(12, 3, "MRC mode 3 (complex int16) is not supported (supported: 0, 1, 2, 6, 12)")]
    [InlineData(12, 4, "MRC mode 4 (complex float32) is not supported (supported: 0, 1, 2, 6, 12)")]
    [InlineData(12, 101, "MRC mode 101 (4-bit) is not supported (supported: 0, 1, 2, 6, 12)")]
    [InlineData(12, 7, "MRC mode 7 is not supported (supported: 0, 1, 2, 6, 12)")]
    [InlineData(92, -4, "MRC header gives a negative extended header length (-4)")]
    [InlineData(64, 2, "MRC axis order mapc/mapr/maps = 2,2,3 is not supported (only 1,2,3); reorder it first, e.g. with IMOD's clip")]
    public void ImpossibleHeadersAreRefusedWithTheirReason(int offset, int value, string problem)
    {
        var e = Assert.Throws<InvalidInputException>(() => MrcHeader.Parse(Header(b => I(b, offset, value)), "bad.mrc"));
        Assert.Equal(("bad.mrc", problem), (e.Path, e.Problem));
    }

    [Fact]
    public void FourBitValuesPackedInModeZeroAreRefusedByName()
    {
        // IMOD's flag 16 with its stamp, on mode 0: two 4-bit values per byte (read as bytes they are garbage)
        var packed = Header(b => { I(b, 12, 0); I(b, 152, MrcHeader.ImodStamp); I(b, 156, 16); });
        var e = Assert.Throws<InvalidInputException>(() => MrcHeader.Parse(packed, "nib.mrc"));
        Assert.StartsWith("MRC holds 4-bit values packed two per byte (mode 0 with IMOD's flag 16)", e.Problem);
        // the signed-bytes flag alone (1) is a plain int8 file
        Assert.Equal(VoxelType.Int8, MrcHeader.Parse(Header(b => { I(b, 12, 0); I(b, 152, MrcHeader.ImodStamp); I(b, 156, 1); }), "s.mrc").VoxelType);
    }

    [Fact]
    public void ShortHeadersAndOversizedSlicesAreRefused()
    {
        var shortHeader = Assert.Throws<InvalidInputException>(() => MrcHeader.Parse(new byte[1023], "s.mrc"));
        Assert.Equal("file is 1023 bytes, too short for an MRC header (1024 bytes)", shortHeader.Problem);
        var slice = Assert.Throws<InvalidInputException>(() => MrcHeader.Parse(Header(b => { I(b, 0, 65536); I(b, 4, 32768); }), "big.mrc"));
        Assert.Equal("MRC header gives a slice of 65536 × 32768 voxels (over 2^31), which is not a plausible tomogram", slice.Problem);
        // all-zero axis order (old files) is the identity
        Assert.Equal(3, MrcHeader.Parse(Header(b => { I(b, 64, 0); I(b, 68, 0); I(b, 72, 0); }), "old.mrc").Nx);
    }

    [Fact]
    public void TheHeaderSxtSegWritesReadsBackFieldByField()
    {
        var info = new VolumeInfo(3, 4, 5, VoxelType.Int8, new VoxelSize(1, 2, 3))
        {
            OriginNm = (1, -2, 3),
            Labels = new[] { "a label", "a label", "tab\there and a very long one that runs on past the eighty characters a label may hold in MRC" },
        };
        var h = MrcHeader.ForVolume(info, null);
        h.NxStart = 1; h.NyStart = 2; h.NzStart = 3;
        h.Alpha = 80; h.Beta = 85; h.Gamma = 95;
        h.DMin = -3; h.DMax = 4; h.DMean = 0.5f; h.Rms = 1.25f;
        h.Ispg = 0; h.ExtType = "SERI";
        var bytes = new byte[MrcHeader.Size];
        h.Write(bytes);
        var r = MrcHeader.Parse(bytes, "w.mrc");
        Assert.Equal((3, 4, 5, 0), (r.Nx, r.Ny, r.Nz, r.Mode));
        Assert.Equal((3, 4, 5), (r.Mx, r.My, r.Mz));
        Assert.Equal((30f, 80f, 150f), (r.CellX, r.CellY, r.CellZ)); // nm × 10 × n
        Assert.Equal(new VoxelSize(1, 2, 3), r.VoxelSizeNm);
        Assert.Equal((10f, -20f, 30f), (r.OriginX, r.OriginY, r.OriginZ));
        Assert.Equal((1, 2, 3), (r.NxStart, r.NyStart, r.NzStart));
        Assert.Equal((80f, 85f, 95f), (r.Alpha, r.Beta, r.Gamma));
        Assert.Equal((-3f, 4f, 0.5f, 1.25f), (r.DMin, r.DMax, r.DMean, r.Rms));
        Assert.Equal((0, 0, "SERI", 20140), (r.Ispg, r.NSymBt, r.ExtType, r.NVersion));
        Assert.Equal((MrcHeader.ImodStamp, 1), (r.ImodStampValue, r.ImodFlags)); // signed bytes flagged
        Assert.True(r.BytesSigned);
        Assert.Equal((byte)0x44, bytes[212]);
        Assert.Equal("MAP ", Encoding.ASCII.GetString(bytes, 208, 4));
        // labels: duplicates once, control characters replaced, cut at 80 characters
        Assert.Equal(2, r.Labels.Count);
        Assert.Equal("a label", r.Labels[0]);
        Assert.Equal("tab?here and a very long one that runs on past the eighty characters a label may", r.Labels[1]);
        // the origin flag is never written (the origin is stored as it is)
        h.ImodFlags = 1 | 4;
        h.Write(bytes);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(156)));
        Assert.Equal(0, MrcHeader.ForVolume(info with { Type = VoxelType.UInt8 }, null).ImodFlags);
    }
}
