using SxtSeg.Measurement.Filopodia;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Filopodia from a filopodium mask (what a filopodium model labels) against known answers: the
/// protruding parts of three rods of known radius, length and slant on a synthetic cell edge, with
/// the membrane labels a network gives (face-on membranes missing) telling each rod's base from its tip;
/// and its parts on volumes of a few thousand voxels (milliseconds): the ends of an object, the membrane
/// count around an end, the stand-in body at a base (voxel by voxel) and one rod of a small mask.
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

    private static int Index(Volume<byte> v, int x, int y, int z) => (z * v.Ny + y) * v.Nx + x;

    [Fact]
    public void TheEndsAreTheEndsOfTheLongestGeodesicPathInTheVoxelsSize()
    {
        // Given an L of single voxels in one slice: an arm along x from (0, 0) to (6, 0) and one along y to (0, 3)
        var l = new Volume<byte>(7, 4, 1);
        for (int x = 0; x < 7; x++) l[0, 0, x] = 1;
        for (int y = 0; y < 4; y++) l[0, y, 0] = 1;
        // When the voxels are 10 nm cubes: from the first voxel (0, 0) the x arm's end is farthest (60 nm, against 30),
        // and from there the y arm's end (90 nm)
        Assert.Equal((Index(l, 6, 0, 0), Index(l, 0, 3, 0)), FilopodiaMaskAnalysis.Ends(l, VoxelSize.Isotropic(10)));
        // When they are 30 nm along y: the y arm's end is farthest (90 nm, against 60), then the x arm's end
        Assert.Equal((Index(l, 0, 3, 0), Index(l, 6, 0, 0)), FilopodiaMaskAnalysis.Ends(l, new VoxelSize(10, 30, 10)));
        // and an empty object has no ends
        Assert.Equal((-1, -1), FilopodiaMaskAnalysis.Ends(new Volume<byte>(3, 3, 3), VoxelSize.Isotropic(10)));
    }

    [Fact]
    public void MembranesAroundAnEndAreCountedWithinTheSearchRadiusInNmLeavingOutTheObjectsOwnWalls()
    {
        // Given membrane everywhere in a 7 × 5 × 3 volume of 100 × 150 × 300 nm voxels
        var v = new VoxelSize(100, 150, 300);
        var membranes = new Volume<byte>(7, 5, 3);
        Array.Fill(membranes.Data, (byte)1);
        var near = new Volume<byte>(7, 5, 3);
        // Then within 300 nm of the centre (3, 2, 1) lie the voxels with i² + 2.25 j² + 9 k² ≤ 9:
        // in its slice 7 + 2 × 5 + 2 × 1 (rows j = 0, ±1, ±2; ±2 at exactly 300 nm), and one each in the slices above and below
        Assert.Equal(21, FilopodiaMaskAnalysis.MembranesAround(Index(membranes, 3, 2, 1), near, membranes, v));
        // from a corner only the quarter inside the volume: 4 + 3 + 1 in its slice and 1 in the next
        Assert.Equal(9, FilopodiaMaskAnalysis.MembranesAround(Index(membranes, 0, 0, 0), near, membranes, v));
        Assert.Equal(9, FilopodiaMaskAnalysis.MembranesAround(Index(membranes, 6, 4, 2), near, membranes, v));
        // the object's own walls (near it) and voxels without membrane are not counted
        near[1, 2, 2] = near[1, 2, 3] = near[1, 2, 4] = 1;
        membranes[0, 2, 3] = 0;
        Assert.Equal(17, FilopodiaMaskAnalysis.MembranesAround(Index(membranes, 3, 2, 1), near, membranes, v));
    }

    /// <summary>
    /// A square rod (x 8–25, y and z 4–8) ending in a spike (x 26–28 at y = z = 6) in a 30 × 13 × 13 volume of 50 nm
    /// voxels, and membrane labels: a plane at x = <paramref name="planeX"/> (or none).
    /// </summary>
    private static (Volume<byte> Rod, Volume<byte> Membranes) SpikedRod(int? planeX)
    {
        var rod = new Volume<byte>(30, 13, 13);
        var membranes = new Volume<byte>(30, 13, 13);
        for (int z = 0; z < 13; z++)
            for (int y = 0; y < 13; y++)
            {
                for (int x = 8; x <= 25; x++)
                    if (y >= 4 && y <= 8 && z >= 4 && z <= 8) rod[z, y, x] = 1;
                if (planeX is { } p) membranes[z, y, p] = 1;
            }
        for (int x = 26; x <= 28; x++) rod[6, 6, x] = 1;
        return (rod, membranes);
    }

    [Fact]
    public void TheBaseBodyLiesBeyondTheBaseFaceAtTheEndWithMembraneAround()
    {
        // Given the spiked square rod and a membrane plane at x = 3, 5 voxels before its flat end (the spike's end 25 voxels away, beyond 300 nm)
        var (rod, membranes) = SpikedRod(3);
        // When the stand-in for the cell body is found
        var body = FilopodiaMaskAnalysis.BaseBody(rod, membranes, VoxelSize.Isotropic(50));
        // Then the flat end is the base and the body is what faces it along the axis (−x). A surface voxel's normal sums
        // the offsets of the empty voxels in its 5 × 5 × 5 neighbourhood: (−75, 0, 0) in the face, (−45, −45, 0) on an
        // edge (45°), (−36, −36, −18) next to a corner (48°), (−27, −27, −27) at a corner (54.7°, beyond 50°) and
        // (−30, −60, 0) on the side one voxel in (63°). So the body is the 21 voxels at x = 7 behind the face but its
        // corners, and the 12 at x = 8 beside its edges but next to the corners.
        Assert.NotNull(body);
        for (int z = 0; z < 13; z++)
            for (int y = 0; y < 13; y++)
                for (int x = 0; x < 30; x++)
                {
                    bool face = x == 7 && y >= 4 && y <= 8 && z >= 4 && z <= 8 && !((y == 4 || y == 8) && (z == 4 || z == 8));
                    bool beside = x == 8 && (((y == 3 || y == 9) && z >= 5 && z <= 7) || ((z == 3 || z == 9) && y >= 5 && y <= 7));
                    Assert.True((face || beside ? 1 : 0) == body![z, y, x], $"({x}, {y}, {z})");
                }
        Assert.Equal(33, body!.Data.Sum(b => (int)b));
    }

    [Fact]
    public void WithoutMembraneAroundEitherEndThereIsNoBaseBody()
    {
        var (rod, none) = SpikedRod(null);
        Assert.Null(FilopodiaMaskAnalysis.BaseBody(rod, none, VoxelSize.Isotropic(50)));
        // membrane only within the rod's own walls (3 voxels) does not count either: here all of it 2 voxels around the rod
        Assert.Null(FilopodiaMaskAnalysis.BaseBody(rod, BinaryMorphology.Dilate(rod, 2), VoxelSize.Isotropic(50)));
        // nor is there one for an empty object
        Assert.Null(FilopodiaMaskAnalysis.BaseBody(new Volume<byte>(30, 13, 13), SpikedRod(3).Membranes, VoxelSize.Isotropic(50)));
    }

    [Fact]
    public void ARodOfTheMaskIsMeasuredFromItsBaseAtTheMembraneAndSmallObjectsAreNoCandidates()
    {
        // Given in a 40 × 24 × 24 volume of 10 nm voxels a rod of radius 4 voxels along y = z = 12 from x = 5 to 29, a plasma
        // membrane plane at x = 33–34 beyond its base end, and a 3 × 3 × 3 speck (27 voxels, fewer than the 282 of half a
        // cylinder 60 nm across and 200 nm long)
        var voxel = VoxelSize.Isotropic(Nm);
        var (membranes, mask) = FilopodiaRunTests.RodAtAMembrane(voxel);
        for (int z = 1; z <= 3; z++)
            for (int y = 1; y <= 3; y++)
                for (int x = 1; x <= 3; x++) mask[z, y, x] = 1;
        // When
        var result = FilopodiaMaskAnalysis.Run(MaskStreams.FromVolume(mask), MaskStreams.FromVolume(membranes), voxel);
        // Then the rod is the one candidate and a filopodium in the summary, from its base at x = 29.5 to its tip at x = 4.5
        Assert.Equal(new FilopodiaCounts(1, 0, 0, 0, 0, 0, 0, 1), result.Counts);
        var f = Assert.Single(result.Filopodia);
        Assert.Equal(1, f.Id);
        Assert.InRange(f.LengthNm, 240, 260);
        Assert.InRange(f.BaseNm.X, 285, 300);
        Assert.InRange(f.TipNm.X, 40, 55);
        Assert.Equal(new VoxelBox(5, 8, 8, 29, 16, 16), f.Box);
        // no cell was filled, and the rule says how the base was told
        Assert.Equal(0, result.CellVoxels);
        Assert.Equal("filopodia from a filopodium mask: each 26-connected object is a candidate, its base the end with more membrane labels within "
            + "300 nm (its own walls, 3 voxels, left out); no cell body is filled", result.OutsideRule);
    }

    [Fact]
    public void AnInvalidVoxelSizeOrContradictoryOptionsAreRefused()
    {
        var mask = MaskStreams.FromVolume(new Volume<byte>(4, 4, 4));
        var e = Assert.Throws<InvalidOptionException>(() => FilopodiaMaskAnalysis.Run(mask, MaskStreams.FromVolume(new Volume<byte>(4, 4, 4)), new VoxelSize(10, 0, 10)));
        Assert.Equal(nameof(FilopodiaRunRequest.VoxelSize), e.Option);
        var o = Assert.Throws<InvalidOptionException>(() => FilopodiaMaskAnalysis.Run(mask, MaskStreams.FromVolume(new Volume<byte>(4, 4, 4)), VoxelSize.Isotropic(10),
            new FilopodiaOptions { MinDiameterNm = 300 }));
        Assert.Equal(nameof(FilopodiaOptions.MinDiameterNm), o.Option);
    }
}
