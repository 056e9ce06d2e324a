using System.Numerics;
using System.Runtime.InteropServices;

namespace SxtSeg.Simulation;

/// <summary>
/// Reconstructs x–z planes from their sinograms (parallel beam, tilt axis y) with weighted
/// back-projection or SIRT, using <see cref="ParallelBeamProjector"/>. Sinograms hold line
/// integrals in voxel units (−ln transmission); the planes come out in the same units per voxel
/// (attenuation per voxel length). Thread-safe: one instance can reconstruct batches in parallel.
/// </summary>
public sealed class Reconstructor
{
    private readonly ParallelBeamProjector _projector;
    private readonly double[] _angleWeights;
    private readonly VectorFft? _fft;
    private readonly double[]? _filter;
    private readonly float[]? _rayWeights, _pixelWeights;

    /// <summary>Prepares filters (WBP) or normalisation weights (SIRT) for the geometry.</summary>
    public Reconstructor(int width, int height, int detectors, IReadOnlyList<double> anglesDeg, ReconstructionOptions options)
    {
        Options = options;
        if (options.Iterations < 1 && options.Method == ReconstructionMethod.Sirt) throw new ArgumentOutOfRangeException(nameof(options), "SIRT needs at least one iteration");
        _projector = new ParallelBeamProjector(width, height, detectors, anglesDeg);
        _angleWeights = AngularWeights(anglesDeg);
        if (options.Method == ReconstructionMethod.Wbp)
        {
            int p = Fft.NextPowerOfTwo(Math.Max(64, 2 * detectors));
            _fft = new VectorFft(p);
            _filter = FilterResponse(p, options.Filter, options.Cutoff, options.Falloff);
        }
        else
        {
            // SIRT normalisation: R = 1 / row sums (A·1), C = 1 / column sums (Aᵀ·1).
            var ones = new float[_projector.PlaneLength];
            Array.Fill(ones, 1f);
            var rs = new float[_projector.SinogramLength];
            _projector.Forward(ones, rs);
            _rayWeights = new float[rs.Length];
            for (int i = 0; i < rs.Length; i++) _rayWeights[i] = rs[i] > 1e-3f ? 1f / rs[i] : 0f;
            var onesS = new float[_projector.SinogramLength];
            Array.Fill(onesS, 1f);
            var cs = new float[_projector.PlaneLength];
            _projector.Back(onesS, cs);
            _pixelWeights = new float[cs.Length];
            for (int i = 0; i < cs.Length; i++) _pixelWeights[i] = cs[i] > 1e-3f ? (float)(options.Relaxation / cs[i]) : 0f;
        }
    }

    /// <summary>The settings.</summary>
    public ReconstructionOptions Options { get; }

    /// <summary>The projector (geometry) used.</summary>
    public ParallelBeamProjector Projector => _projector;

    /// <summary>
    /// Angular integration weights in radians: each angle stands for the interval halfway to its
    /// neighbours (uniform steps give the step itself).
    /// </summary>
    public static double[] AngularWeights(IReadOnlyList<double> anglesDeg)
    {
        int n = anglesDeg.Count;
        var w = new double[n];
        if (n == 1) { w[0] = Math.PI; return w; }
        for (int i = 0; i < n; i++)
        {
            double prev = i > 0 ? anglesDeg[i - 1] : anglesDeg[0] - (anglesDeg[1] - anglesDeg[0]);
            double next = i < n - 1 ? anglesDeg[i + 1] : anglesDeg[n - 1] + (anglesDeg[n - 1] - anglesDeg[n - 2]);
            w[i] = Math.Abs(next - prev) * 0.5 * Math.PI / 180;
        }
        return w;
    }

    /// <summary>
    /// Frequency response (length <paramref name="n"/>, FFT order) of the discrete ramp filter
    /// (Kak and Slaney's spatial kernel h(0) = 1/4, h(odd k) = −1/(π²k²), which keeps the DC term
    /// right) times the chosen window and, above <paramref name="cutoff"/> cycles/pixel, a Gaussian
    /// fall-off of width <paramref name="falloff"/> (IMOD's radial filter).
    /// </summary>
    public static double[] FilterResponse(int n, FbpFilter filter, double cutoff = 0.5, double falloff = 0.05)
    {
        var re = new double[n];
        var im = new double[n];
        re[0] = 0.25;
        for (int k = 1; k < n / 2; k += 2)
        {
            double v = -1.0 / (Math.PI * Math.PI * k * k);
            re[k] = v;
            re[n - k] = v;
        }
        new Fft(n).Forward(re, im);
        var h = new double[n];
        for (int i = 0; i < n; i++)
        {
            double f = (i <= n / 2 ? i : n - i) / (double)n; // 0 .. 0.5 cycles per bin
            double window = filter switch
            {
                FbpFilter.Hamming => 0.54 + 0.46 * Math.Cos(2 * Math.PI * f),
                FbpFilter.Hann => 0.5 + 0.5 * Math.Cos(2 * Math.PI * f),
                FbpFilter.SheppLogan => f == 0 ? 1 : Math.Sin(Math.PI * f) / (Math.PI * f),
                FbpFilter.Cosine => Math.Cos(Math.PI * f),
                _ => 1,
            };
            if (f > cutoff) window *= falloff > 0 ? Math.Exp(-0.5 * Math.Pow((f - cutoff) / falloff, 2)) : 0;
            h[i] = re[i] * window;
        }
        return h;
    }

    /// <summary>Reconstructs one plane from one sinogram (angle-major, [a·D + d]).</summary>
    public void Reconstruct(ReadOnlySpan<float> sinogram, Span<float> plane)
    {
        int L = ParallelBeamProjector.Lanes;
        var sb = new float[_projector.SinogramLength * L];
        for (int i = 0; i < sinogram.Length; i++) sb[i * L] = sinogram[i];
        var pb = new float[_projector.PlaneLength * L];
        ReconstructBatch(sb, pb);
        for (int i = 0; i < plane.Length; i++) plane[i] = pb[i * L];
    }

    /// <summary>
    /// Reconstructs <see cref="ParallelBeamProjector.Lanes"/> interleaved planes from interleaved
    /// sinograms. <paramref name="sinograms"/> is used as scratch (WBP filters it in place).
    /// </summary>
    public void ReconstructBatch(Span<float> sinograms, Span<float> planes)
    {
        if (Options.Method == ReconstructionMethod.Wbp)
        {
            FilterBatch(sinograms);
            _projector.BackBatch(sinograms, planes);
        }
        else
        {
            Sirt(sinograms, planes);
        }
    }

    private void FilterBatch(Span<float> sino)
    {
        // All lanes (rows) at once: each projection row is padded with its edge values, transformed,
        // multiplied by the filter, transformed back and weighted by its angular interval.
        int D = _projector.Detectors, A = _projector.AngleCount;
        int n = _fft!.N;
        var re = new Vector<float>[n];
        var im = new Vector<float>[n];
        var h = _filter!;
        int padRight = (n - D) / 2;
        var sv = MemoryMarshal.Cast<float, Vector<float>>(sino);
        int vpe = ParallelBeamProjector.Lanes / Vector<float>.Count;
        for (int a = 0; a < A; a++)
        {
            int baseIdx = a * D;
            var wa = new Vector<float>((float)_angleWeights[a]);
            for (int h0 = 0; h0 < vpe; h0++)
            {
                for (int d = 0; d < D; d++) re[d] = sv[(baseIdx + d) * vpe + h0];
                var first = re[0];
                var last = re[D - 1];
                for (int k = D; k < n; k++) re[k] = k < D + padRight ? last : first;
                Array.Clear(im);
                _fft.Forward(re, im);
                for (int k = 0; k < n; k++)
                {
                    var hk = new Vector<float>((float)h[k]);
                    re[k] *= hk;
                    im[k] *= hk;
                }
                _fft.Inverse(re, im);
                for (int d = 0; d < D; d++) sv[(baseIdx + d) * vpe + h0] = re[d] * wa;
            }
        }
    }

    private void Sirt(ReadOnlySpan<float> sino, Span<float> planes)
    {
        var sv = MemoryMarshal.Cast<float, Vector<float>>(sino);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(planes);
        planes.Clear();
        var ax = new float[sino.Length];
        var back = new float[planes.Length];
        var axv = MemoryMarshal.Cast<float, Vector<float>>(ax.AsSpan());
        var bv = MemoryMarshal.Cast<float, Vector<float>>(back.AsSpan());
        var R = _rayWeights!;
        var C = _pixelWeights!;
        int vpe = ParallelBeamProjector.Lanes / Vector<float>.Count;
        for (int it = 0; it < Options.Iterations; it++)
        {
            _projector.ForwardBatch(planes, ax, DepthBands.Single);
            for (int i = 0; i < axv.Length; i++) axv[i] = (sv[i] - axv[i]) * new Vector<float>(R[i / vpe]);
            _projector.BackBatch(ax, back);
            for (int i = 0; i < xv.Length; i++) xv[i] += bv[i] * new Vector<float>(C[i / vpe]);
        }
    }
}
