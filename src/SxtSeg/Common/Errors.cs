namespace SxtSeg;

/// <summary>
/// A problem caused by the user's input or environment (bad file, bad option, unwritable output).
/// The command line prints <see cref="Exception.Message"/> as one line and exits with code 2;
/// no stack trace is shown. The message names the file (when there is one) and the problem.
/// </summary>
public class SxtSegException : Exception
{
    /// <summary>Creates an error with a complete one-line message.</summary>
    public SxtSegException(string message) : base(message) { }

    /// <summary>Creates an error with a complete one-line message and the underlying cause.</summary>
    public SxtSegException(string message, Exception inner) : base(message, inner) { }
}

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

/// <summary>
/// An option value that is out of range or inconsistent with other options. <see cref="Option"/> is
/// the command-line option, or, from the library's run types, the key of the setting (the property
/// name, e.g. <c>Decimate</c>), which the command line maps to its own option name.
/// </summary>
public sealed class InvalidOptionException : SxtSegException
{
    /// <summary>Creates an error "<paramref name="option"/>: <paramref name="problem"/>".</summary>
    public InvalidOptionException(string option, string problem) : base($"{option}: {problem}") { Option = option; Problem = problem; }

    /// <summary>The option, or the key of the setting.</summary>
    public string Option { get; }

    /// <summary>The problem, without the option.</summary>
    public string Problem { get; }
}

/// <summary>An output that cannot be written (unwritable folder, disk full, existing file not replaced).</summary>
public sealed class OutputException : SxtSegException
{
    /// <summary>Creates an error "<paramref name="path"/>: <paramref name="problem"/>".</summary>
    public OutputException(string path, string problem) : base($"{path}: {problem}") { }

    /// <summary>Creates an error with an inner cause.</summary>
    public OutputException(string path, string problem, Exception inner) : base($"{path}: {problem}", inner) { }
}

/// <summary>
/// A request the machine cannot meet (memory), found before the work starts: the message says what
/// was asked, what it needs, what is available and which option lowers the need.
/// </summary>
public sealed class ResourceLimitException : SxtSegException
{
    /// <summary>Creates an error with a complete one-line message.</summary>
    public ResourceLimitException(string message) : base(message) { }
}
