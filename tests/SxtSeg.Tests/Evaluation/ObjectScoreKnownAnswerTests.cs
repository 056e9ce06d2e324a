using SxtSeg.Evaluation;

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
}
