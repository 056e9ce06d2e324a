using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// The core volume types against hand-worked answers: a 3 × 2 × 2 volume holding 0..11 in memory
/// order (x fastest), its slices, rows, sub-volumes and bounds; voxel sizes and their parsing; the
/// base reader's checks, conversion and slab reads; the sub-volume reader; format by extension.
/// </summary>
public sealed class VolumeCoreKnownAnswerTests
{
    private static Volume<byte> Ramp()
    {
        var v = new Volume<byte>(3, 2, 2, new VoxelSize(10, 10, 20)) { OriginNm = (1, 2, 3) };
        for (int i = 0; i < 12; i++) v.Data[i] = (byte)i;
        return v;
    }

    [Fact]
    public void SlicesRowsAndIndicesFollowTheMemoryOrder()
    {
        var v = Ramp();
        Assert.Equal((6, 12L), (v.SliceLength, v.Length));
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, v.Slice(1).ToArray());
        Assert.Equal(new byte[] { 9, 10, 11 }, v.Row(1, 1).ToArray());
        Assert.Equal(new byte[] { 3, 4, 5 }, v.Row(0, 1).ToArray());
        Assert.Equal(8L, v.Index(1, 0, 2));
        Assert.Equal(5L, v.Index(0, 1, 2));
        Assert.Equal(9, v[1, 1, 0]);
        Assert.Equal(5, v[0, 1, 2]);
        Assert.Equal("Volume<Byte> 3 × 2 × 2", v.ToString());
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(1, 1, 2, true)]
    [InlineData(2, 0, 0, false)]
    [InlineData(0, 2, 0, false)]
    [InlineData(0, 0, 3, false)]
    [InlineData(-1, 0, 0, false)]
    [InlineData(0, -1, 0, false)]
    [InlineData(0, 0, -1, false)]
    public void ContainsIsTrueInsideTheBoxOnly(int z, int y, int x, bool inside) => Assert.Equal(inside, Ramp().Contains(z, y, x));

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void ASliceOutsideTheVolumeIsRefused(int z)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ramp().Slice(z));
        Assert.Contains($"slice {z} outside 0..1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubVolumeCopiesItsSlicesAndKeepsSizeAndOrigin()
    {
        var v = Ramp();
        var s = v.SubVolume(1, 1);
        Assert.Equal((3, 2, 1), (s.Nx, s.Ny, s.Nz));
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, s.Data);
        Assert.Equal((new VoxelSize(10, 10, 20), (1.0, 2.0, 3.0)), (s.VoxelSize!.Value, s.OriginNm));
        s.Data[0] = 99;
        Assert.Equal(6, v[1, 0, 0]); // a copy
        Assert.Equal(Ramp().Data, v.SubVolume(0, 2).Data);
        foreach (var (z0, count) in new[] { (-1, 1), (0, 0), (1, 2), (2, 1) })
            Assert.Throws<ArgumentOutOfRangeException>(() => v.SubVolume(z0, count));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(-2, 1, 1)]
    public void DimensionsMustBePositiveOnEveryAxis(int nx, int ny, int nz)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Volume<byte>(nx, ny, nz));
        Assert.Contains($"dimensions must be positive, got {nx} × {ny} × {nz}", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Volume<byte>(nx, ny, nz, new byte[1]));
        var i = Assert.Throws<ArgumentOutOfRangeException>(() => new VolumeInfo(nx, ny, nz, VoxelType.UInt8));
        Assert.Contains($"dimensions must be positive, got {nx} × {ny} × {nz}", i.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedShapesAreRefusedBeforeAnythingIsAllocated()
    {
        // 46341² = 2,147,488,281 voxels in one slice: more than an int can index
        var slice = Assert.Throws<ArgumentOutOfRangeException>(() => new Volume<byte>(46341, 46341, 1));
        Assert.Contains("a slice of 46341 × 46341 exceeds 2^31 voxels", slice.Message, StringComparison.Ordinal);
        // int.MaxValue voxels in one slice is allowed as a slice, but no array holds them (Array.MaxLength is smaller)
        var whole = Assert.Throws<SxtSegException>(() => new Volume<byte>(int.MaxValue, 1, 1));
        Assert.Contains($"a volume of {int.MaxValue} × 1 × 1 ({int.MaxValue} voxels) is too large to hold in memory", whole.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrappedDataMustHaveOneValuePerVoxel()
    {
        var e = Assert.Throws<ArgumentException>(() => new Volume<byte>(2, 2, 2, new byte[7]));
        Assert.Contains("data holds 7 voxels, expected 8", e.Message, StringComparison.Ordinal);
        var data = new byte[8];
        Assert.Same(data, new Volume<byte>(2, 2, 2, data).Data); // wrapped, not copied
    }

    [Theory]
    [InlineData(0, 10, 10)]
    [InlineData(10, 0, 10)]
    [InlineData(10, 10, 0)]
    [InlineData(-5, 10, 10)]
    [InlineData(double.NaN, 10, 10)]
    [InlineData(10, double.NaN, 10)]
    [InlineData(10, 10, double.NaN)]
    [InlineData(double.PositiveInfinity, 10, 10)]
    [InlineData(10, double.PositiveInfinity, 10)]
    [InlineData(10, 10, double.PositiveInfinity)]
    public void AVoxelSizeIsValidOnlyWhenEveryAxisIsPositiveAndFinite(double x, double y, double z)
    {
        var s = new VoxelSize(x, y, z);
        Assert.False(s.IsValid);
        Assert.False(s.IsPlausible);
        Assert.True(new VoxelSize(10, 10, 10).IsValid);
    }

    [Theory]
    [InlineData(0.1, true)]
    [InlineData(0.0999, true)]   // MinNm × 0.999 (rounding slack)
    [InlineData(0.0998, false)]
    [InlineData(10_000, true)]
    [InlineData(10_009.9, true)] // below MaxNm × 1.001
    [InlineData(10_011, false)]
    public void PlausibleSizesLieBetweenOneAngstromAndTenMicrons(double nm, bool plausible)
    {
        Assert.Equal(plausible, VoxelSize.InRange(nm));
        Assert.Equal(plausible, new VoxelSize(nm, 10, 10).IsPlausible);
        Assert.Equal(plausible, new VoxelSize(10, nm, 10).IsPlausible);
        Assert.Equal(plausible, new VoxelSize(10, 10, nm).IsPlausible);
    }

    [Fact]
    public void VoxelSizesPrintTheirVolumeAndOneValueWhenIsotropic()
    {
        Assert.Equal(24.0, new VoxelSize(2, 3, 4).Volume);
        Assert.Equal("9.8 nm", VoxelSize.Isotropic(9.8).ToString());
        Assert.Equal("10 × 10 × 12 nm", new VoxelSize(10, 10, 12).ToString());
        Assert.Equal("10 × 12 × 12 nm", new VoxelSize(10, 12, 12).ToString());
        Assert.Equal("12 × 10 × 12 nm", new VoxelSize(12, 10, 12).ToString());
    }

    [Theory]
    [InlineData("10", 10, 10, 10)]
    [InlineData(" 9.8 ", 9.8, 9.8, 9.8)]
    [InlineData("10,10,12", 10, 10, 12)]
    [InlineData("10x11X12", 10, 11, 12)]
    public void VoxelSizesAreParsedFromOneOrThreeNumbers(string text, double x, double y, double z)
        => Assert.Equal(new VoxelSize(x, y, z), VoxelSize.Parse(text));

    [Theory]
    [InlineData("abc", "'abc' is not a voxel size in nm (use 10 or 10,10,12)")]
    [InlineData("10,10", "'10,10' is not a voxel size in nm (use 10 or 10,10,12)")]
    [InlineData("10,x,10", "'10,x,10' is not a voxel size in nm (use 10 or 10,10,12)")]
    [InlineData("0", "voxel size must be a positive number of nm, got '0'")]
    [InlineData("10,-1,10", "voxel size must be a positive number of nm, got '10,-1,10'")]
    [InlineData("20000", "voxel size must be 0.1 nm (1 Å) to 10 µm on every axis, got '20000' nm")]
    public void BadVoxelSizesNameTheOptionAndTheProblem(string text, string problem)
    {
        var e = Assert.Throws<InvalidOptionException>(() => VoxelSize.Parse(text, "Pixel"));
        Assert.Equal(("Pixel", problem), (e.Option, e.Problem));
        Assert.Equal(nameof(VoxelSize), Assert.Throws<InvalidOptionException>(() => VoxelSize.Parse(text)).Option);
    }

    [Fact]
    public void VolumeInfoCountsVoxelsAndBytesAndAsksForAMissingVoxelSize()
    {
        var i = new VolumeInfo(3, 2, 5, VoxelType.Float32, VoxelSize.Isotropic(13));
        Assert.Equal((6L, 30L, 120L), (i.SliceLength, i.VoxelCount, i.DataBytes));
        Assert.Equal(60L, new VolumeInfo(3, 2, 5, VoxelType.UInt16).DataBytes);
        Assert.Equal("3 × 2 × 5 float32, 13 nm", i.ToString());
        Assert.Equal("3 × 2 × 5 uint16, voxel size unknown", new VolumeInfo(3, 2, 5, VoxelType.UInt16).ToString());
        Assert.Equal(VoxelSize.Isotropic(13), i.RequireVoxelSize("a.mrc"));
        foreach (var bad in new[] { i with { VoxelSize = null }, i with { VoxelSize = new VoxelSize(0, 0, 0) } })
        {
            var e = Assert.Throws<InvalidInputException>(() => bad.RequireVoxelSize("a.mrc"));
            Assert.Equal("a.mrc: voxel size is not stored in the file; give it with --voxel-size (nm)", e.Message);
        }
    }

    /// <summary>An in-memory reader of a byte volume through the base class, counting raw reads.</summary>
    private sealed class MemoryReader(Volume<byte> v) : VolumeReaderBase
    {
        public int RawReads { get; private set; }

        public override string Path => "memory";

        public override VolumeInfo Info { get; } = v.Info;

        public override void ReadRawSlice(int z, Span<byte> dest)
        {
            RawReads++;
            v.Slice(z).CopyTo(dest);
        }
    }

    [Fact]
    public void TheBaseReaderChecksItsArgumentsAndConvertsTypes()
    {
        using var r = new MemoryReader(Ramp());
        // same type: straight through; another type: converted (twice, reusing its buffer)
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, r.ReadSlice<byte>(1));
        Assert.Equal(new float[] { 6, 7, 8, 9, 10, 11 }, r.ReadSlice<float>(1));
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, r.ReadSlice<float>(0));
        Assert.Equal(3, r.RawReads);
        foreach (int z in new[] { -1, 2 })
            Assert.Contains($"slice {z} outside 0..1", Assert.Throws<ArgumentOutOfRangeException>(() => r.ReadSlice<float>(z)).Message, StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => r.ReadSlice<float>(0, new float[5]));
        Assert.Contains("destination holds 5 voxels, a slice has 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SlabsAndPartialVolumesAreReadWithTheirOriginShifted()
    {
        using var r = new MemoryReader(Ramp());
        var dest = new byte[6];
        r.ReadSlab<byte>(1, 1, dest);
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, dest);
        r.ReadSlab<byte>(2, 0, Span<byte>.Empty); // an empty slab at the end is fine
        foreach (var (z0, count) in new[] { (-1, 1), (0, -1), (1, 2) })
            Assert.Throws<ArgumentOutOfRangeException>(() => r.ReadSlab<byte>(z0, count, new byte[12]));
        var top = r.ReadVolume<byte>(1);
        Assert.Equal(1, top.Nz); // the rest of the volume from z0
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, top.Data);
        Assert.Equal((1.0, 2.0, 23.0), top.OriginNm); // 3 nm + 1 slice × 20 nm
        Assert.Equal(new VoxelSize(10, 10, 20), top.VoxelSize);
        Assert.Equal(12, r.ReadVolume<byte>().Length);
        var noSize = Ramp();
        noSize.VoxelSize = null;
        using var r2 = new MemoryReader(noSize);
        Assert.Equal((1.0, 2.0, 3.0), r2.ReadVolume<byte>(1).OriginNm);
    }

    [Fact]
    public void ASubVolumeReaderShowsItsSlicesAsAVolumeOfTheirOwn()
    {
        using var inner = new MemoryReader(Ramp());
        using var sub = new SubVolumeReader(inner, 1, 1);
        Assert.Equal(("memory", 1), (sub.Path, sub.Info.Nz));
        Assert.Equal((1.0, 2.0, 23.0), sub.Info.OriginNm);
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, sub.ReadSlice<byte>(0));
        Assert.Equal(new float[] { 6, 7, 8, 9, 10, 11 }, sub.ReadSlice<float>(0));
        var raw = new byte[6];
        sub.ReadRawSlice(0, raw);
        Assert.Equal(new byte[] { 6, 7, 8, 9, 10, 11 }, raw);
        // another voxel size replaces the file's, and the origin moves by it
        using var resized = new SubVolumeReader(inner, 1, 1, VoxelSize.Isotropic(5));
        Assert.Equal((VoxelSize.Isotropic(5), 8.0), (resized.Info.VoxelSize!.Value, resized.Info.OriginNm.Z));
        foreach (var (first, count) in new[] { (-1, 1), (0, 0), (1, 2) })
            Assert.Throws<ArgumentOutOfRangeException>(() => new SubVolumeReader(inner, first, count));
    }

    [Theory]
    [InlineData("a.mrc")]
    [InlineData("a.rec")]
    [InlineData("a.st")]
    [InlineData("a.ali")]
    [InlineData("a.map")]
    [InlineData("a.mrcs")]
    [InlineData("a.ccp4")]
    [InlineData("a.preali")]
    [InlineData("A.MRC")]
    public void MrcIsKnownByEachOfItsExtensions(string name) => Assert.Equal(VolumeFormat.Mrc, VolumeIO.FormatOf(name));

    [Fact]
    public void TiffAndFoldersAreKnownAndOtherExtensionsRefused()
    {
        using var dir = new TempDir();
        Assert.Equal(VolumeFormat.Tiff, VolumeIO.FormatOf("a.tif"));
        Assert.Equal(VolumeFormat.Tiff, VolumeIO.FormatOf("a.TIFF"));
        Assert.Equal(VolumeFormat.TiffFolder, VolumeIO.FormatOf(dir.Path));
        var e = Assert.Throws<InvalidInputException>(() => VolumeIO.FormatOf("a.png"));
        Assert.Contains("unknown volume format '.png'", e.Message, StringComparison.Ordinal);
        // writing: by extension too, and refusing a folder, uint32 in MRC and unknown extensions
        var info = new VolumeInfo(2, 2, 1, VoxelType.UInt32);
        Assert.Contains("is a folder", Assert.Throws<OutputException>(() => VolumeIO.Create(dir.Path, info)).Message, StringComparison.Ordinal);
        Assert.Contains("uint32 voxels cannot be stored in MRC", Assert.Throws<OutputException>(() => VolumeIO.Create(dir.File("a.mrc"), info)).Message, StringComparison.Ordinal);
        Assert.Contains("unknown output format '.png'", Assert.Throws<OutputException>(() => VolumeIO.Create(dir.File("a.png"), info)).Message, StringComparison.Ordinal);
        var ids = new Volume<uint>(2, 2, 1);
        ids.Data[3] = 70000;
        VolumeIO.Write(dir.File("ids.tiff"), ids);
        Assert.Equal(ids.Data, VolumeIO.Read<uint>(dir.File("ids.tiff")).Data);
    }

    [Fact]
    public void AVolumeIsStoredAsTheTypeAskedFor()
    {
        using var dir = new TempDir();
        var v = new Volume<float>(2, 1, 1);
        v.Data[0] = 3; v.Data[1] = 100; // within 0..127: stays MRC mode 0 (MrcWriter)
        VolumeIO.Write(dir.File("a.mrc"), v, fileType: VoxelType.UInt8);
        using var r = VolumeIO.OpenRead(dir.File("a.mrc"));
        Assert.Equal(VoxelType.UInt8, r.Info.Type);
        Assert.Equal(new byte[] { 3, 100 }, r.ReadSlice<byte>(0));
        VolumeIO.Write(dir.File("b.mrc"), v);
        using var r2 = VolumeIO.OpenRead(dir.File("b.mrc"));
        Assert.Equal(VoxelType.Float32, r2.Info.Type);
        // a missing file is a clear input error, not an I/O exception from deep inside a reader
        Assert.Throws<InvalidInputException>(() => VolumeIO.OpenRead(dir.File("missing.mrc")));
    }
}
