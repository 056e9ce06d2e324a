namespace SxtSeg;

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
        return SafeHost(h);
    }

    /// <summary>A machine name as written into partial names: every character but ASCII letters, digits and '-' becomes '-'; no name is "host".</summary>
    internal static string SafeHost(string h)
    {
        var sb = new System.Text.StringBuilder();
        foreach (char c in h) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        return sb.Length == 0 ? "host" : sb.ToString();
    }
}
