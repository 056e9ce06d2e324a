using SxtSeg.Measurement.Filopodia;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Filopodia from a filopodium mask (what a filopodium model labels) against known answers: the
/// protruding parts of three rods of known radius, length and slant on a synthetic cell edge, with
/// the membrane labels a network gives (face-on membranes missing) telling each rod's base from its tip.
/// </summary>
public sealed class FilopodiaMaskAnalysisTests
{
    private const double Nm = 10;

    [Fact]
    public void RodsOfAFilopodiumMaskAreMeasuredFromTheirBaseAtTheCell()
    {
        // Given the protruding parts of three rods (square, 25° and 20° slanted) and membrane labels without face-on membranes
        var scene = FilopodiaTests.ThreeRods();
        var membranes = new FilopodiaScene(scene.Nx, scene.Ny, scene.Nz, scene.EdgeX, scene.BottomZ, scene.Height, scene.Rods, Nm) { FaceOnDegrees = 30 }.Membranes();
        // When
        var result = FilopodiaMaskAnalysis.Run(MaskStreams.FromVolume(scene.InstanceMask()), MaskStreams.FromVolume(membranes), VoxelSize.Isotropic(Nm));
        // Then each rod is one filopodium whose base is at the cell wall (not at its tip in the ice) and whose measures are the rod's
        Assert.Equal(3, result.Counts.Found);
        Assert.Equal(3, result.Counts.InSummary);
        Assert.Equal(0, result.CellVoxels);
        foreach (var rod in scene.Rods)
            FilopodiaTests.AssertRodMeasured(scene, result, rod);
    }

    [Fact]
    public void ObjectsWithNoMembraneAroundEitherEndAreNotFilopodia()
    {
        // Given the same rods but no membrane labels at all (objects floating in the ice)
        var scene = FilopodiaTests.ThreeRods();
        var none = new Volume<byte>(scene.Nx, scene.Ny, scene.Nz, VoxelSize.Isotropic(Nm));
        // When
        var result = FilopodiaMaskAnalysis.Run(MaskStreams.FromVolume(scene.InstanceMask()), MaskStreams.FromVolume(none), VoxelSize.Isotropic(Nm));
        // Then none is a filopodium: all three are rejected as detached
        Assert.Equal(0, result.Counts.Found);
        Assert.Equal(3, result.Counts.Detached);
    }

    [Fact]
    public void TheCommandTakesAFilopodiumMaskAndRefusesContradictoryInputs()
    {
        // Given membrane labels and a filopodium mask of the three rods in files
        string dir = Path.Combine(Path.GetTempPath(), $"sxtseg-filo-mask-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var scene = FilopodiaTests.ThreeRods();
            string labels = Path.Combine(dir, "membranes.mrc"), mask = Path.Combine(dir, "filopodia-mask.mrc");
            VolumeIO.Write(labels, scene.Membranes());
            VolumeIO.Write(mask, scene.InstanceMask());
            // When
            var ok = CliRunner.Run("filopodia", labels, "--filopodium-mask", mask, "--out", Path.Combine(dir, "out"), "--no-render");
            var withCellMask = CliRunner.Run("filopodia", labels, "--filopodium-mask", mask, "--cell-mask", mask, "--out", Path.Combine(dir, "bad1"));
            var modelWithoutTomogram = CliRunner.Run("filopodia", labels, "--filopodium-model", mask, "--out", Path.Combine(dir, "bad2"));
            // Then the three rods are in the table, found without filling a cell
            Assert.True(ok.ExitCode == 0, ok.Err);
            var rows = File.ReadAllLines(Path.Combine(dir, "out", "filopodia.csv")).Where(l => !l.StartsWith('#')).ToArray();
            Assert.Equal(4, rows.Length); // header and three filopodia
            string json = File.ReadAllText(Path.Combine(dir, "out", "filopodia.json"));
            Assert.Contains("filopodium mask", json);
            var inputs = System.Text.Json.Nodes.JsonNode.Parse(json)!["provenance"]!["inputs"]!.AsArray().Select(n => (string)n!).ToArray();
            Assert.Contains(mask, inputs);
            // and contradictory inputs are refused by name (the option the user gave), with nothing written
            Assert.Equal(2, withCellMask.ExitCode);
            Assert.Contains("cell mask", withCellMask.Err);
            Assert.Contains("error: --filopodium-mask:", withCellMask.Err);
            Assert.Equal(2, modelWithoutTomogram.ExitCode);
            Assert.Contains("--tomogram", modelWithoutTomogram.Err);
            Assert.False(Directory.Exists(Path.Combine(dir, "bad1")));
            Assert.False(Directory.Exists(Path.Combine(dir, "bad2")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void AStubAtTheCellIsTooShortNotDetached()
    {
        // Given a small round blob (radius 3 voxels, 60 nm across: shorter than the base region, two radii and two voxels,
        // so no stretch lies before it) on a plasma membrane plane, the membrane a network labels around a filopodium's base;
        // filopodia as thin as 30 nm are looked for, so that the blob is a candidate
        var voxel = VoxelSize.Isotropic(Nm);
        var mask = new Volume<byte>(40, 40, 40, voxel);
        var membranes = new Volume<byte>(40, 40, 40, voxel);
        for (int z = 0; z < 40; z++)
            for (int y = 0; y < 40; y++)
            {
                membranes[z, y, 9] = 1;
                membranes[z, y, 10] = 1;
                for (int x = 11; x < 40; x++)
                    if ((x - 13.5) * (x - 13.5) + (y - 20) * (y - 20) + (z - 20) * (z - 20) <= 3 * 3) mask[z, y, x] = 1;
            }
        // When
        var result = FilopodiaMaskAnalysis.Run(MaskStreams.FromVolume(mask), MaskStreams.FromVolume(membranes), voxel, new FilopodiaOptions { MinDiameterNm = 30 });
        // Then it has a base at the membrane and is measured, and rejected for its length (under 200 nm), not as detached from the cell
        Assert.Equal(0, result.Counts.Found);
        Assert.Equal(0, result.Counts.Detached);
        Assert.Equal(1, result.Counts.TooShort);
    }

    [Fact]
    public void AFilopodiumMaskOfAnotherSizeIsRefusedByItsPath()
    {
        // Given membrane labels and a filopodium mask one slice shorter, in files
        using var tmp = new TempDir();
        string labels = tmp.File("membranes.mrc"), mask = tmp.File("filo.mrc");
        VolumeIO.Write(labels, new Volume<byte>(20, 20, 10, VoxelSize.Isotropic(Nm)));
        VolumeIO.Write(mask, new Volume<byte>(20, 20, 9, VoxelSize.Isotropic(Nm)));
        using var folder = OutputFolder.Create(tmp.File("out"));
        // When / Then the error names the mask file and both sizes
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, FilopodiumMaskPath = mask }, folder));
        Assert.Equal(mask, e.Path);
        Assert.Contains("20 × 20 × 9", e.Message);
        Assert.Contains("20 × 20 × 10", e.Message);
    }

    [Fact]
    public void ExactLabelsAreClosedAndANetworksLabelsOpen()
    {
        // Given the three rods' labels with every membrane (as the simulator writes them) and without the face-on ones (as a network draws them)
        var scene = FilopodiaTests.ThreeRods();
        var open = new FilopodiaScene(scene.Nx, scene.Ny, scene.Nz, scene.EdgeX, scene.BottomZ, scene.Height, scene.Rods, Nm) { FaceOnDegrees = 30 };
        // When / Then only the second are open (what --filopodium-model auto uses the model for)
        Assert.False(FilopodiaAnalysis.LabelsAreOpen(MaskStreams.FromVolume(scene.Membranes())));
        Assert.True(FilopodiaAnalysis.LabelsAreOpen(MaskStreams.FromVolume(open.Membranes())));
    }

    [Fact]
    public void LabelsOfAnotherSizeAreRefused()
    {
        var mask = new Volume<byte>(20, 20, 10, VoxelSize.Isotropic(Nm));
        var labels = new Volume<byte>(20, 21, 10, VoxelSize.Isotropic(Nm));
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaMaskAnalysis.Run(MaskStreams.FromVolume(mask), MaskStreams.FromVolume(labels), VoxelSize.Isotropic(Nm)));
        Assert.Contains("20 × 21 × 10", e.Message);
    }
}
