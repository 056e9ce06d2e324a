namespace SxtSeg;

/// <summary>An output that cannot be written (unwritable folder, disk full, existing file not replaced).</summary>
public sealed class OutputException : SxtSegException
{
    /// <summary>Creates an error "<paramref name="path"/>: <paramref name="problem"/>".</summary>
    public OutputException(string path, string problem) : base($"{path}: {problem}") { }

    /// <summary>Creates an error with an inner cause.</summary>
    public OutputException(string path, string problem, Exception inner) : base($"{path}: {problem}", inner) { }
}
