namespace SxtSeg.Cli;

/// <summary>Entry point of the <c>sxtseg</c> executable.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args) => CliApp.Run(args, CliContext.Console());
}
