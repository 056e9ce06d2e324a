using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The streamed opening by a Euclidean ball and its residual (the white top-hat that leaves the
/// filopodia when the ball fits the cell body) against brute force on a small random volume with
/// anisotropic voxels, with and without the dilation's slack, read twice (reset).
/// </summary>
public sealed class BallOpeningTests
{
    private static readonly VoxelSize Voxel = new(10, 12, 15);

    private static Volume<byte> Blobs()
    {
        var rng = new Random(9);
        var v = new Volume<byte>(16, 14, 10, Voxel);
        for (int k = 0; k < 6; k++)
        {
            double cx = rng.Next(16), cy = rng.Next(14), cz = rng.Next(10), rad = 20 + rng.NextDouble() * 40;
            for (int z = 0; z < v.Nz; z++)
                for (int y = 0; y < v.Ny; y++)
                    for (int x = 0; x < v.Nx; x++)
                        if (Math.Pow((x - cx) * 10, 2) + Math.Pow((y - cy) * 12, 2) + Math.Pow((z - cz) * 15, 2) <= rad * rad) v[z, y, x] = 1;
        }
        // and a thin rod through them, one voxel wide
        for (int x = 0; x < 16; x++) v[5, 7, x] = 1;
        return v;
    }

    /// <summary>Erosion keeps voxels with no background voxel of the volume within r; dilation marks voxels within r of a foreground voxel.</summary>
    private static Volume<byte> Brute(Volume<byte> v, double r, bool erode)
    {
        var o = new Volume<byte>(v.Nx, v.Ny, v.Nz, Voxel);
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                {
                    bool hit = false;
                    for (int zz = 0; zz < v.Nz && !hit; zz++)
                        for (int yy = 0; yy < v.Ny && !hit; yy++)
                            for (int xx = 0; xx < v.Nx && !hit; xx++)
                                if ((v[zz, yy, xx] != 0) != erode
                                    && Math.Pow((x - xx) * 10, 2) + Math.Pow((y - yy) * 12, 2) + Math.Pow((z - zz) * 15, 2) <= r * r) hit = true;
                    o[z, y, x] = (byte)(erode ? (hit ? 0 : 1) : (hit ? 1 : 0));
                }
        return o;
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.0)]
    [InlineData(false, 8.0)]
    [InlineData(true, 8.0)]
    public void OpeningAndResidualMatchBruteForce(bool residual, double slackNm)
    {
        const double r = 25;
        var v = Blobs();
        // expected: dilate_(r + slack)(erode_r(v)), cut to v; the residual is v without it
        var opened = Brute(Brute(v, r, erode: true), r + slackNm, erode: false);
        var stream = new BallOpeningStream(MaskStreams.FromVolume(v), Voxel, r, residual, slackNm);
        for (int pass = 0; pass < 2; pass++)
        {
            var got = stream.ToVolume();
            long kept = 0, removed = 0;
            for (int i = 0; i < v.Data.Length; i++)
            {
                int open = opened.Data[i] & v.Data[i];
                int expected = residual ? v.Data[i] & (open ^ 1) : open;
                Assert.True(expected == got.Data[i], $"pass {pass}, voxel {i}: expected {expected}");
                kept += open;
                removed += v.Data[i] - open;
            }
            // the case is not trivial: the ball fits in the blobs and not in the rod
            Assert.True(kept > 50 && removed > 5, $"kept {kept}, removed {removed}");
        }
    }

    [Fact]
    public void WithoutSlackTheOpeningNeedsNoCutAndTheSlackOnlyAdds()
    {
        // the opening of a set lies within it; a wider dilation, cut to the set, keeps a superset
        var v = Blobs();
        var plain = new BallOpeningStream(MaskStreams.FromVolume(v), Voxel, 25, residual: false).ToVolume();
        var slack = new BallOpeningStream(MaskStreams.FromVolume(v), Voxel, 25, residual: false, dilationSlackNm: 8).ToVolume();
        for (int i = 0; i < v.Data.Length; i++)
        {
            Assert.True(plain.Data[i] <= v.Data[i]);
            Assert.True(plain.Data[i] <= slack.Data[i]);
            Assert.True(slack.Data[i] <= v.Data[i]);
        }
    }
}
