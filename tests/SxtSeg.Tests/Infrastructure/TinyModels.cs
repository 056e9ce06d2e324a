using SxtSeg.Network;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>Untrained tiny networks saved as model files, for tests that need a model but not a good one.</summary>
internal static class TinyModels
{
    /// <summary>The three-level U-Net with a logit head most tests use.</summary>
    public const string UNet3 = "unet:w=4-8-16,enc=1-1-1,dec=1-1,head=logit";

    /// <summary>
    /// Saves a network of <paramref name="spec"/> with seeded weights as <paramref name="name"/> in
    /// <paramref name="tmp"/> (robust normalisation, the given voxel-size range and threshold) and returns its path.
    /// </summary>
    public static string Write(TempDir tmp, string name, string spec = UNet3, long seed = 7, double minVoxelNm = 10, double maxVoxelNm = 10, double threshold = 0.5)
    {
        var arch = NetworkArchitecture.Parse(spec);
        string path = tmp.File(name);
        using var net = arch.Create(seed);
        ModelFile.Save(path, net, new ModelCard(arch) { Normalisation = SliceNormalization.Robust, VoxelSizeRangeNm = (minVoxelNm, maxVoxelNm), Threshold = threshold });
        return path;
    }
}
