using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Common;

/// <summary><see cref="InputPaths"/> as a library caller meets it: what each kind of path is told.</summary>
public sealed class InputPathsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void NoNameIsNoInput(string path)
        => Assert.Equal("(empty path): no input given", Assert.Throws<InvalidInputException>(() => InputPaths.RequireReadable(path)).Message);

    [Fact]
    public void AFolderIsAnInputOnlyWhereFoldersAre()
    {
        using var dir = new TempDir();
        Assert.Equal(PathKind.Folder, InputPaths.RequireReadable(dir.Path, allowFolder: true));
        Assert.Equal($"{dir.Path}: is a folder, expected a file", Assert.Throws<InvalidInputException>(() => InputPaths.RequireReadable(dir.Path)).Message);
        File.WriteAllText(dir.File("a.mrc"), "x");
        Assert.Equal(PathKind.RegularFile, InputPaths.RequireReadable(dir.File("a.mrc")));
        Assert.Equal($"{dir.File("b.mrc")}: file not found", Assert.Throws<InvalidInputException>(() => InputPaths.RequireReadable(dir.File("b.mrc"))).Message);
    }

    [LinuxFact]
    public void DevicesAndSocketsAreRefusedWithoutBeingOpened()
    {
        Assert.Equal(PathKind.Device, InputPaths.KindOf("/dev/null"));
        Assert.Equal("/dev/null: is a device, not a regular file", Assert.Throws<InvalidInputException>(() => InputPaths.RequireReadable("/dev/null")).Message);
        using var dir = new TempDir();
        string path = dir.File("s.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        Assert.Equal(PathKind.Socket, InputPaths.KindOf(path));
        Assert.Equal($"{path}: is a socket, not a regular file", Assert.Throws<InvalidInputException>(() => InputPaths.RequireReadable(path)).Message);
    }
}
