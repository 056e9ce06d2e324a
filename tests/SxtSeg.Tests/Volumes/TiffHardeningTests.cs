using System.Text;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// Regression tests for the malformed TIFFs of issue 15: each file is a small valid stack written by
/// our own writer, then damaged byte by byte the way the fuzz run found. Every one must be refused
/// with <see cref="InvalidInputException"/> naming the file, never read as a shorter stack or fail
/// with an internal error.
/// </summary>
public sealed class TiffHardeningTests
{
    /// <summary>
    /// A 16 × 12 × 6 uint8 ImageJ stack (one strip per page), as bytes: by default in the interleaved
    /// layout of LibTiff-based writers (data, directory, data, ...) that these damages were found in;
    /// with <paramref name="contiguous"/>, in ImageJ's own layout that SxtSeg writes.
    /// </summary>
    private static byte[] Stack(TempDir dir, TiffCompression compression = TiffCompression.None, VoxelSize? voxel = null, bool contiguous = false)
    {
        var v = new Volume<byte>(16, 12, 6, voxel ?? VoxelSize.Isotropic(10));
        for (int i = 0; i < v.Length; i++) v.Data[i] = (byte)(i * 7 % 251);
        string path = dir.File($"valid-{Guid.NewGuid():N}.tif");
        using (var w = new TiffWriter(path, v.Info, new Provenance("test"), compression, interleaved: !contiguous))
        {
            for (int z = 0; z < v.Nz; z++) w.WriteSlice<byte>(v.Slice(z));
            w.Commit();
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>Opens <paramref name="bytes"/> as a file and reads every slice; returns the error.</summary>
    private static InvalidInputException Refused(TempDir dir, byte[] bytes)
    {
        string path = dir.File("bad.tif");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidInputException>(() =>
        {
            using var r = VolumeIO.OpenRead(path);
            for (int z = 0; z < r.Info.Nz; z++) r.ReadSlice<float>(z);
        });
        Assert.Equal(path, e.Path);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static void AssertMentions(string message, string part) => Assert.True(message.Contains(part, StringComparison.Ordinal), $"'{part}' not in: {message}");

    [Fact]
    public void TheValidStackReadsBack()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("ok.tif"), Stack(dir));
        using var r = VolumeIO.OpenRead(dir.File("ok.tif"));
        Assert.Equal((16, 12, 6), (r.Info.Nx, r.Info.Ny, r.Info.Nz));
        Assert.Equal((byte)(7 * (16 * 12 * 5 + 3) % 251), r.ReadSlice<byte>(5)[3]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryTruncationIsAnErrorNeverAShorterStack(bool contiguous)
    {
        using var dir = new TempDir();
        byte[] full = Stack(dir, contiguous: contiguous);
        // Given cuts at 60 places from just after the header to one byte short of the end
        for (int k = 0; k < 60; k++)
        {
            int cut = 8 + (int)((long)(full.Length - 9) * k / 59);
            // Then each is refused (the defect: 12 of 94 cut stacks were read as shorter stacks, exit 0)
            var e = Refused(dir, full[..cut]);
            AssertMentions(e.Message, "TIFF");
        }
    }

    [Fact]
    public void StackCutRightAfterTheFirstDirectoryIsTruncatedNotAnImageJContiguousStack()
    {
        // Was InvalidCastException (UInt64[]): one readable page plus images=6 looked like ImageJ's >4 GB layout.
        using var dir = new TempDir();
        byte[] full = Stack(dir);
        var t = new TiffBytes(full);
        // Given everything of page 0 (strip, directory, values) and nothing of page 1
        int cut = (int)t.ValueField(1, TiffBytes.StripOffsets);
        Assert.True(cut > t.NextPointer(t.Directories()[0]));
        var e = Refused(dir, full[..cut]);
        AssertMentions(e.Message, "truncated");
    }

    [Fact]
    public void OnePageWithImagesSixAndNoContiguousDataIsRefused()
    {
        using var dir = new TempDir();
        byte[] full = Stack(dir);
        var t = new TiffBytes(full);
        t.SetNext(0, 0); // the chain now ends after page 0, but the description still says images=6
        var e = Refused(dir, full);
        AssertMentions(e.Message, "ImageJ stack");
    }

    [Fact]
    public void DirectoryLoop()
    {
        // Was InvalidDataException from LibTiff.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.SetNext(3, t.Directories()[1]);
        AssertMentions(Refused(dir, t.Bytes).Message, "loops");
    }

    [Fact]
    public void BitsPerSample65535()
    {
        // Was OverflowException.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.SetShort(0, TiffBytes.BitsPerSample, 65535);
        AssertMentions(Refused(dir, t.Bytes).Message, "65535-bit samples");
    }

    [Fact]
    public void DirectoryEntryCount65535()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.W16(t.EntryCountPosition(2), 65535);
        AssertMentions(Refused(dir, t.Bytes).Message, "claims 65535 entries");
    }

    [Fact]
    public void OddNextDirectoryOffset()
    {
        // Was IOException from LibTiff.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.SetNext(0, t.Directories()[1] + 1);
        AssertMentions(Refused(dir, t.Bytes).Message, "corrupt TIFF");
    }

    [Fact]
    public void SamplesPerPixelChangedOnACompressedPage()
    {
        // Was ArgumentException / ArgumentOutOfRangeException inside the LZW decoder.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir, TiffCompression.Lzw));
        Assert.Equal(5, t.U16(t.Entry(3, TiffBytes.Compression) + 8));
        t.SetShort(3, TiffBytes.SamplesPerPixel, 3);
        AssertMentions(Refused(dir, t.Bytes).Message, "3 samples per pixel (colour) in page 3");
    }

    [Fact]
    public void SamplesPerPixel65535IsReportedAsItIs()
    {
        // Was reported as "-1 samples per pixel".
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.SetShort(0, TiffBytes.SamplesPerPixel, 65535);
        var e = Refused(dir, t.Bytes);
        AssertMentions(e.Message, "65535 samples per pixel");
        Assert.DoesNotContain("-1", e.Message);
    }

    [Fact]
    public void FirstDirectoryAtOffset3()
    {
        // Was IndexOutOfRangeException.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.FirstDirectory = 3;
        AssertMentions(Refused(dir, t.Bytes).Message, "outside the file");
    }

    [Fact]
    public void StripBeyondTheEndOfTheFile()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.W32(t.Entry(4, TiffBytes.StripOffsets) + 8, (uint)t.Bytes.Length - 10);
        AssertMentions(Refused(dir, t.Bytes).Message, "strip 0");
    }

    [Fact]
    public void XResolutionWithZeroDenominatorIsNotOneNanometre()
    {
        // Was read silently as a 1 nm voxel.
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        uint at = t.ValueField(0, TiffBytes.XResolution);
        t.W32((int)at + 4, 0);
        AssertMentions(Refused(dir, t.Bytes).Message, "XResolution");
    }

    [Fact]
    public void ImplausibleImageJSpacingIsRefusedWithTheAcceptedRange()
    {
        // Was an internal error in measure (spacing=1e308).
        using var dir = new TempDir();
        byte[] b = Stack(dir, voxel: new VoxelSize(10, 10, 12345.678));
        string text = Encoding.ASCII.GetString(b);
        int at = text.IndexOf("spacing=12345.678", StringComparison.Ordinal);
        Assert.True(at > 0);
        Encoding.ASCII.GetBytes("spacing=1e308    ").CopyTo(b, at);
        var e = Refused(dir, b);
        AssertMentions(e.Message, VoxelSize.RangeText);
    }

    [Fact]
    public void UnsupportedCompressionIsNamed()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.SetShort(2, TiffBytes.Compression, 34712); // JPEG 2000
        AssertMentions(Refused(dir, t.Bytes).Message, "compression scheme 34712");
    }
    /// <summary>A file of these bytes, refused with exactly this problem (the message after the file name).</summary>
    private static void RefusedWith(TempDir dir, byte[] bytes, string problem) => Assert.Equal(problem, Refused(dir, bytes).Problem);

    [Fact]
    public void FilesThatAreNoTiffAreNamedSo()
    {
        using var dir = new TempDir();
        RefusedWith(dir, "II*\0\u0008"u8.ToArray(), "not a TIFF file (only 5 bytes)");
        RefusedWith(dir, "XX*\0\u0008\0\0\0"u8.ToArray(), "not a TIFF file (no II*/MM* signature)");
        RefusedWith(dir, "IM*\0\u0008\0\0\0"u8.ToArray(), "not a TIFF file (no II*/MM* signature)");
        RefusedWith(dir, "II,\0\u0008\0\0\0"u8.ToArray(), "not a TIFF file (no II*/MM* signature)"); // magic 44
        RefusedWith(dir, "II+\0\u0008\0\0\0\0\0\0\0"u8.ToArray(), "corrupt TIFF: BigTIFF header needs 16 bytes, the file has 12");
        RefusedWith(dir, "II+\0\u0004\0\0\0\u0010\0\0\0\0\0\0\0"u8.ToArray(), "corrupt TIFF: BigTIFF header has an offset size other than 8");
        RefusedWith(dir, "II+\0\u0008\0\u0001\0\u0010\0\0\0\0\0\0\0"u8.ToArray(), "corrupt TIFF: BigTIFF header has an offset size other than 8");
        var t = new TiffBytes(Stack(dir));
        t.FirstDirectory = 0;
        RefusedWith(dir, t.Bytes, "corrupt TIFF: the header points to no page (first directory offset 0)");
    }

    [Fact]
    public void ADirectoryWithoutEntriesIsRefused()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        int at = t.EntryCountPosition(1);
        t.W16(at, 0);
        RefusedWith(dir, t.Bytes, $"corrupt TIFF: the directory of page 1 (offset {at}) has no entries");
    }

    [Theory]
    [InlineData(TiffBytes.ImageWidth, 2, "corrupt TIFF: page 0: tag 256 has type 2, expected an unsigned integer")]
    [InlineData(TiffBytes.ImageWidth, 99, "corrupt TIFF: page 0: tag 256 has unknown type 99")]
    [InlineData(TiffBytes.StripOffsets, 1, "corrupt TIFF: page 0: tag 273 has type 1, expected offsets or byte counts")]
    [InlineData(TiffBytes.XResolution, 3, "corrupt TIFF: page 0: XResolution is not a rational (type 3)")]
    public void TagsOfTheWrongTypeAreRefused(ushort tag, ushort type, string problem)
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        int at = t.Entry(0, tag);
        t.W16(at + 2, type);
        t.W32(at + 4, 1); // one value, inline
        RefusedWith(dir, t.Bytes, problem);
    }

    [Fact]
    public void AnUnknownTypeInSomeoneElsesTagIsSkipped()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.W16(t.Entry(0, TiffBytes.ImageDescription) + 2, 99);
        File.WriteAllBytes(dir.File("skip.tif"), t.Bytes);
        using var r = VolumeIO.OpenRead(dir.File("skip.tif"));
        Assert.Equal((16, 12, 6), (r.Info.Nx, r.Info.Ny, r.Info.Nz));
    }

    [Theory]
    [InlineData(0, TiffBytes.ImageWidth, 0u, "TIFF page 0 has impossible size 0 × 12")]
    [InlineData(2, (ushort)257, 0u, "TIFF page 2 has impossible size 16 × 0")]                              // ImageLength
    [InlineData(0, TiffBytes.StripByteCounts, 10u, "corrupt TIFF: page 0: uncompressed strip 0 holds 10 bytes, its pixels need 192")] // 16 × 12 stored
    [InlineData(0, (ushort)278, 1u, "corrupt TIFF: page 0 lists 1 strips but its size needs 12")]          // RowsPerStrip 1: 12 strips needed
    public void ImpossibleSizesAndShortStripsAreRefused(int page, ushort tag, uint value, string problem)
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        t.W32(t.Entry(page, tag) + 8, value);
        RefusedWith(dir, t.Bytes, problem);
    }

    [Fact]
    public void ValuesBeyondTheEndOfTheFileAreRefused()
    {
        using var dir = new TempDir();
        var t = new TiffBytes(Stack(dir));
        int at = t.Entry(0, TiffBytes.ImageDescription);
        t.W32(at + 4, 0x7FFFFFFF);
        Assert.Contains("page 0: tag 270 claims", Refused(dir, t.Bytes).Problem, StringComparison.Ordinal);
        var u = new TiffBytes(Stack(dir));
        int ad = u.Entry(0, TiffBytes.ImageDescription);
        u.W32(ad + 8, (uint)u.Bytes.Length - 2);
        var e = Refused(dir, u.Bytes).Problem;
        Assert.StartsWith("corrupt TIFF: page 0: the values of tag 270 (", e, StringComparison.Ordinal);
        Assert.EndsWith("lie beyond the end of the file (" + u.Bytes.Length.ToString("N0") + " bytes): the file is truncated or corrupt", e, StringComparison.Ordinal);
    }
}
