using SxtSeg.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Training;

/// <summary>
/// Validation during training: runs the network on whole validation slices (each padded by
/// mirroring to a multiple of the network's input size, in eval mode) and scores the membrane
/// probabilities against the visible truth with a tolerance of one pixel in the slice, pooled over
/// all slices, at thresholds 0.1 … 0.9. The final figures of a model come from <c>sxtseg evaluate</c>
/// on whole tomograms (3D tolerance); this is the quick criterion for choosing the saved model and its threshold.
/// </summary>
public static class SliceValidator
{
    /// <summary>
    /// Thresholds tried: 0.1 … 0.9 (0.2 … 0.8 until 2026-11-27: a loss that shifts the calibration, such as a
    /// strong skeleton-recall term, had its best threshold at the edge of that grid).
    /// </summary>
    public static IReadOnlyList<double> Thresholds { get; } = new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };

    /// <summary>Scores <paramref name="net"/> on <paramref name="slices"/> of <paramref name="bank"/>.</summary>
    public static ValidationResult Validate(SegmentationNetwork net, SliceBank bank, IReadOnlyList<SliceRef> slices, Device device, CancellationToken cancel = default)
    {
        var scores = Thresholds.Select(t => new ThresholdScore(t, 0, 0, 0, 0)).ToArray();
        float[] image = Array.Empty<float>(), prob = Array.Empty<float>();
        byte[] target = Array.Empty<byte>(), weight = Array.Empty<byte>();
        net.eval();
        foreach (var r in slices)
        {
            cancel.ThrowIfCancellationRequested();
            var s = bank.Sources[r.Source];
            int nx = s.Nx, ny = s.Ny, n = nx * ny;
            if (prob.Length != n)
            {
                prob = new float[n];
                target = new byte[n];
                weight = new byte[n];
            }
            int planes = net.InputChannels, context = (planes - 1) / 2;
            if (image.Length != planes * n) image = new float[planes * n];
            for (int p = 0; p < planes; p++) s.ReadImage(Inference.SliceStack.SliceOf(r.Z, p, context, s.Info.Nz), image.AsSpan(p * n, n));
            s.ReadLabels(r.Z, target, weight);
            PredictSlice(net, image, nx, ny, device, prob);
            for (int k = 0; k < scores.Length; k++)
            {
                var (p, pn, t, tn) = Count(prob, target, weight, nx, ny, (float)scores[k].Threshold);
                scores[k] = scores[k].Add(p, pn, t, tn);
            }
        }
        return new ValidationResult(scores, slices.Count);
    }

    /// <summary>Membrane probabilities of a whole normalised slice (with its neighbours for a network with context; mirror-padded to the input multiple).</summary>
    internal static void PredictSlice(SegmentationNetwork net, ReadOnlySpan<float> image, int nx, int ny, Device device, Span<float> prob)
    {
        int m = net.InputMultiple, planes = net.InputChannels;
        int px = (nx + m - 1) / m * m, py = (ny + m - 1) / m * m;
        var padded = new float[planes * px * py];
        for (int c = 0; c < planes; c++)
            for (int y = 0; y < py; y++)
            {
                int sy = Mirror(y, ny);
                for (int x = 0; x < px; x++) padded[(c * py + y) * px + x] = image[(c * ny + sy) * nx + Mirror(x, nx)];
            }
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var t = empty(new long[] { 1, planes, py, px }, float32);
        using (var acc = t.data<float>()) acc.CopyFrom(padded);
        if (device.type != DeviceType.CPU) t = t.to(device);
        var (label, _) = net.ForwardRaw(t);
        var p = (net.HasLogitHead ? label.sigmoid() : (label + 1) * 0.5).cpu().contiguous();
        var all = new float[px * py];
        using (var acc = p.data<float>()) acc.CopyTo(all);
        for (int y = 0; y < ny; y++) all.AsSpan(y * px, nx).CopyTo(prob.Slice(y * nx, nx));
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i %= period;
        return i < n ? i : period - i;
    }

    /// <summary>(predicted, predicted near truth, truth, truth near prediction) at one threshold; ignored pixels (weight 0) are not counted.</summary>
    internal static (long P, long Pn, long T, long Tn) Count(ReadOnlySpan<float> prob, ReadOnlySpan<byte> target, ReadOnlySpan<byte> weight, int nx, int ny, float threshold)
    {
        long p = 0, pn = 0, t = 0, tn = 0;
        for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                int i = y * nx + x;
                if (weight[i] == 0) continue;
                bool pred = prob[i] > threshold;
                bool truth = target[i] != 0;
                if (pred)
                {
                    p++;
                    if (truth || NearTruth(target, weight, nx, ny, x, y)) pn++;
                }
                if (truth)
                {
                    t++;
                    if (pred || NearPrediction(prob, nx, ny, x, y, threshold)) tn++;
                }
            }
        return (p, pn, t, tn);
    }

    private static bool NearTruth(ReadOnlySpan<byte> target, ReadOnlySpan<byte> weight, int nx, int ny, int x, int y)
    {
        int i = y * nx + x;
        return (x > 0 && target[i - 1] != 0 && weight[i - 1] != 0) || (x < nx - 1 && target[i + 1] != 0 && weight[i + 1] != 0)
            || (y > 0 && target[i - nx] != 0 && weight[i - nx] != 0) || (y < ny - 1 && target[i + nx] != 0 && weight[i + nx] != 0);
    }

    private static bool NearPrediction(ReadOnlySpan<float> prob, int nx, int ny, int x, int y, float threshold)
    {
        int i = y * nx + x;
        return (x > 0 && prob[i - 1] > threshold) || (x < nx - 1 && prob[i + 1] > threshold)
            || (y > 0 && prob[i - nx] > threshold) || (y < ny - 1 && prob[i + nx] > threshold);
    }
}
