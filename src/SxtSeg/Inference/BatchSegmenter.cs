using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SxtSeg.Inference;

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
    /// <summary>Key of the errors about the task of a batch (<see cref="TaskShare"/>; a CLI maps it to its option).</summary>
    public const string TaskKey = "Task";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The tomograms of the batch that task <paramref name="task"/> takes (every Count-th from Index).</summary>
    public static IEnumerable<int> TaskShare(int items, (int Index, int Count) task)
    {
        if (task.Count < 1 || task.Index < 0 || task.Index >= task.Count)
            throw new InvalidOptionException(TaskKey, $"task {task.Index}/{task.Count} is out of range (use I/N with 0 ≤ I < N)");
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
        if (options.Shard is not null) throw new InvalidOptionException(nameof(SegmentOptions.Shard), "splits one tomogram over tasks; a batch is split by tomogram (--task I/N)");
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
