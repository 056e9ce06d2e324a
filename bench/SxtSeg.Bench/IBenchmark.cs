namespace SxtSeg.Bench;

/// <summary>A benchmark program, discovered by reflection: add a class, no registration needed.</summary>
public interface IBenchmark
{
    /// <summary>Name used on the command line.</summary>
    string Name { get; }

    /// <summary>One line for the listing.</summary>
    string Description { get; }

    /// <summary>Runs with the remaining arguments; returns the exit code.</summary>
    int Run(string[] args);
}
