using SxtSeg;

namespace SxtSeg.Cli;

/// <summary>The value of a model option that takes <c>auto</c>, <c>none</c> or a file (<c>--body-model</c>, <c>--filopodium-model</c>).</summary>
internal static class ModelChoice
{
    /// <summary>
    /// Null for <c>none</c>; <paramref name="auto"/>'s answer for <c>auto</c>; otherwise the file, which must exist
    /// (else <see cref="InvalidOptionException"/> for <paramref name="option"/>).
    /// </summary>
    public static string? Resolve(string choice, string option, Func<string?> auto) => choice switch
    {
        "none" => null,
        "auto" => auto(),
        _ => File.Exists(choice) ? choice : throw new InvalidOptionException(option, $"{choice}: file not found (give a model file, auto or none)"),
    };
}
