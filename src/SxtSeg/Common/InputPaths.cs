using System.Runtime.InteropServices;

namespace SxtSeg;

/// <summary>
/// Checks of input paths made before any work: a regular file that can be read, or a folder that
/// can be listed. Special files (FIFOs, devices, sockets) are refused without being opened, since
/// opening a FIFO for reading blocks until some other process writes to it.
/// </summary>
public static class InputPaths
{
    /// <summary>What <paramref name="path"/> is (symbolic links followed).</summary>
    public static PathKind KindOf(string path)
    {
        if (string.IsNullOrEmpty(path)) return PathKind.Missing;
        if (!OperatingSystem.IsWindows() && UnixMode(path) is { } mode)
        {
            return (mode & 0xF000) switch
            {
                0x8000 => PathKind.RegularFile,
                0x4000 => PathKind.Folder,
                0x1000 => PathKind.Fifo,
                0x2000 or 0x6000 => PathKind.Device,
                0xC000 => PathKind.Socket,
                _ => PathKind.Missing,
            };
        }
        if (File.Exists(path)) return PathKind.RegularFile;
        return Directory.Exists(path) ? PathKind.Folder : PathKind.Missing;
    }

    /// <summary>
    /// Throws <see cref="InvalidInputException"/> naming <paramref name="path"/> unless it is a
    /// readable regular file or, with <paramref name="allowFolder"/>, a folder that can be listed.
    /// </summary>
    /// <returns>The kind found (<see cref="PathKind.RegularFile"/> or <see cref="PathKind.Folder"/>).</returns>
    public static PathKind RequireReadable(string path, bool allowFolder = false)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException(AtomicFile.EmptyPath, "no input given");
        var kind = KindOf(path);
        switch (kind)
        {
            case PathKind.Missing:
                throw new InvalidInputException(path, "file not found");
            case PathKind.Fifo:
                throw new InvalidInputException(path, "is a named pipe (FIFO), not a regular file; write the data to a file first");
            case PathKind.Device:
                throw new InvalidInputException(path, "is a device, not a regular file");
            case PathKind.Socket:
                throw new InvalidInputException(path, "is a socket, not a regular file");
            case PathKind.Folder:
                if (!allowFolder) throw new InvalidInputException(path, "is a folder, expected a file");
                try
                {
                    using var e = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
                    e.MoveNext();
                }
                catch (UnauthorizedAccessException)
                {
                    throw new InvalidInputException(path, "folder cannot be read (permission denied)");
                }
                catch (IOException e)
                {
                    throw new InvalidInputException(path, $"folder cannot be read ({OneLine(e.Message)})");
                }
                return kind;
            default:
                try
                {
                    using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                }
                catch (UnauthorizedAccessException)
                {
                    throw new InvalidInputException(path, "cannot be read (permission denied)");
                }
                catch (IOException e)
                {
                    throw new InvalidInputException(path, $"cannot be read ({OneLine(e.Message)})");
                }
                return kind;
        }
    }

    /// <summary>A message on one line.</summary>
    internal static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ').Trim();

    // The runtime's own stat shim (libSystem.Native ships with every .NET on Unix); its FileStatus
    // layout is the runtime's, the same on every Unix: Flags (int32) then Mode (int32).
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    private static bool _noShim;

    private static int? UnixMode(string path)
    {
        if (_noShim) return null;
        try
        {
            var status = new byte[256];
            if (SystemNativeStat(path, status) != 0) return 0; // no such entry (or not reachable): reported as missing
            return BitConverter.ToInt32(status, 4);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noShim = true;
            return null;
        }
    }
}
