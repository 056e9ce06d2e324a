namespace SxtSeg;

/// <summary>An input file or folder that cannot be used: missing, truncated, corrupt, wrong size or type.</summary>
public sealed class InvalidInputException : SxtSegException
{
    /// <summary>Creates an error "<paramref name="path"/>: <paramref name="problem"/>".</summary>
    public InvalidInputException(string path, string problem) : base($"{path}: {problem}") { Path = path; Problem = problem; }

    /// <summary>Creates an error with an inner cause.</summary>
    public InvalidInputException(string path, string problem, Exception inner) : base($"{path}: {problem}", inner) { Path = path; Problem = problem; }

    /// <summary>The offending file or folder.</summary>
    public string Path { get; }

    /// <summary>The problem, without the path.</summary>
    public string Problem { get; }
}
