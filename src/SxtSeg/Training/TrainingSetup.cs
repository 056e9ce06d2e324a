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

    /// <summary>
    /// Copies every parameter and buffer of <paramref name="from"/> into <paramref name="to"/> (same
    /// architecture, or <paramref name="to"/> the same with context: see <see cref="ExpandInput"/>, or a
    /// U-Net with wider levels: see <see cref="Widen"/>, or
    /// with a 3-D stem that <paramref name="from"/> lacks: the stem keeps its fresh weights, whose zero
    /// output leaves the network computing what <paramref name="from"/> did).
    /// </summary>
    public static void CopyWeights(SegmentationNetwork from, SegmentationNetwork to)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var src = from.state_dict();
        bool wider = from.Architecture.UNet is { } a && to.Architecture.UNet is { } b && a.CanWidenTo(b);
        foreach (var (name, t) in to.state_dict())
        {
            if (!src.TryGetValue(name, out var f))
            {
                if (name.StartsWith("stem.", StringComparison.Ordinal) && from.Architecture.Stem3D == 0) continue;
                throw new InvalidOperationException($"weights '{name}' are missing from the model to start from");
            }
            if (f.shape.SequenceEqual(t.shape)) t.copy_(f);
            else if (wider) Widen(f, t, name);
            else ExpandInput(f, t, name);
        }
    }

    /// <summary>
    /// A tensor of a U-Net into the same tensor of a U-Net with wider levels (<see cref="UNetConfig.CanWidenTo"/>),
    /// so that the wider network computes exactly what the narrower one did: the old channels keep their
    /// weights, the new channels keep their fresh initial weights (batch norm: γ = 1, β = 0, statistics 0 and 1),
    /// and every weight by which an old channel would read a new one is 0, so nothing reads the new
    /// channels until training makes it. The old channels come first in every level; the first unit of an
    /// annotation-decoder level reads [skip, upsampled] concatenated, so there each half keeps its old
    /// channels at its own start (for a separable unit: its depthwise filters, one per channel, and the
    /// pointwise convolution's inputs). Convolutions are output × input × k × k, transposed ones (the <c>_ups</c>)
    /// input × output × k × k; a depthwise convolution is channels × 1 × k × k.
    /// </summary>
    internal static void Widen(Tensor from, Tensor to, string name)
    {
        if (from.dim() != to.dim() || from.dim() is not (1 or 4))
            throw Misfit(from, to, name);
        for (int d = 0; d < from.dim(); d++)
            if (from.shape[d] > to.shape[d])
                throw Misfit(from, to, name);
        if (from.dim() == 1)
        {
            to.narrow(0, 0, from.shape[0]).copy_(from);
            return;
        }
        bool transposed = name.Contains("_ups.", StringComparison.Ordinal);
        int outDim = transposed ? 1 : 0, inDim = transposed ? 0 : 1;
        bool concatenated = name.StartsWith("label_decoder.", StringComparison.Ordinal) && name.Contains(".units.0.", StringComparison.Ordinal);
        // the first unit of a decoder level: its depthwise filters (one per channel) or its inputs are [skip, upsampled]
        bool depthwise = from.shape[1] == 1 && to.shape[1] == 1;
        int halvesDim = depthwise ? 0 : inDim;
        if (concatenated && (from.shape[halvesDim] % 2 != 0 || to.shape[halvesDim] % 2 != 0))
            throw Misfit(from, to, name);
        if (concatenated && depthwise)
        {
            // each half keeps its old filters at its own start and the new channels their fresh ones
            CopyHalves(from, to, 0);
            return;
        }
        // old outputs read nothing of the new inputs
        var old = to.narrow(outDim, 0, from.shape[outDim]);
        old.zero_();
        if (concatenated) CopyHalves(from, old, inDim);
        else old.narrow(inDim, 0, from.shape[inDim]).copy_(from);
    }

    /// <summary>
    /// Along <paramref name="dim"/>, which holds [skip, upsampled] concatenated in both tensors (even sizes): each
    /// half of <paramref name="from"/> goes to the start of the same half of <paramref name="to"/>.
    /// </summary>
    private static void CopyHalves(Tensor from, Tensor to, int dim)
    {
        long half = from.shape[dim] / 2, wideHalf = to.shape[dim] / 2;
        to.narrow(dim, 0, half).copy_(from.narrow(dim, 0, half));
        to.narrow(dim, wideHalf, half).copy_(from.narrow(dim, half, half));
    }

    /// <summary>The error for weights of the model to start from that cannot go into the new network's.</summary>
    private static InvalidOperationException Misfit(Tensor from, Tensor to, string name)
        => new($"weights '{name}' of shape [{string.Join(", ", from.shape)}] do not fit [{string.Join(", ", to.shape)}]");

    /// <summary>
    /// A first convolution (weights O×c×k×k, c = 1 for a 2D network or 2C + 1 for context C) into a network
    /// with more context (O×c′×k×k, c′ &gt; c, both odd): the middle c input channels get the weights, the
    /// farther slices 0, so the network starts out computing exactly what the narrower one did and learns
    /// what the new neighbours add.
    /// </summary>
    private static void ExpandInput(Tensor from, Tensor to, string name)
    {
        if (from.dim() != 4 || to.dim() != 4 || from.shape[1] % 2 != 1 || to.shape[1] % 2 != 1 || from.shape[1] >= to.shape[1]
            || from.shape[0] != to.shape[0] || from.shape[2] != to.shape[2] || from.shape[3] != to.shape[3])
            throw Misfit(from, to, name);
        to.zero_();
        to.narrow(1, (to.shape[1] - from.shape[1]) / 2, from.shape[1]).copy_(from);
    }
}
