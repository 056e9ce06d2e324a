namespace SxtSeg;

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

    /// <summary>Where a file written as <see cref="File"/>(<paramref name="name"/>) ends up after <see cref="Commit"/>: the path to name in messages.</summary>
    public string Destination(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// The full path of the output folder <paramref name="path"/>; throws <see cref="OutputException"/>
    /// when no name is given, a file has that name, a folder above it is a regular file
    /// (<c>notes.txt/out</c>), or the folder (if it exists) or the nearest existing folder above it
    /// cannot be written (probed with a file created and deleted at once). <see cref="Create"/> checks
    /// the same; commands call it first when work (loading a model, reading a tomogram) comes before
    /// the folder is made, so that an unusable folder is refused before that work.
    /// </summary>
    public static string RequireUsable(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException(AtomicFile.EmptyPath, "no output folder given");
        string trimmed = path.TrimEnd('/', '\\');
        string full = System.IO.Path.GetFullPath(trimmed.Length > 0 ? trimmed : path);
        if (System.IO.Path.GetDirectoryName(full) is null) throw new OutputException(path, "is the root of the file system; give a folder below it");
        if (System.IO.File.Exists(full)) throw new OutputException(path, "is a file, expected a folder");
        // The staging folder is made beside the destination, so the nearest existing folder above it must
        // take new entries, and an existing destination must take the moved files.
        string? existing = System.IO.Path.GetDirectoryName(full);
        while (existing is not null && !Directory.Exists(existing))
        {
            if (System.IO.File.Exists(existing)) throw new OutputException(path, $"cannot write here ({existing} is a file, not a folder)");
            existing = System.IO.Path.GetDirectoryName(existing);
        }
        if (existing is not null) ProbeWritable(path, existing);
        if (Directory.Exists(full)) ProbeWritable(path, full);
        return full;
    }

    private static void ProbeWritable(string path, string folder)
    {
        // Named as a partial file, so that one left by a killed process is swept like the others.
        string probe = System.IO.Path.Combine(folder, PartialFiles.NameFor("probe"));
        try
        {
            using (System.IO.File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(path, $"cannot write here ({e.Message})", e);
        }
    }

    /// <summary>Creates the staging folder next to <paramref name="path"/>.</summary>
    public static OutputFolder Create(string path)
    {
        string full = RequireUsable(path);
        string parent = System.IO.Path.GetDirectoryName(full) ?? ".";
        string staging = System.IO.Path.Combine(parent, PartialFiles.NameFor(System.IO.Path.GetFileName(full)));
        try
        {
            Directory.CreateDirectory(parent);
            PartialFiles.SweepStale(parent);
            Directory.CreateDirectory(staging);
            PartialFiles.Register(staging);
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
