using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;

namespace SxtSeg.Tests.Training;

/// <summary>How both recipes open a run's output folder: a resume needs a checkpoint, a new run an unused folder.</summary>
public sealed class TrainingRunFolderTests
{
    private static TrainingRequest Request(string folder, bool resume) => new(new TrainingInputs(), new TrainingOptions(), folder) { Resume = resume };

    [Fact]
    public void ANewRunGetsTheFolderAndNoCheckpoint()
    {
        using var dir = new TempDir();
        var (folder, checkpoint, resumed, sections) = TrainingRunFolder.Open(Request(dir.File("run"), resume: false));
        Assert.Equal(dir.File("run"), folder);
        Assert.Equal(Path.Combine(dir.File("run"), TrainingCheckpoint.FileName), checkpoint);
        Assert.Null(resumed);
        Assert.Null(sections);
        // and nothing was created yet
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void AResumeWithoutACheckpointIsRefusedAsBadInput()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("run"));
        var e = Assert.Throws<InvalidInputException>(() => TrainingRunFolder.Open(Request(dir.File("run"), resume: true)));
        Assert.Equal($"{dir.File("run")}: has no {TrainingCheckpoint.FileName} to resume (start a new run without --resume)", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFolderHoldingARunIsNotOverwritten(bool checkpointThere)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("run"));
        // Given a folder with a checkpoint, or only a finished run's model
        string file = checkpointThere ? TrainingCheckpoint.FileName : SemiSupervisedTrainer.BestModelFileName;
        File.WriteAllText(Path.Combine(dir.File("run"), file), "x");
        // Then a new run there is refused, and the file is left alone
        var e = Assert.Throws<OutputException>(() => TrainingRunFolder.Open(Request(dir.File("run"), resume: false)));
        Assert.Equal($"{dir.File("run")}: already holds a training run; add --resume to continue it, or choose another --out", e.Message);
        Assert.Equal("x", File.ReadAllText(Path.Combine(dir.File("run"), file)));
    }
}
