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
