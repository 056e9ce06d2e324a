using SxtSeg.Network;
using SxtSeg.Training;
using SxtSeg.Volumes;
using static TorchSharp.torch;

namespace SxtSeg.Evaluation;

/// <summary>Runs the image decoder of a model on tiles of a tomogram's slices and scores the reconstructions.</summary>
public static class ImageDecoderEvaluation
{
    /// <summary>
    /// Scores up to <paramref name="slices"/> evenly spaced slices, each cut into non-overlapping
    /// <paramref name="tile"/>² tiles (centred), normalised as the model was trained.
    /// </summary>
    public static ImageDecoderScore Evaluate(string modelPath, IVolumeReader tomogram, int slices = 8, int tile = 256, IProgress<ProgressUpdate>? progress = null)
    {
        var (net, card) = ModelFile.Load(modelPath);
        using var _ = net;
        net.eval();
        var info = tomogram.Info;
        int t = Math.Min(tile, Math.Min(info.Nx, info.Ny)) / 16 * 16;
        if (t < 16) throw new InvalidInputException(tomogram.Path, "slices are smaller than 16 pixels; the image decoder cannot be evaluated");
        int nSlices = Math.Clamp(slices, 1, info.Nz);
        // A model with context reads the slice and its c neighbours on each side (mirrored at the ends, as in
        // training and segment: SliceStack) and reconstructs the middle one.
        int channels = net.InputChannels, context = channels / 2;
        double ssimSum = 0, withinSum = 0;
        int tiles = 0;
        var planes = new float[channels][];
        for (int p = 0; p < channels; p++) planes[p] = new float[info.SliceLength];
        var tileData = new float[channels * t * t];
        int cols = info.Nx / t, rows = info.Ny / t, x0 = (info.Nx - cols * t) / 2, y0 = (info.Ny - rows * t) / 2;
        for (int k = 0; k < nSlices; k++)
        {
            int z = nSlices == 1 ? info.Nz / 2 : (int)((long)k * (info.Nz - 1) / (nSlices - 1));
            for (int p = 0; p < channels; p++)
            {
                tomogram.ReadSlice<float>(Inference.SliceStack.SliceOf(z, p, context, info.Nz), planes[p]);
                card.Normalisation.Apply(planes[p], info.Nx, info.Ny);
            }
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    for (int p = 0; p < channels; p++)
                        for (int y = 0; y < t; y++)
                            planes[p].AsSpan((y0 + r * t + y) * info.Nx + x0 + c * t, t).CopyTo(tileData.AsSpan((p * t + y) * t, t));
                    using var scope = NewDisposeScope();
                    using var mode = inference_mode();
                    var stack = tensor(tileData, new long[] { 1, channels, t, t });
                    var input = SegmentationNetwork.MiddleSlice(stack);
                    var recon = net.ForwardImage(stack);
                    double range = (input.max() - input.min()).item<float>();
                    ssimSum += Losses.Ssim(input, recon, Math.Max(range, 1e-6)).item<float>();
                    double std = input.std().item<float>();
                    withinSum += ((input - recon).abs() <= std).to_type(ScalarType.Float32).mean().item<float>();
                    tiles++;
                }
            progress.Report("image decoder", k + 1, nSlices, "slices");
        }
        return tiles == 0 ? new ImageDecoderScore(double.NaN, double.NaN, 0) : new ImageDecoderScore(ssimSum / tiles, withinSum / tiles, tiles);
    }
}
