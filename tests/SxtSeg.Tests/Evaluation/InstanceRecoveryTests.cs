using SxtSeg.Evaluation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>Organelles traced (<see cref="InstanceRecovery"/>) on hand-made volumes.</summary>
public sealed class InstanceRecoveryTests
{
    [Fact]
    public void InstancesAreTracedWhenHalfTheirVisibleMembraneIsWithinOneVoxel()
    {
        // Given three instances, each a 1-voxel-thin sheet of 40 membrane voxels (10 rows × 4 slices)
        //   id 1 at x = 2: traced one voxel aside (x = 3) over rows 0..4: 20 of 40 → traced (≥ 50 %)
        //   id 2 at x = 8: traced two voxels aside (x = 10) everywhere: 0 of 40 → not traced
        //   id 3 at x = 14: traced on the sheet over rows 0..3 (rows 6..9 ignored: not visible)
        //   id 4 at x = 20: 10 membrane voxels only (rows 0..9, slice 0): below the 20-voxel minimum
        using var tmp = new TempDir();
        var truth = new Volume<byte>(24, 10, 4);
        var ids = new Volume<ushort>(24, 10, 4);
        var pred = new Volume<byte>(24, 10, 4);
        var ignore = new Volume<byte>(24, 10, 4);
        for (int z = 0; z < 4; z++)
            for (int y = 0; y < 10; y++)
            {
                foreach (var (x, id) in new[] { (2, 1), (8, 2), (14, 3) })
                {
                    truth[z, y, x] = 1;
                    ids[z, y, x] = (ushort)id;
                }
                if (z == 0) { truth[z, y, 20] = 1; ids[z, y, 20] = 4; }
                if (y < 5) pred[z, y, 3] = 1;
                pred[z, y, 10] = 1;
                if (y < 4) pred[z, y, 14] = 1;
                if (y >= 6) ignore[z, y, 14] = 1;
                pred[z, y, 20] = 1;
            }
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);
        // When scored on all membranes: id 1 (20/40) traced, id 2 (0/40) not, id 3 (16 + the voxels
        // of row 4, within one voxel of row 3: 20 of 40) traced; id 4 too small
        var all = InstanceRecovery.Evaluate(pr, tr, null, ir);
        Assert.Equal((3, 2), (all.Instances, all.Recovered));
        // and on visible membranes only (id 3: rows 0..5 visible, 24 voxels, 20 traced): the same two
        using var gr = EvaluationVolumes.Open(tmp, "ignore.mrc", ignore);
        var vis = InstanceRecovery.Evaluate(pr, tr, gr, ir);
        Assert.Equal((3, 2), (vis.Instances, vis.Recovered));
        // With a stricter fraction (80 %): only id 3 on visible membranes (20/24 = 83 %)
        var strict = InstanceRecovery.Evaluate(pr, tr, gr, ir, minFraction: 0.8);
        Assert.Equal((3, 1), (strict.Instances, strict.Recovered));
        Assert.Equal(1 / 3.0, strict.Fraction, 9);
    }
}
