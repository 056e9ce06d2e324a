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
