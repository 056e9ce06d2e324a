using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// Finds the scale at which the model recognises a tomogram's membranes best, from the model's own
/// evidence (as <see cref="PolarityDetector"/> does for the polarity). The network learned membranes
/// blurred over a few pixels; a tomogram blurrier in pixels (a coarse zone plate at fine pixels,
/// upsampled data) or sharper (binned data) than its training data is segmented better after
/// resampling, and the voxel size alone cannot tell (the header does not state the resolution).
/// A centre crop of the few slices (of <see cref="Candidates"/> spread over the central part) in
/// which the model finds the most membrane at factor 1 is resampled by each factor of
/// <see cref="Factors"/> (on top of the voxel-size rule's scale) and predicted; the evidence is the mean of
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

    /// <summary>A search that moves further than this from factor 1 (either way) is warned about (<see cref="ScaleDecision.Far"/>).</summary>
    public const double FarFactor = 1.3;

    /// <summary>Largest side of the network crop at any factor (pixels).</summary>
    public const int MaxNetworkSide = 1024;

    /// <summary>Largest side of the native centre crop (pixels).</summary>
    public const int MaxNativeSide = 512;

    /// <summary>Smallest side of a network crop worth predicting (pixels): smaller factors are skipped.</summary>
    public const int MinNetworkSide = 64;

    /// <summary>
    /// Slices predicted at factor 1 to choose the sampled ones from (spread over the central 60 %, as
    /// <see cref="PolarityDetector"/>'s): the <c>samples</c> with the most evidence are searched. A thin
    /// tomogram whose membranes lie in a few slices would otherwise be judged on slices of plain
    /// cytoplasm or ice, where coarser factors make the network see blobs (docs/models.md, "The scale
    /// search on small volumes").
    /// </summary>
    public const int Candidates = 12;

    /// <summary>
    /// <see cref="Detect"/>, with a check by the model's polarity referee (<see cref="SegmentationModel.Referee"/>,
    /// a one-slice model) when there is one and the search moved: the move stands only when the
    /// referee's own search moves the same way (its factor, by the same rule, below 1 when this one is
    /// below 1, above when above); otherwise the voxel-size scale is kept. Of 14 wrong moves of
    /// the 7-slice default on small in-domain simulations its referee kept factor 1 in 6, and on every
    /// move that was right (held-out diamond-b24, finer pixels than trained) the referee
    /// moved the same way (docs/models.md, "The referee checks the scale search").
    /// </summary>
    public static ScaleDecision DetectWithReferee(IVolumeReader reader, SegmentationModel model, TileOptions tiles, double baseScale, float sign, CancellationToken cancel = default)
    {
        var own = Detect(reader, model, tiles, baseScale, sign, cancel: cancel);
        if (!own.Detected || own.Factor == 1 || model.Referee is not { } referee) return own;
        var r = Detect(reader, referee, tiles, baseScale, sign, cancel: cancel);
        bool agrees = r.Factor != 1 && r.Factor < 1 == own.Factor < 1;
        return agrees
            ? own with { Referee = r, OwnFactor = own.Factor }
            : own with { Scale = own.BaseScale, Referee = r, Vetoed = true, OwnFactor = own.Factor };
    }

    /// <summary>
    /// Searches the scale for <paramref name="reader"/> with <paramref name="model"/> (its first
    /// worker); <paramref name="sign"/> is the polarity's (−1 negates before normalisation).
    /// The slices of <see cref="CandidateSlices"/>(nz, <paramref name="samples"/>, <paramref name="candidates"/>)
    /// are predicted at factor 1 and the <paramref name="samples"/> of them with the most evidence are
    /// predicted at every factor; given <paramref name="slices"/> (each counted once, in slice order;
    /// <see cref="ArgumentOutOfRangeException"/> for one outside the tomogram, <see cref="ArgumentException"/>
    /// for none), exactly those are searched.
    /// </summary>
    public static ScaleDecision Detect(IVolumeReader reader, SegmentationModel model, TileOptions tiles, double baseScale, float sign, int samples = 4, CancellationToken cancel = default, int candidates = Candidates, IReadOnlyList<int>? slices = null)
    {
        double maxFactor = MaxFactor(reader.Info.VoxelSize, model, baseScale);
        var info = reader.Info;
        List<int> pool;
        if (slices is null) pool = CandidateSlices(info.Nz, samples, candidates);
        else
        {
            var given = new SortedSet<int>();
            foreach (int z in slices)
            {
                if ((uint)z >= (uint)info.Nz) throw new ArgumentOutOfRangeException(nameof(slices), $"slice {z} is outside the tomogram's 0–{info.Nz - 1}");
                given.Add(z);
            }
            if (given.Count == 0) throw new ArgumentException("no slices given", nameof(slices));
            pool = new List<int>(given);
            samples = pool.Count;
        }
        double maxT = baseScale * Factors[^1];
        int side = Math.Max(1, Math.Min(MaxNativeSide, (int)Math.Floor(MaxNetworkSide / maxT)));
        int cw = Math.Min(info.Nx, side), ch = Math.Min(info.Ny, side);
        int x0 = (info.Nx - cw) / 2, y0 = (info.Ny - ch) / 2;
        var predictor = new SlicePredictor(model.Workers[0], tiles with { Augmentations = 1 });
        int planes = predictor.Channels, context = (planes - 1) / 2, n = info.Nx * info.Ny, nc = cw * ch;
        int one = -1;
        for (int i = 0; i < Factors.Count; i++) if (Factors[i] == 1) one = i;
        var crop = new float[planes * nc];

        void ReadCrop(int z)
        {
            var stack = SliceStack.Read(reader, z, context);
            for (int p = 0; p < planes; p++)
                for (int y = 0; y < ch; y++) stack.AsSpan(p * n + (y0 + y) * info.Nx + x0, cw).CopyTo(crop.AsSpan(p * nc + y * cw, cw));
            for (int k = 0; k < crop.Length; k++) crop[k] = float.IsFinite(crop[k]) ? sign * crop[k] : 0;
        }

        // Scale-normalised evidence of the crop at ladder factor i, or NaN when that factor is not tried.
        double EvidenceAt(int i)
        {
            double t = baseScale * Factors[i];
            int w2 = PlaneResampler.Scaled(cw, t), h2 = PlaneResampler.Scaled(ch, t);
            if (Factors[i] != 1 && (Math.Min(w2, h2) < MinNetworkSide || Factors[i] > maxFactor + 1e-9)) return double.NaN;
            var img = new float[planes * w2 * h2];
            for (int p = 0; p < planes; p++)
            {
                var dst = img.AsSpan(p * w2 * h2, w2 * h2);
                PlaneResampler.Bilinear(crop.AsSpan(p * nc, nc), cw, ch, dst, w2, h2);
                model.Normalise(dst, w2, h2);
            }
            var prob = new float[w2 * h2];
            predictor.Predict(img, w2, h2, prob);
            return PolarityDetector.Evidence(prob) * Factors[i];
        }

        // Factor 1 on every candidate; the samples with the most evidence are searched (ties: the
        // earlier slice), in slice order.
        var atOne = new double[pool.Count];
        for (int c = 0; c < pool.Count; c++)
        {
            cancel.ThrowIfCancellationRequested();
            ReadCrop(pool[c]);
            atOne[c] = EvidenceAt(one);
        }
        var chosen = ChooseSamples(atOne, samples);
        var zs = new List<int>(chosen.Count);
        foreach (int c in chosen) zs.Add(pool[c]);

        var evidence = new double[Factors.Count];
        var tried = new bool[Factors.Count];
        foreach (int c in chosen)
        {
            evidence[one] += atOne[c];
            tried[one] = true;
        }
        foreach (int c in chosen)
        {
            cancel.ThrowIfCancellationRequested();
            ReadCrop(pool[c]);
            for (int i = 0; i < Factors.Count; i++)
            {
                if (i == one) continue;
                double e = EvidenceAt(i);
                if (double.IsNaN(e)) continue;
                evidence[i] += e;
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
        return new ScaleDecision(baseScale * f, baseScale, true, factors, values, zs.Count) { SampledSlices = zs, Candidates = pool.Count };
    }

    /// <summary>
    /// The candidate slices of a search: all slices when there are no more than <paramref name="samples"/>;
    /// else <paramref name="candidates"/> (at least <paramref name="samples"/>) spread evenly over the
    /// central 60 % of the depth (as <see cref="PolarityDetector"/>'s), each once and in order (rounding
    /// can give a slice twice when the tomogram has few slices).
    /// </summary>
    public static List<int> CandidateSlices(int nz, int samples, int candidates)
    {
        if (nz <= samples) return PolarityDetector.SampledSlices(nz, samples);
        var zs = new List<int>();
        foreach (int z in SliceSampling.CentralSpread(nz, Math.Max(samples, candidates)))
            if (zs.Count == 0 || zs[^1] != z) zs.Add(z);
        return zs;
    }

    /// <summary>
    /// Indices of the <paramref name="samples"/> largest of <paramref name="evidence"/> (all when
    /// there are no more), in increasing index order; of equal evidence the lower index is taken.
    /// </summary>
    internal static List<int> ChooseSamples(IReadOnlyList<double> evidence, int samples)
    {
        var order = new List<int>(evidence.Count);
        for (int i = 0; i < evidence.Count; i++) order.Add(i);
        // A stable sort by descending evidence (List.Sort is not stable: the index breaks ties).
        order.Sort((a, b) =>
        {
            int c = evidence[b].CompareTo(evidence[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        if (order.Count > samples) order.RemoveRange(samples, order.Count - samples);
        order.Sort();
        return order;
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
