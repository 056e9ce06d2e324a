using Spectre.Console;

namespace SxtSeg.Cli;

/// <summary>Where the command line writes: normal output, errors, and whether progress bars may be drawn.</summary>
public sealed class CliContext
{
    /// <summary>Creates a context.</summary>
    public CliContext(IAnsiConsole output, TextWriter error, bool interactive)
    {
        Out = output;
        Err = error;
        Interactive = interactive;
    }

    /// <summary>Normal output (tables, results).</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Error and progress stream.</summary>
    public TextWriter Err { get; }

    /// <summary>True when live progress bars can be drawn (a terminal).</summary>
    public bool Interactive { get; }

    /// <summary>Cancelled by Ctrl-C / SIGTERM (or a test): the running command stops, cleans up and exits with <see cref="CancelExitCode"/>.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Exit code of a cancelled run: 130 after SIGINT (Ctrl-C), 143 after SIGTERM.</summary>
    public int CancelExitCode { get; set; } = 130;

    /// <summary>Prints "sxtseg: warning: TEXT" on the error stream.</summary>
    public void Warn(string text) => Err.WriteLine($"sxtseg: warning: {text}");

    /// <summary>The process console: progress bars only when stderr is a terminal.</summary>
    public static CliContext Console()
    {
        bool tty = !System.Console.IsErrorRedirected && !System.Console.IsOutputRedirected;
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Interactive = tty ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = tty ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = tty ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        };
        return new CliContext(AnsiConsole.Create(settings), System.Console.Error, tty);
    }

    /// <summary>A context writing plain text to the given writers (tests).</summary>
    public static CliContext Plain(TextWriter output, TextWriter error)
    {
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        };
        var console = AnsiConsole.Create(settings);
        console.Profile.Width = 160;
        return new CliContext(console, error, false);
    }
}
