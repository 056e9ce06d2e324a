using SxtSeg.Measurement.Filopodia;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>The filopodium model's training folders (class 11 of a simulation as labels) and the lookup of the shipped model.</summary>
public sealed class FilopodiumModelTests
{
    [Fact]
    public void ATrainingFolderLabelsExactlyTheFilopodiumClassAndCopiesTheTomogram()
    {
        // Given a simulation folder whose classes hold cytoplasm (3), a filopodium (11) and gold (12)
        string sim = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-sim-{Guid.NewGuid():N}");
        string output = sim + "-data";
        Directory.CreateDirectory(sim);
        try
        {
            var classes = new Volume<byte>(8, 6, 4, VoxelSize.Isotropic(9.8));
            classes[1, 2, 3] = 3; classes[2, 2, 3] = 11; classes[2, 2, 4] = 11; classes[3, 5, 7] = 12; classes[0, 0, 0] = 10;
            VolumeIO.Write(Path.Combine(sim, "classes.mrc"), classes);
            var tomogram = new Volume<float>(8, 6, 4, VoxelSize.Isotropic(9.8));
            tomogram[2, 2, 3] = 0.5f;
            VolumeIO.Write(Path.Combine(sim, "tomogram.mrc"), tomogram);
            File.WriteAllText(Path.Combine(sim, "truth.json"), "{\"derived\":{}}");
            // When
            long count = FilopodiumModel.WriteTrainingFolder(sim, output);
            // Then the labels are 1 on the two class-11 voxels only; the tomogram and truth.json are copied byte for byte
            Assert.Equal(2, count);
            var labels = VolumeIO.Read<byte>(Path.Combine(output, "membranes.mrc"));
            Assert.Equal(1, labels[2, 2, 3]);
            Assert.Equal(1, labels[2, 2, 4]);
            Assert.Equal(2, labels.Data.Count(b => b != 0));
            Assert.Equal(File.ReadAllBytes(Path.Combine(sim, "tomogram.mrc")), File.ReadAllBytes(Path.Combine(output, "tomogram.mrc")));
            Assert.Equal("{\"derived\":{}}", File.ReadAllText(Path.Combine(output, "truth.json")));
        }
        finally
        {
            Directory.Delete(sim, true);
            if (Directory.Exists(output)) Directory.Delete(output, true);
        }
    }

    [Fact]
    public void ATrainingFolderCanLinkTheTomogramIsRewrittenInPlaceAndRecordsItsLabel()
    {
        using var dir = new TempDir();
        string sim = dir.File("sim"), output = dir.File("out");
        Directory.CreateDirectory(sim);
        var classes = new Volume<byte>(4, 3, 2, VoxelSize.Isotropic(9.8));
        classes[1, 2, 3] = FilopodiumModel.FilopodiumClass;
        VolumeIO.Write(Path.Combine(sim, "classes.mrc"), classes);
        VolumeIO.Write(Path.Combine(sim, "tomogram.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(9.8)));
        File.WriteAllText(Path.Combine(sim, "truth.json"), "{}");
        // written twice into the same folder (a copy, then a link): the second replaces the first
        Assert.Equal(1, FilopodiumModel.WriteTrainingFolder(sim, output));
        Assert.Null(new FileInfo(Path.Combine(output, "tomogram.mrc")).LinkTarget);
        File.WriteAllText(Path.Combine(sim, "truth.json"), "{\"second\":1}");
        Assert.Equal(1, FilopodiumModel.WriteTrainingFolder(sim, output, link: true));
        Assert.Equal(Path.GetFullPath(Path.Combine(sim, "tomogram.mrc")), new FileInfo(Path.Combine(output, "tomogram.mrc")).LinkTarget);
        Assert.Equal("{\"second\":1}", File.ReadAllText(Path.Combine(output, "truth.json")));
        // the labels' header says what they are
        using var r = VolumeIO.OpenRead(Path.Combine(output, "membranes.mrc"));
        string labels = string.Join("\n", r.Info.Labels);
        Assert.Contains("filopodium training data", labels);
        Assert.Contains("class 11 (filopodium) of classes.mrc", labels);
        // linked into a folder that does not exist yet
        FilopodiumModel.WriteTrainingFolder(sim, Path.Combine(output, "deeper", "still"), link: true);
        Assert.True(File.Exists(Path.Combine(output, "deeper", "still", "membranes.mrc")));
    }

    [Fact]
    public void TheShippedFilopodiumModelIsFoundInAModelsFolderAbove()
    {
        string root = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-find-{Guid.NewGuid():N}");
        string empty = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-empty-{Guid.NewGuid():N}");
        string deep = Path.Combine(root, "a", "b");
        Directory.CreateDirectory(deep);
        Directory.CreateDirectory(Path.Combine(root, "models"));
        Directory.CreateDirectory(empty);
        try
        {
            string model = Path.Combine(root, "models", FilopodiumModel.DefaultModelFileName);
            File.WriteAllText(model, "x");
            File.WriteAllText(Path.Combine(root, "models", CellBody.DefaultModelFileName), "y");
            Assert.Equal(Path.GetFullPath(model), FilopodiumModel.FindDefaultModel(deep, empty));
            Assert.Equal(Path.GetFullPath(model), FilopodiumModel.FindDefaultModel(empty, deep));
            Assert.Null(FilopodiumModel.FindDefaultModel(empty, empty));
        }
        finally
        {
            Directory.Delete(root, true);
            Directory.Delete(empty, true);
        }
    }
}
