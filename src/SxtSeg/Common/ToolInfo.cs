using System.Reflection;

namespace SxtSeg;

/// <summary>Name and version of this tool, as written into every output's provenance.</summary>
public static class ToolInfo
{
    /// <summary>The tool name.</summary>
    public const string Name = "sxtseg";

    /// <summary>The library's informational version (no commit hash, so outputs are reproducible).</summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>"sxtseg 0.1.0".</summary>
    public static string NameAndVersion => $"{Name} {Version}";
}
