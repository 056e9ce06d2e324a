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
}
