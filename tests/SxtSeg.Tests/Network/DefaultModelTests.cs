using SxtSeg.Cli;
using SxtSeg.Network;
using SxtSeg.Tests.Cli;
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

    [Fact]
    public void ABareNameIsAShippedModelAndAnythingElseIsLeftAsGiven()
    {
        using var tmp = new TempDir();
        string exe = tmp.File(Path.Combine("repo", "bin", "app"));
        string cwd = tmp.File(Path.Combine("elsewhere", "work"));
        Directory.CreateDirectory(exe);
        Directory.CreateDirectory(cwd);
        string context = tmp.File(Path.Combine("repo", "models", "sxtseg-context3.sxtmodel"));
        Directory.CreateDirectory(Path.GetDirectoryName(context)!);
        File.WriteAllText(context, "m");
        // a bare name is sxtseg-NAME.sxtmodel, found as the shipped models are
        Assert.Equal(context, DefaultModel.Resolve("context3", exe, cwd));
        // an unknown name, a name with a folder or an extension, or an upper-case one, is returned as given (the caller reports it)
        Assert.Equal("context9", DefaultModel.Resolve("context9", exe, cwd));
        Assert.Equal("models/context3", DefaultModel.Resolve("models/context3", exe, cwd));
        Assert.Equal("context3.sxtmodel", DefaultModel.Resolve("context3.sxtmodel", exe, cwd));
        Assert.Equal("Context3", DefaultModel.Resolve("Context3", exe, cwd));
        // a former name whose file is gone is the model it became: context3 is the default since 2026-11-27
        File.Delete(context);
        string defaultModel = tmp.File(Path.Combine("repo", "models", "sxtseg-default.sxtmodel"));
        File.WriteAllText(defaultModel, "m");
        Assert.Equal(defaultModel, DefaultModel.Resolve("context3", exe, cwd));
        Assert.Equal("context9", DefaultModel.Resolve("context9", exe, cwd));
        // an existing file is itself
        string own = tmp.File("mine.sxtmodel");
        File.WriteAllText(own, "m");
        Assert.Equal(own, DefaultModel.Resolve(own, exe, cwd));
    }

    [Fact]
    public void TheCommandLineTakesAShippedModelByName()
    {
        // model info prints the card of the shipped one-slice model when given its name
        var r = CliRunner.Run("model", "info", "2d");
        Assert.True(r.ExitCode == 0, r.Err);
        string oneSlice = Path.Combine(Path.GetDirectoryName(DefaultModel.Find()!)!, "sxtseg-2d.sxtmodel");
        Assert.Contains(ModelFile.ReadCard(oneSlice).Id, r.Out);
        Assert.DoesNotContain("ctx=", r.Out);
        // the former name of the 7-slice model is the default model
        var c = CliRunner.Run("model", "info", "context3");
        Assert.True(c.ExitCode == 0, c.Err);
        Assert.Contains(ModelFile.ReadCard(DefaultModel.Find()!).Id, c.Out);
        Assert.Contains("ctx=3", c.Out);
        // and a name that is no shipped model is reported as a missing file, by its name
        CliRunner.Refused(new[] { "model", "info", "context9" }, "context9");
    }
}
