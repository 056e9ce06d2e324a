using System.Text.Json.Nodes;
using SxtSeg.Inference;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// <see cref="FilopodiaRun"/> with a filopodium model (a tiny untrained network: what is checked is the plumbing, not
/// the filopodia): the shapes are checked before the model runs, the tomogram is segmented at the voxel size the
/// filopodia are measured at, and every output names the model and the mask at their final places.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FilopodiaModelRunTests
{
    private static string TinyModel(TempDir tmp) => TinyModels.Write(tmp, "filo.sxtmodel");

    /// <summary>Membrane labels (10 nm voxels) of the synthetic shells, and the same tomogram as a TIFF that states no voxel size.</summary>
    private static (string Labels, Volume<float> Tomogram) Data(TempDir tmp, int nz)
    {
        var (image, labels) = SyntheticTrainingData.Shells(48, 48, nz, 1);
        labels.VoxelSize = VoxelSize.Isotropic(10);
        string labelsPath = tmp.File("membranes.mrc");
        VolumeIO.Write(labelsPath, labels);
        image.VoxelSize = null;
        return (labelsPath, image);
    }

    [Fact]
    public void AModelForOpenLabelsOnlyIsNotUsedOnClosedLabels()
    {
        // Given closed labels (the three rods' cell with every membrane, as the simulator writes them) and a filopodium
        // model meant for a network's open labels only (--filopodium-model auto)
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var scene = FilopodiaTests.ThreeRods();
        string labels = tmp.File("membranes.mrc"), tomogram = tmp.File("tomo.mrc");
        VolumeIO.Write(labels, scene.Membranes());
        VolumeIO.Write(tomogram, new Volume<float>(scene.Nx, scene.Ny, scene.Nz, VoxelSize.Isotropic(10)));
        // When
        using (var folder = OutputFolder.Create(tmp.File("out")))
        {
            FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, TomogramPath = tomogram, FilopodiumModelPath = model, FilopodiumModelOnlyForOpenLabels = true }, folder);
            folder.Commit();
        }
        // Then the cells were filled instead (the three rods found): no segmentation by the model, and the outputs say why
        Assert.False(Directory.Exists(tmp.File("out/" + FilopodiaRun.FilopodiumSegmentationFolder)));
        Assert.Contains("not used: the membrane labels are closed", File.ReadAllText(tmp.File("out/filopodia.json")));
        Assert.Equal(4, File.ReadAllLines(tmp.File("out/filopodia.csv")).Length); // header and three filopodia
    }

    [Fact]
    public void ATomogramOfAnotherSizeThanTheLabelsIsRefusedByItsPathBeforeTheModelRuns()
    {
        // Given labels of 6 slices and a tomogram of 5
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (labels, _) = Data(tmp, 6);
        var (_, shorter) = SyntheticTrainingData.Shells(48, 48, 5, 1);
        string tomogram = tmp.File("tomo.mrc");
        VolumeIO.Write(tomogram, shorter);
        using var folder = OutputFolder.Create(tmp.File("out"));
        // When / Then the error names the tomogram and both sizes, and no segmentation was made
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaRun.Execute(
            new FilopodiaRunRequest { LabelsPath = labels, TomogramPath = tomogram, FilopodiumModelPath = model }, folder));
        Assert.Equal(tomogram, e.Path);
        Assert.Contains("48 × 48 × 5", e.Message);
        Assert.False(Directory.Exists(folder.File(FilopodiaRun.FilopodiumSegmentationFolder)));
    }

    [Fact]
    public void TheModelSegmentsAtTheLabelsVoxelSizeAndEveryOutputNamesTheModelAndTheMaskWhereTheyEndUp()
    {
        // Given a demo-like run: the tomogram (no voxel size in its header) in the staging folder of a root output,
        // the filopodia written into a subfolder of it, provenance relocated from the staging folder to the root
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (labels, image) = Data(tmp, 6);
        string modelId = ModelFile.ReadCard(model).Id;
        using var root = OutputFolder.Create(tmp.File("demo"));
        Directory.CreateDirectory(Path.Combine(root.StagingPath, "simulation"));
        string tomogram = Path.Combine(root.StagingPath, "simulation", "tomo.tif");
        VolumeIO.Write(tomogram, image);
        var provenance = new Provenance("filopodia").Relocate(root.StagingPath, root.Path);
        using (var folder = OutputFolder.Create(Path.Combine(root.StagingPath, "filopodia")))
        {
            // When
            FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, TomogramPath = tomogram, FilopodiumModelPath = model }, folder, provenance);
            folder.Commit();
        }
        root.Commit();
        // Then the filopodium segmentation is at the labels' 10 nm and names the tomogram at its final place, with the model's id
        string seg = Path.Combine(root.Path, "filopodia", FilopodiaRun.FilopodiumSegmentationFolder);
        var sidecar = SegmentationSidecar.Read(Path.Combine(seg, SegmentationFiles.Sidecar));
        Assert.Equal(10, sidecar.VoxelSize?.X);
        string sidecarText = File.ReadAllText(Path.Combine(seg, SegmentationFiles.Sidecar));
        Assert.DoesNotContain(".partial", sidecarText);
        Assert.Contains(Path.Combine(root.Path, "simulation", "tomo.tif"), sidecarText);
        Assert.Equal(modelId, (string?)JsonNode.Parse(sidecarText)!["provenance"]!["model_id"]);
        // and filopodia.json names the filopodium model and the mask it measured, at its final place
        var prov = JsonNode.Parse(File.ReadAllText(Path.Combine(root.Path, "filopodia", "filopodia.json")))!["provenance"]!;
        Assert.Equal(modelId, (string?)prov["parameters"]!["filopodium_model_id"]);
        var inputs = prov["inputs"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Contains(Path.Combine(seg, SegmentationFiles.LabelsMrc), inputs);

        // Given the same as `sxtseg filopodia` runs it (its own provenance)
        string tomogram2 = tmp.File("tomo.tif");
        VolumeIO.Write(tomogram2, image);
        using (var folder = OutputFolder.Create(tmp.File("cli")))
        {
            // When
            FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, TomogramPath = tomogram2, FilopodiumModelPath = model }, folder);
            folder.Commit();
        }
        // Then the model file is among the inputs
        var cliInputs = JsonNode.Parse(File.ReadAllText(tmp.File(Path.Combine("cli", "filopodia.json"))))!["provenance"]!["inputs"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Contains(model, cliInputs);
        Assert.Contains(tmp.File(Path.Combine("cli", FilopodiaRun.FilopodiumSegmentationFolder, SegmentationFiles.LabelsMrc)), cliInputs);
    }

    [Fact]
    public void TheFilopodiumModelSeesTheTomogramWithTheMembraneSegmentationsPolarity()
    {
        // Given membrane labels made by `sxtseg segment` with the tomogram taken as dense-dark (segment.json beside them)
        using var tmp = new TempDir();
        string model = TinyModel(tmp);
        var (_, image) = Data(tmp, 6);
        image.VoxelSize = VoxelSize.Isotropic(10);
        string tomogram = tmp.File("tomo.mrc");
        VolumeIO.Write(tomogram, image);
        using (var m = SegmentationModel.Load(model, 1, new InferenceOptions()))
            Segmenter.Run(tomogram, tmp.File("seg"), m, new SegmentOptions { Polarity = Polarity.DenseDark, ScaleSearch = false }, new Provenance("segment"));
        string labels = tmp.File("seg/" + SegmentationFiles.LabelsMrc);
        // When the filopodia are found with a filopodium model
        using (var folder = OutputFolder.Create(tmp.File("out")))
        {
            FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, TomogramPath = tomogram, FilopodiumModelPath = model }, folder);
            folder.Commit();
        }
        // Then the filopodium model was given the same polarity, and the outputs say so
        var sidecar = SegmentationSidecar.Read(tmp.File("out/" + FilopodiaRun.FilopodiumSegmentationFolder + "/" + SegmentationFiles.Sidecar));
        Assert.Equal(Polarity.DenseDark, sidecar.Polarity.Polarity);
        Assert.False(sidecar.Polarity.Detected);
        Assert.Contains("dense-dark, as the membrane segmentation", File.ReadAllText(tmp.File("out/filopodia.json")));
    }
}
