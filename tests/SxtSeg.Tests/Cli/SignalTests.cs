using System.Diagnostics;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// Ctrl-C and SIGTERM on a real <c>sxtseg</c> process: the run stops, its staging folder is removed,
/// one line "sxtseg: cancelled" is printed and the exit code is 130 (SIGINT) or 143 (SIGTERM).
/// </summary>
public sealed class SignalTests
{
    [Fact]
    public Task SigtermCancelsCleanly() => SignalCancelsCleanly("TERM", 143);

    [FactUnlessSigintIgnored]
    public Task SigintCancelsCleanly() => SignalCancelsCleanly("INT", 130);

    private static async Task SignalCancelsCleanly(string signal, int expectedExit)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/kill") && !File.Exists("/usr/bin/kill")) return;
        using var dir = new TempDir();
        // Given a simulation (minutes of work) that has claimed its staging folder
        using var p = Process.Start(CliProcess.StartInfo("simulate", dir.File("sim")))!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        var sw = Stopwatch.StartNew();
        while (!Directory.EnumerateDirectories(dir.Path, ".sim.*.partial").Any() && !p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Assert.False(p.HasExited, "exited before the signal");
        await Task.Delay(300);
        // When the signal arrives
        await Process.Start("kill", $"-{signal} {p.Id}")!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        bool exited = true;
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { exited = false; p.Kill(true); }
        // Then
        Assert.True(exited, "still running 30 s after the signal");
        Assert.Equal(expectedExit, p.ExitCode);
        Assert.Equal("sxtseg: cancelled", (await err).Trim());
        Assert.Empty(await output);
        Assert.Empty(dir.Contents());
    }
}
