using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The streams that build the solid cell for the filopodia analysis, on volumes of a few hundred
/// voxels against hand-made answers: the packed bit volume, caching and replaying a stream, the OR
/// of two streams, the slice-by-slice fill of rings with its z majority and body mask, and the
/// split of a membrane band down its middle.
/// </summary>
public sealed class CellStreamsTests
{
    private static Volume<byte> FromRows(int nx, int ny, params string[] slices)
    {
        var v = new Volume<byte>(nx, ny, slices.Length, VoxelSize.Isotropic(10));
        for (int z = 0; z < slices.Length; z++)
        {
            string s = slices[z].Replace(" ", "", StringComparison.Ordinal);
            Assert.Equal(nx * ny, s.Length);
            for (int i = 0; i < s.Length; i++) v.Data[z * nx * ny + i] = (byte)(s[i] - '0');
        }
        return v;
    }

    /// <summary>Streams a volume's bytes as they are (voxel codes 0–2; <see cref="MaskStreams.FromVolume"/> reads masks as 0/1).</summary>
    private sealed class Raw(Volume<byte> v) : IMaskStream
    {
        private int _z;
        public VolumeInfo Info => v.Info;
        public void Reset() => _z = 0;
        public void ReadNext(Span<byte> dest) => v.Slice(_z++).CopyTo(dest);
    }

    private static string Slice(Volume<byte> v, int z)
        => string.Join(" ", Enumerable.Range(0, v.Ny).Select(y => string.Concat(Enumerable.Range(0, v.Nx).Select(x => (char)('0' + v[z, y, x])))));

    [Fact]
    public void ABitVolumeStoresSlicesOfAnyLengthAndReadsZerosWhereNothingWasStored()
    {
        // Given 13-voxel slices (not a multiple of 8): slice 0 stored, slice 1 never
        var bits = new BitVolume(13, 1, 3);
        byte[] a = { 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1 };
        bits.SetSlice(0, a);
        bits.SetSlice(2, new byte[13]);
        // Then it reads back as stored, 2 bytes a slice
        var back = new byte[13];
        bits.GetSlice(0, back);
        Assert.Equal(a, back);
        Assert.Equal(4, bits.Bytes);
        bits.GetSlice(1, back);
        Assert.All(back, b => Assert.Equal(0, b));
        // single voxels, and nothing outside the volume
        Assert.True(bits.Get(0, 0, 0));
        Assert.False(bits.Get(1, 0, 0));
        Assert.True(bits.Get(12, 0, 0));
        Assert.False(bits.Get(13, 0, 0));
        Assert.False(bits.Get(-1, 0, 0));
        Assert.False(bits.Get(0, 1, 0));
        Assert.False(bits.Get(0, 0, 1));
        Assert.False(bits.Get(0, 0, 3));
        // a slice stored again replaces the old one
        bits.SetSlice(0, new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        Assert.False(bits.Get(0, 0, 0));
        Assert.True(bits.Get(1, 0, 0));
    }

    [Fact]
    public void ACropReachingOutsideTheBitVolumeReadsZerosThere()
    {
        var v = FromRows(3, 2, "110 011", "000 001");
        var bits = new BitVolume(3, 2, 2);
        for (int z = 0; z < 2; z++) bits.SetSlice(z, v.Slice(z));
        // the box x −1..1, y 0..2, z 0..2: one voxel of border on the left, below and behind
        var c = bits.Crop(new VoxelBox(-1, 0, 0, 1, 2, 2));
        Assert.Equal((3, 3, 3), (c.Nx, c.Ny, c.Nz));
        Assert.Equal("011 001 000", Slice(c, 0));
        Assert.Equal("000 000 000", Slice(c, 1));
        Assert.Equal("000 000 000", Slice(c, 2));
        // and a box inside it, x 1..2
        var inner = bits.Crop(new VoxelBox(1, 0, 0, 2, 1, 1));
        Assert.Equal("10 11", Slice(inner, 0));
        Assert.Equal("00 01", Slice(inner, 1));
    }

    [Fact]
    public void ACachedStreamReplaysAsItWasReadAndAnOrStreamJoinsTwo()
    {
        var a = FromRows(3, 2, "100 001", "010 000");
        var b = FromRows(3, 2, "001 001", "000 010");
        var bits = new BitVolume(3, 2, 2);
        // When a stream is read through the cache
        var through = new CacheStream(MaskStreams.FromVolume(a), bits).ToVolume();
        // Then it passed unchanged and the cache replays it, again after a reset
        Assert.Equal(a.Data, through.Data);
        var replay = new BitVolumeStream(bits, a.Info);
        Assert.Equal(a.Data, replay.ToVolume().Data);
        Assert.Equal(a.Data, replay.ToVolume().Data);
        Assert.Equal(VoxelType.UInt8, replay.Info.Type);
        // and the OR of two streams is voxelwise, twice over (reset resets both)
        var or = new OrStream(MaskStreams.FromVolume(a), MaskStreams.FromVolume(b));
        var first = or.ToVolume();
        Assert.Equal("101 001", Slice(first, 0));
        Assert.Equal("010 010", Slice(first, 1));
        Assert.Equal(first.Data, or.ToVolume().Data);
    }

    [Fact]
    public void ARingInASliceIsFilledAndTheBackgroundReachingTheBorderIsOutside()
    {
        // a 5 × 5 ring (membrane 2, enclosed 1, outside 0) and an open ring (a gap to the border: all outside)
        var closed = FromRows(5, 5, "00000 01110 01010 01110 00000");
        var codes = new SliceFillStream(MaskStreams.FromVolume(closed), null, 0).ToVolume();
        Assert.Equal("00000 02220 02120 02220 00000", Slice(codes, 0));
        var open = FromRows(5, 5, "00000 01110 01010 01010 00000");
        Assert.Equal("00000 02220 02020 02020 00000", Slice(new SliceFillStream(MaskStreams.FromVolume(open), null, 0).ToVolume(), 0));
    }

    [Fact]
    public void AOneSliceGapInAWallIsClosedByTheZMajority()
    {
        // Given a ring in slices 0, 1, 3, 4 and the same ring open in slice 2
        string ring = "00000 01110 01010 01110 00000", gap = "00000 01110 01010 01010 00000";
        var v = FromRows(5, 5, ring, ring, gap, ring, ring);
        // Without the majority the open slice is outside inside the ring; with ±1 slices it is filled
        var none = new SliceFillStream(MaskStreams.FromVolume(v), null, 0).ToVolume();
        Assert.Equal(0, none[2, 2, 2]);
        var k1 = new SliceFillStream(MaskStreams.FromVolume(v), null, 1).ToVolume();
        // (the gap itself, outside in its own slice and wall in both neighbours, is filled: 2 of 3)
        Assert.Equal("00000 02220 02120 02120 00000", Slice(k1, 2));
        // and the end slices (windows of 2: both must be filled) stay filled
        Assert.Equal(1, k1[0, 2, 2]);
        Assert.Equal(1, k1[4, 2, 2]);
        Assert.Equal(Slice(k1, 0), Slice(k1, 4));
        // an end slice's window holds 2 slices: 1 filled of 2 is no majority
        var pair = new SliceFillStream(MaskStreams.FromVolume(FromRows(5, 5, ring, gap)), null, 1).ToVolume();
        Assert.Equal(0, pair[0, 2, 2]);
        // and at the last slice too, once the slice before the window has left it (ring, ring, ring, ring, open)
        var tail = new SliceFillStream(MaskStreams.FromVolume(FromRows(5, 5, ring, ring, ring, ring, gap)), null, 1).ToVolume();
        Assert.Equal(1, tail[3, 2, 2]);
        Assert.Equal(0, tail[4, 2, 2]);
        // with a majority of ±2 the 5 slices of the middle voxel hold 4 filled of 5: filled, and a reset gives the same again
        var s2 = new SliceFillStream(MaskStreams.FromVolume(v), null, 2);
        var first = s2.ToVolume();
        Assert.Equal(1, first[2, 2, 2]);
        Assert.Equal(first.Data, s2.ToVolume().Data);
    }

    [Fact]
    public void ABodyMaskClosesACellCutByTheFieldOfView()
    {
        // a U of membrane open to the left border: without the body its inside is outside; with a body
        // mask over the left column it is closed, the body is inside and walls the flood
        var m = FromRows(5, 4, "11110 00010 00010 11110");
        var body = FromRows(5, 4, "00000 10000 10000 00000");
        Assert.Equal("22220 00020 00020 22220", Slice(new SliceFillStream(MaskStreams.FromVolume(m), null, 0).ToVolume(), 0));
        Assert.Equal("22220 11120 11120 22220", Slice(new SliceFillStream(MaskStreams.FromVolume(m), MaskStreams.FromVolume(body), 0).ToVolume(), 0));
    }

    [Fact]
    public void AMembraneBandIsSplitDownItsMiddleAndAThickBandKeepsWhatLiesAwayFromTheOutside()
    {
        // Given codes along x in 3 equal slices (10 nm voxels): outside x 0–2, a 3-voxel membrane band x 3–5, inside x 6–9
        var codes = new Volume<byte>(10, 1, 3, VoxelSize.Isotropic(10));
        for (int z = 0; z < 3; z++)
            for (int x = 0; x < 10; x++) codes[z, 0, x] = x < 3 ? CellCodeStream.Exterior : x < 6 ? CellCodeStream.Membrane : CellCodeStream.Interior;
        // When the solid cell is taken to the middle of the band (reach 30 nm)
        var solid = new MidMembraneStream(new Raw(codes), VoxelSize.Isotropic(10), 30).ToVolume();
        // Then x 3 (10 nm from outside, 30 from inside) is out, x 4 (20 / 20: a tie goes inside) and beyond are in
        for (int z = 0; z < 3; z++) Assert.Equal("0000111111", Slice(solid, z));
        // Given a band too thick for the reach (x 3–9: no inside voxel at all)
        for (int z = 0; z < 3; z++)
            for (int x = 6; x < 10; x++) codes[z, 0, x] = CellCodeStream.Membrane;
        var thick = new MidMembraneStream(new Raw(codes), VoxelSize.Isotropic(10), 30).ToVolume();
        // Then the voxels more than 1.5 voxels (15 nm) from the outside stay: x ≥ 4
        Assert.Equal("0000111111", Slice(thick, 1));
    }
}
