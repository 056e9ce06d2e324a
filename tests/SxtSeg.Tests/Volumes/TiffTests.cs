using BitMiracle.LibTiff.Classic;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

public sealed class TiffTests
{
    [Theory]
    [MemberData(nameof(VolumeFixtures.AllTypes), MemberType = typeof(VolumeFixtures))]
    [InlineData("uint32")]
    public void WriteThenReadIsBitExactForEveryType(string type)
    {
        using var dir = new TempDir();
        byte[] expected = VolumeFixtures.WritePattern(type, dir.File("v.tif"));
        byte[] actual = VolumeFixtures.ReadRaw(dir.File("v.tif"), out var info);
        Assert.Equal(VoxelTypes.Parse(type), info.Type);
        Assert.Equal((7, 5, 3), (info.Nx, info.Ny, info.Nz));
        Assert.Equal(expected, actual);
        Assert.Equal(9.8, info.VoxelSize!.Value.X); // exactly, not 9.799999999999999 (1 / (5/49))
        Assert.Equal(9.8, info.VoxelSize!.Value.Y);
        Assert.Equal(9.8, info.VoxelSize!.Value.Z);
    }

    [Fact]
    public void WrittenStackCarriesImageJMetadata()
    {
        using var dir = new TempDir();
        var v = new Volume<byte>(4, 3, 2, new VoxelSize(13, 13, 26));
        VolumeIO.Write(dir.File("labels.tif"), v, new Provenance("segment"));
        using var t = Tiff.Open(dir.File("labels.tif"), "r");
        string desc = t.GetField(TiffTag.IMAGEDESCRIPTION)[0].ToString()!;
        Assert.StartsWith("ImageJ=", desc);
        Assert.Contains("images=2\n", desc);
        Assert.Contains("slices=2\n", desc);
        Assert.Contains("unit=nm\n", desc);
        Assert.Contains("spacing=26\n", desc);
        Assert.Contains("\"command\":\"segment\"", desc);
        Assert.Equal(1 / 13.0, t.GetField(TiffTag.XRESOLUTION)[0].ToDouble(), 6);
        Assert.Equal(2, t.NumberOfDirectories());
    }

    [Fact]
    public void ReadsRealImageJFloatSliceWithGoldenValues()
    {
        // Values checked independently by decoding the big-endian strip with Python's struct module.
        using var r = VolumeIO.OpenRead(TestPaths.AlbaSlice);
        Assert.Equal((984, 974, 1, VoxelType.Float32), (r.Info.Nx, r.Info.Ny, r.Info.Nz, r.Info.Type));
        Assert.Equal(13.0, r.Info.VoxelSize!.Value.X, 3); // XResolution 76923/10^6 px per nm
        var s = r.ReadSlice<float>(0);
        Assert.Equal(-0.00046012000530026853f, s[0]);
        Assert.Equal(0.00011729337711585686f, s[984 * 500 + 123]);
        Assert.Equal(-0.0002122253063134849f, s[^1]);
        Assert.Equal(-0.007402626797556877f, s.Min());
        Assert.Equal(0.0023311299737542868f, s.Max());
    }

    [Fact]
    public void ReadsRealSliceWithoutCalibrationAsUnknownVoxelSize()
    {
        using var r = VolumeIO.OpenRead(TestPaths.BerkeleySlice);
        Assert.Equal((479, 490), (r.Info.Nx, r.Info.Ny));
        Assert.Null(r.Info.VoxelSize);
        var s = r.ReadSlice<float>(0);
        Assert.Equal(0.010530735366046429f, s[479 * 200 + 77]);
        Assert.Equal(0.03392253443598747f, s.Max());
    }

    public static TheoryData<string, bool> Layouts => new()
    {
        { "none", false }, { "lzw", false }, { "deflate", false }, { "packbits", false },
        { "none", true }, { "lzw", true }, { "deflate", true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ReadsStripsAndTilesWithEveryCompression(string compression, bool tiled)
    {
        using var dir = new TempDir();
        // Given a 40 × 37 uint16 image written by LibTiff directly (several strips or 16 × 16 tiles)
        int w = 40, h = 37;
        var px = new ushort[w * h];
        for (int i = 0; i < px.Length; i++) px[i] = (ushort)(i * 97 % 65521);
        string path = dir.File("t.tif");
        using (var t = Tiff.Open(path, "w"))
        {
            t.SetField(TiffTag.IMAGEWIDTH, w); t.SetField(TiffTag.IMAGELENGTH, h);
            t.SetField(TiffTag.BITSPERSAMPLE, 16); t.SetField(TiffTag.SAMPLESPERPIXEL, 1);
            t.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
            t.SetField(TiffTag.COMPRESSION, compression switch
            {
                "lzw" => Compression.LZW, "deflate" => Compression.ADOBE_DEFLATE, "packbits" => Compression.PACKBITS, _ => Compression.NONE,
            });
            byte[] bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(px.AsSpan()).ToArray();
            if (tiled)
            {
                t.SetField(TiffTag.TILEWIDTH, 16); t.SetField(TiffTag.TILELENGTH, 16);
                var tile = new byte[16 * 16 * 2];
                for (int ty = 0; ty < h; ty += 16)
                    for (int tx = 0; tx < w; tx += 16)
                    {
                        Array.Clear(tile);
                        for (int r = 0; r < 16 && ty + r < h; r++)
                            Buffer.BlockCopy(bytes, ((ty + r) * w + tx) * 2, tile, r * 32, Math.Min(16, w - tx) * 2);
                        t.WriteTile(tile, tx, ty, 0, 0);
                    }
            }
            else
            {
                t.SetField(TiffTag.ROWSPERSTRIP, 5);
                for (int r = 0; r < h; r++) t.WriteScanline(bytes.AsSpan(r * w * 2, w * 2).ToArray(), r);
            }
        }
        // When
        using var reader = VolumeIO.OpenRead(path);
        // Then
        Assert.Equal(VoxelType.UInt16, reader.Info.Type);
        Assert.Equal(px, reader.ReadSlice<ushort>(0));
    }

    [Fact]
    public void FolderOfSlicesIsReadInNaturalOrder()
    {
        using var dir = new TempDir();
        string folder = Path.Combine(dir.Path, "stack");
        Directory.CreateDirectory(folder);
        // Given slices named 1, 2, 10 holding their own number
        foreach (int i in new[] { 10, 2, 1 })
        {
            var v = new Volume<byte>(3, 2, 1);
            Array.Fill(v.Data, (byte)i);
            VolumeIO.Write(Path.Combine(folder, $"slice{i}.tif"), v);
        }
        // When
        using var r = VolumeIO.OpenRead(folder);
        // Then
        Assert.Equal(3, r.Info.Nz);
        Assert.Equal(new byte[] { 1, 2, 10 }, new[] { r.ReadSlice<byte>(0)[0], r.ReadSlice<byte>(1)[0], r.ReadSlice<byte>(2)[0] });
    }

    [Theory]
    [InlineData("img2", "img10", -1)]
    [InlineData("img10", "img9", 1)]
    [InlineData("a001", "a1", -1)]
    [InlineData("z_5_b", "z_5_a", 1)]
    [InlineData("s2.tif", "s10.tif", -1)]
    [InlineData("s10.tif", "s2.tif", 1)]
    [InlineData("s02.tif", "s2.tif", -1)]     // same number: more leading zeros first
    [InlineData("s2.tif", "s02.tif", 1)]
    [InlineData("s002.tif", "s2.tif", -1)]
    [InlineData("s2.tif", "s2.tif", 0)]
    [InlineData("s9.tif", "s9a.tif", -1)]     // "." before "a", as ordinal
    [InlineData("s9a.tif", "s9.tif", 1)]
    [InlineData("a1", "b0", -1)]
    [InlineData("slice099", "slice100", -1)]
    [InlineData("slice100", "slice099", 1)]
    [InlineData("x12y3", "x12y20", -1)]       // the second number decides
    [InlineData("x0", "x00", 1)]
    public void NaturalComparerOrdersNumbersByValue(string a, string b, int sign)
        => Assert.Equal(sign, Math.Sign(NaturalComparer.Instance.Compare(a, b)));
}

/// <summary>The layout ImageJ (and tifffile) expect of a stack whose description says images=N.</summary>
public sealed class TiffLayoutTests
{
    [Fact]
    public void StackPagesAreOneContiguousBlockAsImageJReadsThem()
    {
        // ImageJ reads only the first directory of an images=N stack and takes the pages as one block
        // of data from its strip on: with LibTiff's interleaved layout, page 2 on was read from the
        // directory bytes (Fiji showed garbage; tifffile too, for small pages).
        using var dir = new TempDir();
        var v = new Volume<short>(13, 7, 5, VoxelSize.Isotropic(9.8));
        for (int i = 0; i < v.Length; i++) v.Data[i] = (short)(i * 31 - 900);
        VolumeIO.Write(dir.File("s.tif"), v);
        var t = new TiffBytes(File.ReadAllBytes(dir.File("s.tif")));
        // Then page k's strip starts where page k-1's ends, every directory lies after the data
        uint first = t.ValueField(0, TiffBytes.StripOffsets);
        int pageBytes = 13 * 7 * 2;
        var dirs = t.Directories();
        Assert.Equal(5, dirs.Count);
        for (int k = 0; k < 5; k++) Assert.Equal(first + (uint)(k * pageBytes), t.ValueField(k, TiffBytes.StripOffsets));
        Assert.All(dirs, d => Assert.True(d >= first + 5 * pageBytes));
        // and the data there, read the way ImageJ does (first strip on, page after page), is the volume
        for (int i = 0; i < v.Length; i++) Assert.Equal(v.Data[i], (short)t.U16((int)first + 2 * i));
        // the resolution is exact: 5/49 pixels per nm for 9.8 nm
        Assert.Equal((5, 49), ContiguousTiff.Rational(1 / 9.8));
        using var r = VolumeIO.OpenRead(dir.File("s.tif"));
        Assert.Equal(9.8, r.Info.VoxelSize!.Value.X);
        Assert.Equal(v.Data, r.ReadVolume<short>().Data);
    }

    [Fact]
    public void ABigTiffKeepsItsResolutionInsideTheEntries()
    {
        // Given a BigTIFF (what a stack of over 4 GB or about 65,536 slices is written as) of 9.8-nm voxels
        using var dir = new TempDir();
        var info = new VolumeInfo(5, 3, 4, VoxelType.UInt8, VoxelSize.Isotropic(9.8));
        using (var f = File.Create(dir.File("big.tif")))
        {
            var t = new ContiguousTiff(f, info, "ImageJ=1.11a\nimages=4\nslices=4\nunit=nm\nspacing=9.8\n", big: true);
            for (byte k = 0; k < 4; k++) t.WritePage(Enumerable.Repeat((byte)(10 + k), 15).ToArray());
            t.Finish();
        }
        // Then XResolution's 8-byte value field holds the rational 5/49 itself (not an offset to it)
        byte[] b = File.ReadAllBytes(dir.File("big.tif"));
        Assert.Equal(43, BitConverter.ToUInt16(b, 2));
        long ifd = BitConverter.ToInt64(b, 8);
        long n = BitConverter.ToInt64(b, (int)ifd);
        int entry = Enumerable.Range(0, (int)n).Single(e => BitConverter.ToUInt16(b, (int)ifd + 8 + 20 * e) == 282);
        int at = (int)ifd + 8 + 20 * entry;
        Assert.Equal(5, BitConverter.ToUInt16(b, at + 2)); // RATIONAL
        Assert.Equal((5u, 49u), (BitConverter.ToUInt32(b, at + 12), BitConverter.ToUInt32(b, at + 16)));
        // and it reads back at 9.8 nm with its pages
        using var r = VolumeIO.OpenRead(dir.File("big.tif"));
        Assert.Equal(9.8, r.Info.VoxelSize!.Value.X, 9);
        Assert.Equal(9.8, r.Info.VoxelSize!.Value.Y, 9);
        Assert.Equal(13, r.ReadVolume<byte>()[3, 0, 0]);
    }

    /// <summary>A classic TIFF of <paramref name="pages"/> 4 × 4 uint8 pages with this description and XResolution 1/<paramref name="unitsPerPixel"/>.</summary>
    private static string DescribedTiff(TempDir dir, string name, string description, int pages, double unitsPerPixel = 0.01)
    {
        string path = dir.File(name);
        using var f = File.Create(path);
        var t = new ContiguousTiff(f, new VolumeInfo(4, 4, pages, VoxelType.UInt8, new VoxelSize(unitsPerPixel, unitsPerPixel, unitsPerPixel)), description, big: false);
        for (int k = 0; k < pages; k++) t.WritePage(new byte[16]);
        t.Finish();
        return path;
    }

    [Theory]
    [InlineData("ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\nhyperstack=true\nunit=nm\nspacing=10\n", "2 channels, 3 slices and 1 time points")]
    [InlineData("ImageJ=1.54f\nimages=6\nslices=3\nframes=2\nhyperstack=true\nunit=nm\nspacing=10\n", "1 channels, 3 slices and 2 time points")]
    [InlineData("ImageJ=1.54f\nimages=6\nchannels=6\nunit=nm\n", "6 channels, 1 slices and 1 time points")]
    [InlineData("{\"shape\": [2, 3, 4, 4]}", "shape [2, 3, 4, 4]")]
    public void HyperstacksOfSeveralChannelsOrTimePointsAreRefused(string description, string said)
    {
        // Given six pages that interleave two channels (or time points) of three slices
        using var dir = new TempDir();
        string path = DescribedTiff(dir, "h.tif", description, 6);
        // Then they are not read as one stack of six slices
        var e = Assert.Throws<InvalidInputException>(() => VolumeIO.OpenRead(path));
        Assert.Contains(said, e.Message);
    }

    [Fact]
    public void OneChannelAtOneTimePointAndAShapeWithOnlyZBeyondYxAreRead()
    {
        using var dir = new TempDir();
        using (var r = VolumeIO.OpenRead(DescribedTiff(dir, "a.tif", "ImageJ=1.54f\nimages=3\nchannels=1\nslices=3\nframes=1\nunit=nm\nspacing=10\n", 3, 10)))
            Assert.Equal(3, r.Info.Nz);
        using (var r = VolumeIO.OpenRead(DescribedTiff(dir, "b.tif", "{\"shape\": [1, 3, 4, 4]}", 3)))
            Assert.Equal(3, r.Info.Nz);
        // a time series of single images is one stack
        using (var r = VolumeIO.OpenRead(DescribedTiff(dir, "t.tif", "ImageJ=1.54f\nimages=4\nframes=4\nunit=nm\n", 4, 10)))
            Assert.Equal(4, r.Info.Nz);
    }

    [Fact]
    public void ImageJsEscapedMicronUnitKeepsTheCalibration()
    {
        // Current ImageJ writes µm as the six characters \u00B5m; 100 pixels per µm and 0.02 µm spacing
        using var dir = new TempDir();
        using var r = VolumeIO.OpenRead(DescribedTiff(dir, "mu.tif", "ImageJ=1.54f\nimages=3\nslices=3\nunit=\\u00B5m\nspacing=0.02\n", 3));
        var v = r.Info.VoxelSize!.Value;
        Assert.Equal((10, 10, 20), (Math.Round(v.X, 9), Math.Round(v.Y, 9), Math.Round(v.Z, 9)));
        Assert.Equal("µm", ImageJDescription.TryParse("ImageJ=1\nunit=\\u00B5m\n")!.Values["unit"]);
        Assert.Equal("a\\u12", ImageJDescription.Unescape("a\\u12")); // too short to be an escape: kept
    }

    [Fact]
    public void AStackWithoutSpacingIsOneUnitDeepAsInImageJAndASingleImageKeepsX()
    {
        // ImageJ omits spacing= for a voxel depth of exactly 1 unit and reads it back as 1 unit
        using var dir = new TempDir();
        using (var r = VolumeIO.OpenRead(DescribedTiff(dir, "s.tif", "ImageJ=1.54f\nimages=3\nslices=3\nunit=micron\n", 3)))
        {
            var v = r.Info.VoxelSize!.Value;
            Assert.Equal((10, 10, 1000), (Math.Round(v.X, 9), Math.Round(v.Y, 9), Math.Round(v.Z, 9)));
        }
        using (var r = VolumeIO.OpenRead(DescribedTiff(dir, "one.tif", "ImageJ=1.54f\nunit=micron\n", 1)))
            Assert.Equal(10, r.Info.VoxelSize!.Value.Z, 9);
    }

    [Fact]
    public void AnMrcOriginSurvivesATiffAndComesBack()
    {
        // Given an MRC of 9.8-nm voxels with its origin at (100, 200, −300) nm
        using var dir = new TempDir();
        var v = new Volume<short>(4, 3, 2, VoxelSize.Isotropic(9.8)) { OriginNm = (100, 200, -300) };
        VolumeIO.Write(dir.File("a.mrc"), v);
        // When converted to TIFF (uncompressed and compressed) and back to MRC
        VolumeConverter.Convert(dir.File("a.mrc"), dir.File("b.tif"), new ConvertOptions());
        VolumeConverter.Convert(dir.File("a.mrc"), dir.File("c.tif"), new ConvertOptions { TiffCompression = TiffCompression.Lzw });
        VolumeConverter.Convert(dir.File("b.tif"), dir.File("d.mrc"), new ConvertOptions());
        // Then every file keeps it; ImageJ's keys are in pixels: xorigin = −100 / 9.8
        foreach (string f in new[] { "b.tif", "c.tif", "d.mrc" })
        {
            using var r = VolumeIO.OpenRead(dir.File(f));
            Assert.Equal(100, r.Info.OriginNm.X, 3);
            Assert.Equal(200, r.Info.OriginNm.Y, 3);
            Assert.Equal(-300, r.Info.OriginNm.Z, 3);
        }
        using var t = (TiffReader)VolumeIO.OpenRead(dir.File("b.tif"));
        Assert.Contains("xorigin=" + (-100 / 9.8).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "\n", t.Description);
        // and a hand-written ImageJ origin of −10 pixels at 10 nm is 100 nm
        using var h = VolumeIO.OpenRead(DescribedTiff(dir, "h.tif", "ImageJ=1.54f\nimages=2\nslices=2\nunit=nm\nspacing=10\nxorigin=-10\nzorigin=2.5\n", 2, 10));
        Assert.Equal((100.0, 0.0, -25.0), h.Info.OriginNm);
    }

    [Fact]
    public void CompressedStacksOmitImagesSoImageJReadsEveryPage()
    {
        using var dir = new TempDir();
        var v = new Volume<byte>(16, 8, 3, VoxelSize.Isotropic(10));
        VolumeIO.Write(dir.File("c.tif"), v, tiffCompression: TiffCompression.Lzw);
        using var r = (TiffReader)VolumeIO.OpenRead(dir.File("c.tif"));
        Assert.DoesNotContain("images=", r.Description);
        Assert.Contains("unit=nm", r.Description);
        Assert.Equal(3, r.Info.Nz);
    }
}
