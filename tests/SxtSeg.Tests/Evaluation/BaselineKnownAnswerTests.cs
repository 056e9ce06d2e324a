using SxtSeg.Evaluation;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// The threshold baselines (<see cref="BaselineMaskStream"/>) and <see cref="MaskWriter"/> on tiny
/// tomograms worked out by hand. Each slice is z-scored (population SD of its finite values), so
/// two slices that differ by gain and offset give the same mask.
/// </summary>
public sealed class BaselineKnownAnswerTests
{
    private static byte[] ReadAll(BaselineMaskStream s)
    {
        var all = new byte[s.Info.VoxelCount];
        s.Reset();
        for (int z = 0; z < s.Info.Nz; z++) s.ReadNext(all.AsSpan(z * (int)s.Info.SliceLength, (int)s.Info.SliceLength));
        return all;
    }

    /// <summary>8 × 8 × 2: a bright 4 × 4 square (a quarter of each slice); slice 0 is 0/10, slice 1 is 50/70.</summary>
    private static (Volume<float> Tomo, byte[] Square) Squares()
    {
        var v = new Volume<float>(8, 8, 2);
        var square = new byte[128];
        for (int z = 0; z < 2; z++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                {
                    bool inside = x is >= 2 and <= 5 && y is >= 2 and <= 5;
                    v[z, y, x] = z == 0 ? (inside ? 10 : 0) : (inside ? 70 : 50);
                    square[z * 64 + y * 8 + x] = inside ? (byte)1 : (byte)0;
                }
        return (v, square);
    }

    [Fact]
    public void OtsuThresholdsTheZScoredSlicesBetweenTheTwoLevels()
    {
        // Given two two-level slices with a quarter bright: z-scores −1/√3 (dark) and √3 (bright) in both
        using var dir = new TempDir();
        var (tomo, square) = Squares();
        VolumeIO.Write(dir.File("t.mrc"), tomo);
        using var r = VolumeIO.OpenRead(dir.File("t.mrc"));
        // When
        var s = new BaselineMaskStream(r, BaselineKind.Otsu);
        // Then Otsu over 256 bins of [−1/√3, √3]: every split separates the two levels equally well,
        // the first wins, so the threshold is the end of the first bin
        double lo = -1 / Math.Sqrt(3), hi = Math.Sqrt(3);
        Assert.Equal(lo + (hi - lo) / 256, s.Threshold, 5);
        Assert.Equal(square, ReadAll(s));
        Assert.Equal(VoxelType.UInt8, s.Info.Type);
    }

    /// <summary>
    /// 16 × 1 × 2: background 0 with peaks 6 (x = 3), 3 (x = 8), 2 (x = 13) and NaN at x = 15
    /// (left out of the z-score, then 0); slice 1 is 10 + 2 × slice 0. Over the 15 finite values:
    /// mean 11/15, SD √(49/15 − (11/15)²) = 1.65194. With radius 1 a lone peak of height h exceeds
    /// its window's mean by (2/3)·h/SD: 2.42, 1.21 and 0.81, so with offset 1 (SD) the first two
    /// are found and the third is not (a z-score off by more than 21 % either way changes that).
    /// </summary>
    [Fact]
    public void AdaptiveFindsPeaksHigherThanTheOffsetInSliceStdAboveTheirWindow()
    {
        // Given
        using var dir = new TempDir();
        var v = new Volume<float>(16, 1, 2);
        float[] row = new float[16];
        row[3] = 6; row[8] = 3; row[13] = 2; row[15] = float.NaN;
        for (int x = 0; x < 16; x++) { v[0, 0, x] = row[x]; v[1, 0, x] = 10 + 2 * row[x]; }
        VolumeIO.Write(dir.File("t.mrc"), v);
        using var r = VolumeIO.OpenRead(dir.File("t.mrc"));
        // When
        var s = new BaselineMaskStream(r, BaselineKind.Adaptive, radius: 1, offsetStd: 1f);
        // Then
        var expected = new byte[32];
        expected[3] = expected[8] = expected[16 + 3] = expected[16 + 8] = 1;
        Assert.Equal(expected, ReadAll(s));
        Assert.True(float.IsNaN(s.Threshold));
    }

    [Fact]
    public void ACropBorderOfOneSliceClearsBothSlicesOfATwoSliceTomogram()
    {
        // Given the squares, with one slice, row and column cropped at every face (slices 0 and 1 are both at a face)
        using var dir = new TempDir();
        var (tomo, _) = Squares();
        VolumeIO.Write(dir.File("t.mrc"), tomo);
        using var r = VolumeIO.OpenRead(dir.File("t.mrc"));
        // When
        var s = new BaselineMaskStream(r, BaselineKind.Otsu, cropBorder: 1);
        // Then
        Assert.Equal(new byte[128], ReadAll(s));
    }

    [Theory]
    [InlineData("m.mrc", 1)]
    [InlineData("m.tif", 255)]
    public void MaskWriterWritesOnesForMrcAnd255ForTiffAndCountsVoxels(string name, int on)
    {
        // Given the Otsu mask of the squares (16 voxels a slice)
        using var dir = new TempDir();
        var (tomo, square) = Squares();
        VolumeIO.Write(dir.File("t.mrc"), tomo);
        using var r = VolumeIO.OpenRead(dir.File("t.mrc"));
        var progress = new ProgressLog();
        var stream = new BaselineMaskStream(r, BaselineKind.Otsu);
        ReadAll(stream); // read once already: the writer starts again at slice 0
        // When
        long count = MaskWriter.Write(stream, dir.File(name), new Provenance("test"), progress, "baseline");
        // Then
        Assert.Equal(32, count);
        Assert.Equal(square.Select(b => (byte)(b * on)), VolumeIO.Read<byte>(dir.File(name)).Data);
        Assert.Equal(new[] { new ProgressUpdate("baseline", 1, 2, "slices"), new ProgressUpdate("baseline", 2, 2, "slices") }, progress.Items);
    }
}
