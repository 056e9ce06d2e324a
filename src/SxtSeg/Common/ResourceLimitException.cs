namespace SxtSeg;

/// <summary>
/// A request the machine cannot meet (memory), found before the work starts: the message says what
/// was asked, what it needs, what is available and which option lowers the need.
/// </summary>
public sealed class ResourceLimitException : SxtSegException
{
    /// <summary>Creates an error with a complete one-line message.</summary>
    public ResourceLimitException(string message) : base(message) { }
}
