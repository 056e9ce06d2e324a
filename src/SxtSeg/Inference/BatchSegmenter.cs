using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>One tomogram of a batch: where it is, the name of its output folder, and why it cannot be read (if so).</summary>
/// <param name="Input">The tomogram: MRC file, TIFF stack or folder of TIFF slices (as given or found).</param>
/// <param name="Name">Name of its output folder inside the batch's output folder (unique in the batch).</param>
/// <param name="Problem">Why the argument gave no tomogram (a pattern matching nothing, a missing path), else null.</param>
public sealed record BatchItem(string Input, string Name, string? Problem = null);

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

/// <summary>File names of a batch's output folder.</summary>
public static class BatchFiles
{
    /// <summary>The summary table, one row per tomogram.</summary>
    public const string Table = "batch.csv";
    /// <summary>The list of tomograms and output names of the batch (with provenance).</summary>
    public const string Manifest = "batch.json";
    /// <summary>Folder of one status file per tomogram (NAME.json), written as each finishes or fails.</summary>
    public const string StatusFolder = "batch-status";
}

/// <summary>How one tomogram of a batch went.</summary>
public sealed record BatchRow
{
    /// <summary>The tomogram.</summary>
    public required string Input { get; init; }
    /// <summary>Its output folder's name.</summary>
    public required string Name { get; init; }
    /// <summary>"ok", "failed" or "not run" (another task of an array job has it, or it has not finished).</summary>
    public required string Status { get; init; }
    /// <summary>Wall time in seconds (0 when not run).</summary>
    public double Seconds { get; init; }
    /// <summary>Voxel size used (nm), null when unknown.</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>Contrast polarity used ("dense-bright", "dense-dark") and whether detected.</summary>
    public string? Polarity { get; init; }
    /// <summary>Probability threshold used.</summary>
    public double? Threshold { get; init; }
    /// <summary>Membrane voxels in the labels.</summary>
    public long? MembraneVoxels { get; init; }
    /// <summary>Fraction of the volume labelled membrane.</summary>
    public double? MembraneFraction { get; init; }
    /// <summary>The output folder (as recorded).</summary>
    public string? Output { get; init; }
    /// <summary>The one-line error of a failed tomogram.</summary>
    public string? Error { get; init; }
    /// <summary>Warnings given while segmenting it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>True when segmented.</summary>
    public bool Ok => Status == "ok";

    internal JsonObject ToJson() => new()
    {
        ["input"] = Input, ["name"] = Name, ["status"] = Status, ["seconds"] = JsonNumbers.Of(Seconds),
        ["voxel_size_nm"] = VoxelSize is { } v ? new JsonArray(JsonNumbers.Of(v.X), JsonNumbers.Of(v.Y), JsonNumbers.Of(v.Z)) : null,
        ["polarity"] = Polarity, ["threshold"] = Threshold is { } t ? JsonNumbers.Of(t) : null,
        ["membrane_voxels"] = MembraneVoxels, ["membrane_fraction"] = MembraneFraction is { } f ? JsonNumbers.Of(f) : null,
        ["output"] = Output, ["error"] = Error,
        ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
    };

    internal static BatchRow FromJson(JsonObject j) => new()
    {
        Input = (string)j["input"]!, Name = (string)j["name"]!, Status = (string)j["status"]!, Seconds = (double?)j["seconds"] ?? 0,
        VoxelSize = j["voxel_size_nm"] is JsonArray v ? new VoxelSize((double)v[0]!, (double)v[1]!, (double)v[2]!) : null,
        Polarity = (string?)j["polarity"], Threshold = (double?)j["threshold"], MembraneVoxels = (long?)j["membrane_voxels"],
        MembraneFraction = (double?)j["membrane_fraction"], Output = (string?)j["output"], Error = (string?)j["error"],
        Warnings = j["warnings"] is JsonArray w ? w.Select(x => (string)x!).ToArray() : Array.Empty<string>(),
    };
}

/// <summary>The result of a batch run (or of collecting the rows of an array job's tasks).</summary>
/// <param name="Folder">The batch's output folder.</param>
/// <param name="Rows">One row per tomogram of the batch, in the order given.</param>
/// <param name="Ran">How many tomograms this run segmented or tried (its task's share).</param>
public sealed record BatchSummary(string Folder, IReadOnlyList<BatchRow> Rows, int Ran)
{
    /// <summary>Tomograms that failed.</summary>
    public int Failed => Rows.Count(r => r.Status == "failed");
    /// <summary>Tomograms not segmented yet (other tasks, or not finished).</summary>
    public int NotRun => Rows.Count(r => r.Status == "not run");
    /// <summary>The summary table's path.</summary>
    public string Table => Path.Combine(Folder, BatchFiles.Table);
}

/// <summary>
/// Segments many tomograms with one loaded model: each into <c>OUT/NAME/</c> (the files of a single
/// run), a failed one recorded and the others carried on, a status file per tomogram in
/// <c>OUT/batch-status/</c>, and the table <c>OUT/batch.csv</c> (time, voxel size, polarity,
/// threshold, membrane fraction, error per tomogram). Tasks of a SLURM array job each take every
/// N-th tomogram (<c>--task I/N</c>); <see cref="Collect"/> (<c>sxtseg merge OUT</c>) rebuilds the
/// table once all have finished.
/// </summary>
public static class BatchSegmenter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The tomograms of the batch that task <paramref name="task"/> takes (every Count-th from Index).</summary>
    public static IEnumerable<int> TaskShare(int items, (int Index, int Count) task)
    {
        if (task.Count < 1 || task.Index < 0 || task.Index >= task.Count)
            throw new InvalidOptionException("--task", $"task {task.Index}/{task.Count} is out of range (use I/N with 0 ≤ I < N)");
        for (int i = task.Index; i < items; i += task.Count) yield return i;
    }

    /// <summary>
    /// Runs the batch (or this task's share of it). <paramref name="provenance"/> gives the provenance
    /// of one tomogram's run; <paramref name="finished"/> is told each row as it is done.
    /// Cancellation (Ctrl-C) stops the whole batch; any other failure is recorded and the next
    /// tomogram runs.
    /// </summary>
    public static BatchSummary Run(IReadOnlyList<BatchItem> items, string outputFolder, SegmentationModel model, SegmentOptions options,
        Func<BatchItem, Provenance> provenance, (int Index, int Count)? task = null, IProgress<ProgressUpdate>? progress = null,
        Action<string>? warn = null, Action<BatchRow>? finished = null, CancellationToken cancel = default)
    {
        if (options.Shard is not null) throw new InvalidOptionException("--shard", "splits one tomogram over tasks; a batch is split by tomogram (--task I/N)");
        options.Validate();
        var share = TaskShare(items.Count, task ?? (0, 1)).ToList();
        string folder = Path.GetFullPath(outputFolder);
        try { Directory.CreateDirectory(Path.Combine(folder, BatchFiles.StatusFolder)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new OutputException(outputFolder, $"cannot write here ({e.Message})", e); }
        WriteManifest(folder, items, model.Id);
        foreach (int i in share)
        {
            cancel.ThrowIfCancellationRequested();
            var item = items[i];
            var row = RunOne(item, folder, model, options, provenance(item), i, items.Count, progress, warn, cancel);
            AtomicFile.WriteAllText(StatusPath(folder, item.Name), row.ToJson().ToJsonString(Indented) + "\n");
            finished?.Invoke(row);
        }
        var summary = Collect(folder);
        return summary with { Ran = share.Count };
    }

    private static BatchRow RunOne(BatchItem item, string folder, SegmentationModel model, SegmentOptions options, Provenance provenance, int index, int count,
        IProgress<ProgressUpdate>? progress, Action<string>? warn, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        string output = Path.Combine(folder, item.Name);
        if (item.Problem is not null)
            return new BatchRow { Input = item.Input, Name = item.Name, Status = "failed", Error = $"{item.Input}: {item.Problem}" };
        var warnings = new List<string>();
        try
        {
            progress?.Report(new ProgressUpdate("tomograms", index, count, "tomograms"));
            var s = Segmenter.Run(item.Input, output, model, options, provenance, progress, w => { warnings.Add(w); warn?.Invoke(w); }, cancel);
            return new BatchRow
            {
                Input = item.Input, Name = item.Name, Status = "ok", Seconds = s.Total.TotalSeconds, VoxelSize = s.VoxelSize,
                Polarity = s.Polarity is { } p ? (p.Detected ? p.Name + " (detected)" : p.Name + " (given)") : null,
                Threshold = s.Threshold, MembraneVoxels = s.LabelledVoxels,
                MembraneFraction = s.TotalVoxels > 0 ? (double)s.LabelledVoxels / s.TotalVoxels : null, Output = output, Warnings = warnings,
            };
        }
        catch (Exception e) when (!cancel.IsCancellationRequested && Describe(e) is { } message)
        {
            return new BatchRow { Input = item.Input, Name = item.Name, Status = "failed", Seconds = watch.Elapsed.TotalSeconds, Error = message, Warnings = warnings };
        }
    }

    /// <summary>The one-line message for a failed tomogram; null for what must stop the whole batch (cancellation).</summary>
    private static string? Describe(Exception e)
    {
        for (int i = 0; i < 8 && e is AggregateException a && a.InnerExceptions.Count > 0; i++)
            e = a.Flatten().InnerExceptions.FirstOrDefault(x => x is SxtSegException) ?? a.InnerExceptions[0];
        if (e is OperationCanceledException) return null;
        string text = e is SxtSegException ? e.Message : $"internal error: {e.GetType().Name}: {e.Message}";
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string StatusPath(string folder, string name) => Path.Combine(folder, BatchFiles.StatusFolder, name + ".json");

    private static void WriteManifest(string folder, IReadOnlyList<BatchItem> items, string modelId)
    {
        var list = new JsonArray();
        foreach (var it in items) list.Add(new JsonObject { ["input"] = it.Input, ["name"] = it.Name, ["problem"] = it.Problem });
        var prov = new Provenance("segment-batch") { ModelId = modelId };
        foreach (var it in items) prov.AddInput(it.Input);
        var j = new JsonObject { ["provenance"] = prov.ToJsonObject(), ["tomograms"] = list };
        AtomicFile.WriteAllText(Path.Combine(folder, BatchFiles.Manifest), j.ToJsonString(Indented) + "\n");
        // Status files of tomograms that are no longer part of this batch are stale.
        var names = items.Select(i => i.Name + ".json").ToHashSet(StringComparer.Ordinal);
        foreach (string f in Directory.GetFiles(Path.Combine(folder, BatchFiles.StatusFolder), "*.json"))
            if (!names.Contains(Path.GetFileName(f)))
                try { File.Delete(f); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Reads a batch folder (its batch.json and the status files of all tasks) and rewrites
    /// batch.csv: one row per tomogram, "not run" for those without a status yet.
    /// </summary>
    public static BatchSummary Collect(string folder)
    {
        string manifest = Path.Combine(folder, BatchFiles.Manifest);
        if (!File.Exists(manifest)) throw new InvalidInputException(folder, $"holds no {BatchFiles.Manifest} (not the --out folder of a batch)");
        JsonArray list;
        try { list = JsonNode.Parse(File.ReadAllText(manifest))!["tomograms"]!.AsArray(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException) { throw new InvalidInputException(manifest, "is not a readable batch description"); }
        var rows = new List<BatchRow>();
        foreach (var node in list)
        {
            string input = (string)node!["input"]!, name = (string)node["name"]!;
            string status = StatusPath(folder, name);
            BatchRow? row = null;
            if (File.Exists(status))
            {
                try { row = BatchRow.FromJson(JsonNode.Parse(File.ReadAllText(status))!.AsObject()); }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException) { row = null; }
            }
            rows.Add(row ?? new BatchRow { Input = input, Name = name, Status = "not run" });
        }
        AtomicFile.WriteAllText(Path.Combine(folder, BatchFiles.Table), Csv(rows));
        return new BatchSummary(Path.GetFullPath(folder), rows, 0);
    }

    /// <summary>True when <paramref name="folder"/> is a batch's output folder.</summary>
    public static bool IsBatchFolder(string folder) => File.Exists(Path.Combine(folder, BatchFiles.Manifest));

    /// <summary>The table: a plain header line, one row per tomogram (no comment lines; provenance is in batch.json).</summary>
    public static string Csv(IReadOnlyList<BatchRow> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        string D(double? v, string f = "G6") => v is double d && double.IsFinite(d) ? d.ToString(f, ci) : "";
        var sb = new StringBuilder("input,name,status,seconds,voxel_size_nm,voxel_size_z_nm,polarity,threshold,membrane_fraction,membrane_voxels,output,error,warnings\n");
        foreach (var r in rows)
            sb.Append(string.Join(',', Quote(r.Input), Quote(r.Name), r.Status, r.Status == "not run" ? "" : D(r.Seconds, "0.0"),
                D(r.VoxelSize?.X), D(r.VoxelSize?.Z), Quote(r.Polarity ?? ""), D(r.Threshold), D(r.MembraneFraction), r.MembraneVoxels?.ToString(ci) ?? "",
                Quote(r.Output ?? ""), Quote(r.Error ?? ""), Quote(string.Join("; ", r.Warnings)))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) => s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
