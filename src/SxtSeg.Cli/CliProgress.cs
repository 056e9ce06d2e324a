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
        if (!ctx.Interactive)
        {
            var plain = new Cancelling(new PlainProgress(ctx.Err), ctx.Cancellation);
            return work(plain);
        }
        T result = default!;
        ctx.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(pc =>
            {
                var live = new LiveProgress(pc);
                result = work(new Cancelling(live, ctx.Cancellation));
                live.CompleteAll();
            });
        return result;
    }

    /// <summary>Runs an action while showing its progress.</summary>
    public static void Run(CliContext ctx, Action<IProgress<ProgressUpdate>> work) => Run<int>(ctx, p => { work(p); return 0; });

    /// <summary>
    /// Stops the library at its next progress report once the run is cancelled (Ctrl-C, SIGTERM):
    /// every long stage reports, so no stage needs its own cancellation plumbing.
    /// </summary>
    private sealed class Cancelling(IProgress<ProgressUpdate> inner, CancellationToken token) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            token.ThrowIfCancellationRequested();
            inner.Report(value);
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

    private sealed class PlainProgress : IProgress<ProgressUpdate>
    {
        private readonly TextWriter _err;
        private readonly Dictionary<string, (Stopwatch Watch, double LastPrint)> _stages = new();
        private readonly object _gate = new();

        public PlainProgress(TextWriter err) => _err = err;

        public void Report(ProgressUpdate u)
        {
            lock (_gate)
            {
                if (!_stages.TryGetValue(u.Stage, out var s))
                {
                    s = (Stopwatch.StartNew(), -1e9);
                    _stages[u.Stage] = s;
                }
                double t = s.Watch.Elapsed.TotalSeconds;
                bool done = u.Total > 0 && u.Done >= u.Total;
                // Quiet for quick stages: first line after 2 s, then every 10 s, and the end of long stages.
                if (t < 2 || (!done && t - s.LastPrint < 10)) return;
                _stages[u.Stage] = (s.Watch, t);
                double rate = t > 0 ? u.Done / t : 0;
                string eta = u.Total > 0 && rate > 0 && !done ? $", ETA {TimeSpan.FromSeconds((u.Total - u.Done) / rate):hh\\:mm\\:ss}" : "";
                string of = u.Total > 0 ? $"/{u.Total}" : "";
                _err.WriteLine($"[{u.Stage}] {u.Done}{of} {u.Unit} ({rate:0.##} {u.Unit}/s, {t:0.0} s{eta})");
            }
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
