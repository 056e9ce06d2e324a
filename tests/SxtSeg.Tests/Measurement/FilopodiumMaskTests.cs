using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// A filopodium's voxel mask (membership at and beyond every face of its box, its placement in nm),
/// the counts of a run and a filopodium's surface-to-volume ratio, against hand-computed values.
/// </summary>
public sealed class FilopodiumMaskTests
{
    // Box x 2–4, y 1–2, z 3–4 (3 × 2 × 2 voxels); every voxel set but (x 3, y 2, z 4).
    private static FilopodiumMask Mask()
    {
        var box = new VoxelBox(2, 1, 3, 4, 2, 4);
        var data = new byte[12];
        Array.Fill(data, (byte)1);
        data[(1 * 2 + 1) * 3 + 1] = 0;
        return new FilopodiumMask(box, data);
    }

    [Fact]
    public void MembershipIsTheMaskInsideTheBoxAndNothingOutside()
    {
        var m = Mask();
        int inside = 0;
        for (int z = 0; z < 8; z++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++)
                    if (m.Contains(x, y, z)) inside++;
        Assert.Equal(11, inside);
        // the box's corners and the one hole
        Assert.True(m.Contains(2, 1, 3));
        Assert.True(m.Contains(4, 2, 4));
        Assert.False(m.Contains(3, 2, 4));
        // one voxel beyond each face, in line with a set voxel
        Assert.False(m.Contains(1, 1, 3));
        Assert.False(m.Contains(5, 1, 3));
        Assert.False(m.Contains(2, 0, 3));
        Assert.False(m.Contains(2, 3, 3));
        Assert.False(m.Contains(2, 1, 2));
        Assert.False(m.Contains(2, 1, 5));
    }

    [Fact]
    public void TheMaskAsAVolumeStandsAtItsBoxInNanometres()
    {
        var v = Mask().ToVolume(new VoxelSize(10, 12, 15), (100, -60, 30));
        Assert.Equal((3, 2, 2), (v.Nx, v.Ny, v.Nz));
        // origin + box start × voxel size: 100 + 2·10, −60 + 1·12, 30 + 3·15
        Assert.Equal((120.0, -48.0, 75.0), v.OriginNm);
        Assert.Equal(new VoxelSize(10, 12, 15), v.VoxelSize);
        Assert.Equal(0, v[1, 1, 1]);
        Assert.Equal(1, v[1, 1, 0]);
        Assert.Equal(11, v.Data.Count(b => b == 1));
    }

    [Fact]
    public void FoundIsTheCandidatesLessEveryRejection()
    {
        var c = new FilopodiaCounts(Candidates: 20, Detached: 1, TooShort: 2, TooThin: 3, TooWide: 4, CutByFieldOfView: 5, NearBead: 6, InSummary: 7);
        Assert.Equal(10, c.Found);
    }

    [Fact]
    public void SurfaceToVolumeIsAreaOverVolumeInPerMicrometre()
    {
        var (crop, volume, _) = FilopodiumAnalyzerPartsTests.BodyAndRod(4, 5);
        var f = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions()).Outcome.Filopodium!;
        var g = f with { SurfaceAreaNm2 = 3000, Measures = f.Measures with { VolumeNm3 = 1500 } };
        // 3000 nm² / 1500 nm³ = 2 nm⁻¹ = 2000 µm⁻¹
        Assert.Equal(2000, g.SurfaceToVolumePerUm, 9);
        Assert.Equal(1500, g.VolumeNm3);
    }
}
