using System.Buffers.Binary;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>Regression tests for malformed MRC headers of issue 15, built from small valid files.</summary>
public sealed class MrcHardeningTests
{
    private static byte[] Valid(TempDir dir)
    {
        VolumeIO.Write(dir.File("ok.mrc"), new Volume<float>(4, 3, 2, VoxelSize.Isotropic(10)) { OriginNm = (1, 2, 3) });
        return File.ReadAllBytes(dir.File("ok.mrc"));
    }

    private static string Refused(TempDir dir, byte[] bytes)
    {
        string path = dir.File("bad.mrc");
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<SxtSegException>(() => { using var r = VolumeIO.OpenRead(path); });
        Assert.StartsWith(path + ": ", e.Message);
        return e.Message;
    }

    [Fact]
    public void DimensionsWhoseByteCountOverflows64BitsAreTruncatedNotAccepted()
    {
        using var dir = new TempDir();
        byte[] b = Valid(dir);
        // 46340 × 46340 × (2^31 − 1) float32 voxels: 1.8·10^19 bytes, more than a long holds
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(0), 46340);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 46340);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), int.MaxValue);
        Assert.Contains("truncated: header promises 46340 × 46340 × 2147483647", Refused(dir, b));
    }

    [Theory]
    [InlineData(40, 3e38f, "voxel size of 7.5E+36")]
    [InlineData(44, float.PositiveInfinity, "voxel size of")]
    [InlineData(48, 1e-3f, "outside the accepted 0.1 nm (1 Å) to 10 µm")]
    [InlineData(196, float.NaN, "non-finite origin")]
    [InlineData(204, float.NegativeInfinity, "non-finite origin")]
    public void ImplausibleHeaderFloatsAreRefused(int offset, float value, string problem)
    {
        using var dir = new TempDir();
        byte[] b = Valid(dir);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(offset), value);
        Assert.Contains(problem, Refused(dir, b));
    }

    [Fact]
    public void AZeroCellStillMeansUnknownVoxelSize()
    {
        using var dir = new TempDir();
        byte[] b = Valid(dir);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(48), 0f);
        File.WriteAllBytes(dir.File("z.mrc"), b);
        using var r = VolumeIO.OpenRead(dir.File("z.mrc"));
        Assert.Null(r.Info.VoxelSize);
    }
}
