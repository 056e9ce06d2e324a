using System.Diagnostics;
using System.Globalization;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;

namespace SxtSeg.Bench.Robustness;

/// <summary>
/// The large fuzz run of issue 15: thousands of seeded mutants of small valid MRC and TIFF files
/// given to info, convert, measure and segment in-process (one case at a time, on one core), plus
/// bad values of every bounded numeric option. Counts internal errors, hangs (timeouts), silent
/// truncations, bad error lines, leftovers and memory blow-ups (resident memory growing by more
/// than --max-growth-mb during one case).
/// </summary>
public sealed class FuzzBench : IBenchmark
{
    public string Name => "fuzz";

    public string Description => "issue 15 fuzz: N mutants of MRC/TIFF over info/convert/measure/segment plus option values (args: --cases 5000 --seed 1 --segment-every 20 --options 400 --timeout 60)";

    public int Run(string[] args)
    {
        int cases = Arg(args, "--cases", 5000), seed = Arg(args, "--seed", 1), segmentEvery = Arg(args, "--segment-every", 20);
        int optionCases = Arg(args, "--options", 400), timeoutS = Arg(args, "--timeout", 60), maxGrowthMb = Arg(args, "--max-growth-mb", 1500);
        string work = Path.Combine(Path.GetTempPath(), $"sxtseg-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            using (var net = DeepSxtNet.Create(2, 7))
                ModelFile.Save(Path.Combine(work, "tiny.sxtmodel"), net, new ModelCard(2) { VoxelSizeNm = 10 });
            string model = Path.Combine(work, "tiny.sxtmodel");
            var seeds = FuzzHarness.Seeds(Path.Combine(work, "seeds"));
            var rng = new Random(seed);
            var timeout = TimeSpan.FromSeconds(timeoutS);
            var rows = new List<(string Command, string Kind, string Problem, int Exit, double Seconds, double GrowthMb, string Line)>();
            var total = Stopwatch.StartNew();
            using var monitor = new RssMonitor();

            for (int i = 0; i < cases; i++)
            {
                var s = seeds[rng.Next(seeds.Count)];
                string kind = FuzzHarness.Mutations[i % FuzzHarness.Mutations.Length];
                var m = FuzzHarness.Mutate(s, kind, rng);
                string command = i % segmentEvery == segmentEvery - 1 ? "segment"
                    : s.Labels && rng.Next(3) == 0 ? "measure"
                    : rng.Next(2) == 0 ? "info" : "convert";
                monitor.Reset();
                var sw = Stopwatch.StartNew();
                var o = FuzzHarness.Run(command, m, work, model, timeout);
                rows.Add((command, kind, o.Problem, o.ExitCode, sw.Elapsed.TotalSeconds, monitor.GrowthMb, o.Err));
                if (!o.Clean) Console.WriteLine($"  FAIL {command} {s.Name} {kind} ({m.Detail}): {o.Problem}; exit {o.ExitCode}: {o.Err}");
                if ((i + 1) % 500 == 0) Console.WriteLine($"  {i + 1} mutants, {total.Elapsed.TotalSeconds:0} s");
            }

            foreach (var (command, option, value, args2) in OptionCases(seeds, work, model, rng, optionCases))
            {
                monitor.Reset();
                var sw = Stopwatch.StartNew();
                var r = FuzzHarness.Execute(args2, timeout);
                string problem = r.Hung ? "hang" : r.Escaped is not null ? "exception escaped" : r.Code == 1 ? "internal error"
                    : r.Code is not (0 or 2) ? $"exit code {r.Code}"
                    : r.Code == 2 && r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.StartsWith("sxtseg: warning: ", StringComparison.Ordinal)) != 1 ? "not one line" : "";
                double growth = monitor.GrowthMb;
                if (problem.Length == 0 && growth > maxGrowthMb) problem = $"memory grew {growth:0} MB";
                rows.Add(($"{command} {option}", "option", problem, r.Code, sw.Elapsed.TotalSeconds, growth, r.Err.Trim()));
                if (problem.Length > 0) Console.WriteLine($"  FAIL {command} {option} {value}: {problem}; exit {r.Code}: {r.Err.Trim()}");
                foreach (string d in Directory.GetDirectories(work, "case-*")) Directory.Delete(d, true);
            }

            Console.WriteLine();
            Console.WriteLine($"{rows.Count(r => r.Kind != "option")} mutants + {rows.Count(r => r.Kind == "option")} option cases in {total.Elapsed.TotalMinutes:0.0} min (seed {seed}, timeout {timeoutS} s)");
            Console.WriteLine();
            Console.WriteLine("| command | runs | exit 0 | exit 2 (one line, file named, nothing left) | internal errors | hangs | silent truncations | other problems | slowest (s) | most memory growth (MB) |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var g in rows.GroupBy(r => r.Kind == "option" ? "options: " + r.Command.Split(' ')[0] : r.Command).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int n = g.Count();
                int ok = g.Count(r => r.Problem.Length == 0 && r.Exit == 0), err = g.Count(r => r.Problem.Length == 0 && r.Exit == 2);
                int internalErr = g.Count(r => r.Problem.StartsWith("internal", StringComparison.Ordinal) || r.Problem.StartsWith("exception", StringComparison.Ordinal));
                int hangs = g.Count(r => r.Problem.StartsWith("hang", StringComparison.Ordinal));
                int trunc = g.Count(r => r.Problem.StartsWith("silent", StringComparison.Ordinal));
                int other = n - ok - err - internalErr - hangs - trunc;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {g.Key} | {n} | {ok} | {err} | {internalErr} | {hangs} | {trunc} | {other} | {g.Max(r => r.Seconds):0.00} | {g.Max(r => r.GrowthMb):0} |"));
            }
            Console.WriteLine();
            Console.WriteLine("| mutation | runs | exit 0 | exit 2 | problems |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var g in rows.Where(r => r.Kind != "option").GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
                Console.WriteLine($"| {g.Key} | {g.Count()} | {g.Count(r => r.Exit == 0 && r.Problem.Length == 0)} | {g.Count(r => r.Exit == 2 && r.Problem.Length == 0)} | {g.Count(r => r.Problem.Length > 0)} |");
            Console.WriteLine();
            Console.WriteLine("Most frequent error lines (paths and numbers folded):");
            foreach (var g in rows.Where(r => r.Exit == 2).GroupBy(r => Fold(r.Line)).OrderByDescending(g => g.Count()).Take(25))
                Console.WriteLine($"  {g.Count(),5}  {g.Key}");
            int bad = rows.Count(r => r.Problem.Length > 0);
            Console.WriteLine();
            Console.WriteLine($"problems: {bad}");
            return bad == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Bad and extreme values of every bounded numeric option, on valid seeds.</summary>
    private static IEnumerable<(string Command, string Option, string Value, string[] Args)> OptionCases(List<FuzzSeed> seeds, string work, string model, Random rng, int count)
    {
        string[] numbers = { "-1", "0", "1", "3", "17", "1000", "1000000", "100000000", "2147483647", "99999999999", "nan", "inf", "-inf", "1e308", "-1e308", "0.5", "abc", "" };
        string[] pairs = { "nan,1,1", "1,inf,1", "0,0,0", "-1,1,1", "1:0", "0:1", "-5:5", "nan:1", "-inf:inf", "1/0", "3/2", "0/1", "100000x100000", "0x0", "16x16", "1e300", "0.0001", "100000", "10,10", "90,0" };
        var table = new (string Command, bool Labels, string[] Extra, string[] Options)[]
        {
            ("segment", false, new[] { "--model", model, "--workers", "1" }, new[] { "--tile", "--overlap", "--batch", "--workers", "--block-mb", "--threshold", "--z-smooth", "--min-voxels", "--min-volume", "--erode", "--crop", "--axis-weights", "--tta", "--slices", "--shard", "--voxel-size" }),
            ("measure", true, new[] { "--voxel-size", "10" }, new[] { "--close", "--erode", "--dilate", "--smooth", "--min-voxels", "--max-voxels", "--min-volume", "--split-touching", "--select", "--threshold", "--voxel-size", "--connectivity" }),
            ("convert", false, Array.Empty<string>(), new[] { "--voxel-size", "--range", "--type" }),
            ("render", true, new[] { "--voxel-size", "10" }, new[] { "--size", "--supersample", "--smooth", "--view" }),
            ("mesh", true, new[] { "--voxel-size", "10" }, new[] { "--smooth", "--decimate", "--max-triangles" }),
            ("slice", false, Array.Empty<string>(), new[] { "--z", "--alpha", "--low", "--high" }),
        };
        for (int i = 0; i < count; i++)
        {
            var (command, labels, extra, options) = table[i % table.Length];
            string option = options[rng.Next(options.Length)];
            string value = rng.Next(3) == 0 ? pairs[rng.Next(pairs.Length)] : numbers[rng.Next(numbers.Length)];
            var seed = seeds.Where(s => s.Labels == labels && !s.Tiff).First();
            string dir = Path.Combine(work, $"case-{i}");
            Directory.CreateDirectory(dir);
            string input = Path.Combine(dir, seed.Name);
            File.WriteAllBytes(input, seed.Bytes);
            var a = new List<string> { command, input };
            a.AddRange(command switch
            {
                "convert" => new[] { Path.Combine(dir, "o.tif") },
                "render" or "slice" => new[] { "--png", Path.Combine(dir, "o.png") },
                _ => new[] { "--out", Path.Combine(dir, "o") },
            });
            a.AddRange(extra.Where((_, k) => !(extra[k - k % 2] == option)));
            if (option is "--block-mb" or "--axis-weights") a.Add("--fuse-axes");
            if (option == "--range") a.AddRange(new[] { "--scale", "range" });
            a.Add(option);
            a.Add(value);
            yield return (command, option, value, a.ToArray());
        }
    }

    private static string Fold(string line)
    {
        var sb = new System.Text.StringBuilder();
        foreach (string w in line.Split(' '))
        {
            string t = w.Contains('/') && w.Length > 12 ? "PATH" : w.Any(char.IsDigit) && !w.StartsWith('-') ? "N" : w;
            sb.Append(t).Append(' ');
        }
        string s = sb.ToString().Trim();
        return s.Length > 150 ? s[..150] + "…" : s;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Samples this process's resident memory every 20 ms; reports the largest growth since the last reset.</summary>
    private sealed class RssMonitor : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _base, _max;

        public RssMonitor()
        {
            Reset();
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    long rss = Rss();
                    if (rss > Interlocked.Read(ref _max)) Interlocked.Exchange(ref _max, rss);
                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public double GrowthMb => Math.Max(0, Interlocked.Read(ref _max) - _base) / 1e6;

        public void Reset()
        {
            _base = Rss();
            Interlocked.Exchange(ref _max, _base);
        }

        private static long Rss()
        {
            using var p = Process.GetCurrentProcess();
            return p.WorkingSet64;
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
