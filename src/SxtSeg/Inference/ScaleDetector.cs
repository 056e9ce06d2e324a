using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// Finds the scale at which the model recognises a tomogram's membranes best, from the model's own
/// evidence (as <see cref="PolarityDetector"/> does for the polarity). The network learned membranes
/// blurred over a few pixels; a tomogram blurrier in pixels (a coarse zone plate at fine pixels,
/// upsampled data) or sharper (binned data) than its training data is segmented better after
/// resampling, and the voxel size alone cannot tell (the header does not state the resolution).
/// A centre crop of a few central slices is resampled by each factor of <see cref="Factors"/> (on
/// top of the voxel-size rule's scale) and predicted; the evidence is the mean of
/// clamp(2p − 1, 0, 1)² times the factor (confident membrane per unit of length: a line traced at a
/// factor f covers a fraction of the crop ∝ 1/f). The best factor wins when it beats factor 1 by
/// <see cref="MinGain"/>, else the tomogram is segmented at the voxel-size rule's scale.
/// </summary>
public static class ScaleDetector
{
    /// <summary>Factors tried: half-octave steps from 1/2.83 to 2.83.</summary>
    public static readonly IReadOnlyList<double> Factors = new[] { 0.35, 0.5, 0.71, 1.0, 1.41, 2.0, 2.83 };

    /// <summary>How much more evidence another factor needs than factor 1 to be used.</summary>
    public const double MinGain = 1.15;

    /// <summary>Largest side of the network crop at any factor (pixels).</summary>
    public const int MaxNetworkSide = 1024;

    /// <summary>Largest side of the native centre crop (pixels).</summary>
    public const int MaxNativeSide = 512;

    /// <summary>Smallest side of a network crop worth predicting (pixels): smaller factors are skipped.</summary>
    public const int MinNetworkSide = 64;

    /// <summary>
    /// Searches the scale for <paramref name="reader"/> with <paramref name="model"/> (its first
    /// worker); <paramref name="sign"/> is the polarity's (−1 negates before normalisation).
    /// </summary>
    public static ScaleDecision Detect(IVolumeReader reader, SegmentationModel model, TileOptions tiles, double baseScale, float sign, int samples = 4, CancellationToken cancel = default)
    {
        double maxFactor = MaxFactor(reader.Info.VoxelSize, model, baseScale);
        var info = reader.Info;
        var zs = PolarityDetector.SampledSlices(info.Nz, samples);
        double maxT = baseScale * Factors[^1];
        int side = Math.Max(1, Math.Min(MaxNativeSide, (int)Math.Floor(MaxNetworkSide / maxT)));
        int cw = Math.Min(info.Nx, side), ch = Math.Min(info.Ny, side);
        int x0 = (info.Nx - cw) / 2, y0 = (info.Ny - ch) / 2;
        var predictor = new SlicePredictor(model.Workers[0], tiles with { Augmentations = 1 });
        int planes = predictor.Channels, context = (planes - 1) / 2, n = info.Nx * info.Ny, nc = cw * ch;
        var evidence = new double[Factors.Count];
        var tried = new bool[Factors.Count];
        var crop = new float[planes * nc];
        foreach (int z in zs)
        {
            cancel.ThrowIfCancellationRequested();
            var stack = SliceStack.Read(reader, z, context);
            for (int p = 0; p < planes; p++)
                for (int y = 0; y < ch; y++) stack.AsSpan(p * n + (y0 + y) * info.Nx + x0, cw).CopyTo(crop.AsSpan(p * nc + y * cw, cw));
            for (int k = 0; k < crop.Length; k++) crop[k] = float.IsFinite(crop[k]) ? sign * crop[k] : 0;
            for (int i = 0; i < Factors.Count; i++)
            {
                double t = baseScale * Factors[i];
                int w2 = PlaneResampler.Scaled(cw, t), h2 = PlaneResampler.Scaled(ch, t);
                if (Factors[i] != 1 && (Math.Min(w2, h2) < MinNetworkSide || Factors[i] > maxFactor + 1e-9)) continue;
                var img = new float[planes * w2 * h2];
                for (int p = 0; p < planes; p++)
                {
                    var dst = img.AsSpan(p * w2 * h2, w2 * h2);
                    PlaneResampler.Bilinear(crop.AsSpan(p * nc, nc), cw, ch, dst, w2, h2);
                    model.Normalise(dst, w2, h2);
                }
                var prob = new float[w2 * h2];
                predictor.Predict(img, w2, h2, prob);
                evidence[i] += PolarityDetector.Evidence(prob) * Factors[i];
                tried[i] = true;
            }
        }
        var factors = new List<double>();
        var values = new List<double>();
        for (int i = 0; i < Factors.Count; i++)
        {
            if (!tried[i]) continue;
            factors.Add(Factors[i]);
            values.Add(evidence[i] / Math.Max(1, zs.Count));
        }
        double f = Decide(factors, values);
        return new ScaleDecision(baseScale * f, baseScale, true, factors, values, zs.Count);
    }

    /// <summary>Predicted pixels are never finer than this fraction of the model's smallest trained voxel size.</summary>
    public const double FinestVoxelFraction = 0.8;

    /// <summary>
    /// Largest factor worth trying: one that keeps the predicted voxel size (tomogram voxel size /
    /// (base scale × factor)) at least <see cref="FinestVoxelFraction"/> × the model's smallest
    /// trained voxel size (finer pixels than it ever saw, at factor² the cost); 1 when the voxel
    /// size or the model's range is unknown.
    /// </summary>
    internal static double MaxFactor(VoxelSize? voxel, SegmentationModel model, double baseScale)
    {
        double? finest = model.VoxelSizeRange?.Min ?? model.VoxelSize?.X;
        if (voxel is not { } v || !(v.X > 0) || finest is not double f || !(f > 0)) return 1;
        return Math.Max(1, v.X / (baseScale * FinestVoxelFraction * f));
    }

    /// <summary>
    /// The decision rule: the factor with the most evidence if it has at least <see cref="MinGain"/>
    /// times the evidence at factor 1, refined between its neighbours by a parabola in log factor;
    /// else 1 (also when factor 1 was not tried).
    /// </summary>
    internal static double Decide(IReadOnlyList<double> factors, IReadOnlyList<double> evidence)
    {
        int one = -1, best = -1;
        for (int i = 0; i < factors.Count; i++)
        {
            if (Math.Abs(factors[i] - 1) < 1e-9) one = i;
            if (best < 0 || evidence[i] > evidence[best]) best = i;
        }
        if (one < 0 || best < 0) return 1;
        if (!(evidence[best] >= MinGain * evidence[one]) || !(evidence[best] > 0)) return 1;
        // Between ladder steps: the vertex of the parabola through the best and its two neighbours
        // (in log factor; the steps are equal there), at most half a step away.
        if (best == 0 || best == factors.Count - 1) return factors[best];
        double ym = evidence[best - 1], y0 = evidence[best], yp = evidence[best + 1];
        double curvature = ym - 2 * y0 + yp;
        if (!(curvature < 0)) return factors[best];
        double step = Math.Log(factors[best + 1] / factors[best - 1]) / 2;
        double d = Math.Clamp((ym - yp) / (2 * curvature), -0.5, 0.5);
        return factors[best] * Math.Exp(d * step);
    }
}
