using System.Numerics;
using System.Runtime.InteropServices;

namespace SxtSeg.Simulation;

/// <summary>
/// Parallel-beam projector for single-axis tilt tomography: each x–z plane (one row y of the
/// volume; tilt axis = y) is projected onto a line detector at every tilt angle, and back.
/// The pair is the distance-driven model (De Man and Basu 2004): pixel and detector-bin boundaries
/// are mapped onto a common axis and each pixel contributes to each bin in proportion to their
/// overlap, times the path length through the pixel row (1/|cos θ|) or column (1/|sin θ|).
/// <see cref="Back"/> is the exact transpose of <see cref="Forward"/> (so ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to
/// rounding), and it is also the footprint-averaging back-projector filtered back-projection needs.
/// <para>
/// Geometry, in voxel units: pixel (x, z) of a <see cref="Width"/> × <see cref="Height"/> plane has its
/// centre at X = x − (W−1)/2, Z = z − (H−1)/2; the projection of that point at tilt θ falls at
/// detector coordinate u = X cos θ + Z sin θ, and detector bin d covers u ∈ [d − D/2, d − D/2 + 1)
/// for D = <see cref="Detectors"/>. Depth along the beam is t = −X sin θ + Z cos θ. Angles must lie
/// in [−90°, 90°].
/// </para>
/// <para>
/// Memory: a single plane is z-major (plane[z·W + x]); a sinogram is angle-major (sino[a·D + d]).
/// The batched methods process <see cref="Lanes"/> planes at once, interleaved so that element
/// (z, x) of lane l is at [(z·W + x)·L + l] (and [(a·D + d)·L + l] for sinograms): the overlap
/// weights are computed once and applied to two SIMD vectors of rows.
/// </para>
/// </summary>
public sealed class ParallelBeamProjector
{
    private readonly double[] _cos, _sin;

    /// <summary>Creates a projector for planes of <paramref name="width"/> × <paramref name="height"/> voxels.</summary>
    public ParallelBeamProjector(int width, int height, int detectors, IReadOnlyList<double> anglesDeg)
    {
        if (width <= 0 || height <= 0 || detectors <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"plane {width} × {height} and {detectors} detector bins must be positive");
        if (anglesDeg.Count == 0) throw new ArgumentException("at least one tilt angle is needed", nameof(anglesDeg));
        Width = width;
        Height = height;
        Detectors = detectors;
        AnglesDeg = anglesDeg.ToArray();
        _cos = new double[anglesDeg.Count];
        _sin = new double[anglesDeg.Count];
        for (int a = 0; a < anglesDeg.Count; a++)
        {
            double deg = anglesDeg[a];
            if (!(deg >= -90.0001 && deg <= 90.0001)) throw new ArgumentOutOfRangeException(nameof(anglesDeg), $"tilt angle {deg}° outside [−90°, 90°]");
            double r = deg * Math.PI / 180;
            _cos[a] = Math.Cos(r);
            _sin[a] = Math.Sin(r);
            if (Math.Abs(_cos[a]) < 1e-12) _cos[a] = 0;
        }
    }

    /// <summary>Plane width (x voxels).</summary>
    public int Width { get; }

    /// <summary>Plane height (z voxels).</summary>
    public int Height { get; }

    /// <summary>Detector bins.</summary>
    public int Detectors { get; }

    /// <summary>Tilt angles in degrees.</summary>
    public IReadOnlyList<double> AnglesDeg { get; }

    /// <summary>Number of angles.</summary>
    public int AngleCount => _cos.Length;

    /// <summary>SIMD vectors per interleaved element: two, so that the scalar work of each overlap is shared by twice the rows.</summary>
    private const int VectorsPerElement = 2;

    /// <summary>Planes processed together by the batched methods (twice the SIMD width in floats).</summary>
    public static int Lanes => VectorsPerElement * Vector<float>.Count;

    /// <summary>Elements in one plane.</summary>
    public int PlaneLength => Width * Height;

    /// <summary>Elements in one sinogram.</summary>
    public int SinogramLength => AngleCount * Detectors;

    /// <summary>Forward projection of one plane: sinogram = A·plane (overwritten).</summary>
    public void Forward(ReadOnlySpan<float> plane, Span<float> sinogram)
    {
        CheckLength(plane.Length, PlaneLength, nameof(plane));
        CheckLength(sinogram.Length, SinogramLength, nameof(sinogram));
        int L = Lanes;
        var pb = new float[PlaneLength * L];
        var sb = new float[SinogramLength * L];
        for (int i = 0; i < plane.Length; i++) pb[i * L] = plane[i];
        ForwardBatch(pb, sb, DepthBands.Single);
        for (int i = 0; i < sinogram.Length; i++) sinogram[i] = sb[i * L];
    }

    /// <summary>Back-projection of one sinogram: plane = Aᵀ·sinogram (overwritten).</summary>
    public void Back(ReadOnlySpan<float> sinogram, Span<float> plane)
    {
        CheckLength(plane.Length, PlaneLength, nameof(plane));
        CheckLength(sinogram.Length, SinogramLength, nameof(sinogram));
        int L = Lanes;
        var pb = new float[PlaneLength * L];
        var sb = new float[SinogramLength * L];
        for (int i = 0; i < sinogram.Length; i++) sb[i * L] = sinogram[i];
        BackBatch(sb, pb);
        for (int i = 0; i < plane.Length; i++) plane[i] = pb[i * L];
    }

    /// <summary>
    /// Forward projection of <see cref="Lanes"/> interleaved planes into <paramref name="bands"/>.Count
    /// interleaved sinograms (output layout [band][angle][bin][lane], overwritten): each pixel's
    /// contribution goes to the band holding its depth at that angle. Planes are scanned only over
    /// their non-zero extent.
    /// </summary>
    public void ForwardBatch(ReadOnlySpan<float> planes, Span<float> sinograms, DepthBands bands)
    {
        var all = new DepthBands[AngleCount];
        Array.Fill(all, bands);
        ForwardBatch(planes, sinograms, all, bands.Count);
    }

    /// <summary>
    /// As <see cref="ForwardBatch(ReadOnlySpan{float}, Span{float}, DepthBands)"/> with depth bands chosen per
    /// angle (<paramref name="bands"/>[a]); the output holds <paramref name="bandCount"/> bands (at least
    /// the largest count), bands an angle does not use stay zero.
    /// </summary>
    public void ForwardBatch(ReadOnlySpan<float> planes, Span<float> sinograms, IReadOnlyList<DepthBands> bands, int bandCount)
    {
        int L = Lanes;
        CheckLength(planes.Length, PlaneLength * L, nameof(planes));
        if (bands.Count != AngleCount) throw new ArgumentException($"need depth bands for each of the {AngleCount} angles", nameof(bands));
        foreach (var b in bands)
            if (b.Count < 1 || b.Count > bandCount || !(b.Step > 0)) throw new ArgumentOutOfRangeException(nameof(bands), "band counts must be 1..bandCount with positive steps");
        CheckLength(sinograms.Length, SinogramLength * L * bandCount, nameof(sinograms));
        sinograms.Clear();
        var extent = Extent(planes);
        for (int a = 0; a < AngleCount; a++)
            ForwardAngleCore(planes, extent, a, bands[a], sinograms, angleBase: a * Detectors, bandLength: SinogramLength);
    }

    /// <summary>
    /// The non-zero extent of <see cref="Lanes"/> interleaved planes, which the forward projection
    /// scans; computed once per batch by <see cref="Extent"/> and reused for every angle.
    /// </summary>
    public sealed class PlaneExtent
    {
        internal PlaneExtent(int[] rowLo, int[] rowHi, int[] colLo, int[] colHi)
        {
            RowLo = rowLo; RowHi = rowHi; ColLo = colLo; ColHi = colHi;
        }

        internal int[] RowLo { get; }
        internal int[] RowHi { get; }
        internal int[] ColLo { get; }
        internal int[] ColHi { get; }
    }

    /// <summary>The non-zero extent of each row (for row-wise angles) and column (for column-wise angles) of a batch of interleaved planes.</summary>
    public PlaneExtent Extent(ReadOnlySpan<float> planes)
    {
        CheckLength(planes.Length, PlaneLength * Lanes, nameof(planes));
        var pv = MemoryMarshal.Cast<float, Vector<float>>(planes);
        int W = Width, H = Height;
        var rowLo = new int[H]; var rowHi = new int[H];
        var colLo = new int[W]; var colHi = new int[W];
        Array.Fill(colLo, H);
        for (int z = 0; z < H; z++)
        {
            int lo = W, hi = 0;
            for (int x = 0; x < W; x++)
            {
                int e = (z * W + x) * VectorsPerElement;
                if (pv[e] != Vector<float>.Zero || pv[e + 1] != Vector<float>.Zero)
                {
                    if (lo == W) lo = x;
                    hi = x + 1;
                    if (z < colLo[x]) colLo[x] = z;
                    colHi[x] = z + 1;
                }
            }
            rowLo[z] = lo; rowHi[z] = hi;
        }
        return new PlaneExtent(rowLo, rowHi, colLo, colHi);
    }

    /// <summary>
    /// Forward projection of <see cref="Lanes"/> interleaved planes at angle <paramref name="angle"/> alone
    /// into <paramref name="band"/>.Count interleaved detector lines (layout [band][bin][lane], overwritten):
    /// exactly that angle's part of <see cref="ForwardBatch(ReadOnlySpan{float}, Span{float}, IReadOnlyList{DepthBands}, int)"/>,
    /// value for value, in 1 / <see cref="AngleCount"/> of its memory. <paramref name="extent"/> is the
    /// planes' <see cref="Extent"/>.
    /// </summary>
    public void ForwardAngle(ReadOnlySpan<float> planes, PlaneExtent extent, int angle, DepthBands band, Span<float> lines)
    {
        int L = Lanes;
        CheckLength(planes.Length, PlaneLength * L, nameof(planes));
        if ((uint)angle >= (uint)AngleCount) throw new ArgumentOutOfRangeException(nameof(angle), $"angle index {angle} outside 0..{AngleCount - 1}");
        if (band.Count < 1 || !(band.Step > 0)) throw new ArgumentOutOfRangeException(nameof(band), "the band count must be at least 1 with a positive step");
        CheckLength(lines.Length, Detectors * L * band.Count, nameof(lines));
        if (extent.RowLo.Length != Height || extent.ColLo.Length != Width)
            throw new ArgumentException($"the extent is of {extent.ColLo.Length} × {extent.RowLo.Length} planes, this projector's are {Width} × {Height}", nameof(extent));
        lines.Clear();
        ForwardAngleCore(planes, extent, angle, band, lines, angleBase: 0, bandLength: Detectors);
    }

    /// <summary>
    /// Angle <paramref name="a"/> of the forward projection, added into <paramref name="sinograms"/>
    /// with bin d of band k at element (k·<paramref name="bandLength"/> + <paramref name="angleBase"/> + d)·L.
    /// </summary>
    private void ForwardAngleCore(ReadOnlySpan<float> planes, PlaneExtent extent, int a, DepthBands band, Span<float> sinograms, int angleBase, int bandLength)
    {
        var pv = MemoryMarshal.Cast<float, Vector<float>>(planes);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(sinograms);
        int W = Width, H = Height, D = Detectors;
        var (rowLo, rowHi, colLo, colHi) = (extent.RowLo, extent.RowHi, extent.ColLo, extent.ColHi);
        int K = band.Count;
        double invStep = 1.0 / band.Step;
        double c = _cos[a], s = _sin[a];
        if (Math.Abs(c) >= Math.Abs(s))
        {
            double ac = Math.Abs(c), inv = 1.0 / ac;
            for (int z = 0; z < H; z++)
            {
                if (rowLo[z] >= rowHi[z]) continue;
                double zc = z - (H - 1) * 0.5;
                double u0 = -W * 0.5 * c + zc * s + D * 0.5;
                // Depth of pixel x: t = −X s + Z c with X = x − (W−1)/2.
                double t0 = (W - 1) * 0.5 * s + zc * c, dt = -s;
                MergeForward(pv, sv, rowBase: z * W, stride: 1, rowLo[z], rowHi[z], u0, ac, inv, angleBase, bandLength, t0, dt, band.Start, invStep, K);
            }
        }
        else
        {
            double asn = Math.Abs(s), inv = 1.0 / asn;
            for (int x = 0; x < W; x++)
            {
                if (colLo[x] >= colHi[x]) continue;
                double xc = x - (W - 1) * 0.5;
                // Pixel z spans u in [xc c + (z − H/2) s, ... + s] (+ D/2); scan in increasing u.
                double t0x = -xc * s;
                if (s > 0)
                {
                    double u0 = xc * c - H * 0.5 * s + D * 0.5;
                    MergeForward(pv, sv, rowBase: x, stride: W, colLo[x], colHi[x], u0, asn, inv, angleBase, bandLength,
                        t0x + (0 - (H - 1) * 0.5) * c, c, band.Start, invStep, K);
                }
                else
                {
                    // Reverse order: index j = H−1−z; pixel j spans [u0 + j|s|, u0 + (j+1)|s|].
                    double u0 = xc * c + H * 0.5 * s + D * 0.5;
                    int jLo = H - colHi[x], jHi = H - colLo[x];
                    MergeForward(pv, sv, rowBase: (H - 1) * W + x, stride: -W, jLo, jHi, u0, asn, inv, angleBase, bandLength,
                        t0x + ((H - 1) - (H - 1) * 0.5) * c, -c, band.Start, invStep, K);
                }
            }
        }
    }

    /// <summary>
    /// One line of pixels (index i from <paramref name="iLo"/> to <paramref name="iHi"/>, element at
    /// rowBase + i·stride) against the detector: pixel i spans u ∈ [u0 + i·w, u0 + (i+1)·w] with
    /// w ≤ 1, so it overlaps at most two bins; each gets (overlap / w) of the pixel.
    /// </summary>
    private void MergeForward(ReadOnlySpan<Vector<float>> pv, Span<Vector<float>> sv, int rowBase, int stride, int iLo, int iHi,
        double u0, double w, double invW, int angleBase, int bandLen, double t0, double dt, double bandStart, double invStep, int K)
    {
        int D = Detectors;
        // Only pixels that can reach the detector.
        int first = Math.Max(iLo, (int)Math.Floor(-u0 / w) - 1);
        int last = Math.Min(iHi, (int)Math.Ceiling((D - u0) / w) + 1);
        for (int i = first; i < last; i++)
        {
            double pl = u0 + i * w, pr = pl + w;
            int d0 = (int)Math.Floor(pl);
            if (d0 >= D || pr <= 0) continue;
            int pe = (rowBase + i * stride) * VectorsPerElement;
            var v0 = pv[pe];
            var v1 = pv[pe + 1];
            int off = angleBase + (K > 1 ? BandOf(t0 + i * dt, bandStart, invStep, K) * bandLen : 0);
            double split = d0 + 1;
            if (d0 >= 0)
            {
                double hi = Math.Min(pr, split);
                var w0 = new Vector<float>((float)((hi - pl) * invW));
                int se = (off + d0) * VectorsPerElement;
                sv[se] += w0 * v0;
                sv[se + 1] += w0 * v1;
            }
            if (pr > split && d0 + 1 < D)
            {
                var w1 = new Vector<float>((float)((pr - Math.Max(pl, split)) * invW));
                int se = (off + d0 + 1) * VectorsPerElement;
                sv[se] += w1 * v0;
                sv[se + 1] += w1 * v1;
            }
        }
    }

    private static int BandOf(double t, double start, double invStep, int K)
    {
        if (K == 1) return 0;
        int k = (int)Math.Floor((t - start) * invStep);
        return k < 0 ? 0 : k >= K ? K - 1 : k;
    }

    /// <summary>
    /// Back-projection of <see cref="Lanes"/> interleaved sinograms (layout [angle][bin][lane]) into
    /// interleaved planes (overwritten): planes = Aᵀ·sinograms. With sinogram rows scaled by the
    /// angular weights and ramp-filtered this is filtered back-projection.
    /// </summary>
    public void BackBatch(ReadOnlySpan<float> sinograms, Span<float> planes)
    {
        int L = Lanes;
        CheckLength(planes.Length, PlaneLength * L, nameof(planes));
        CheckLength(sinograms.Length, SinogramLength * L, nameof(sinograms));
        planes.Clear();
        var pv = MemoryMarshal.Cast<float, Vector<float>>(planes);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(sinograms);
        int W = Width, H = Height, D = Detectors;
        for (int a = 0; a < AngleCount; a++)
        {
            double c = _cos[a], s = _sin[a];
            if (Math.Abs(c) >= Math.Abs(s))
            {
                double ac = Math.Abs(c), inv = 1.0 / ac;
                for (int z = 0; z < H; z++)
                {
                    double zc = z - (H - 1) * 0.5;
                    double u0 = -W * 0.5 * c + zc * s + D * 0.5;
                    MergeBack(pv, sv, z * W, 1, W, u0, ac, inv, a);
                }
            }
            else
            {
                double asn = Math.Abs(s), inv = 1.0 / asn;
                for (int x = 0; x < W; x++)
                {
                    double xc = x - (W - 1) * 0.5;
                    if (s > 0) MergeBack(pv, sv, x, W, H, xc * c - H * 0.5 * s + D * 0.5, asn, inv, a);
                    else MergeBack(pv, sv, (H - 1) * W + x, -W, H, xc * c + H * 0.5 * s + D * 0.5, asn, inv, a);
                }
            }
        }
    }

    private void MergeBack(Span<Vector<float>> pv, ReadOnlySpan<Vector<float>> sv, int rowBase, int stride, int n,
        double u0, double w, double invW, int a)
    {
        int D = Detectors;
        int angleBase = a * D;
        int first = Math.Max(0, (int)Math.Floor(-u0 / w) - 1);
        int last = Math.Min(n, (int)Math.Ceiling((D - u0) / w) + 1);
        for (int i = first; i < last; i++)
        {
            double pl = u0 + i * w, pr = pl + w;
            int d0 = (int)Math.Floor(pl);
            if (d0 >= D || pr <= 0) continue;
            double split = d0 + 1;
            var acc0 = Vector<float>.Zero;
            var acc1 = Vector<float>.Zero;
            if (d0 >= 0)
            {
                var w0 = new Vector<float>((float)((Math.Min(pr, split) - pl) * invW));
                int se = (angleBase + d0) * VectorsPerElement;
                acc0 = w0 * sv[se];
                acc1 = w0 * sv[se + 1];
            }
            if (pr > split && d0 + 1 < D)
            {
                var w1 = new Vector<float>((float)((pr - Math.Max(pl, split)) * invW));
                int se = (angleBase + d0 + 1) * VectorsPerElement;
                acc0 += w1 * sv[se];
                acc1 += w1 * sv[se + 1];
            }
            int pe = (rowBase + i * stride) * VectorsPerElement;
            pv[pe] += acc0;
            pv[pe + 1] += acc1;
        }
    }

    private static void CheckLength(int got, int expected, string name)
    {
        if (got != expected) throw new ArgumentException($"{name} holds {got} values, expected {expected}", name);
    }
}
