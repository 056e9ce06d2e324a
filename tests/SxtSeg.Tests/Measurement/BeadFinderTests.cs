using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Gold from a tomogram: the automatic threshold (2.5 × the 99.9th percentile of the finite voxels)
/// and the streamed mask, on 10³ tomograms whose percentile is known by construction.
/// </summary>
public sealed class BeadFinderTests
{
    private static Volume<byte> Mask(string path, double? threshold, out float used)
    {
        using var reader = VolumeIO.OpenRead(path);
        var finder = BeadFinder.Build(reader, threshold, null, CancellationToken.None);
        used = finder.Threshold;
        var beads = finder.Beads();
        var first = beads.ToVolume();
        // a second read after a reset gives the same mask
        beads.Reset();
        Assert.Equal(first.Data, beads.ToVolume().Data);
        return first;
    }

    private static string Write(TempDir tmp, Action<Volume<float>> fill)
    {
        var v = new Volume<float>(10, 10, 10, VoxelSize.Isotropic(10));
        fill(v);
        string path = tmp.File($"t{Guid.NewGuid():N}.mrc");
        VolumeIO.Write(path, v);
        return path;
    }

    [Fact]
    public void OneBrightVoxelInAThousandIsGoldAtTwoAndAHalfTimesThePercentile()
    {
        using var tmp = new TempDir();
        // Given 1000 voxels: 0.000 … 0.999 by thousandths, one of them NaN, and one voxel of 50 at (3, 4, 5)
        string path = Write(tmp, v =>
        {
            for (int i = 0; i < v.Data.Length; i++) v.Data[i] = i / 1000f;
            v.Data[17] = float.NaN;
            v[5, 4, 3] = 50;
        });
        // When the threshold is found: 999 finite values, the 99.9th percentile is sorted[round(0.999 · 998)] = sorted[997]
        var mask = Mask(path, null, out float t);
        // sorted: 0.000 … 0.999 without 0.017 (NaN) and 0.543 (the bead's place), 998 values, then 50:
        // sorted[997] is the largest value below 50, 0.999
        Assert.Equal(2.5f * 0.999f, t, 5);
        // Then only the bead is gold
        Assert.Equal(1, mask.Data.Sum(b => (int)b));
        Assert.Equal(1, mask[5, 4, 3]);
    }

    [Fact]
    public void AGivenThresholdIsUsedAsItIs()
    {
        using var tmp = new TempDir();
        string path = Write(tmp, v => { for (int i = 0; i < v.Data.Length; i++) v.Data[i] = i / 1000f; });
        // values above 0.9495: 0.950 … 0.999, 50 voxels; a value equal to the threshold is not gold
        var mask = Mask(path, 0.9495, out float t);
        Assert.Equal(0.9495f, t);
        Assert.Equal(50, mask.Data.Sum(b => (int)b));
        var equal = Mask(path, 0.95f, out _);
        Assert.Equal(49, equal.Data.Sum(b => (int)b));
    }

    [Fact]
    public void ATomogramWithoutPositiveValuesHasNoGold()
    {
        using var tmp = new TempDir();
        // Given a tomogram of negative values (the percentile is not positive): nothing is gold
        string negative = Write(tmp, v => { for (int i = 0; i < v.Data.Length; i++) v.Data[i] = -1 - i / 1000f; });
        var mask = Mask(negative, null, out float t);
        Assert.True(float.IsPositiveInfinity(t));
        Assert.Equal(0, mask.Data.Sum(b => (int)b));
        // nor is anything in a tomogram of NaN only
        string nan = Write(tmp, v => Array.Fill(v.Data, float.NaN));
        Assert.Equal(0, Mask(nan, null, out float tn).Data.Sum(b => (int)b));
        Assert.True(float.IsPositiveInfinity(tn));
    }
}
