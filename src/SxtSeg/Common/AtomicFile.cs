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

    /// <summary>The final path.</summary>
    public string Path { get; }

    /// <summary>The stream to write (positioned at 0, seekable).</summary>
    public FileStream Stream { get; }

    /// <summary>Opens a temporary file next to <paramref name="path"/>; throws <see cref="OutputException"/> if impossible.</summary>
    public static AtomicFile Create(string path)
    {
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
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
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
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(_tempPath);
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed) return;
        Stream.Dispose();
        TryDelete(_tempPath);
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

/// <summary>
/// A folder of outputs built in a hidden staging folder beside the destination and moved into
/// place on <see cref="Commit"/>; on failure (dispose without commit) the staging folder is
/// deleted and the destination is left as it was.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _committed;

    private OutputFolder(string path, string staging)
    {
        Path = path;
        StagingPath = staging;
    }

    /// <summary>Destination folder.</summary>
    public string Path { get; }

    /// <summary>Folder to write into until commit.</summary>
    public string StagingPath { get; }

    /// <summary>Path of a file inside the staging folder.</summary>
    public string File(string name) => System.IO.Path.Combine(StagingPath, name);

    /// <summary>Creates the staging folder next to <paramref name="path"/>.</summary>
    public static OutputFolder Create(string path)
    {
        string full = System.IO.Path.GetFullPath(path.TrimEnd('/', '\\'));
        if (System.IO.File.Exists(full)) throw new OutputException(path, "is a file, expected a folder");
        string parent = System.IO.Path.GetDirectoryName(full) ?? ".";
        string staging = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(staging);
            // Probe that the destination itself is writable if it exists.
            if (Directory.Exists(full))
            {
                string probe = System.IO.Path.Combine(full, $".probe.{Guid.NewGuid():N}");
                using (System.IO.File.Create(probe)) { }
                System.IO.File.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new OutputException(path, $"cannot write here ({e.Message})", e);
        }
        return new OutputFolder(full, staging);
    }

    /// <summary>Moves every staged file (and subfolder) into the destination, replacing same-named files.</summary>
    public void Commit()
    {
        if (_committed) return;
        try
        {
            Directory.CreateDirectory(Path);
            MoveTree(StagingPath, Path);
            Directory.Delete(StagingPath, true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
    }

    private static void MoveTree(string from, string to)
    {
        foreach (string f in Directory.GetFiles(from))
            System.IO.File.Move(f, System.IO.Path.Combine(to, System.IO.Path.GetFileName(f)), overwrite: true);
        foreach (string d in Directory.GetDirectories(from))
        {
            string target = System.IO.Path.Combine(to, System.IO.Path.GetFileName(d));
            Directory.CreateDirectory(target);
            MoveTree(d, target);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_committed) return;
        try { if (Directory.Exists(StagingPath)) Directory.Delete(StagingPath, true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
