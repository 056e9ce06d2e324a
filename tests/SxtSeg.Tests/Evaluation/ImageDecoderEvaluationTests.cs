using SxtSeg.Evaluation;
using SxtSeg.Network;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>
/// The image-decoder scores of a model that reads neighbouring slices: it reconstructs the middle slice
/// from the stack. Known answer: a one-slice network widened to 3 slices with silent neighbours (the
/// widening that starts a context model, <see cref="TrainingSetup.CopyWeights"/>) computes exactly what
/// the one-slice network does, so both score the same.
/// </summary>
public sealed class ImageDecoderEvaluationTests
{
    /// <summary>64 × 64 × 6 slices whose pattern shifts from slice to slice (neighbours differ).</summary>
    private static string Tomogram(TempDir tmp)
    {
        var v = new Volume<float>(64, 64, 6, VoxelSize.Isotropic(10));
        for (int z = 0; z < v.Nz; z++)
            for (int y = 0; y < v.Ny; y++)
                for (int x = 0; x < v.Nx; x++)
                    v[z, y, x] = (float)(Math.Sin(0.3 * x + 1.1 * z) * Math.Cos(0.2 * y - 0.7 * z) + 0.05 * ((x * 7 + y * 13 + z * 5) % 11));
        VolumeIO.Write(tmp.File("t.mrc"), v);
        return tmp.File("t.mrc");
    }

    [Fact]
    public void AContextModelWithSilentNeighboursScoresAsItsOneSliceNetwork()
    {
        using var tmp = new TempDir();
        string flatPath = TinyModels.Write(tmp, "flat.sxtmodel", seed: 5);
        var (flat, card) = ModelFile.Load(flatPath);
        var arch = NetworkArchitecture.Parse(TinyModels.UNet3 + ",ctx=1");
        using (flat)
        using (var wide = arch.Create(9))
        {
            TrainingSetup.CopyWeights(flat, wide);
            ModelFile.Save(tmp.File("ctx.sxtmodel"), wide, new ModelCard(arch) { Normalisation = card.Normalisation, VoxelSizeRangeNm = card.VoxelSizeRangeNm });
        }
        using var reader = VolumeIO.OpenRead(Tomogram(tmp));
        var one = ImageDecoderEvaluation.Evaluate(flatPath, reader, slices: 4, tile: 32);
        var three = ImageDecoderEvaluation.Evaluate(tmp.File("ctx.sxtmodel"), reader, slices: 4, tile: 32);
        Assert.Equal(16, one.Tiles); // 4 slices × 2 × 2 tiles of 32²
        Assert.Equal(one.Tiles, three.Tiles);
        Assert.Equal(one.Ssim, three.Ssim, 5);
        Assert.Equal(one.WithinOneStd, three.WithinOneStd, 5);
    }
}
