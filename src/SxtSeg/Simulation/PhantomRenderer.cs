namespace SxtSeg.Simulation;

/// <summary>
/// Rasterises a <see cref="Phantom"/> row by row at the voxel grid: partial-volume LAC (each
/// object blended in by the fraction of the voxel it covers, from its signed distance), membranes
/// as thin sheets of extra absorption (triangle profile one voxel wide, integral = bilayer
/// thickness × excess LAC), and the labels: class and instance of the object holding each voxel
/// centre, and membrane = voxel centre within the shell half-width of any membrane surface.
/// Rows are independent, so they can be rendered in parallel.
/// </summary>
public sealed class PhantomRenderer
{
    /// <summary>Label code bit: membrane a slice can show.</summary>
    public const byte VisibleMembrane = 1;

    /// <summary>Label code bit: membrane a slice cannot show (face-on in x–y slices or inside the missing wedge).</summary>
    public const byte HiddenMembrane = 2;

    /// <summary>Label code bit: background to ignore (beside a hidden membrane, or between two membranes the optics merge).</summary>
    public const byte IgnoreBand = 4;

    private readonly Phantom _ph;
    private readonly int[][] _rows;
    private readonly int _row0;
    private readonly double _d, _w, _padV, _band;
    private readonly double _cosCone, _cosFaceOn, _sinWedgeDepth, _sinTilt, _cosTilt, _resolutionV;
    // The defocus rule (IgnoreDefocus > 0): the nominal tilts' sines and cosines, the sine of the
    // edge-on window, the focal plane and the limit (voxels), the volume's centre (the tilt axis).
    private readonly double[]? _tiltSin, _tiltCos;
    private readonly double _sinEdgeOn, _focusV, _defocusLimitV, _centreX, _centreZ;

    /// <summary>Prepares per-row object lists for the rows of the field and <see cref="Phantom.HaloY"/> rows on each side.</summary>
    public PhantomRenderer(Phantom phantom) : this(phantom, phantom.HaloY) { }

    /// <summary>
    /// Prepares per-row object lists for the rows of the field and <paramref name="haloRows"/> rows
    /// on each side (at least <see cref="Phantom.HaloY"/>). Rows beyond the phantom's margin hold
    /// what the objects that reach them put there and the container: cells and nuclei extend
    /// beyond it, but organelles, beads and microvilli are placed within it, so those rows are a
    /// cell emptied of them. The simulator renders them where the PSF reaches farther than the margin.
    /// </summary>
    public PhantomRenderer(Phantom phantom, int haloRows)
    {
        _ph = phantom;
        _d = phantom.VoxelNm;
        _w = phantom.Parameters.ShellHalfWidthVoxels;
        var p = phantom.Parameters;
        _band = p.IgnoreBandVoxels;
        _padV = Math.Max(1.6, _w + Math.Max(1.1, _band + 0.1));
        double tilt = Math.Min(90, p.MaxTiltDeg) * Math.PI / 180;
        _sinTilt = Math.Sin(tilt);
        _cosTilt = Math.Cos(tilt);
        _cosCone = Math.Cos(Math.Clamp(90 - p.MaxTiltDeg + p.IgnoreMarginDeg, 0, 90) * Math.PI / 180);
        _cosFaceOn = Math.Cos(p.IgnoreFaceOnDeg * Math.PI / 180);
        _sinWedgeDepth = Math.Sin(p.IgnoreWedgeDepthDeg * Math.PI / 180);
        _resolutionV = p.ResolutionNm / _d;
        if (p.IgnoreDefocus > 0 && p.DepthOfFocus)
        {
            var tilts = p.TiltAngles();
            _tiltSin = new double[tilts.Length];
            _tiltCos = new double[tilts.Length];
            for (int a = 0; a < tilts.Length; a++)
            {
                double th = tilts[a] * Math.PI / 180;
                _tiltSin[a] = Math.Sin(th);
                _tiltCos[a] = Math.Cos(th);
            }
            _sinEdgeOn = Math.Sin(p.IgnoreMarginDeg * Math.PI / 180);
            _focusV = p.FocusOffsetNm / _d;
            _defocusLimitV = p.IgnoreDefocus * p.DepthOfFocusNm / _d;
            _centreX = (phantom.Nx - 1) / 2.0;
            _centreZ = (phantom.Nz - 1) / 2.0;
        }
        int halo = Math.Max(phantom.HaloY, haloRows);
        _row0 = -halo;
        int nrows = phantom.Ny + 2 * halo;
        var lists = new List<int>[nrows];
        for (int i = 0; i < nrows; i++) lists[i] = new List<int>();
        double pad = _padV * _d;
        foreach (var o in phantom.Objects)
        {
            if (o.IsProtrusion) continue;
            var b = o.Shape.Bounds;
            foreach (int pi in o.Protrusions) b = Box3.Union(b, phantom.Objects[pi].Shape.Bounds);
            int lo = Math.Max(0, (int)Math.Floor((b.Min.Y - pad) / _d) - _row0);
            int hi = Math.Min(nrows - 1, (int)Math.Ceiling((b.Max.Y + pad) / _d) - _row0);
            for (int r = lo; r <= hi; r++) lists[r].Add(o.Index);
        }
        _rows = lists.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>The phantom.</summary>
    public Phantom Phantom => _ph;

    /// <summary>
    /// Renders row <paramref name="y"/> (may lie up to the renderer's halo rows outside the field
    /// of view) into <paramref name="row"/>; labels only when <paramref name="labels"/> is true.
    /// </summary>
    public void RenderRow(int y, PhantomRow row, bool labels)
    {
        int r = y - _row0;
        if (r < 0 || r >= _rows.Length) throw new ArgumentOutOfRangeException(nameof(y), $"row {y} is outside the rendered range");
        double yNm = y * _d;
        PaintContainer(row, labels);
        foreach (int idx in _rows[r])
        {
            var o = _ph.Objects[idx];
            if (o.Class == SimClass.Cytoplasm) PaintCell(o, yNm, row, labels);
            else PaintObject(o, yNm, row, labels);
        }
    }

    private void PaintContainer(PhantomRow row, bool labels)
    {
        int W = _ph.Width, M = _ph.MarginX, Nx = _ph.Nx, Nz = _ph.Nz;
        var p = _ph.Parameters;
        if (labels)
        {
            Array.Clear(row.Membranes);
            Array.Clear(row.Instances);
        }
        if (_ph.Geometry == SampleGeometry.Slab)
        {
            for (int z = 0; z < Nz; z++)
            {
                row.Lac.AsSpan(z * W, W).Fill(_ph.SlabProfile[z]);
                if (labels)
                {
                    double zz = z * _d;
                    byte c = (byte)(zz >= _ph.SlabLoNm && zz <= _ph.SlabHiNm ? SimClass.Ice : SimClass.Vacuum);
                    row.Classes.AsSpan(z * Nx, Nx).Fill(c);
                }
            }
            return;
        }
        double rin = _ph.CapillaryInnerNm / _d, rout = _ph.CapillaryOuterNm / _d;
        double cx = _ph.CapillaryXNm / _d, cz = _ph.CapillaryZNm / _d;
        for (int z = 0; z < Nz; z++)
            for (int x = -M; x < Nx + M; x++)
            {
                double rho = Math.Sqrt((x - cx) * (x - cx) + (z - cz) * (z - cz));
                double ice = Math.Clamp(0.5 - (rho - rin), 0, 1), glass = Math.Clamp(0.5 - (rho - rout), 0, 1) - ice;
                row.Lac[z * W + x + M] = (float)(ice * p.IceLac + glass * p.GlassLac);
                if (labels && x >= 0 && x < Nx)
                    row.Classes[z * Nx + x] = (byte)(rho <= rin ? SimClass.Ice : rho <= rout ? SimClass.Glass : SimClass.Vacuum);
            }
    }

    private bool Patch(Box3 b, out int x0, out int x1, out int z0, out int z1)
    {
        int M = _ph.MarginX;
        x0 = Math.Max(-M, (int)Math.Ceiling(b.Min.X / _d));
        x1 = Math.Min(_ph.Nx + M - 1, (int)Math.Floor(b.Max.X / _d));
        z0 = Math.Max(0, (int)Math.Ceiling(b.Min.Z / _d));
        z1 = Math.Min(_ph.Nz - 1, (int)Math.Floor(b.Max.Z / _d));
        return x0 <= x1 && z0 <= z1;
    }

    private float Material(SimObject o, double x, double y, double z, double dNm)
    {
        switch (o.Content)
        {
            case ContentKind.Constant:
                return (float)o.Lac;
            case ContentKind.Nucleoplasm:
            {
                double inv = 1.0 / o.TextureScaleNm;
                var off = o.TextureOffset;
                double n1 = _ph.Noise.Sample(x * inv + off.X, y * inv + off.Y, z * inv + off.Z);
                double inv2 = inv / 3.5;
                double n2 = _ph.Noise.Sample(x * inv2 + off.Y, y * inv2 + off.Z, z * inv2 + off.X);
                double baseLac = o.Lac * (1 + o.TextureAmplitude * n1);
                double clump = SimMath.SmoothStep((n2 - 0.55) / 0.9);
                double depth = -dNm - _ph.Parameters.NuclearEnvelopeGapNm;
                double periph = depth < 140 ? (1 - Math.Max(depth, 0) / 140) * SimMath.SmoothStep((n2 + 1.2) / 1.6) : 0;
                double wgt = Math.Clamp(clump + periph, 0, 1) * Math.Min(1, _ph.Parameters.TextureStrength);
                return (float)Math.Max(0, baseLac + wgt * (o.DenseLac - baseLac));
            }
            case ContentKind.DenseCore:
            {
                double inv = 1.0 / o.TextureScaleNm;
                var off = o.TextureOffset;
                double n1 = _ph.Noise.Sample(x * inv + off.X, y * inv + off.Y, z * inv + off.Z);
                double baseLac = o.Lac * (1 + o.TextureAmplitude * n1);
                double rc = (new V3(x, y, z) - o.CoreCentre).Length / Math.Max(o.CoreRadius, 1);
                double t = SimMath.SmoothStep((1.15 - rc) / 0.5 + 0.25 * n1);
                return (float)Math.Max(0, baseLac + t * (o.DenseLac - baseLac));
            }
            case ContentKind.Cristae:
            {
                double inv = 1.0 / o.TextureScaleNm;
                var off = o.TextureOffset;
                double n1 = _ph.Noise.Sample(x * inv + off.X, y * inv + off.Y, z * inv + off.Z);
                double baseLac = o.Lac * (1 + o.TextureAmplitude * n1);
                double depth = -dNm - _ph.Parameters.MitochondrialMembraneGapNm;
                if (o.CristaeAmplitude == 0 || depth <= 0 || o.Shape is not TubeShape tube) return (float)Math.Max(0, baseLac);
                // Lamellae across the axis: a sharpened cosine of the arc length, its phase wandering with a coarse noise.
                var (_, arc) = tube.DistanceAndArc(new V3(x, y, z));
                double inv2 = 1.0 / 90;
                double jitter = _ph.Noise.Sample(x * inv2 + off.Z, y * inv2 + off.X, z * inv2 + off.Y);
                double c = 0.5 + 0.5 * Math.Cos(2 * Math.PI * (arc + 0.35 * o.CristaeSpacingNm * jitter) / o.CristaeSpacingNm);
                double lam = c * c * c * c - 0.2734375; // mean of cos⁴-shaped lamellae removed (35/128)
                double inside = Math.Min(1, depth / 15);
                return (float)Math.Max(0, baseLac * (1 + o.CristaeAmplitude * 2.5 * lam * inside));
            }
            default:
            {
                if (o.TextureAmplitude == 0 && o.CoarseAmplitude == 0) return (float)o.Lac;
                double inv = 1.0 / o.TextureScaleNm;
                var off = o.TextureOffset;
                double t = o.TextureAmplitude * _ph.Noise.Sample(x * inv + off.X, y * inv + off.Y, z * inv + off.Z);
                if (o.CoarseAmplitude != 0)
                {
                    double invc = 1.0 / o.CoarseScaleNm;
                    t += o.CoarseAmplitude * _ph.Noise.Sample(x * invc + off.Z, y * invc + off.Y, z * invc + off.X);
                }
                return (float)Math.Max(0, o.Lac * (1 + t));
            }
        }
    }

    private void PaintObject(SimObject o, double yNm, PhantomRow row, bool labels)
    {
        double pad = _padV * _d;
        var b = o.Shape.Bounds.Inflate(pad);
        if (yNm < b.Min.Y || yNm > b.Max.Y) return;
        if (!Patch(b, out int x0, out int x1, out int z0, out int z1)) return;
        int nx = x1 - x0 + 1, nz = z1 - z0 + 1;
        var dist = row.Dist.AsSpan(0, nx * nz);
        o.Shape.Distances(yNm, x0 * _d, z0 * _d, _d, nx, nz, pad, dist);
        Paint(o, yNm, row, labels, x0, z0, nx, nz, dist, ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty);
    }

    private void PaintCell(SimObject cell, double yNm, PhantomRow row, bool labels)
    {
        double pad = _padV * _d;
        var b = cell.Shape.Bounds.Inflate(pad);
        foreach (int pi in cell.Protrusions) b = Box3.Union(b, _ph.Objects[pi].Shape.Bounds.Inflate(pad));
        if (yNm < b.Min.Y || yNm > b.Max.Y) return;
        if (!Patch(b, out int x0, out int x1, out int z0, out int z1)) return;
        int nx = x1 - x0 + 1, nz = z1 - z0 + 1;
        var body = row.Body.AsSpan(0, nx * nz);
        if (cell.Shape is AdherentCellShape s)
        {
            for (int i = 0; i < nx; i++)
            {
                s.Column((x0 + i) * _d, yNm, 0.5 * _d, out double cs, out double ch, out double cg);
                row.ColS[i] = cs; row.ColH[i] = ch; row.ColG[i] = cg;
            }
            for (int k = 0; k < nz; k++)
            {
                double z = (z0 + k) * _d;
                for (int i = 0; i < nx; i++) body[k * nx + i] = (float)s.DistanceFromColumn(z, row.ColS[i], row.ColH[i], row.ColG[i]);
            }
        }
        else
        {
            cell.Shape.Distances(yNm, x0 * _d, z0 * _d, _d, nx, nz, pad, body);
        }
        var union = row.Dist.AsSpan(0, nx * nz);
        body.CopyTo(union);
        var owner = row.Owner.AsSpan(0, nx * nz);
        owner.Fill(-1);
        foreach (int pi in cell.Protrusions)
        {
            var po = _ph.Objects[pi];
            var pb = po.Shape.Bounds.Inflate(pad);
            if (yNm < pb.Min.Y || yNm > pb.Max.Y) continue;
            if (!Patch(pb, out int px0, out int px1, out int pz0, out int pz1)) continue;
            px0 = Math.Max(px0, x0); px1 = Math.Min(px1, x1); pz0 = Math.Max(pz0, z0); pz1 = Math.Min(pz1, z1);
            if (px0 > px1 || pz0 > pz1) continue;
            int pnx = px1 - px0 + 1, pnz = pz1 - pz0 + 1;
            var tmp = row.Scratch.AsSpan(0, pnx * pnz);
            po.Shape.Distances(yNm, px0 * _d, pz0 * _d, _d, pnx, pnz, pad, tmp);
            for (int k = 0; k < pnz; k++)
                for (int i = 0; i < pnx; i++)
                {
                    int li = (pz0 - z0 + k) * nx + (px0 - x0 + i);
                    float v = tmp[k * pnx + i];
                    if (v < union[li]) { union[li] = v; owner[li] = pi; }
                }
        }
        Paint(cell, yNm, row, labels, x0, z0, nx, nz, union, body, owner);
    }

    /// <summary>
    /// Labels a voxel at distance <paramref name="a"/> (voxels) from a membrane surface of
    /// <paramref name="o"/>: a membrane (visible or hidden) within the shell half-width, the
    /// ignore band beyond it around a hidden membrane.
    /// </summary>
    private void Label(PhantomRow row, int lidx, double a, ref int hidden, SimObject o, ReadOnlySpan<float> body,
        ReadOnlySpan<float> dist, int di, int nx, int nz, double x, double y, double z)
    {
        if (hidden < 0)
        {
            // ∂d/∂x and ∂d/∂z from the patch's distances (central differences, one-sided at its edges), ∂d/∂y from the shape.
            int i = di % nx, k = di / nx;
            int il = i > 0 ? di - 1 : di, ir = i < nx - 1 ? di + 1 : di;
            int kl = k > 0 ? di - nx : di, kr = k < nz - 1 ? di + nx : di;
            double gx = ir > il ? (dist[ir] - dist[il]) / ((ir - il) * _d) : 0;
            double gz = kr > kl ? (dist[kr] - dist[kl]) / ((kr - kl) / nx * _d) : 0;
            double h = 0.5 * _d;
            double gy = (Dist(o, !body.IsEmpty, new V3(x, y + h, z)) - Dist(o, !body.IsEmpty, new V3(x, y - h, z))) / (2 * h);
            hidden = IsHidden(gx, gy, gz) || (_tiltSin is not null && OutOfFocus(gx, gy, gz, x / _d - _centreX, z / _d - _centreZ)) ? 1 : 0;
        }
        if (a <= _w) row.Membranes[lidx] |= hidden == 1 ? HiddenMembrane : VisibleMembrane;
        else if (hidden == 1) row.Membranes[lidx] |= IgnoreBand;
    }

    /// <summary>
    /// True when a membrane of normal (gx, gy, gz) (the gradient of the object's distance, any
    /// length) cannot be seen in an x–y slice: the normal lies within the cone about z of
    /// half-angle 90° − max tilt + margin, deeper than the set depth inside the missing wedge
    /// {|n_z| &gt; tan θ·|n_x|} (which also holds normals tilted about x), or within the face-on angle of z.
    /// </summary>
    private bool IsHidden(double gx, double gy, double gz)
    {
        double len = Math.Sqrt(gx * gx + gy * gy + gz * gz);
        if (!(len > 0)) return false;
        double ax = Math.Abs(gx) / len, az = Math.Abs(gz) / len;
        if (az > _cosCone || az > _cosFaceOn) return true;
        // Depth inside the wedge: angle between n and the nearest boundary plane n_z = ±tan θ·n_x.
        return _cosTilt * az - _sinTilt * ax > _sinWedgeDepth;
    }

    /// <summary>
    /// True when a membrane of normal (gx, gy, gz) at (x, z) voxels from the tilt axis and the depth
    /// centre is out of focus in every view that shows it edge-on (<see cref="SimulationParameters.IgnoreDefocus"/>);
    /// false when no view shows it edge-on (the missing-wedge rules decide those).
    /// </summary>
    private bool OutOfFocus(double gx, double gy, double gz, double x, double z)
    {
        double sharpest = SharpestDefocus(gx, gy, gz, x, z, _focusV, _tiltSin!, _tiltCos!, _sinEdgeOn);
        return double.IsFinite(sharpest) && sharpest > _defocusLimitV;
    }

    /// <summary>
    /// The smallest distance from the focal plane (voxels) of a membrane point at (x, z) from the tilt
    /// axis and the depth centre (the projector's frame: depth along the beam at tilt θ is
    /// t = −x sin θ + z cos θ, the focal plane at t = <paramref name="focus"/>), over the tilts whose beam
    /// lies within the edge-on window of the membrane's plane (|n·b| ≤ <paramref name="sinEdgeOn"/>,
    /// b = (−sin θ, 0, cos θ), n the unit normal from (gx, gy, gz)); +∞ when no tilt shows it edge-on
    /// (inside the missing wedge: that rule's business), 0 for a zero normal.
    /// </summary>
    internal static double SharpestDefocus(double gx, double gy, double gz, double x, double z, double focus,
        ReadOnlySpan<double> tiltSin, ReadOnlySpan<double> tiltCos, double sinEdgeOn)
    {
        double len = Math.Sqrt(gx * gx + gy * gy + gz * gz);
        if (!(len > 0)) return 0;
        double nx = gx / len, nz = gz / len, best = double.PositiveInfinity;
        for (int a = 0; a < tiltSin.Length; a++)
        {
            double s = tiltSin[a], c = tiltCos[a];
            if (Math.Abs(-nx * s + nz * c) > sinEdgeOn) continue;
            best = Math.Min(best, Math.Abs(-x * s + z * c - focus));
        }
        return best;
    }

    /// <summary>Signed distance (nm) of an object's surface; a cell's is the union of its body and protrusions.</summary>
    private double Dist(SimObject o, bool cell, V3 p)
    {
        double d = o.Shape.Distance(p);
        if (!cell) return d;
        foreach (int pi in o.Protrusions)
        {
            var s = _ph.Objects[pi].Shape;
            if (s.Bounds.Inflate(Math.Max(d, 0)).Contains(p)) d = Math.Min(d, s.Distance(p));
        }
        return d;
    }

    /// <summary>
    /// Blends an object into the row from its distances (nm). For a cell, <paramref name="body"/>
    /// and <paramref name="owner"/> tell the body from its protrusions.
    /// </summary>
    private void Paint(SimObject o, double yNm, PhantomRow row, bool labels, int x0, int z0, int nx, int nz,
        ReadOnlySpan<float> dist, ReadOnlySpan<float> body, ReadOnlySpan<int> owner)
    {
        int W = _ph.Width, M = _ph.MarginX, Nx = _ph.Nx;
        double inv = 1.0 / _d, padV = _padV, w = _w;
        float excessV = (float)(o.MembraneExcess * inv);
        var offsets = o.MembraneOffsetsNm;
        bool nucleus = o.Pores is not null;
        // Two membranes of one object closer than the resolution image as one band: the voxels between them are ignored.
        double innerV = double.NaN, outerV = double.NaN;
        if (offsets.Length > 1)
        {
            double lo = double.MaxValue, hi = double.MinValue;
            foreach (double off in offsets) { lo = Math.Min(lo, off * inv); hi = Math.Max(hi, off * inv); }
            if (hi - lo < _resolutionV) { innerV = lo; outerV = hi; }
        }
        double reach = w + _band;
        double gap = _ph.Parameters.NuclearEnvelopeGapNm;
        double poreR = o.Pores?.Radius ?? 0;
        var lac = row.Lac;
        for (int k = 0; k < nz; k++)
        {
            int zk = z0 + k;
            double zNm = zk * _d;
            for (int i = 0; i < nx; i++)
            {
                float dn = dist[k * nx + i];
                double d = dn * inv;
                if (d >= padV) continue;
                int xi = x0 + i, li = zk * W + xi + M;
                double xNm = xi * _d;
                if (d < 0.5)
                {
                    double occ = d <= -0.5 ? 1 : 0.5 - d;
                    float mu = Material(o, xNm, yNm, zNm, dn);
                    lac[li] += (float)(occ * (mu - lac[li]));
                }
                bool fov = labels && xi >= 0 && xi < Nx;
                int lidx = zk * Nx + xi;
                if (fov && d < 0)
                {
                    if (!body.IsEmpty && body[k * nx + i] >= 0 && owner[k * nx + i] >= 0)
                    {
                        var po = _ph.Objects[owner[k * nx + i]];
                        row.Classes[lidx] = (byte)po.Class;
                        row.Instances[lidx] = (ushort)po.Id;
                    }
                    else
                    {
                        row.Classes[lidx] = (byte)o.Class;
                        row.Instances[lidx] = (ushort)o.Id;
                    }
                }
                if (offsets.Length == 0) continue;
                int hidden = -1; // visibility of the surface through this voxel, computed when first needed
                int di = k * nx + i;
                if (nucleus && d < padV && d > -(gap * inv + padV)
                    && o.Pores!.Nearest(new V3(xNm, yNm, zNm), poreR + gap + padV * _d, out double lateral)
                    && lateral < poreR + gap / 2)
                {
                    // Pore rim: the two membranes join along a half torus around the pore.
                    double rim = Math.Sqrt(Math.Pow(lateral - (poreR + gap / 2), 2) + Math.Pow(dn + gap / 2, 2)) - gap / 2;
                    double a = Math.Abs(rim) * inv;
                    if (a < 1) lac[li] += excessV * (float)(1 - a);
                    if (fov && a <= reach) Label(row, lidx, a, ref hidden, o, body, dist, di, nx, nz, xNm, yNm, zNm);
                    continue;
                }
                foreach (double off in offsets)
                {
                    double a = Math.Abs(d - off * inv);
                    if (a < 1) lac[li] += excessV * (float)(1 - a);
                    if (fov && a <= reach) Label(row, lidx, a, ref hidden, o, body, dist, di, nx, nz, xNm, yNm, zNm);
                }
                if (fov && d > innerV && d < outerV) row.Membranes[lidx] |= IgnoreBand;
            }
        }
    }
}
