using System.Text.Json.Nodes;
using SxtSeg.Evaluation;
using SxtSeg.Measurement;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>Recall by structure (<see cref="StructureRecall"/>) on a hand-made 14 × 8 × 2 simulation.</summary>
public sealed class StructureRecallTests
{
    // Slice z = 0 (z = 1 holds instances and one predicted voxel only):
    //   instances: the cell (id 1, 10^9 nm³) over x ≤ 8, outside (0) for x ≥ 9; an endosome (id 2,
    //   10^5 nm³) at x 3..5, y 3..5; an id 9 that truth.json does not list at (13, 7)
    //   membrane voxels: (2, 4) just outside the endosome and (3, 4) inside it → endosome (the window
    //   holds ids 1 and 2, the endosome is smaller); (3, 3) endosome but ignored; (8, 4) the cell's edge
    //   (the window x 6..10 holds the cell and outside only) → cytoplasm; (13, 7) only id 9 and 0
    //   around → unknown; (12, 0) only 0 around → none
    //   predicted: (2, 5), a face neighbour of (2, 4) but diagonal to (3, 4); (8, 4) itself; and at
    //   z = 1 above (12, 0)
    // So: endosome 2 visible, 1 traced; cytoplasm 1, 1; none 1, 1 (through the slice above); unknown 1, 0.
    private static (Volume<byte> Truth, Volume<ushort> Ids, Volume<byte> Pred, Volume<byte> Ignore) Scene()
    {
        var truth = new Volume<byte>(14, 8, 2);
        var ids = new Volume<ushort>(14, 8, 2);
        var pred = new Volume<byte>(14, 8, 2);
        var ignore = new Volume<byte>(14, 8, 2);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 9; x++)
                    ids[z, y, x] = (ushort)(x >= 3 && x <= 5 && y >= 3 && y <= 5 ? 2 : 1);
        ids[0, 7, 13] = 9;
        foreach (var (x, y) in new[] { (2, 4), (3, 4), (3, 3), (8, 4), (13, 7), (12, 0) }) truth[0, y, x] = 1;
        ignore[0, 3, 3] = 1;
        pred[0, 5, 2] = 1;
        pred[0, 4, 8] = 1;
        pred[1, 0, 12] = 1;
        return (truth, ids, pred, ignore);
    }

    private static readonly TruthObject[] Objects =
    [
        new(1, "cytoplasm", "adherent cell", null, 1e9, 1e7, [], false),
        new(2, "endosome", "watery", 1, 1e5, 1e4, [], false),
        new(3, "vesicle", "", 1, 1e4, 1e3, [], false), // not in the volume: no row
    ];

    [Fact]
    public void EachVisibleMembraneVoxelCountsForTheSmallestObjectAroundIt()
    {
        using var tmp = new TempDir();
        var (truth, ids, pred, ignore) = Scene();
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);
        using var gr = EvaluationVolumes.Open(tmp, "ignore.mrc", ignore);

        var rows = StructureRecall.Evaluate(pr, tr, gr, ir, Objects);

        Assert.Equal(
            [new("endosome", 2, 1), new("cytoplasm", 1, 1), new("none", 1, 1), new StructureRecallRow("unknown", 1, 0)],
            rows);
        Assert.Equal(0.5, rows[0].Recall);
        Assert.Equal("endosome 50.0 % (40.0 %), cytoplasm 100.0 % (20.0 %), none 100.0 % (20.0 %), unknown 0.0 % (20.0 %)", StructureRecall.Summary(rows));

        // Without the ignore mask (3, 3) counts too: 3 endosome voxels, none of the new one traced
        var all = StructureRecall.Evaluate(pr, tr, null, ir, Objects);
        Assert.Equal(new StructureRecallRow("endosome", 3, 1), all[0]);
        Assert.True(double.IsNaN(new StructureRecallRow("x", 0, 0).Recall));
    }

    [Fact]
    public void TheEvaluationWritesItBesideASimulationsTruth()
    {
        using var tmp = new TempDir();
        var (truth, ids, pred, ignore) = Scene();
        string T = tmp.File("membranes.mrc"), P = tmp.File("pred.mrc");
        VolumeIO.Write(T, truth);
        VolumeIO.Write(tmp.File("instances.mrc"), ids);
        VolumeIO.Write(tmp.File("ignore.mrc"), ignore);
        VolumeIO.Write(P, pred);
        File.WriteAllText(tmp.File("truth.json"), """
            {"objects": [
              {"id": 1, "class": "cytoplasm", "volume_nm3": 1e9, "surface_area_nm2": 1e7},
              {"id": 2, "class": "endosome", "parent_id": 1, "volume_nm3": 1e5, "surface_area_nm2": 1e4}
            ]}
            """);
        var request = new EvaluationRequest { Prediction = P, Truth = T, Ignore = EvaluationRequest.FindIgnore(T, null, false) };

        var result = EvaluationRun.Run(request, null, new Provenance("test"));

        var node = result.Json["methods"]![0]!["recall_by_structure"]!;
        Assert.Equal(StructureRecall.Rule, node["rule"]!.GetValue<string>());
        var classes = node["classes"]!.AsArray();
        Assert.Equal(["endosome", "cytoplasm", "none", "unknown"], classes.Select(c => c!["class"]!.GetValue<string>()));
        Assert.Equal([2L, 1, 1, 1], classes.Select(c => c!["visible_voxels"]!.GetValue<long>()));
        Assert.Equal([1L, 1, 1, 0], classes.Select(c => c!["traced_voxels"]!.GetValue<long>()));
        Assert.Equal(0.5, classes[0]!["recall"]!.GetValue<double>());

        // and the command prints it under the scores
        var cli = SxtSeg.Tests.Cli.CliRunner.Run("evaluate", "--pred", P, "--truth", T, "--out", tmp.File("ev"));
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("network: recall by structure (share of the visible membrane): endosome 50.0 % (40.0 %), cytoplasm 100.0 % (20.0 %), none 100.0 % (20.0 %), unknown 0.0 % (20.0 %)",
            System.Text.RegularExpressions.Regex.Replace(cli.Out, @"\s+", " "), StringComparison.Ordinal); // the console wraps long lines

        // No truth.json beside the truth: no breakdown
        File.Delete(tmp.File("truth.json"));
        var bare = EvaluationRun.Run(request, null, new Provenance("test"));
        Assert.Null(bare.Json["methods"]![0]!["recall_by_structure"]);
    }

    [Fact]
    public void NeighboursStopAtTheEdgesOfRowsAndOfTheVolume()
    {
        // Given a 4 × 3 × 4 volume, one cell (id 1) everywhere, and five true membrane voxels:
        //   (0, 1, z 3), on the last slice, with a predicted voxel two slices down at (0, 1, z 1): not traced
        //     (the slice above the last one is empty, not a slice held from before);
        //   (0, 2, z 2), at the start of a row, with a predicted voxel at the end of the row before,
        //     (3, 1, z 2), next to it in memory but not in the image: not traced;
        //   (2, 1, z 2) with a predicted voxel just below it (z 1): traced;
        //   (2, 1, z 0) with the same predicted voxel just above it: traced;
        //   (3, 2, z 3) predicted itself: traced (the walk moves on through the slices)
        using var tmp = new TempDir();
        var truth = new Volume<byte>(4, 3, 4);
        var ids = new Volume<ushort>(4, 3, 4);
        var pred = new Volume<byte>(4, 3, 4);
        for (int z = 0; z < 4; z++) for (int y = 0; y < 3; y++) for (int x = 0; x < 4; x++) ids[z, y, x] = 1;
        truth[3, 1, 0] = 1; pred[1, 1, 0] = 1;
        truth[2, 2, 0] = 1; pred[2, 1, 3] = 1;
        truth[2, 1, 2] = 1; truth[0, 1, 2] = 1; pred[1, 1, 2] = 1;
        truth[3, 2, 3] = 1; pred[3, 2, 3] = 1;
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);

        var rows = StructureRecall.Evaluate(pr, tr, null, ir, Objects);

        Assert.Equal([new StructureRecallRow("cytoplasm", 5, 3)], rows);
    }
}
