using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>
/// Folders of single-page TIFF files read as one stack: natural file order, which files count,
/// and the refusals (no files, a multi-page file, mixed sizes or types, a file changed after opening).
/// </summary>
public sealed class TiffFolderKnownAnswerTests
{
    /// <summary>Writes a one-slice <paramref name="nx"/> × 2 uint8 TIFF whose voxels all hold <paramref name="value"/>.</summary>
    private static void Page(string path, byte value, int nx = 3, int nz = 1)
    {
        var v = new Volume<byte>(nx, 2, nz);
        Array.Fill(v.Data, value);
        VolumeIO.Write(path, v);
    }

    [Fact]
    public void FilesAreStackedInNaturalOrderAndOtherFilesIgnored()
    {
        using var dir = new TempDir();
        Page(dir.File("s10.tif"), 10);
        Page(dir.File("s2.TIFF"), 2);
        Page(dir.File("s1.tif"), 1);
        Page(dir.File(".hidden.tif"), 99);     // macOS resource forks and the like
        File.WriteAllText(dir.File("notes.txt"), "not a slice");
        using var r = VolumeIO.OpenRead(dir.Path);
        var folder = Assert.IsType<TiffFolderReader>(r);
        Assert.Equal(new[] { "s1.tif", "s2.TIFF", "s10.tif" }, folder.Files.Select(Path.GetFileName));
        Assert.Equal((3, 2, 3, VoxelType.UInt8), (r.Info.Nx, r.Info.Ny, r.Info.Nz, r.Info.Type));
        Assert.Equal(new byte[] { 1, 2, 10 }, Enumerable.Range(0, 3).Select(z => r.ReadSlice<byte>(z)[5]));
        Assert.Equal(dir.Path, r.Path);
    }

    [Fact]
    public void AFolderWithoutTiffFilesIsRefused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.txt"), "");
        var e = Assert.Throws<InvalidInputException>(() => new TiffFolderReader(dir.Path));
        Assert.Equal((dir.Path, "folder holds no .tif/.tiff files"), (e.Path, e.Problem));
        var notFolder = Assert.Throws<InvalidInputException>(() => new TiffFolderReader(dir.File("a.txt")));
        Assert.Equal("is not a folder", notFolder.Problem);
    }

    [Fact]
    public void MultiPageFilesMixedSizesAndMixedTypesAreRefused()
    {
        using (var dir = new TempDir())
        {
            Page(dir.File("a.tif"), 1);
            Page(dir.File("b.tif"), 1, nz: 2);
            var e = Assert.Throws<InvalidInputException>(() => new TiffFolderReader(dir.Path));
            Assert.Equal((dir.File("b.tif"), "has 2 pages; a folder stack needs single-page files"), (e.Path, e.Problem));
        }
        using (var dir = new TempDir())
        {
            Page(dir.File("a.tif"), 1);
            Page(dir.File("b.tif"), 1, nx: 4);
            var e = Assert.Throws<InvalidInputException>(() => new TiffFolderReader(dir.Path));
            Assert.Equal((dir.File("b.tif"), "is 4 × 2 but a.tif is 3 × 2: mixed slice sizes in folder"), (e.Path, e.Problem));
        }
        using (var dir = new TempDir())
        {
            Page(dir.File("a.tif"), 1);
            VolumeIO.Write(dir.File("b.tif"), new Volume<float>(3, 2, 1));
            var e = Assert.Throws<InvalidInputException>(() => new TiffFolderReader(dir.Path));
            Assert.Equal((dir.File("b.tif"), "is float32 but a.tif is uint8: mixed types in folder"), (e.Path, e.Problem));
        }
    }

    [Fact]
    public void AFileChangedAfterOpeningIsRefused()
    {
        using var dir = new TempDir();
        Page(dir.File("a.tif"), 1);
        Page(dir.File("b.tif"), 2);
        using var r = new TiffFolderReader(dir.Path);
        Page(dir.File("b.tif"), 2, nx: 5);
        var e = Assert.Throws<InvalidInputException>(() => r.ReadSlice<byte>(1));
        Assert.Equal((dir.File("b.tif"), "changed since the folder was opened"), (e.Path, e.Problem));
        Assert.Equal(1, r.ReadSlice<byte>(0)[0]);
    }
}
