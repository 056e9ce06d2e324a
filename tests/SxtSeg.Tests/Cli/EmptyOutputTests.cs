using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// An empty output name (<c>--out ""</c>, an unset shell variable) is the user's mistake: one line,
/// exit 2, nothing written. Before, the runtime's ArgumentException surfaced as "internal error", exit 1.
/// </summary>
public sealed class EmptyOutputTests
{
    public static TheoryData<string[], string> Commands => new()
    {
        { new[] { "slice", "{m}", "--png", "" }, "(empty path): no output file given" },
        { new[] { "render", "{m}", "--png", "" }, "(empty path): no output file given" },
        { new[] { "measure", "{m}", "--out", "", "-q" }, "(empty path): no output folder given" },
        { new[] { "mesh", "{m}", "--out", "", "-q" }, "(empty path): no output folder given" },
        { new[] { "filopodia", "{m}", "--out", "", "-q" }, "(empty path): no output folder given" },
        { new[] { "evaluate", "--pred", "{m}", "--truth", "{m}", "--out", "", "-q" }, "(empty path): no output folder given" },
        { new[] { "simulate", "", "--size", "32x32x16", "-q" }, "(empty path): no output folder given" },
        { new[] { "simulate", " ", "--size", "32x32x16", "-q" }, "(empty path): no output folder given" },
        { new[] { "info", "{m}", "--log", "" }, "(empty path): no log file given" },
        { new[] { "components", "{m}", "--out", "" }, "(empty path): no output file given" },
        { new[] { "segment", "{m}", "--out", "", "-q" }, "(empty path): no output folder given" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void AnEmptyOutputNameIsRefused(string[] args, string expected)
    {
        using var dir = new TempDir();
        string m = dir.File("m.mrc");
        var mask = new Volume<byte>(16, 16, 8) { VoxelSize = new VoxelSize(10, 10, 10) };
        for (int z = 2; z < 6; z++)
            for (int y = 4; y < 12; y++)
                for (int x = 4; x < 12; x++) mask[z, y, x] = 1;
        VolumeIO.Write(m, mask);
        var before = dir.Contents();
        // a blank name, unchecked, is a folder " " in the working folder (as the planted bug showed)
        string blank = Path.Combine(Environment.CurrentDirectory, " ");
        try
        {
            var r = CliRunner.Run(args.Select(a => a.Replace("{m}", m)).ToArray());
            Assert.Equal(2, r.ExitCode);
            Assert.Equal($"sxtseg: error: {expected}\n", r.Err.Replace("\r", ""));
            Assert.Equal(before, dir.Contents());
            Assert.False(Directory.Exists(blank));
        }
        finally
        {
            if (Directory.Exists(blank)) Directory.Delete(blank, true);
        }
    }
}
