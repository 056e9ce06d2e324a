using System.CommandLine;
using SxtSeg.Cli.Commands;

namespace SxtSeg.Cli;

/// <summary>Builds the command tree and runs it with uniform error handling.</summary>
public static class CliApp
{
    /// <summary>Exit code for bad input or options.</summary>
    public const int ExitBadInput = 2;

    /// <summary>Exit code for an unexpected internal failure.</summary>
    public const int ExitInternal = 1;

    /// <summary>Exit code of a batch that ran but in which some tomograms failed (see its batch.csv).</summary>
    public const int ExitSomeFailed = 3;

    /// <summary>Builds the root command.</summary>
    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("sxtseg: segmentation, 3D surfaces and morphometrics of cryo soft X-ray tomograms.");
        root.Subcommands.Add(InfoCommand.Create(ctx));
        root.Subcommands.Add(ConvertCommand.Create(ctx));
        root.Subcommands.Add(SliceCommand.Create(ctx));
        root.Subcommands.Add(SimulateCommand.Create(ctx));
        root.Subcommands.Add(TrainCommand.Create(ctx));
        root.Subcommands.Add(ModelCommand.Create(ctx));
        root.Subcommands.Add(ComponentsCommand.Create(ctx));
        root.Subcommands.Add(MeasureCommand.Create(ctx));
        root.Subcommands.Add(FilopodiaCommand.Create(ctx));
        root.Subcommands.Add(MeshCommand.Create(ctx));
        root.Subcommands.Add(RenderCommand.Create(ctx));
        root.Subcommands.Add(SegmentCommand.Create(ctx));
        root.Subcommands.Add(MergeCommand.Create(ctx));
        root.Subcommands.Add(EvaluateCommand.Create(ctx));
        root.Subcommands.Add(DemoCommand.Create(ctx));
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bars or lines (results, warnings and errors are still printed)", Recursive = true };
        var log = new Option<string?>("--log") { Description = "Also append everything printed, with progress as plain lines, to this file (for cluster jobs)", HelpName = "file", Recursive = true };
        root.Options.Add(quiet);
        root.Options.Add(log);
        NumberOptions.Install(root);
        CommandHelp.Apply(root);
        HelpLayout.Install(root, new Option[] { quiet, log });
        return root;
    }

    /// <summary>Parses and runs; returns the exit code (0 ok, 2 bad input, 1 internal error).</summary>
    public static int Run(string[] args, CliContext ctx)
    {
        var root = BuildRoot(ctx);
        var parse = root.Parse(Aliases(args, root));
        if (parse.Errors.Count > 0 && !HelpLayout.IsHelp(parse))
        {
            // One line: every problem, then where the usage is.
            var command = parse.CommandResult.Command;
            string usage = command is RootCommand ? "sxtseg --help" : $"sxtseg {CommandPath(command, parse)} --help";
            var messages = parse.Errors.Select(e => OneLine(e.Message)).Distinct().ToList();
            // 'sxtseg segmnt …' is one mistake, an unknown command; "no command given" beside it says it twice.
            if (command is RootCommand && messages.Count > 1) messages.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
            string problems = string.Join("; ", messages);
            ctx.Err.WriteLine($"sxtseg: error: {problems} (see '{usage}')");
            return ExitBadInput;
        }
        try
        {
            var quiet = (Option<bool>)root.Options.First(o => o.Name == "--quiet");
            var logOption = (Option<string?>)root.Options.First(o => o.Name == "--log");
            ctx.Quiet = parse.GetValue(quiet);
            if (parse.GetValue(logOption) is { } log)
            {
                int code = Guard(ctx, () => { ctx.AttachLog(log, args); return 0; });
                if (code != 0) return code;
            }
            WarnOldNames(ctx, parse);
            return parse.Invoke(new InvocationConfiguration { Output = new AnsiTextWriter(ctx), Error = ctx.Err, EnableDefaultExceptionHandler = false });
        }
        finally
        {
            ctx.CloseLog();
        }
    }

    /// <summary>
    /// The words users type from habit: <c>sxtseg help</c> and <c>sxtseg help COMMAND …</c> are
    /// <c>--help</c>, <c>sxtseg version</c> is <c>--version</c>. Only as the first word, and only
    /// where no command of that name exists.
    /// </summary>
    internal static string[] Aliases(string[] args, RootCommand root)
    {
        if (args.Length == 0 || root.Subcommands.Any(c => c.Name == args[0])) return args;
        if (args[0] == "help") return args[1..].Append("--help").ToArray();
        if (args[0] == "version" && args.Length == 1) return new[] { "--version" };
        return args;
    }

    /// <summary>One warning for each renamed option given by its old name (the old names still work for now).</summary>
    private static void WarnOldNames(CliContext ctx, ParseResult parse)
    {
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            foreach (var child in r.Children)
                if (child is System.CommandLine.Parsing.OptionResult { Implicit: false, IdentifierToken: { } token } o && HelpLayout.IsOldName(o.Option, token.Value))
                    ctx.Warn($"{token.Value} is now called {o.Option.Name}; the old name still works for now");
    }

    private static string CommandPath(Command command, ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return names.Count > 0 ? string.Join(' ', names) : command.Name;
    }

    /// <summary>A message as one line of at most 500 characters (newlines folded, long echoes cut).</summary>
    public static string OneLine(string message)
    {
        var sb = new System.Text.StringBuilder(message.Length);
        bool space = false;
        foreach (char c in message)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.Length > 500 ? sb.ToString(0, 497) + "…" : sb.ToString();
    }

    /// <summary>
    /// Runs a command body: user mistakes (<see cref="SxtSegException"/>) print one line and exit 2;
    /// anything else prints one line and exits 1 (set SXTSEG_DEBUG=1 for the stack trace).
    /// </summary>
    public static int Guard(CliContext ctx, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception) when (ctx.Cancellation.IsCancellationRequested)
        {
            // Whatever the work was doing when it was stopped, staging and temporary files have
            // been disposed on the way out.
            ctx.Err.WriteLine("sxtseg: cancelled");
            return ctx.CancelExitCode;
        }
        catch (Exception e) when (Unwrap(e) is SxtSegException u)
        {
            ctx.Err.WriteLine($"sxtseg: error: {OneLine(u.Message)}");
            return ExitBadInput;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            ctx.Err.WriteLine("sxtseg: cancelled");
            return ctx.CancelExitCode;
        }
        catch (Exception e) when (Unwrap(e) is OutOfMemoryException or InsufficientMemoryException)
        {
            ctx.Err.WriteLine("sxtseg: error: out of memory; use smaller slabs/tiles or a machine with more RAM");
            return ExitBadInput;
        }
        catch (Exception e)
        {
            var u = Unwrap(e);
            ctx.Err.WriteLine($"sxtseg: internal error: {u.GetType().Name}: {OneLine(u.Message)}");
            if (Environment.GetEnvironmentVariable("SXTSEG_DEBUG") == "1") ctx.Err.WriteLine(e.ToString());
            return ExitInternal;
        }
    }

    /// <summary>The exception behind wrappers (Parallel.For's AggregateException, reflection, type initialisers).</summary>
    private static Exception Unwrap(Exception e)
    {
        for (int i = 0; i < 8; i++)
        {
            if (e is AggregateException a)
            {
                var inner = a.Flatten().InnerExceptions;
                var pick = inner.FirstOrDefault(x => x is SxtSegException) ?? inner.FirstOrDefault(x => x is OperationCanceledException) ?? inner.FirstOrDefault();
                if (pick is null) return e;
                e = pick;
            }
            else if (e is System.Reflection.TargetInvocationException or TypeInitializationException && e.InnerException is { } ie) e = ie;
            else return e;
        }
        return e;
    }

    /// <summary>Adapts the Spectre console to a TextWriter for System.CommandLine's help output.</summary>
    private sealed class AnsiTextWriter : TextWriter
    {
        private readonly CliContext _ctx;
        public AnsiTextWriter(CliContext ctx) => _ctx = ctx;
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => _ctx.Out.Profile.Out.Writer.Write(value);
        public override void Flush() => _ctx.Out.Profile.Out.Writer.Flush();
        public override void Write(string? value) => _ctx.Out.Profile.Out.Writer.Write(value);
        public override void WriteLine(string? value) => _ctx.Out.Profile.Out.Writer.WriteLine(value);
    }
}
