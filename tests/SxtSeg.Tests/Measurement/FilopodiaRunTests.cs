using System.Text.Json.Nodes;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// <see cref="FilopodiaRun.Execute"/> end to end on files of a 40 × 24 × 24 volume (a filopodium mask of one rod and
/// a membrane plane at its base), in a fraction of a second: what it writes, reports and records, and that a label
/// file without a voxel size is refused.
/// </summary>
public sealed class FilopodiaRunTests
{
    /// <summary>Membrane labels (a plane at x = 33–34) and a filopodium mask (a rod of radius 4 voxels along y = z = 12, x 5–29), 10 nm voxels.</summary>
    internal static (Volume<byte> Membranes, Volume<byte> Mask) RodAtAMembrane(VoxelSize? voxel)
    {
        var membranes = new Volume<byte>(40, 24, 24, voxel);
        var mask = new Volume<byte>(40, 24, 24, voxel);
        for (int z = 0; z < 24; z++)
            for (int y = 0; y < 24; y++)
            {
                membranes[z, y, 33] = membranes[z, y, 34] = 1;
                for (int x = 5; x <= 29; x++)
                    if ((y - 12) * (y - 12) + (z - 12) * (z - 12) <= 16) mask[z, y, x] = 1;
            }
        return (membranes, mask);
    }

    [Fact]
    public void AFilopodiumMaskRunWritesTheTablesAndLabelsAndRecordsItsInputs()
    {
        // Given membrane labels and a filopodium mask in files, 10 nm voxels
        using var tmp = new TempDir();
        var (membranes, mask) = RodAtAMembrane(VoxelSize.Isotropic(10));
        string labels = tmp.File("membranes.mrc"), maskPath = tmp.File("mask.mrc");
        VolumeIO.Write(labels, membranes);
        VolumeIO.Write(maskPath, mask);
        // When run without the plot and render, with the label volume
        FilopodiaRunResult run;
        using (var folder = OutputFolder.Create(tmp.File("out")))
        {
            run = FilopodiaRun.Execute(new FilopodiaRunRequest
            {
                LabelsPath = labels, FilopodiumMaskPath = maskPath,
                Outputs = new FilopodiaOutputOptions { DotPlot = false, Render = false, Labels = true },
            }, folder);
            folder.Commit();
        }
        // Then the rod is the one filopodium, in the summary
        Assert.Equal(1, run.Result.Counts.Found);
        Assert.Equal(1, run.Summary.Single(r => r.Measure == "Length (base to tip)").Stats.N);
        Assert.Null(run.Accuracy);
        // the files listed are those written, at their final paths
        string[] names = { "filopodia.csv", "slices.csv", "summary.csv", "summary.md", "filopodia.json", "filopodia.mrc" };
        Assert.Equal(names.Select(n => Path.Combine(tmp.File("out"), n)).ToArray(), run.Files.ToArray());
        Assert.All(run.Files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(names.Length, Directory.GetFiles(tmp.File("out")).Length);
        // the label volume marks the rod's voxels
        var written = VolumeIO.Read<ushort>(Path.Combine(tmp.File("out"), "filopodia.mrc"));
        Assert.Equal((1, 0, 0), (written[12, 12, 20], written[12, 12, 31], written[0, 0, 0]));
        // and the provenance records the command, both inputs, the voxel size and the options
        var provenance = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("out"), "filopodia.json")))!["provenance"]!;
        Assert.Equal("filopodia", (string?)provenance["command"]);
        var inputs = provenance["inputs"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Contains(labels, inputs);
        Assert.Contains(maskPath, inputs);
        string recorded = provenance.ToJsonString();
        Assert.Contains("\"voxel_size_nm\":\"10 nm\"", recorded);
        Assert.Contains("\"min_length_nm\":\"200\"", recorded);
    }

    [Fact]
    public void LabelsWithoutAVoxelSizeAreRefusedUnlessItIsGiven()
    {
        // Given labels and a mask written without a voxel size
        using var tmp = new TempDir();
        var (membranes, mask) = RodAtAMembrane(null);
        string labels = tmp.File("membranes.mrc"), maskPath = tmp.File("mask.mrc");
        VolumeIO.Write(labels, membranes);
        VolumeIO.Write(maskPath, mask);
        using var folder = OutputFolder.Create(tmp.File("out"));
        // When / Then the error names the label file and says how to give it
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaRun.Execute(new FilopodiaRunRequest { LabelsPath = labels, FilopodiumMaskPath = maskPath }, folder));
        Assert.Equal(labels, e.Path);
        Assert.Equal("voxel size is not stored in the file; give it with --voxel-size (nm)", e.Problem);
    }
}
