using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Common;

/// <summary><see cref="OutputPaths"/> as a library caller meets it (the CLI cases are in OutputIsInputTests).</summary>
public sealed class OutputPathsTests
{
    [Fact]
    public void MissingOrUnsetInputsAreSkipped()
    {
        using var dir = new TempDir();
        OutputPaths.RequireFileApart(dir.File("out.mrc"), "--out", null, "", " ", dir.File("missing.mrc"));
        OutputPaths.RequireFolderApart(dir.File("out"), "--out", null, "", dir.File("missing"));
    }

    [Fact]
    public void OnlyInputFoldersAreJudgedForAnOutputFolder()
    {
        // a file input named as the output folder is the folder writer's to refuse ("is a file")
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.mrc"), "x");
        OutputPaths.RequireFolderApart(dir.File("a.mrc"), "--out", dir.File("a.mrc"));
    }

    [LinuxFact]
    public void NamesThatDifferOnlyInCaseAreDifferentFilesOnLinux()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.mrc"), "x");
        OutputPaths.RequireFileApart(dir.File("A.mrc"), "--out", dir.File("a.mrc"));
        Assert.Throws<InvalidOptionException>(() => OutputPaths.RequireFileApart(dir.File("a.mrc"), "--out", dir.File("a.mrc")));
    }

    [Theory]
    [InlineData("s.tif", true)]
    [InlineData("s.TIFF", true)]
    [InlineData("s.tiff", true)]
    [InlineData("s.mrc", false)]
    [InlineData("s.png", false)]
    public void OnlyATiffInsideAnInputSliceFolderWouldBecomeASlice(string name, bool refused)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("slices"));
        File.WriteAllText(dir.File("slices/z000.tif"), "x");
        void Check() => OutputPaths.RequireFileApart(dir.File("slices/" + name), "--png", dir.File("slices"));
        if (refused) Assert.Contains("would become one of its slices", Assert.Throws<InvalidOptionException>(Check).Message);
        else Check();
    }

    [Fact]
    public void AnOutputFolderThatIsTheInputSliceFolderThroughALinkIsRefused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("slices"));
        File.WriteAllText(dir.File("slices/z000.tif"), "x");
        Directory.CreateSymbolicLink(dir.File("link"), dir.File("slices"));
        Assert.Throws<InvalidOptionException>(() => OutputPaths.RequireFolderApart(dir.File("link") + "/", "--out", dir.File("slices")));
        Assert.Throws<InvalidOptionException>(() => OutputPaths.RequireFolderApart(dir.File("slices"), "--out", dir.File("link")));
        // a folder beside it is not
        OutputPaths.RequireFolderApart(dir.File("other"), "--out", dir.File("link"));
    }

    [Fact]
    public void ALoopOfLinksIsLeftToFailOnItsOwn()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.mrc"), "x");
        Directory.CreateSymbolicLink(dir.File("loop1"), dir.File("loop2"));
        Directory.CreateSymbolicLink(dir.File("loop2"), dir.File("loop1"));
        // neither hangs nor overflows: the loop is no input, so nothing is refused
        OutputPaths.RequireFileApart(dir.File("loop1/out.mrc"), "--out", dir.File("a.mrc"));
    }
}
