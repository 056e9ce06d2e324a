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

    /// <summary>
    /// Runs <c>sxtseg ARGS</c>, which must be refused as the user's mistake: exit code 2 and an error
    /// that names every one of <paramref name="named"/> (the option and the value at fault, or the file),
    /// so that a refusal for another reason (a typo'd option also exits 2) does not pass.
    /// </summary>
    public static Result Refused(string[] args, params string[] named)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode} for sxtseg {string.Join(' ', args)}: {r.Err}");
        Assert.NotEmpty(named);
        Assert.False(r.Err.Contains("Unrecognized command or argument", StringComparison.Ordinal), $"an unknown option, not the value, was refused: {r.Err}");
        foreach (string n in named) Assert.True(r.Err.Contains(n, StringComparison.Ordinal), $"'{n}' not named in: {r.Err}");
        return r;
    }
}
