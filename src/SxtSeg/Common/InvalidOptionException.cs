namespace SxtSeg;

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
