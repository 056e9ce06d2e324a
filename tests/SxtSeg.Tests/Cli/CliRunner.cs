using SxtSeg.Cli;

namespace SxtSeg.Tests.Cli;

/// <summary>Runs the command line in-process and captures its output.</summary>
public static class CliRunner
{
    /// <summary>Result of one run.</summary>
    public sealed record Result(int ExitCode, string Out, string Err);

    /// <summary>Runs <c>sxtseg ARGS</c>.</summary>
    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, CliContext.Plain(o, e));
        return new Result(code, o.ToString(), e.ToString());
    }
}
