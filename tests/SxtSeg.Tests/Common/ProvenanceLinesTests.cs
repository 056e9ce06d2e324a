using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Common;

/// <summary>
/// Provenance as short text lines (MRC labels): pairs packed in order, and a header that cannot hold them
/// all says how many it left out instead of looking complete.
/// </summary>
public sealed class ProvenanceLinesTests
{
    private static Provenance WithPairs(int n)
    {
        var p = new Provenance("simulate");
        for (int i = 0; i < n; i++) p.Set(((char)('a' + i)).ToString(), new string((char)('1' + i), 7));
        return p;
    }

    [Fact]
    public void PairsThatFitArePackedInOrderWithoutAMarker()
    {
        // Given three 9-character pairs
        var p = WithPairs(3);
        // When
        var lines = p.ToLines(10, 20);
        // Then the head, then two pairs (19 characters), then the third
        Assert.StartsWith($"{p.Tool} ", lines[0]);
        Assert.Equal(new[] { "a=1111111 b=2222222", "c=3333333" }, lines.Skip(1));
    }

    [Fact]
    public void PairsThatDoNotFitAreCountedOnTheLastLine()
    {
        // Given six 9-character pairs and room for two lines of 20 characters after the head
        var p = WithPairs(6);
        // When
        var lines = p.ToLines(3, 20);
        // Then the second line gives back d to make room for the marker: c=3333333 +3 more (17 characters)
        Assert.Equal(new[] { "a=1111111 b=2222222", "c=3333333 +3 more" }, lines.Skip(1));
        // and with room for one line of 30: a, b and c (29 characters) are packed, c is given back for the marker
        Assert.Equal(new[] { "a=1111111 b=2222222 +4 more" }, p.ToLines(2, 30).Skip(1));
        // and a head alone has no room for pairs or a marker
        Assert.Single(p.ToLines(1, 30));
    }

    [Fact]
    public void AnMrcHeaderThatCannotHoldTheProvenanceSaysSo()
    {
        // Given a provenance of 60 pairs of 27 characters (two to a label of 80: 27 + 1 + 27 = 55, a third would make 83)
        using var dir = new TempDir();
        var p = new Provenance("simulate");
        for (int i = 0; i < 60; i++) p.Set($"parameter{i:00}", $"value{i:0000000000}");
        // When written with a volume
        VolumeIO.Write(dir.File("v.mrc"), new Volume<byte>(4, 4, 2, VoxelSize.Isotropic(10)), p);
        // Then the ten labels are used: the head and 9 × 2 pairs, and the last ends with the 42 pairs left out (55 + 9 ≤ 80)
        var labels = MrcHeader.Parse(File.ReadAllBytes(dir.File("v.mrc")).AsSpan(0, MrcHeader.Size), "v.mrc").Labels;
        Assert.Equal(10, labels.Count);
        Assert.Equal("parameter00=value0000000000", labels[1].Split(' ')[0]);
        Assert.Equal("parameter16=value0000000016 parameter17=value0000000017 +42 more", labels[9]);
    }
}
