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
    private static readonly VoxelSize Voxel = BallBruteForce.Voxel;

    private static Volume<byte> Blobs()
    {
        var v = BallBruteForce.Blobs(16, 14, 10, seed: 9, count: 6, minNm: 20, spanNm: 40);
        // and a thin rod through them, one voxel wide
        for (int x = 0; x < 16; x++) v[5, 7, x] = 1;
        return v;
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
        var opened = BallBruteForce.Step(BallBruteForce.Step(v, r, erode: true), r + slackNm, erode: false);
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
