using System.Text;
using System.Text.RegularExpressions;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>The tomograms named on a command line: files, folders of tomograms and wildcard patterns.</summary>
public static class BatchInputs
{
    private static readonly string[] MrcExtensions = { ".mrc", ".rec", ".st", ".ali", ".map", ".mrcs", ".ccp4", ".preali" };

    /// <summary>Names that cannot be a tomogram's output folder (the batch's own files).</summary>
    private static readonly string[] Reserved = { BatchFiles.StatusFolder, Path.GetFileNameWithoutExtension(BatchFiles.Table), Path.GetFileNameWithoutExtension(BatchFiles.Manifest) };

    /// <summary>
    /// Expands <paramref name="arguments"/> into tomograms. A file is one tomogram. A folder holding
    /// MRC files or multi-page TIFF stacks is a batch of them (other files are ignored); a folder of
    /// single-page TIFF files is one tomogram (its slices). A pattern with <c>*</c>, <c>?</c> or
    /// <c>[...]</c> (in any part of the path, quoted so that the shell leaves it) stands for the
    /// files and folders it matches, in name order. A missing path or a pattern matching nothing
    /// becomes an item with a <see cref="BatchItem.Problem"/>, so that the rest still runs.
    /// The run is a batch (outputs in <c>OUT/NAME/</c>) unless exactly one argument names exactly one
    /// tomogram file or slice folder.
    /// </summary>
    public static (IReadOnlyList<BatchItem> Items, bool IsBatch) Expand(IReadOnlyList<string> arguments)
    {
        var found = new List<(string Input, string? Problem)>();
        bool batch = arguments.Count != 1;
        foreach (string arg in arguments)
        {
            if (IsPattern(arg))
            {
                batch = true;
                var matches = Glob(arg);
                if (matches.Count == 0) found.Add((arg, "matches no file"));
                foreach (string m in matches)
                {
                    if (Directory.Exists(m)) found.AddRange(FromFolder(m, out _).Select(f => (f, (string?)null)));
                    else if (IsVolumeFile(m)) found.Add((m, null));
                }
                continue;
            }
            if (Directory.Exists(arg))
            {
                var inside = FromFolder(arg, out bool ofTomograms);
                if (ofTomograms) batch = true;
                if (inside.Count == 0) found.Add((arg, "folder holds no MRC file and no TIFF"));
                found.AddRange(inside.Select(f => (f, (string?)null)));
                continue;
            }
            found.Add((arg, File.Exists(arg) || InputPaths.KindOf(arg) != PathKind.Missing ? null : "file not found"));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<BatchItem>();
        foreach (var (input, problem) in found)
        {
            string stem = NameOf(input);
            string name = stem;
            for (int k = 2; names.Contains(name) || Reserved.Contains(name, StringComparer.OrdinalIgnoreCase); k++) name = $"{stem}-{k}";
            names.Add(name);
            items.Add(new BatchItem(input, name, problem));
        }
        return (items, batch);
    }

    /// <summary>True when <paramref name="argument"/> holds a wildcard (<c>*</c>, <c>?</c>, <c>[</c>) and is not an existing path.</summary>
    public static bool IsPattern(string argument)
        => argument.IndexOfAny(new[] { '*', '?', '[' }) >= 0 && !File.Exists(argument) && !Directory.Exists(argument);

    /// <summary>The tomograms in a folder: its MRC files and multi-page TIFF stacks, or the folder itself when it holds only single-page TIFF slices.</summary>
    private static List<string> FromFolder(string folder, out bool ofTomograms)
    {
        ofTomograms = false;
        string[] files;
        try { files = Directory.GetFiles(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new List<string> { folder }; }
        Array.Sort(files, StringComparer.Ordinal);
        var mrc = files.Where(IsMrc).ToList();
        var tiffs = files.Where(IsTiff).ToList();
        var stacks = tiffs.Where(t => PageCount(t) > 1).ToList();
        if (mrc.Count == 0 && stacks.Count == 0) return tiffs.Count > 0 ? new List<string> { folder } : new List<string>();
        ofTomograms = true;
        return mrc.Concat(stacks).OrderBy(f => f, StringComparer.Ordinal).ToList();
    }

    private static int PageCount(string tiff)
    {
        try
        {
            using var r = VolumeIO.OpenRead(tiff);
            return r.Info.Nz;
        }
        catch (Exception e) when (e is SxtSegException or IOException or UnauthorizedAccessException)
        {
            return 2; // unreadable: listed as a tomogram of its own, so that its error is reported
        }
    }

    private static bool IsMrc(string f) => Array.IndexOf(MrcExtensions, Path.GetExtension(f).ToLowerInvariant()) >= 0;

    private static bool IsTiff(string f) => Path.GetExtension(f).ToLowerInvariant() is ".tif" or ".tiff";

    private static bool IsVolumeFile(string f) => IsMrc(f) || IsTiff(f);

    private static string NameOf(string input)
    {
        string trimmed = input.TrimEnd('/', '\\');
        string name = Directory.Exists(trimmed) ? Path.GetFileName(Path.GetFullPath(trimmed)) : Path.GetFileNameWithoutExtension(trimmed);
        var sb = new StringBuilder();
        foreach (char c in name) sb.Append(char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '[' or ']' ? '_' : c);
        string s = sb.ToString().Trim();
        return s.Length == 0 || s is "." or ".." ? "tomogram" : s;
    }

    /// <summary>The files and folders matching a pattern, wildcards allowed in any path component, in ordinal order.</summary>
    public static List<string> Glob(string pattern)
    {
        string norm = pattern.Replace('\\', '/');
        bool rooted = norm.StartsWith('/');
        var parts = norm.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { rooted ? "/" : "" };
        foreach (string part in parts)
        {
            var next = new List<string>();
            bool wild = part.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
            foreach (string dir in current)
            {
                string here = dir.Length == 0 ? "." : dir;
                if (!wild)
                {
                    string p = dir.Length == 0 ? part : Path.Combine(dir, part);
                    if (File.Exists(p) || Directory.Exists(p)) next.Add(p);
                    continue;
                }
                if (!Directory.Exists(here)) continue;
                var regex = new Regex("^" + GlobToRegex(part) + "$", RegexOptions.CultureInvariant);
                IEnumerable<string> entries;
                try { entries = Directory.EnumerateFileSystemEntries(here).ToList(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (string e in entries)
                {
                    string name = Path.GetFileName(e);
                    if (name.StartsWith('.') && !part.StartsWith('.')) continue; // hidden files only when asked for, as in a shell
                    if (regex.IsMatch(name)) next.Add(dir.Length == 0 ? name : Path.Combine(dir, name));
                }
            }
            current = next;
        }
        return current.Where(p => p.Length > 0).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    private static string GlobToRegex(string part)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < part.Length; i++)
        {
            char c = part[i];
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (c == '[')
            {
                int end = part.IndexOf(']', i + 1);
                if (end < 0) { sb.Append("\\["); continue; }
                string set = part[(i + 1)..end];
                if (set.StartsWith('!')) set = "^" + set[1..];
                sb.Append('[').Append(set.Replace("\\", "\\\\")).Append(']');
                i = end;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
