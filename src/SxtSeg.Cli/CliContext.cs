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
    public IAnsiConsole Out { get; private set; }

    /// <summary>The terminal itself (live progress bars are drawn here, never into a --log file).</summary>
    public IAnsiConsole Terminal => _terminal ?? Out;

    private IAnsiConsole? _terminal;

    /// <summary>The error stream without the --log copy (progress lines reach the log on their own).</summary>
    public TextWriter ErrTerminal => _errTerminal ?? Err;

    private TextWriter? _errTerminal;

    /// <summary>Error and progress stream.</summary>
    public TextWriter Err { get; private set; }

    /// <summary>Seconds since some start, for progress rates (tests give a fake one); null = the real clock.</summary>
    internal Func<double>? Clock { get; set; }

    /// <summary>No progress bars or lines (--quiet); results, warnings and errors are still printed.</summary>
    public bool Quiet { get; set; }

    /// <summary>The --log file (everything printed, and progress as plain lines), or null.</summary>
    public TextWriter? Log { get; private set; }

    /// <summary>
    /// Appends everything this command prints (results, warnings, errors, and progress as plain
    /// lines) to <paramref name="path"/> as well, after a line with the time and the command line.
    /// </summary>
    public void AttachLog(string path, IEnumerable<string> arguments)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException("(empty path)", "no log file given");
        StreamWriter log;
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputException(path, $"cannot write the log here ({e.Message})", e);
        }
        log.WriteLine($"== {DateTime.Now:yyyy-MM-dd HH:mm:ss} {ToolInfo.NameAndVersion}: sxtseg {string.Join(' ', arguments.Select(Quote))}");
        Log = log;
        _errTerminal = Err;
        Err = new TeeWriter(Err, log);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new TeeWriter(Out.Profile.Out.Writer, log)),
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = Out.Profile.Width;
        _terminal = Out;
        Out = console;
    }

    /// <summary>Closes the --log file.</summary>
    public void CloseLog()
    {
        Log?.Dispose();
        Log = null;
    }

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";

    /// <summary>Writes to two writers (the console and the --log file).</summary>
    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => first.Encoding;
        public override void Write(char value) { first.Write(value); second.Write(value); }
        public override void Write(string? value) { first.Write(value); second.Write(value); }
        public override void WriteLine(string? value) { first.WriteLine(value); second.WriteLine(value); }
        public override void Flush() { first.Flush(); second.Flush(); }
    }

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
