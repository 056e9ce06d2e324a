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
        return root;
    }

    /// <summary>Parses and runs; returns the exit code (0 ok, 2 bad input, 1 internal error).</summary>
    public static int Run(string[] args, CliContext ctx)
    {
        var root = BuildRoot(ctx);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) ctx.Err.WriteLine($"sxtseg: error: {e.Message}");
            ctx.Err.WriteLine("Run 'sxtseg --help' or 'sxtseg COMMAND --help' for usage.");
            return ExitBadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = new AnsiTextWriter(ctx), Error = ctx.Err, EnableDefaultExceptionHandler = false });
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
        catch (SxtSegException e)
        {
            ctx.Err.WriteLine($"sxtseg: error: {e.Message}");
            return ExitBadInput;
        }
        catch (OperationCanceledException)
        {
            ctx.Err.WriteLine("sxtseg: cancelled");
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ctx.Err.WriteLine($"sxtseg: internal error: {e.GetType().Name}: {e.Message.Replace('\n', ' ')}");
            if (Environment.GetEnvironmentVariable("SXTSEG_DEBUG") == "1") ctx.Err.WriteLine(e.ToString());
            return ExitInternal;
        }
        catch (OutOfMemoryException)
        {
            ctx.Err.WriteLine("sxtseg: error: out of memory; use smaller slabs/tiles or a machine with more RAM");
            return ExitBadInput;
        }
    }

    /// <summary>Adapts the Spectre console to a TextWriter for System.CommandLine's help output.</summary>
    private sealed class AnsiTextWriter : TextWriter
    {
        private readonly CliContext _ctx;
        public AnsiTextWriter(CliContext ctx) => _ctx = ctx;
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => _ctx.Out.Profile.Out.Writer.Write(value);
        public override void Write(string? value) => _ctx.Out.Profile.Out.Writer.Write(value);
        public override void WriteLine(string? value) => _ctx.Out.Profile.Out.Writer.WriteLine(value);
    }
}
