namespace SxtSeg;

/// <summary>
/// A file written under a temporary name in the destination folder and renamed over the
/// destination on <see cref="Commit"/>. Disposing without committing deletes the temporary file,
/// so a crash or an error never leaves a half-written output.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _tempPath;
    private bool _committed;

    private AtomicFile(string path, string tempPath, FileStream stream)
    {
        Path = path;
        _tempPath = tempPath;
        Stream = stream;
    }

    /// <summary>How an empty output name is shown in errors (as <see cref="InputPaths"/> shows an empty input).</summary>
    internal const string EmptyPath = "(empty path)";

    /// <summary>The final path.</summary>
    public string Path { get; }

    /// <summary>The stream to write (positioned at 0, seekable).</summary>
    public FileStream Stream { get; }

    /// <summary>Opens a temporary file next to <paramref name="path"/>; throws <see cref="OutputException"/> if impossible.</summary>
    public static AtomicFile Create(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException(EmptyPath, "no output file given");
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full)) throw new OutputException(path, "is a folder, expected a file name");
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(path, $"cannot create folder {dir} ({e.Message})", e);
        }
        PartialFiles.SweepStale(dir);
        string temp = System.IO.Path.Combine(dir, PartialFiles.NameFor(System.IO.Path.GetFileName(full)));
        try
        {
            var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            PartialFiles.Register(temp);
            return new AtomicFile(full, temp, fs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(path, $"cannot write here ({e.Message})", e);
        }
    }

    /// <summary>Flushes and renames the temporary file over the destination.</summary>
    public void Commit()
    {
        if (_committed) return;
        try
        {
            Stream.Flush(flushToDisk: false);
            Stream.Dispose();
            File.Move(_tempPath, Path, overwrite: true);
            _committed = true;
            PartialFiles.Unregister(_tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(_tempPath);
            PartialFiles.Unregister(_tempPath);
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed) return;
        // Closing flushes the stream's buffer, which fails again when the disk is full: the
        // temporary file goes all the same.
        try { Stream.Dispose(); } catch (IOException) { }
        TryDelete(_tempPath);
        PartialFiles.Unregister(_tempPath);
    }

    /// <summary>Writes all bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var f = Create(path);
        f.Stream.Write(bytes);
        f.Commit();
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text)
        => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    private static void TryDelete(string p)
    {
        try { File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
