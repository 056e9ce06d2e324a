namespace SxtSeg.Network;

/// <summary>
/// Finds the model shipped with SxtSeg (<c>models/sxtseg-default.sxtmodel</c>, see models/README.md),
/// used when a command is given no <c>--model</c>. Looked up, first hit wins:
/// <list type="number">
/// <item>the file named by the environment variable <c>SXTSEG_DEFAULT_MODEL</c> (it must exist);</item>
/// <item><c>models/sxtseg-default.sxtmodel</c> next to the executable (the build and publish outputs carry it), or the file itself there;</item>
/// <item><c>models/sxtseg-default.sxtmodel</c> in a folder above the executable's folder (running from a source checkout);</item>
/// <item>the same walking up from the current directory.</item>
/// </list>
/// </summary>
public static class DefaultModel
{
    /// <summary>File name of the shipped model.</summary>
    public const string FileName = "sxtseg-default.sxtmodel";

    /// <summary>Folder that holds it, in the repository and in build outputs.</summary>
    public const string FolderName = "models";

    /// <summary>Environment variable that overrides the lookup.</summary>
    public const string EnvironmentVariable = "SXTSEG_DEFAULT_MODEL";

    /// <summary>The shipped model's path; throws <see cref="InvalidInputException"/> when it cannot be found.</summary>
    public static string Path => Find() ?? throw new InvalidInputException(System.IO.Path.Combine(FolderName, FileName),
        $"the default model was not found next to the executable ({AppContext.BaseDirectory}) nor in a {FolderName}/ folder above it or above the current directory; give --model FILE or set {EnvironmentVariable}");

    /// <summary>The shipped model's path, or null when it cannot be found.</summary>
    public static string? Find()
        => Find(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory, Directory.GetCurrentDirectory());

    /// <summary>
    /// The lookup with explicit inputs: <paramref name="overridePath"/> (null or empty: none), then
    /// <c>models/FileName</c> (or <c>FileName</c>) in <paramref name="executableFolder"/>, then
    /// <c>models/FileName</c> in its ancestors, then in <paramref name="currentFolder"/> and its ancestors.
    /// </summary>
    public static string? Find(string? overridePath, string executableFolder, string currentFolder)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (!File.Exists(overridePath)) throw new InvalidInputException(overridePath, $"{EnvironmentVariable} names a model file that does not exist");
            return System.IO.Path.GetFullPath(overridePath);
        }
        return FindShipped(FileName, executableFolder, currentFolder);
    }

    /// <summary>
    /// A shipped model file by name (the membrane, body or filopodium model), or null: <paramref name="fileName"/> in
    /// <paramref name="executableFolder"/>, then <c>models/</c><paramref name="fileName"/> in it and its ancestors, then
    /// in <paramref name="currentFolder"/> and its ancestors.
    /// </summary>
    public static string? FindShipped(string fileName, string? executableFolder = null, string? currentFolder = null)
    {
        executableFolder ??= AppContext.BaseDirectory;
        currentFolder ??= Directory.GetCurrentDirectory();
        string beside = System.IO.Path.Combine(executableFolder, fileName);
        if (File.Exists(beside)) return System.IO.Path.GetFullPath(beside);
        return WalkUp(executableFolder, fileName) ?? WalkUp(currentFolder, fileName);
    }

    /// <summary>Prefix of the shipped membrane models' file names: <c>sxtseg-NAME.sxtmodel</c> is the model called NAME.</summary>
    public const string ShippedPrefix = "sxtseg-";

    /// <summary>
    /// The model a <c>--model</c> value names: null gives the default model (<see cref="Path"/>); an existing file is
    /// itself; a bare name without folder or extension (<c>default</c>, <c>2d</c>) is the shipped model
    /// <c>sxtseg-NAME.sxtmodel</c> looked up as <see cref="FindShipped"/>, when it exists, else the shipped model the name
    /// is an alias of (<see cref="Aliases"/>); anything else is returned as it is
    /// (the caller reports a missing file).
    /// </summary>
    public static string Resolve(string? given, string? executableFolder = null, string? currentFolder = null)
    {
        if (given is null) return Path;
        if (File.Exists(given) || !IsBareName(given)) return given;
        return FindShipped(ShippedPrefix + given + ".sxtmodel", executableFolder, currentFolder)
            ?? (Aliases.TryGetValue(given, out var now) ? FindShipped(ShippedPrefix + now + ".sxtmodel", executableFolder, currentFolder) : null)
            ?? given;
    }

    /// <summary>
    /// Former names of shipped models, used when no file of that name exists: <c>context3</c>, the optional
    /// 7-slice model until 2026-11-27, is the default model since (the one-slice model is <c>2d</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["context3"] = "default" };

    private static bool IsBareName(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) return false;
        return true;
    }

    private static string? WalkUp(string start, string fileName)
    {
        for (var dir = new DirectoryInfo(System.IO.Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, FolderName, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
