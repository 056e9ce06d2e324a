using System.Diagnostics;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>The built <c>sxtseg</c> as a process of its own (for what one process cannot show about itself: signals, process-wide settings).</summary>
internal static class CliProcess
{
    /// <summary>Start information for <c>dotnet sxtseg.dll ARGS</c> with standard output and error redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sxtseg.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
