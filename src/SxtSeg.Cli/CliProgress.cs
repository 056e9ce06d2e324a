using System.Collections.Concurrent;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SxtSeg.Cli;

/// <summary>
/// Draws library progress reports: live bars with rate and ETA on a terminal, or a plain line per
/// stage every few seconds otherwise (logs, CI, SLURM).
/// </summary>
public static class CliProgress
{
    /// <summary>Runs <paramref name="work"/> while showing its progress.</summary>
    public static T Run<T>(CliContext ctx, Func<IProgress<ProgressUpdate>, T> work)
    {
        ctx.Cancellation.ThrowIfCancellationRequested();
        // The --log file gets plain progress lines whatever the terminal shows.
        IProgress<ProgressUpdate>? log = ctx.Log is { } l ? new PlainProgress(l, ctx.Clock) : null;
        if (ctx.Quiet || !ctx.Interactive)
        {
            IProgress<ProgressUpdate>? shown = ctx.Quiet ? null : new PlainProgress(ctx.ErrTerminal, ctx.Clock);
            return work(new Cancelling(Both(shown, log), ctx.Cancellation));
        }
        T result = default!;
        ctx.Terminal.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(pc =>
            {
                var live = new LiveProgress(pc);
                result = work(new Cancelling(Both(live, log), ctx.Cancellation));
                live.CompleteAll();
            });
        return result;
    }

    /// <summary>Runs an action while showing its progress.</summary>
    public static void Run(CliContext ctx, Action<IProgress<ProgressUpdate>> work) => Run<int>(ctx, p => { work(p); return 0; });

    private static IProgress<ProgressUpdate>? Both(IProgress<ProgressUpdate>? a, IProgress<ProgressUpdate>? b)
        => a is null ? b : b is null ? a : new Pair(a, b);

    private sealed class Pair(IProgress<ProgressUpdate> a, IProgress<ProgressUpdate> b) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) { a.Report(value); b.Report(value); }
    }

    /// <summary>
    /// Stops the library at its next progress report once the run is cancelled (Ctrl-C, SIGTERM):
    /// every long stage reports, so no stage needs its own cancellation plumbing.
    /// </summary>
    private sealed class Cancelling(IProgress<ProgressUpdate>? inner, CancellationToken token) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            token.ThrowIfCancellationRequested();
            inner?.Report(value);
        }
    }

    private sealed class LiveProgress : IProgress<ProgressUpdate>
    {
        private readonly ProgressContext _pc;
        private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();

        public LiveProgress(ProgressContext pc) => _pc = pc;

        public void Report(ProgressUpdate u)
        {
            var t = _tasks.GetOrAdd(u.Stage, s =>
            {
                var task = _pc.AddTask(s, autoStart: true, maxValue: Math.Max(1, u.Total));
                RateColumn.Units[task.Id] = u.Unit;
                return task;
            });
            if (u.Total > 0) t.MaxValue = u.Total;
            t.Value = Math.Min(u.Done, t.MaxValue);
        }

        public void CompleteAll()
        {
            foreach (var t in _tasks.Values) if (!t.IsFinished) t.Value = t.MaxValue;
        }
    }

    /// <summary>
    /// One line per stage every 10 s (the first after 2 s, and one at the end of a stage that took
    /// that long). The rate and the time left are measured from the first finished unit on, so a
    /// slow first unit (loading, warm-up) does not inflate the estimate, and over the last interval
    /// once there is one; no time left is guessed before two units have finished.
    /// </summary>
    internal sealed class PlainProgress : IProgress<ProgressUpdate>
    {
        private sealed class Stage
        {
            public double Start, FirstDoneAt = double.NaN, LastPrint = double.NegativeInfinity, LastPrintDone;
            public long FirstDone;
            public bool Waiting; // the last line had no rate yet: print again as soon as there is one
        }

        private readonly TextWriter _err;
        private readonly Func<double> _clock;
        private readonly Dictionary<string, Stage> _stages = new();
        private readonly object _gate = new();

        public PlainProgress(TextWriter err, Func<double>? clock = null)
        {
            _err = err;
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed.TotalSeconds;
            }
            _clock = clock;
        }

        public void Report(ProgressUpdate u)
        {
            lock (_gate)
            {
                double now = _clock();
                if (!_stages.TryGetValue(u.Stage, out var s))
                {
                    s = new Stage { Start = now };
                    _stages[u.Stage] = s;
                }
                if (double.IsNaN(s.FirstDoneAt) && u.Done > 0)
                {
                    s.FirstDoneAt = now;
                    s.FirstDone = u.Done;
                }
                double t = now - s.Start;
                bool done = u.Total > 0 && u.Done >= u.Total;
                // Quiet for quick stages: first line after 2 s, then every 10 s, and the end of long stages.
                if (t < 2) return;
                double rate = Rate(s, u.Done, now);
                if (!done && now - s.LastPrint < 10 && !(s.Waiting && rate > 0)) return;
                string eta = u.Total > 0 && rate > 0 && !done ? $", ETA {Clock((u.Total - u.Done) / rate)}" : "";
                string of = u.Total > 0 ? $"/{u.Total}" : "";
                string rateText = rate > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{rate:0.##} {u.Unit}/s, ") : "";
                _err.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{u.Stage}] {u.Done}{of} {u.Unit} ({rateText}{t:0.0} s{eta})"));
                s.LastPrint = now;
                s.LastPrintDone = u.Done;
                s.Waiting = u.Total > 0 && rate <= 0 && !done;
            }
        }

        /// <summary>Units per second since the first unit finished (over the last interval once there is one); 0 when unknown.</summary>
        private static double Rate(Stage s, long done, double now)
        {
            if (double.IsNaN(s.FirstDoneAt)) return 0;
            if (!double.IsNegativeInfinity(s.LastPrint) && now - s.LastPrint >= 1 && done > s.LastPrintDone && s.LastPrint >= s.FirstDoneAt)
                return (done - s.LastPrintDone) / (now - s.LastPrint);
            double span = now - s.FirstDoneAt;
            long units = done - s.FirstDone;
            return units >= 1 && span > 0 ? units / span : 0;
        }

        private static string Clock(double seconds)
        {
            var ts = TimeSpan.FromSeconds(Math.Ceiling(Math.Min(seconds, 359999)));
            return $"{(int)ts.TotalHours:00}:{ts.Minutes:00}:{ts.Seconds:00}";
        }
    }

    /// <summary>Shows done/elapsed in the task's own unit ("12.5 slices/s").</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public static readonly ConcurrentDictionary<int, string> Units = new();

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            double? speed = task.Speed;
            string unit = Units.TryGetValue(task.Id, out var u) ? u : "items";
            return new Markup(speed is null ? "" : $"[grey]{speed.Value:0.##} {Markup.Escape(unit)}/s[/]");
        }
    }
}
