using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Network;

public sealed class DefaultModelTests
{
    [Fact]
    public void LookupOrderIsOverrideThenExecutableFolderThenItsAncestorsThenTheCurrentFolder()
    {
        using var tmp = new TempDir();
        // Given a checkout-like tree: repo/models/<file>, repo/bin/app (executable folder), elsewhere/work (current folder)
        string repoModel = tmp.File(Path.Combine("repo", "models", DefaultModel.FileName));
        string exe = tmp.File(Path.Combine("repo", "bin", "app"));
        string cwd = tmp.File(Path.Combine("elsewhere", "work"));
        Directory.CreateDirectory(Path.GetDirectoryName(repoModel)!);
        Directory.CreateDirectory(exe);
        Directory.CreateDirectory(cwd);
        File.WriteAllText(repoModel, "m");
        // Then walking up from the executable finds repo/models
        Assert.Equal(repoModel, DefaultModel.Find(null, exe, cwd));
        // and a copy in exe/models (what the build output holds) wins over it
        string besideModel = Path.Combine(exe, "models", DefaultModel.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(besideModel)!);
        File.WriteAllText(besideModel, "m");
        Assert.Equal(besideModel, DefaultModel.Find(null, exe, cwd));
        // and the current folder is searched when the executable's ancestors have none
        string other = tmp.File(Path.Combine("elsewhere", "models", DefaultModel.FileName));
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, "m");
        Assert.Equal(other, DefaultModel.Find(null, tmp.File("nowhere-near"), cwd));
        // and the override wins, but must exist
        Assert.Equal(other, DefaultModel.Find(other, exe, cwd));
        var e = Assert.Throws<InvalidInputException>(() => DefaultModel.Find(tmp.File("missing.sxtmodel"), exe, cwd));
        Assert.Contains(DefaultModel.EnvironmentVariable, e.Message);
        // and nothing found is null
        Assert.Null(DefaultModel.Find("", tmp.File("nowhere-near"), tmp.File("nowhere-near")));
    }
}
