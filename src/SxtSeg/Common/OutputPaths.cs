namespace SxtSeg;

/// <summary>
/// Checks, made before any work, that an output does not destroy an input: a file written over the
/// volume it is made from (<c>slice a.mrc --png a.mrc</c> replaced the tomogram by a PNG), or TIFF
/// outputs written among the slices of an input folder of TIFF slices (which then no longer reads as
/// one volume). Paths are compared after symbolic links are resolved, except the output's last name:
/// a finished output is renamed over that name, replacing a link but not the file it points to.
/// </summary>
public static class OutputPaths
{
    /// <summary>
    /// Throws <see cref="InvalidOptionException"/> for <paramref name="option"/> when the output file
    /// <paramref name="output"/> is one of <paramref name="inputs"/> (files or folders read by the
    /// command; null and missing ones are skipped), or is a TIFF inside an input folder.
    /// </summary>
    public static void RequireFileApart(string output, string option, params string?[] inputs)
    {
        if (string.IsNullOrWhiteSpace(output)) return; // the writer reports an empty name
        string target = Resolve(output, followLast: false);
        foreach (string? input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input)) continue;
            var kind = InputPaths.KindOf(input);
            if (kind == PathKind.Missing) continue;
            string source = Resolve(input, followLast: true);
            if (Same(target, source))
                throw new InvalidOptionException(option, $"{output} is the input {input}, which would be replaced; give another file name");
            if (kind == PathKind.Folder && IsTiff(output) && Same(Path.GetDirectoryName(target) ?? "", source))
                throw new InvalidOptionException(option, $"{output} is inside the input folder of TIFF slices {input} and would become one of its slices; write it elsewhere");
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidOptionException"/> for <paramref name="option"/> when the output
    /// folder <paramref name="output"/> is one of the input folders of TIFF slices in
    /// <paramref name="inputs"/> (its outputs would be written among the slices).
    /// </summary>
    public static void RequireFolderApart(string output, string option, params string?[] inputs)
    {
        if (string.IsNullOrWhiteSpace(output)) return; // the folder reports an empty name
        string target = Resolve(output.TrimEnd('/', '\\'), followLast: true);
        foreach (string? input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input) || InputPaths.KindOf(input) != PathKind.Folder) continue;
            if (Same(target, Resolve(input.TrimEnd('/', '\\'), followLast: true)))
                throw new InvalidOptionException(option, $"{output} is the input folder {input}; its outputs would be written among the slices; give another folder");
        }
    }

    private static bool IsTiff(string path) => Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff";

    private static bool Same(string a, string b)
        => string.Equals(a, b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>The absolute path with every symbolic link resolved (the last name only when <paramref name="followLast"/>).</summary>
    internal static string Resolve(string path, bool followLast)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is null) return full; // the root
        string parent = RealPath(dir, 0);
        string here = Path.Combine(parent, Path.GetFileName(full));
        return followLast ? RealPath(here, 0) : here;
    }

    private static string RealPath(string full, int depth)
    {
        string root = Path.GetPathRoot(full) ?? "";
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part.Length == 0) continue;
            string next = Path.Combine(current, part);
            string? link = null;
            try { link = new FileInfo(next).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            // A loop of links (over 40 deep) is left as it is: reading it fails on its own.
            if (link is not null && depth < 40) next = RealPath(Path.GetFullPath(link, current), depth + 1);
            current = next;
        }
        return current;
    }
}
