using System.Runtime.InteropServices;

namespace SxtSeg.Cli;

/// <summary>Entry point of the <c>sxtseg</c> executable.</summary>
public static class Program
{
    /// <summary>Seconds a cancelled command gets to unwind before the process cleans up and leaves anyway.</summary>
    private const int GraceSeconds = 10;

    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        var console = CliContext.Console();
        var ctx = new CliContext(console.Out, console.Err, console.Interactive) { Cancellation = cancel.Token };
        int signalled = 0;
        void OnSignal(PosixSignalContext sc, int exitCode)
        {
            // Handled here: the runtime must not end the process before staging files are removed.
            sc.Cancel = true;
            if (Interlocked.CompareExchange(ref signalled, exitCode, 0) != 0)
            {
                Leave(exitCode); // a second Ctrl-C: stop at once
                return;
            }
            ctx.CancelExitCode = exitCode;
            cancel.Cancel();
            var watchdog = new Thread(() =>
            {
                Thread.Sleep(TimeSpan.FromSeconds(GraceSeconds));
                Leave(exitCode);
            }) { IsBackground = true, Name = "sxtseg cancel watchdog" };
            watchdog.Start();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, sc => OnSignal(sc, 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, sc => OnSignal(sc, 143));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, sc => OnSignal(sc, 129));
        return CliApp.Run(args, ctx);
    }

    /// <summary>Removes this process's partial outputs, prints one line and exits.</summary>
    private static void Leave(int exitCode)
    {
        PartialFiles.DeleteLive();
        Console.Error.WriteLine("sxtseg: cancelled");
        Environment.Exit(exitCode);
    }
}
