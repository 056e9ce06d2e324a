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
        Stream.Dispose();
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

/// <summary>
/// A folder of outputs built in a hidden staging folder beside the destination and moved into
/// place on <see cref="Commit"/>; on failure (dispose without commit) the staging folder is
/// deleted and the destination is left as it was.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _committed;
    private readonly List<string> _owned = new();

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
        string staging = System.IO.Path.Combine(parent, PartialFiles.NameFor(System.IO.Path.GetFileName(full)));
        try
        {
            Directory.CreateDirectory(parent);
            PartialFiles.SweepStale(parent);
            Directory.CreateDirectory(staging);
            PartialFiles.Register(staging);
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
            PartialFiles.Unregister(staging);
            throw new OutputException(path, $"cannot write here ({e.Message})", e);
        }
        return new OutputFolder(full, staging);
    }

    /// <summary>
    /// Declares the files this kind of output owns in the destination, as name patterns relative to
    /// it ('*' and '?' within one name, '/' between folders: "labels.mrc", "shard-*-of-*.json",
    /// "objects/object_*.ply"). On <see cref="Commit"/>, owned files already in the destination that
    /// this run did not write are removed, so that a re-run into a used folder leaves no stale output
    /// beside a sidecar that does not list it. Files matching no pattern are never touched.
    /// Returns this for chaining.
    /// </summary>
    public OutputFolder Owns(params string[] patterns)
    {
        _owned.AddRange(patterns);
        return this;
    }

    /// <summary>The owned files in the destination (relative paths) that are not in the staging folder.</summary>
    public IReadOnlyList<string> StaleFiles()
    {
        var stale = new List<string>();
        if (_owned.Count == 0 || !Directory.Exists(Path)) return stale;
        foreach (string pattern in _owned)
        {
            string norm = pattern.Replace('\\', '/');
            int slash = norm.LastIndexOf('/');
            string dir = slash < 0 ? "" : norm[..slash], name = slash < 0 ? norm : norm[(slash + 1)..];
            if (dir.Contains('*') || dir.Contains('?')) throw new ArgumentException($"wildcards only in the file name: {pattern}", nameof(pattern));
            string folder = System.IO.Path.Combine(Path, dir);
            if (!Directory.Exists(folder)) continue;
            var regex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(name).Replace("\\*", "[^/]*").Replace("\\?", "[^/]") + "$",
                System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            foreach (string f in Directory.EnumerateFiles(folder))
            {
                string fileName = System.IO.Path.GetFileName(f);
                if (!regex.IsMatch(fileName)) continue;
                string rel = dir.Length == 0 ? fileName : System.IO.Path.Combine(dir, fileName);
                if (!System.IO.File.Exists(System.IO.Path.Combine(StagingPath, rel)) && !stale.Contains(rel)) stale.Add(rel);
            }
        }
        stale.Sort(StringComparer.Ordinal);
        return stale;
    }

    /// <summary>Moves every staged file (and subfolder) into the destination, replacing same-named files; removes stale owned files (<see cref="Owns"/>).</summary>
    public void Commit()
    {
        if (_committed) return;
        try
        {
            Directory.CreateDirectory(Path);
            foreach (string rel in StaleFiles())
            {
                string full = System.IO.Path.Combine(Path, rel);
                System.IO.File.Delete(full);
                string? parent = System.IO.Path.GetDirectoryName(full);
                if (parent is not null && parent != Path && !Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
            }
            MoveTree(StagingPath, Path);
            Directory.Delete(StagingPath, true);
            _committed = true;
            PartialFiles.Unregister(StagingPath);
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
        PartialFiles.Unregister(StagingPath);
    }
}

/// <summary>
/// The hidden temporary files and staging folders of <see cref="AtomicFile"/> and
/// <see cref="OutputFolder"/>: named <c>.NAME.PID@HOST.GUID.partial</c> beside their destination.
/// A process killed before it could clean up (kill -9, power loss) leaves them behind; the next run
/// writing into the same folder removes those of its own host whose process is gone. The ones of
/// this process are tracked so that an interrupted run can delete them on its way out.
/// </summary>
public static class PartialFiles
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Live = new();
    private static readonly System.Text.RegularExpressions.Regex Pattern =
        new(@"^\..+\.(?<pid>[0-9]{1,10})@(?<host>[A-Za-z0-9-]+)\.[0-9a-f]{32}\.partial$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>This machine's name as written into partial names (letters, digits and '-').</summary>
    public static string Host { get; } = SafeHost();

    /// <summary>The hidden temporary name for an output called <paramref name="finalName"/>.</summary>
    public static string NameFor(string finalName) => $".{finalName}.{Environment.ProcessId}@{Host}.{Guid.NewGuid():N}.partial";

    /// <summary>True when <paramref name="name"/> (a file or folder name) follows the partial naming pattern.</summary>
    public static bool IsPartialName(string name) => Pattern.IsMatch(name);

    /// <summary>
    /// Deletes the partial files and folders in <paramref name="folder"/> left by dead processes of
    /// this host (names of other hosts, of live processes and of other patterns are never touched).
    /// Returns how many were removed.
    /// </summary>
    public static int SweepStale(string folder)
    {
        int removed = 0;
        try
        {
            if (!Directory.Exists(folder)) return 0;
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, ".*.partial"))
            {
                var m = Pattern.Match(System.IO.Path.GetFileName(entry));
                if (!m.Success || m.Groups["host"].Value != Host) continue;
                if (!int.TryParse(m.Groups["pid"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)) continue;
                if (pid == Environment.ProcessId || IsAlive(pid)) continue;
                try
                {
                    if (Directory.Exists(entry)) Directory.Delete(entry, true);
                    else File.Delete(entry);
                    removed++;
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return removed;
    }

    /// <summary>Deletes every partial file and folder this process still has open (on an interrupted exit).</summary>
    public static void DeleteLive()
    {
        foreach (string p in Live.Keys)
        {
            try
            {
                if (Directory.Exists(p)) Directory.Delete(p, true);
                else File.Delete(p);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            Live.TryRemove(p, out _);
        }
    }

    internal static void Register(string path) => Live[path] = 0;

    internal static void Unregister(string path) => Live.TryRemove(path, out _);

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static string SafeHost()
    {
        string h;
        try { h = Environment.MachineName; } catch (InvalidOperationException) { h = "host"; }
        var sb = new System.Text.StringBuilder();
        foreach (char c in h) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        return sb.Length == 0 ? "host" : sb.ToString();
    }
}
