using SxtSeg.Training;

namespace SxtSeg.Tests.Training;

public sealed class CropsTests
{
    [Fact]
    public void AugmentationsAreTheEightSymmetriesOfTheSquare()
    {
        // Given a 2 × 2 crop [[1, 2], [3, 4]] at (1, 1) of a 4 × 4 image
        var image = new float[16];
        image[5] = 1; image[6] = 2; image[9] = 3; image[10] = 4;
        var seen = new HashSet<string>();
        foreach (int k in new[] { 0, 1, 2, 3 })
            foreach (bool lr in new[] { false, true })
                foreach (bool ud in new[] { false, true })
                {
                    var dest = new float[4];
                    Crops.Extract(image, 4, 2, new Crops.Placement(1, 1, k, lr, ud), dest);
                    Assert.Equal(new float[] { 1, 2, 3, 4 }, dest.OrderBy(v => v).ToArray());
                    seen.Add(string.Join(",", dest));
                }
        // Then the 16 combinations give exactly the 8 distinct symmetries
        Assert.Equal(8, seen.Count);
        var id = new float[4];
        Crops.Extract(image, 4, 2, new Crops.Placement(1, 1, 0, false, false), id);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, id);
        var flipped = new float[4];
        Crops.Extract(image, 4, 2, new Crops.Placement(1, 1, 0, true, false), flipped);
        Assert.Equal(new float[] { 2, 1, 4, 3 }, flipped);
    }

    [Fact]
    public void LabelCropsFollowTheImageAndMapToPlusMinusOne()
    {
        var image = new float[] { 1, 2, 3, 4 };
        var mask = new byte[] { 0, 1, 0, 1 };
        var p = new Crops.Placement(0, 0, 1, true, false);
        var di = new float[4];
        var dl = new float[4];
        Crops.Extract(image, 2, 2, p, di);
        Crops.ExtractLabel(mask, 2, 2, p, dl);
        for (int i = 0; i < 4; i++) Assert.Equal(di[i] % 2 == 0 ? 1f : -1f, dl[i]);
    }

    [Fact]
    public void RandomStateRoundTripsAndDrawsStayInside()
    {
        var a = new TrainingRandom(42);
        for (int i = 0; i < 10; i++) a.NextUInt64();
        var b = new TrainingRandom(0) { State = a.State };
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var area = new SxtSeg.Network.ImageArea(3, 5, 40, 33);
        for (int i = 0; i < 500; i++)
        {
            var p = Crops.Draw(a, area, 32);
            Assert.InRange(p.X, 3, 3 + 40 - 32);
            Assert.InRange(p.Y, 5, 5 + 33 - 32);
            Assert.InRange(p.Rotations, 0, 3);
        }
    }
}
