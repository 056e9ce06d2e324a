using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SxtSeg.Cli;
using SxtSeg.Evaluation;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// The paper's key experiment (issue 13): fine-tuning a model on a few sparsely annotated slices of
/// a tomogram it was not trained on, semi-supervised (the rest of the tomogram in image mode) against
/// supervised-only at the same budget. For each simulation and each N, N slices evenly spread over
/// the slices with visible membrane are "painted" as a user would in napari (the <c>painted</c>
/// coding: 0 = not annotated, 1 = background, 2 = membrane) from the exact labels, only inside a
/// rectangle of <c>--area</c> (½) of the slice placed where it holds the most visible membrane;
/// voxels of the simulation's <c>ignore.mrc</c> (membranes a slice cannot show) stay 0. Then, for
/// each mode, the real command line runs in-process:
/// <c>sxtseg train --init MODEL --volume SIM/tomogram.mrc --labels painted.tif --label-coding painted
/// --out RUN [--image-every 0] --threads T --max-minutes M [TRAIN ARGS]</c>, the tomogram is segmented
/// with the fine-tuned <c>model.sxtmodel</c> (its threshold, as <c>sxtseg segment</c>) and scored on
/// visible membranes, ±1 voxel (3D), pooled over every slice except the annotated ones; the starting
/// model is scored the same way on the same slices.
/// Args: MODEL SIM[,SIM...] --out DIR [--slices 1,2,4,8] [--modes semi,supervised] [--threads 1]
/// [--minutes 8] [--area 0.5] [--train "--steps 600 --lr 1e-3"] [--tag NAME].
/// A run whose <c>score.json</c> exists in DIR is reused (the bench can be re-run in pieces).
/// </summary>
public sealed class FewShotBench : IBenchmark
{
    public string Name => "few-shot";

    public string Description => "fine-tune a model on 1/2/4/8 partly painted slices (semi-supervised vs supervised-only), F1 before/after on the other slices";

    private const string Usage = "usage: few-shot MODEL SIM[,SIM...] --out DIR [--slices 1,2,4,8] [--modes semi,supervised] [--threads 1] [--minutes 8] [--area 0.5] [--train \"ARGS\"] [--tag NAME]";

    private sealed record Outcome(string Sim, int N, string Mode, IReadOnlyList<int> Slices, double F1Before, double F1After,
        double PBefore, double RBefore, double PAfter, double RAfter, double Minutes, long Steps, long BestStep,
        double ValStart, double ValBest, string? Error);

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        string model = Path.GetFullPath(args[0]);
        var sims = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath).ToArray();
        int[] counts = { 1, 2, 4, 8 };
        string[] modes = { "semi", "supervised" };
        int threads = 1;
        double minutes = 8, area = 0.5;
        string? outDir = null, tag = null;
        var trainArgs = Array.Empty<string>();
        for (int i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out": outDir = args[++i]; break;
                case "--slices": counts = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--modes": modes = args[++i].Split(','); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--minutes": minutes = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--area": area = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--train": trainArgs = args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                case "--tag": tag = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}\n{Usage}"); return 2;
            }
        }
        if (outDir is null || modes.Any(m => m is not ("semi" or "supervised")) || counts.Any(n => n < 1) || !(area > 0 && area <= 1))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        outDir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(outDir);
        Console.WriteLine($"# model {model}; {threads} thread(s), {minutes} min per fine-tune, painted area {area:0.##} of a slice, train args: {string.Join(' ', trainArgs)}");
        var outcomes = new List<Outcome>();
        foreach (string sim in sims)
        {
            string name = Path.GetFileName(sim);
            string tomo = Path.Combine(sim, "tomogram.mrc");
            var truth = VolumeIO.Read<byte>(Path.Combine(sim, "membranes.mrc"));
            string ignorePath = Path.Combine(sim, "ignore.mrc");
            var ignore = File.Exists(ignorePath) ? VolumeIO.Read<byte>(ignorePath) : null;
            string simOut = Path.Combine(outDir, name);
            Directory.CreateDirectory(simOut);
            var before = ScoreCached(model, tomo, sim, threads, Path.Combine(simOut, "start-score.json"));
            foreach (int n in counts)
            {
                var zs = ChooseSlices(truth, ignore, n);
                string nDir = Path.Combine(simOut, $"n{n}");
                Directory.CreateDirectory(nDir);
                string painted = Path.Combine(nDir, "painted.tif");
                var (paintedVoxels, membraneVoxels) = Paint(truth, ignore, zs, area, painted);
                Console.WriteLine($"## {name}, N = {n}: slices {string.Join(',', zs)}; painted {paintedVoxels} voxels ({membraneVoxels} membrane)");
                var b = Pool(before, zs);
                foreach (string mode in modes)
                {
                    string runDir = Path.Combine(nDir, tag is null ? mode : $"{mode}-{tag}");
                    var o = FineTuneAndScore(model, tomo, sim, painted, runDir, mode, threads, minutes, trainArgs, zs, n, name, b);
                    outcomes.Add(o);
                    Console.WriteLine(Line(o));
                }
            }
        }
        string stem = tag is null ? "results" : $"results-{tag}";
        WriteResults(outcomes, Path.Combine(outDir, stem + ".csv"), Path.Combine(outDir, stem + ".md"));
        Console.WriteLine();
        Console.Write(File.ReadAllText(Path.Combine(outDir, stem + ".md")));
        return 0;
    }

    /// <summary>
    /// N slices evenly spread over the slices whose visible membrane is at least a quarter of the
    /// median over slices with any (what a user would pick: slices through the cell).
    /// </summary>
    internal static int[] ChooseSlices(Volume<byte> truth, Volume<byte>? ignore, int n)
    {
        var visible = new long[truth.Nz];
        for (int z = 0; z < truth.Nz; z++)
        {
            var t = truth.Slice(z);
            bool hasIgnore = ignore is not null;
            var g = hasIgnore ? ignore!.Slice(z) : Span<byte>.Empty;
            long c = 0;
            for (int i = 0; i < t.Length; i++) if (t[i] != 0 && (!hasIgnore || g[i] == 0)) c++;
            visible[z] = c;
        }
        var nonZero = visible.Where(v => v > 0).OrderBy(v => v).ToArray();
        if (nonZero.Length == 0) throw new InvalidOperationException("no visible membrane in the simulation");
        long floor = nonZero[nonZero.Length / 2] / 4;
        var candidates = Enumerable.Range(0, truth.Nz).Where(z => visible[z] >= Math.Max(1, floor)).ToArray();
        if (candidates.Length < n) throw new InvalidOperationException($"only {candidates.Length} slices with visible membrane, {n} asked");
        return Enumerable.Range(0, n).Select(i => candidates[(int)((i + 0.5) * candidates.Length / n)]).ToArray();
    }

    /// <summary>
    /// Writes the painted annotation: on each slice of <paramref name="zs"/>, inside a rectangle of
    /// <paramref name="area"/> of the slice (same aspect ratio) at the position (on a 9 × 9 grid)
    /// holding the most visible membrane, 2 = membrane, 1 = background, 0 = ignored voxel; 0 elsewhere.
    /// </summary>
    internal static (long Painted, long Membrane) Paint(Volume<byte> truth, Volume<byte>? ignore, int[] zs, double area, string path)
    {
        int nx = truth.Nx, ny = truth.Ny;
        int w = Math.Max(1, (int)Math.Round(nx * Math.Sqrt(area))), h = Math.Max(1, (int)Math.Round(ny * Math.Sqrt(area)));
        var painted = new Volume<byte>(nx, ny, truth.Nz, truth.VoxelSize);
        long total = 0, membrane = 0;
        foreach (int z in zs)
        {
            var t = truth.Slice(z);
            bool hasIgnore = ignore is not null;
            var g = hasIgnore ? ignore!.Slice(z) : Span<byte>.Empty;
            // summed-area table of visible membrane
            var sat = new long[(nx + 1) * (ny + 1)];
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    int v = t[y * nx + x] != 0 && (!hasIgnore || g[y * nx + x] == 0) ? 1 : 0;
                    sat[(y + 1) * (nx + 1) + x + 1] = v + sat[y * (nx + 1) + x + 1] + sat[(y + 1) * (nx + 1) + x] - sat[y * (nx + 1) + x];
                }
            long best = -1;
            int bx = 0, by = 0;
            for (int iy = 0; iy <= 8; iy++)
                for (int ix = 0; ix <= 8; ix++)
                {
                    int x0 = (nx - w) * ix / 8, y0 = (ny - h) * iy / 8;
                    long s = sat[(y0 + h) * (nx + 1) + x0 + w] - sat[y0 * (nx + 1) + x0 + w] - sat[(y0 + h) * (nx + 1) + x0] + sat[y0 * (nx + 1) + x0];
                    if (s > best) (best, bx, by) = (s, x0, y0);
                }
            var p = painted.Slice(z);
            for (int y = by; y < by + h; y++)
                for (int x = bx; x < bx + w; x++)
                {
                    int i = y * nx + x;
                    if (hasIgnore && g[i] != 0) continue;
                    p[i] = t[i] != 0 ? (byte)2 : (byte)1;
                    total++;
                    if (t[i] != 0) membrane++;
                }
        }
        VolumeIO.Write(path, painted, new Provenance("few-shot:paint").Set("slices", string.Join(',', zs)).Set("area", area.ToString("0.###", CultureInfo.InvariantCulture)));
        return (total, membrane);
    }

    /// <summary>Per-slice tolerant scores of a model on a simulation (cached as JSON: tolerant counts per slice).</summary>
    private static TolerantScore[] ScoreCached(string model, string tomo, string sim, int threads, string cache)
    {
        if (File.Exists(cache))
            return JsonNode.Parse(File.ReadAllText(cache))!["slices"]!.AsArray().Select(FromJson).ToArray();
        var sw = Stopwatch.StartNew();
        var scores = Score(model, tomo, sim, threads);
        var arr = new JsonArray(scores.Select(s => (JsonNode)ToJson(s)).ToArray());
        File.WriteAllText(cache, new JsonObject { ["model"] = model, ["sim"] = sim, ["seconds"] = sw.Elapsed.TotalSeconds, ["slices"] = arr }.ToJsonString());
        return scores;
    }

    /// <summary>
    /// Segments the tomogram as <c>sxtseg segment TOMO --out D --model MODEL</c> does (its threshold,
    /// default options) and evaluates it as <c>sxtseg evaluate</c> does against the simulation's
    /// membranes with its ignore mask (visible membranes, ±1 voxel in 3D): per-slice tolerant counts.
    /// </summary>
    private static TolerantScore[] Score(string model, string tomo, string sim, int threads)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"sxtseg-few-shot-{Environment.ProcessId}");
        if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
        try
        {
            using (var loaded = SegmentationModel.Load(model, 1, new InferenceOptions { Threads = threads }))
                Segmenter.Run(tomo, scratch, loaded, new SegmentOptions(), new Provenance("few-shot"));
            string truth = Path.Combine(sim, "membranes.mrc");
            using var pred = VolumeIO.OpenRead(Path.Combine(scratch, SegmentationFiles.LabelsMrc));
            using var tr = VolumeIO.OpenRead(truth);
            string? ignorePath = EvaluationRequest.FindIgnore(truth, null, false);
            using var ig = ignorePath is null ? null : VolumeIO.OpenRead(ignorePath);
            var v = SegmentationEvaluator.Evaluate(pred, tr, new EvaluationOptions { Tolerance = 1 }, null, ig);
            return v.Slices.Select(s => s.Tolerant).ToArray();
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, true);
        }
    }

    private static TolerantScore Pool(TolerantScore[] slices, int[] exclude)
    {
        var skip = new HashSet<int>(exclude);
        var total = new TolerantScore(1, 0, 0, 0, 0);
        for (int z = 0; z < slices.Length; z++) if (!skip.Contains(z)) total += slices[z];
        return total;
    }

    private static Outcome FineTuneAndScore(string model, string tomo, string sim, string painted, string runDir, string mode, int threads, double minutes,
        string[] trainArgs, int[] zs, int n, string name, TolerantScore before)
    {
        string scoreFile = Path.Combine(runDir, "score.json");
        if (File.Exists(scoreFile))
        {
            var j = JsonNode.Parse(File.ReadAllText(scoreFile))!;
            Console.WriteLine($"  (reusing {scoreFile})");
            return Read(j, name, n, mode, zs, before);
        }
        if (Directory.Exists(runDir)) Directory.Delete(runDir, true);
        var cmd = new List<string> { "train", "--init", model, "--volume", tomo, "--labels", painted, "--label-coding", "painted", "--out", runDir };
        if (mode == "supervised") cmd.AddRange(new[] { "--image-every", "0" });
        cmd.AddRange(new[] { "--threads", threads.ToString(CultureInfo.InvariantCulture), "--max-minutes", minutes.ToString(CultureInfo.InvariantCulture), "-q" });
        cmd.AddRange(trainArgs);
        Console.WriteLine("  $ sxtseg " + string.Join(' ', cmd));
        var so = new StringWriter();
        var se = new StringWriter();
        var sw = Stopwatch.StartNew();
        int code = CliApp.Run(cmd.ToArray(), CliContext.Plain(so, se));
        double trainMinutes = sw.Elapsed.TotalMinutes;
        var result = new JsonObject { ["exit"] = code, ["minutes"] = trainMinutes, ["command"] = "sxtseg " + string.Join(' ', cmd) };
        if (code != 0)
        {
            result["error"] = se.ToString().Trim();
            Directory.CreateDirectory(runDir);
            File.WriteAllText(scoreFile, result.ToJsonString());
            return Read(result, name, n, mode, zs, before);
        }
        Console.Write(Indent(so.ToString()));
        var training = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "training.json")))!;
        var first = JsonNode.Parse(File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl"))[0])!;
        result["steps"] = (long)training["steps_completed"]!;
        result["best_step"] = (long)training["best_step"]!;
        result["val_best"] = (double)training["best_validation_f1"]!;
        result["val_start"] = (double?)first["validation"]?["best_f1"] ?? double.NaN;
        var after = Score(Path.Combine(runDir, "model.sxtmodel"), tomo, sim, threads);
        result["slices"] = new JsonArray(after.Select(s => (JsonNode)ToJson(s)).ToArray());
        File.WriteAllText(scoreFile, result.ToJsonString());
        return Read(result, name, n, mode, zs, before);
    }

    private static Outcome Read(JsonNode j, string name, int n, string mode, int[] zs, TolerantScore before)
    {
        var after = j["slices"] is JsonArray a ? Pool(a.Select(FromJson).ToArray(), zs) : default(TolerantScore?);
        return new Outcome(name, n, mode, zs, before.F1, after?.F1 ?? double.NaN, before.Precision, before.Recall, after?.Precision ?? double.NaN, after?.Recall ?? double.NaN,
            (double)j["minutes"]!, (long?)j["steps"] ?? 0, (long?)j["best_step"] ?? 0, (double?)j["val_start"] ?? double.NaN, (double?)j["val_best"] ?? double.NaN,
            (string?)j["error"]);
    }

    private static JsonObject ToJson(TolerantScore s) => new()
    {
        ["predicted"] = s.Predicted, ["predicted_near_truth"] = s.PredictedNearTruth, ["truth"] = s.Truth, ["truth_near_prediction"] = s.TruthNearPrediction,
    };

    private static TolerantScore FromJson(JsonNode? n) =>
        new(1, (long)n!["predicted"]!, (long)n["predicted_near_truth"]!, (long)n["truth"]!, (long)n["truth_near_prediction"]!);

    private static string Indent(string s) => string.Concat(s.Split('\n').Where(l => l.Trim().Length > 0).Select(l => "    " + l.TrimEnd() + "\n"));

    private static string Line(Outcome o) => o.Error is not null
        ? $"  {o.Mode,-10} refused: {o.Error}"
        : string.Create(CultureInfo.InvariantCulture,
            $"  {o.Mode,-10} F1 {100 * o.F1Before:0.0} → {100 * o.F1After:0.0} ({100 * (o.F1After - o.F1Before):+0.0;-0.0}); P {100 * o.PBefore:0.0} → {100 * o.PAfter:0.0}, R {100 * o.RBefore:0.0} → {100 * o.RAfter:0.0}; {o.Minutes:0.0} min, {o.Steps} steps, best step {o.BestStep} (validation F1 {100 * o.ValStart:0.0} → {100 * o.ValBest:0.0})");

    private static void WriteResults(List<Outcome> rows, string csvPath, string mdPath)
    {
        static string F(double v) => double.IsNaN(v) ? "" : v.ToString("0.0000", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("sim,n,mode,slices,f1_before,f1_after,precision_before,recall_before,precision_after,recall_after,minutes,steps,best_step,val_f1_start,val_f1_best,error\n");
        var md = new StringBuilder("| sim | N | mode | F1 before | F1 after | Δ | P / R after | minutes | steps (best) |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var o in rows)
        {
            csv.AppendLine(string.Join(',', o.Sim, o.N, o.Mode, string.Join(' ', o.Slices), F(o.F1Before), F(o.F1After), F(o.PBefore), F(o.RBefore), F(o.PAfter), F(o.RAfter),
                F(o.Minutes), o.Steps, o.BestStep, F(o.ValStart), F(o.ValBest), o.Error is null ? "" : "\"" + o.Error.Replace("\"", "'", StringComparison.Ordinal) + "\""));
            md.AppendLine(o.Error is not null
                ? $"| {o.Sim} | {o.N} | {o.Mode} | {100 * o.F1Before:0.0} | refused | | | | |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {o.Sim} | {o.N} | {o.Mode} | {100 * o.F1Before:0.0} | {100 * o.F1After:0.0} | {100 * (o.F1After - o.F1Before):+0.0;-0.0} | {100 * o.PAfter:0.0} / {100 * o.RAfter:0.0} | {o.Minutes:0.0} | {o.Steps} ({o.BestStep}) |"));
        }
        File.WriteAllText(csvPath, csv.ToString());
        File.WriteAllText(mdPath, md.ToString());
    }
}
