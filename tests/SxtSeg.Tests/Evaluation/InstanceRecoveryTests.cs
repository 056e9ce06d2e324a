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
        // and none matched at tolerant IoU > 0.5 (m = mean of truth and predicted voxels within ±1 of the other,
        // IoU = m / (P + T − m)): id 1 (P 20 all near, T 40, 20 near) 20 / 40 = 0.5 exactly, id 2 (P 40 two
        // voxels off, nothing near) 0, id 3 (P 16 near + the column x = 20 of slices 2 and 3, 20 voxels whose
        // nearest membrane in their slice is id 3's; T 40, 20 near) 18 / 58 = 0.31
        Assert.Equal(0, all.Matched);
        // and on visible membranes only (id 3: rows 0..5 visible, 24 voxels, 20 traced): the same two
        using var gr = EvaluationVolumes.Open(tmp, "ignore.mrc", ignore);
        var vis = InstanceRecovery.Evaluate(pr, tr, gr, ir);
        Assert.Equal((3, 2), (vis.Instances, vis.Recovered));
        // id 3 on its visible membrane: T 24, 20 near, P 16 + 20 (the spurious column at x = 20 in slices 2
        // and 3: no membrane within ±1, the nearest visible one in their slice is id 3's): 18 / 42 = 0.43, not
        // matched; without that column it would be 18 / 22
        Assert.Equal(0, vis.Matched);
        Assert.Equal(0, vis.MatchedFraction, 9);
        // With a stricter fraction (80 %): only id 3 on visible membranes (20/24 = 83 %)
        var strict = InstanceRecovery.Evaluate(pr, tr, gr, ir, minFraction: 0.8);
        Assert.Equal((3, 1), (strict.Instances, strict.Recovered));
        Assert.Equal(1 / 3.0, strict.Fraction, 9);
    }

    [Theory]
    // a second line one voxel off: within ±1, it thickens the trace and is overlap (P 40, all near; T 20 all near): IoU 1
    [InlineData(6, 1)]
    // two voxels off: the organelle's, not near (P 40, 20 near): 20 / (40 + 20 − 20) = 0.5, not matched
    [InlineData(7, 0)]
    // three and six voxels off: still the organelle's, its only one (labels far from every membrane count too)
    [InlineData(8, 0)]
    [InlineData(11, 0)]
    public void LabelsBesideAnOrganelleCountAgainstItAtAnyDistance(int extraX, int matched)
    {
        // Given one organelle, a 1-voxel sheet at x = 5 (10 rows × 2 slices), traced exactly, and a second line at extraX
        using var tmp = new TempDir();
        var truth = new Volume<byte>(12, 10, 2);
        var ids = new Volume<ushort>(12, 10, 2);
        var pred = new Volume<byte>(12, 10, 2);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 10; y++)
            {
                truth[z, y, 5] = 1;
                ids[z, y, 5] = 1;
                pred[z, y, 5] = 1;
                pred[z, y, extraX] = 1;
            }
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);
        var r = InstanceRecovery.Evaluate(pr, tr, null, ir);
        Assert.Equal((1, 1), (r.Instances, r.Recovered));
        Assert.Equal(matched, r.Matched);
    }

    [Fact]
    public void LabelsInTheIgnoreMaskCountForNoOrganelle()
    {
        // the sheet at x = 5 traced exactly, and a line two voxels off (x = 7) that lies in the ignore mask: not counted, IoU 1
        using var tmp = new TempDir();
        var truth = new Volume<byte>(12, 10, 2);
        var ids = new Volume<ushort>(12, 10, 2);
        var pred = new Volume<byte>(12, 10, 2);
        var ignore = new Volume<byte>(12, 10, 2);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 10; y++)
            {
                truth[z, y, 5] = 1;
                ids[z, y, 5] = 1;
                pred[z, y, 5] = 1;
                pred[z, y, 7] = 1;
                ignore[z, y, 7] = 1;
            }
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);
        using var gr = EvaluationVolumes.Open(tmp, "ignore.mrc", ignore);
        Assert.Equal(1, InstanceRecovery.Evaluate(pr, tr, gr, ir).Matched);
        Assert.Equal(0, InstanceRecovery.Evaluate(pr, tr, null, ir).Matched);
    }

    [Fact]
    public void SpuriousLabelsCountAgainstTheNearestOrganelleInTheirSlice()
    {
        // Given two organelles, 1-voxel sheets at x = 5 (id 1) and x = 20 (id 2), 10 rows × 2 slices, both traced
        // exactly, and a spurious line at x = 16: 4 voxels from id 2, 11 from id 1
        using var tmp = new TempDir();
        var truth = new Volume<byte>(30, 10, 2);
        var ids = new Volume<ushort>(30, 10, 2);
        var pred = new Volume<byte>(30, 10, 2);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 10; y++)
            {
                foreach (var (x, id) in new[] { (5, 1), (20, 2) })
                {
                    truth[z, y, x] = 1;
                    ids[z, y, x] = (ushort)id;
                    pred[z, y, x] = 1;
                }
                pred[z, y, 16] = 1;
            }
        using var pr = EvaluationVolumes.Open(tmp, "pred.mrc", pred);
        using var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth);
        using var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids);
        // When / Then: id 1 keeps IoU 1; id 2 gets the line (P 40, 20 near; T 20): 20 / 40 = 0.5, not matched
        var r = InstanceRecovery.Evaluate(pr, tr, null, ir);
        Assert.Equal((2, 2, 1), (r.Instances, r.Recovered, r.Matched));
    }

    [Fact]
    public void LabelsInASliceWithoutVisibleMembraneCountAgainstTheNearestSlicesOrganelle()
    {
        // Given one organelle, a sheet at x = 5 in slices 0 and 1 only (10 rows), traced exactly, in 4 slices
        using var tmp = new TempDir();
        var truth = new Volume<byte>(12, 10, 4);
        var ids = new Volume<ushort>(12, 10, 4);
        var pred = new Volume<byte>(12, 10, 4);
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 10; y++)
            {
                truth[z, y, 5] = 1;
                ids[z, y, 5] = 1;
                pred[z, y, 5] = 1;
            }
        using (var pr = EvaluationVolumes.Open(tmp, "exact.mrc", pred))
        using (var tr = EvaluationVolumes.Open(tmp, "membranes.mrc", truth))
        using (var ir = EvaluationVolumes.Open(tmp, "instances.mrc", ids))
            Assert.Equal(1, InstanceRecovery.Evaluate(pr, tr, null, ir).Matched);
        // When a line is labelled in slice 3, two slices from any membrane (slices 2 and 3 have none)
        for (int y = 0; y < 10; y++) pred[3, y, 1] = 1;
        using var pr2 = EvaluationVolumes.Open(tmp, "spurious.mrc", pred);
        using var tr2 = VolumeIO.OpenRead(tmp.File("membranes.mrc"));
        using var ir2 = VolumeIO.OpenRead(tmp.File("instances.mrc"));
        // Then it is the organelle's, through slice 1 (P 30, 20 near; T 20): 20 / 30 = 0.67, still matched;
        // a second such line makes it 20 / 40 = 0.5, not matched
        Assert.Equal(1, InstanceRecovery.Evaluate(pr2, tr2, null, ir2).Matched);
        for (int y = 0; y < 10; y++) pred[2, y, 9] = 1;
        using var pr3 = EvaluationVolumes.Open(tmp, "spurious2.mrc", pred);
        Assert.Equal(0, InstanceRecovery.Evaluate(pr3, tr2, null, ir2).Matched);
    }

    [Theory]
    // slices with visible membrane: 1 and 4 of 0..5
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 4)]
    [InlineData(5, 4)]
    public void ASliceWithoutVisibleMembraneTakesTheNearestSliceWithSome(int z, int expected)
        => Assert.Equal(expected, PredictionAttribution.ReferenceSlice(new[] { false, true, false, false, true, false }, z));

    [Fact]
    public void ATieBetweenSlicesGoesToTheLowerAndNoMembraneAnywhereToNone()
    {
        Assert.Equal(0, PredictionAttribution.ReferenceSlice(new[] { true, false, true }, 1));
        Assert.Equal(-1, PredictionAttribution.ReferenceSlice(new[] { false, false }, 1));
    }

    [Theory]
    [InlineData(20, 20, 20, 20, 1.0)]
    [InlineData(40, 20, 20, 20, 0.5)]
    [InlineData(24, 20, 16, 16, 18.0 / 22)]
    [InlineData(10, 0, 0, 0, 0.0)]
    [InlineData(0, 0, 0, 0, 0.0)]
    public void TheTolerantIoUIsTheMeanOverlapOverTheUnion(long truth, long truthNear, long predicted, long predictedNear, double expected)
        => Assert.Equal(expected, InstanceRecovery.TolerantIoU(truth, truthNear, predicted, predictedNear), 12);
}
