using SxtSeg.Network;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>The set-up both trainers share: the output folder and the network to start from.</summary>
internal static class TrainingSetup
{
    /// <summary>Creates the output folder; an I/O failure is an <see cref="OutputException"/>.</summary>
    public static void CreateOutputFolder(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(outDir, $"cannot create the output folder ({e.Message})", e);
        }
    }

    /// <summary>
    /// The network with the checkpoint's weights (resume: <paramref name="resumedSections"/>, read
    /// from <paramref name="checkpointPath"/>), the initial model's (fine-tuning) or fresh seeded ones.
    /// </summary>
    public static SegmentationNetwork CreateNetwork(TrainingOptions options, string? init, Dictionary<string, byte[]>? resumedSections, string checkpointPath)
    {
        var net = options.Architecture.Create(options.Seed);
        try
        {
            if (resumedSections is not null)
            {
                var card = ModelFile.ParseCard(resumedSections, checkpointPath);
                using var loaded = ModelFile.LoadWeights(resumedSections, card, checkpointPath);
                CopyWeights(loaded, net);
            }
            else if (init is not null)
            {
                var (initNet, _) = ModelFile.Load(init);
                using (initNet) CopyWeights(initNet, net);
            }
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter and buffer of <paramref name="from"/> into <paramref name="to"/> (same architecture).</summary>
    public static void CopyWeights(SegmentationNetwork from, SegmentationNetwork to)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var src = from.state_dict();
        foreach (var (name, t) in to.state_dict()) t.copy_(src[name]);
    }
}
