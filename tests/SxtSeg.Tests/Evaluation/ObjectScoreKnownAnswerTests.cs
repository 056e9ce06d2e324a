using SxtSeg.Evaluation;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// Object scores on overlap tables written by hand (<see cref="ObjectMatching.Score"/>,
/// <see cref="ObjectMatching.TolerantMatches"/>) and the empty cases of <see cref="ObjectEvaluation"/>.
/// </summary>
public sealed class ObjectScoreKnownAnswerTests
{
    [Fact]
    public void HalfInsideIsNotMostlyInsideAndIoUMustExceedTheThreshold()
    {
        // Given true objects T1 (10 voxels), T2 (4), T3 (6, untouched) and predicted P1 (10), P2 (4), P3 (3, untouched):
        //   P1 ∩ T1 = 5: IoU 5/15 (no match); 5 of P1's 10 voxels = exactly half → not "mostly inside" T1
        //   P2 ∩ T1 = 3: 3 of P2's 4 inside T1 (mostly), 3 of T1's 10 (not)
        //   P2 ∩ T2 = 1: IoU 1/7
        //   P1 ∩ T2 = 3: 3 of T2's 4 inside P1 (mostly), IoU 3/11
        var overlaps = new Dictionary<(uint P, uint T), long> { [(1, 1)] = 5, [(2, 1)] = 3, [(2, 2)] = 1, [(1, 2)] = 3 };
        long[] pred = [10, 4, 3], truth = [10, 4, 6];

        var e = ObjectMatching.Score(overlaps, pred, truth, 0.5);

        // Then nothing matches, T1 holds one mostly-inside part (P2) → not split, P1 holds one mostly-inside
        // true object (T2) → not merged; T3 missed, P3 spurious
        Assert.Equal((3, 3, 0, 0, 0, 1, 1), (e.TruthObjects, e.PredictedObjects, e.Matched, e.Split, e.Merged, e.Missed, e.Spurious));
        Assert.Equal(0.5, e.MatchIoU);

        // With one more voxel in P1 ∩ T1 (6 of P1's 10 and of T1's 10, IoU 6/14): T1 holds two mostly-inside
        // parts (P1, P2) → split, and P1 two mostly-inside true objects (T1, T2) → merged; still no match
        overlaps[(1, 1)] = 6;
        var split = ObjectMatching.Score(overlaps, pred, truth, 0.5);
        Assert.Equal((1, 1, 0), (split.Split, split.Merged, split.Matched));

        // A pair at exactly the threshold is no match; just above it is (IoU 1/3 against 0.3 and 1/3)
        var single = new Dictionary<(uint P, uint T), long> { [(1, 1)] = 5 };
        Assert.Equal(1, ObjectMatching.Score(single, [10], [10], 0.3).Matched);
        Assert.Equal(0, ObjectMatching.Score(single, [10], [10], 1 / 3.0).Matched);
    }

    [Fact]
    public void ATrueObjectCountsOnceWithinTolerance()
    {
        // Given T1 (8 voxels) near P1 (8) and P2 (8): P1 has 8 of its voxels within ±1 of T1 and T1 7 within ±1
        // of P1 → m = 7.5, IoU 7.5/8.5; P2: 6 and 6 → 6/10; T2 (4) near P2 only with 1 and 1 → 1/11
        var nearP = new Dictionary<(uint P, uint T), long> { [(1, 1)] = 8, [(2, 1)] = 6, [(2, 2)] = 1 };
        var nearT = new Dictionary<(uint P, uint T), long> { [(1, 1)] = 7, [(2, 1)] = 6, [(2, 2)] = 1 };

        // Then T1 is matched once (by either), T2 not
        Assert.Equal(1, ObjectMatching.TolerantMatches(nearP, nearT, [8, 8], [8, 4], 0.5));
        // and a pair with no true voxels near the predicted one counts half: m = 4/2 = 2, IoU 2/10 → no match
        var oneSided = new Dictionary<(uint P, uint T), long> { [(1, 1)] = 4 };
        Assert.Equal(0, ObjectMatching.TolerantMatches(oneSided, new Dictionary<(uint P, uint T), long>(), [6], [6], 0.2 + 1e-9));
        Assert.Equal(1, ObjectMatching.TolerantMatches(oneSided, new Dictionary<(uint P, uint T), long>(), [6], [6], 0.19));
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 1.0, 1.0, 1.0)]  // nothing to find, nothing found: perfect
    [InlineData(0, 2, 0, 0, 0.0, 0.0, 0.0)]  // nothing to find, two found
    [InlineData(3, 0, 0, 0, 0.0, 0.0, 0.0)]  // three to find, nothing found
    [InlineData(4, 5, 2, 3, 0.4, 0.5, 0.75)] // 2 of 5 predicted match, 2 of 4 true; 3 of 4 within tolerance
    public void PrecisionAndRecallOfObjects(int truth, int predicted, int matched, int tolerant, double precision, double recall, double recallTolerant)
    {
        var e = new ObjectEvaluation { TruthObjects = truth, PredictedObjects = predicted, Matched = matched, MatchedTolerant = tolerant };
        Assert.Equal((precision, recall, recallTolerant), (e.Precision, e.Recall, e.RecallTolerant));
    }
    [Fact]
    public void ToleranceLooksOneSliceUpAndDownAndOneRowAsideButNoFurther()
    {
        // Given three single-voxel pairs in a 4 × 3 × 4 volume (x, y, z):
        //   a: true (0, 0, 1), predicted (0, 0, 3) on the last slice, two slices apart: not within ±1;
        //   b: true (3, 0, 2), predicted (3, 0, 1) just below it: within ±1 both ways, tolerant IoU 1;
        //   c: true (1, 2, 0), predicted (1, 1, 0) one row up: within ±1 both ways, tolerant IoU 1
        var t = new Volume<byte>(4, 3, 4);
        var p = new Volume<byte>(4, 3, 4);
        t[1, 0, 0] = 1; p[3, 0, 0] = 1;
        t[2, 0, 3] = 1; p[1, 0, 3] = 1;
        t[0, 2, 1] = 1; p[0, 1, 1] = 1;
        ObjectEvaluation Compare(double iou) =>
            ObjectMatching.Compare(ConnectedComponents.Analyze(MaskStreams.FromVolume(p)), ConnectedComponents.Analyze(MaskStreams.FromVolume(t)), iou);

        // Then no pair overlaps exactly, b and c match within tolerance at IoU > 0.5, and a does not
        // match even at IoU > 0.3 (a neighbour seen on one side only would give it 0.5 / 1.5 = 1/3)
        var strict = Compare(0.5);
        Assert.Equal((3, 3, 0, 2), (strict.TruthObjects, strict.PredictedObjects, strict.Matched, strict.MatchedTolerant));
        Assert.Equal(2, Compare(0.3).MatchedTolerant);
    }
    [Theory]
    [InlineData(5, 3, 4)] // only x differs
    [InlineData(4, 2, 4)] // only y differs
    [InlineData(4, 3, 5)] // only z differs
    public void VolumesThatDifferOnOneAxisAreRefused(int nx, int ny, int nz)
    {
        var t = new Volume<byte>(4, 3, 4);
        var p = new Volume<byte>(nx, ny, nz);
        Assert.Throws<ArgumentException>(() =>
            ObjectMatching.Compare(ConnectedComponents.Analyze(MaskStreams.FromVolume(p)), ConnectedComponents.Analyze(MaskStreams.FromVolume(t))));

        using var tmp = new SxtSeg.Tests.Infrastructure.TempDir();
        using var pr = EvaluationVolumes.Open(tmp, "p.mrc", p);
        using var tr = EvaluationVolumes.Open(tmp, "t.mrc", t);
        using var ir = EvaluationVolumes.Open(tmp, "i.mrc", new Volume<ushort>(4, 3, 4));
        var e = Assert.Throws<InvalidInputException>(() => InstanceRecovery.Evaluate(pr, tr, null, ir));
        Assert.Contains($"is {nx}×{ny}×{nz}, the truth 4×3×4", e.Message, StringComparison.Ordinal);
    }
}
