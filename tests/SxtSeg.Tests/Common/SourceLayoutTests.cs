using System.Text.RegularExpressions;

namespace SxtSeg.Tests.Common;

/// <summary>
/// The layout rule of the library, CLI and benchmarks (docs/developing.md): a source file declares at
/// most one public top-level type, and is named after it (internal helpers may sit beside it).
/// Checked on the sources of the checkout the tests were built from.
/// </summary>
public sealed partial class SourceLayoutTests
{
    // File-scoped namespaces: a top-level declaration starts at column 0.
    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial|ref|unsafe)\s+)*(?:class|record\s+struct|record\s+class|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicTopLevelType();

    [GeneratedRegex(@"^public\s+delegate\s+[\w<>\[\],\s]+?\s(\w+)\s*[<(]", RegexOptions.Multiline)]
    private static partial Regex PublicDelegate();

    /// <summary>Public top-level type names declared in C# source text, in order.</summary>
    internal static List<string> PublicTypes(string source)
        => PublicTopLevelType().Matches(source).Concat(PublicDelegate().Matches(source)).OrderBy(m => m.Index).Select(m => m.Groups[1].Value).ToList();

    private static string? RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SxtSeg.slnx"))) return d.FullName;
        return null;
    }

    [Theory]
    [InlineData("namespace A;\n\n/// <summary>x</summary>\npublic sealed class Foo\n{\n    public class Nested { }\n}\n\ninternal static class Helper { }\n", "Foo")]
    [InlineData("namespace A;\npublic readonly record struct Size(double X);\npublic enum Kind { A }\n", "Size,Kind")]
    [InlineData("namespace A;\npublic static partial class Parser { }\npublic delegate void Handler(int x);\npublic interface IThing { }\n", "Parser,Handler,IThing")]
    [InlineData("namespace A;\n// public class InAComment\ninternal sealed record Hidden(int X);\n", "")]
    public void PublicTopLevelTypesAreFoundAndNestedOrInternalOnesAreNot(string source, string expected)
        => Assert.Equal(expected, string.Join(',', PublicTypes(source)));

    [Fact]
    public void EverySourceFileHoldsAtMostOnePublicTypeNamedAsTheFile()
    {
        string root = RepositoryRoot() ?? throw new InvalidOperationException("SxtSeg.slnx not found above " + AppContext.BaseDirectory);
        var problems = new List<string>();
        int files = 0;
        foreach (string top in new[] { "src", "bench" })
        {
            foreach (string f in Directory.EnumerateFiles(Path.Combine(root, top), "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(root, f);
                if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
                files++;
                var types = PublicTypes(File.ReadAllText(f));
                string name = Path.GetFileNameWithoutExtension(f);
                if (types.Count > 1) problems.Add($"{rel}: {types.Count} public types ({string.Join(", ", types)})");
                else if (types.Count == 1 && types[0] != name) problems.Add($"{rel}: declares {types[0]}");
            }
        }
        Assert.True(files > 100, $"only {files} source files found under {root}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
