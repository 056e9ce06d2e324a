namespace SxtSeg.Simulation;

/// <summary>A uniform hash grid of capsules for non-overlap tests.</summary>
internal sealed class SpatialIndex
{
    private readonly double _cell;
    private readonly Dictionary<long, List<int>> _grid = new();
    private readonly List<Capsule> _caps = new();

    public SpatialIndex(double cell) => _cell = cell;

    private static long Key(long i, long j, long k) => ((i & 0x1FFFFF) << 42) | ((j & 0x1FFFFF) << 21) | (k & 0x1FFFFF);

    private void Range(Box3 b, out long i0, out long i1, out long j0, out long j1, out long k0, out long k1)
    {
        i0 = (long)Math.Floor(b.Min.X / _cell); i1 = (long)Math.Floor(b.Max.X / _cell);
        j0 = (long)Math.Floor(b.Min.Y / _cell); j1 = (long)Math.Floor(b.Max.Y / _cell);
        k0 = (long)Math.Floor(b.Min.Z / _cell); k1 = (long)Math.Floor(b.Max.Z / _cell);
    }

    public void Add(Capsule c)
    {
        int id = _caps.Count;
        _caps.Add(c);
        Range(c.Bounds, out long i0, out long i1, out long j0, out long j1, out long k0, out long k1);
        for (long i = i0; i <= i1; i++)
            for (long j = j0; j <= j1; j++)
                for (long k = k0; k <= k1; k++)
                {
                    long key = Key(i, j, k);
                    if (!_grid.TryGetValue(key, out var l)) _grid[key] = l = new List<int>(4);
                    l.Add(id);
                }
    }

    /// <summary>True when <paramref name="c"/> comes closer than <paramref name="gap"/> to any stored capsule.</summary>
    public bool Collides(Capsule c, double gap)
    {
        Range(c.Bounds.Inflate(gap), out long i0, out long i1, out long j0, out long j1, out long k0, out long k1);
        for (long i = i0; i <= i1; i++)
            for (long j = j0; j <= j1; j++)
                for (long k = k0; k <= k1; k++)
                {
                    if (!_grid.TryGetValue(Key(i, j, k), out var l)) continue;
                    foreach (int id in l)
                        if (GeometryMath.CapsuleGap(c, _caps[id]) < gap) return true;
                }
        return false;
    }

    public bool Collides(IEnumerable<Capsule> caps, double gap)
    {
        foreach (var c in caps) if (Collides(c, gap)) return true;
        return false;
    }
}

/// <summary>
/// Builds a random phantom from the parameters: cells first, then nuclei and their contents,
/// filopodia, beads, and organelles packed into the cytoplasm by rejection sampling without
/// overlaps (capsule hash grid), largest first, until each type's volume fraction is reached.
/// </summary>
internal sealed class PhantomBuilder
{
    private const double Gap = 18;          // nm kept between neighbouring organelles
    private const double MembraneMargin = 22; // nm kept from the plasma membrane and the envelope

    private readonly SimulationParameters _p;
    private readonly IProgress<ProgressUpdate>? _progress;
    private readonly SimRandom _rng;
    private readonly double _d;
    private readonly int _marginX, _haloY;
    private readonly Box3 _domain, _fov;
    private readonly List<SimObject> _objects = new();
    private readonly SpatialIndex _index = new(450);
    private readonly List<(SimObject Cell, SimObject? Nucleus)> _cells = new();
    private readonly List<PlacementSummary> _placements = new();
    private readonly double _zc, _iceT;
    private double _cytoVolume;

    public PhantomBuilder(SimulationParameters p, IProgress<ProgressUpdate>? progress)
    {
        _p = p;
        _progress = progress;
        _rng = new SimRandom((ulong)p.Seed).Fork("phantom");
        _d = p.VoxelSizeNm;
        _iceT = p.EffectiveIceThicknessNm;
        _zc = (p.Nz - 1) * 0.5 * _d;
        (_marginX, _haloY) = Phantom.Margins(p);
        _domain = new Box3(new V3((-_marginX - 0.5) * _d, (-_haloY - 0.5) * _d, -0.5 * _d),
                           new V3((p.Nx + _marginX - 0.5) * _d, (p.Ny + _haloY - 0.5) * _d, (p.Nz - 0.5) * _d));
        _fov = new Box3(new V3(-0.5, -0.5, -0.5) * _d, new V3(p.Nx - 0.5, p.Ny - 0.5, p.Nz - 0.5) * _d);
    }

    private double SlabLo => _zc - _iceT / 2;
    private double SlabHi => _zc + _iceT / 2;
    private double TexScale(double nm) => nm * _p.TextureStrength;

    private SimObject Add(SimObject o, bool index = true)
    {
        o.Index = _objects.Count;
        o.TextureOffset = new V3(_rng.Uniform(0, 64), _rng.Uniform(0, 64), _rng.Uniform(0, 64));
        o.TextureAmplitude *= _p.TextureStrength;
        o.CoarseAmplitude *= _p.TextureStrength;
        _objects.Add(o);
        if (index) foreach (var c in o.Shape.Capsules) _index.Add(c);
        return o;
    }

    /// <summary>
    /// Extra absorption of a membrane (nm × 1/µm): the bilayer replaces the mean of the media on its two sides over its
    /// thickness, times the effective membrane contrast (protein coat, edge enhancement).
    /// </summary>
    private double Excess(double inside, double outside) => _p.MembraneContrast * _p.MembraneThicknessNm * Math.Max(0, _p.MembraneLac - 0.5 * (inside + outside));

    public Phantom Build()
    {
        _progress.Report("building phantom", 0, 8, "steps");
        if (_p.Cells > 0)
        {
            if (_p.Geometry == SampleGeometry.Slab) BuildAdherentCells(_rng.Fork("cells"));
            else BuildSuspendedCells(_rng.Fork("cells"));
        }
        _progress.Report("building phantom", 1, 8, "steps");
        BuildNuclearContents(_rng.Fork("nucleus"));
        BuildProtrusions(_rng.Fork("filopodia"));
        BuildBeads(_rng.Fork("beads"));
        _progress.Report("building phantom", 2, 8, "steps");
        _cytoVolume = EstimateCytoplasmVolume(_rng.Fork("cytoplasm-volume"));
        if (_cells.Count > 0 && _cytoVolume > 0)
        {
            Place("lipid droplets", SimClass.LipidDroplet, _p.LipidDropletFraction, 4.0 / 3 * Math.PI * Math.Pow(240, 3), TryLipidDroplet, _rng.Fork("lipid"));
            _progress.Report("building phantom", 3, 8, "steps");
            Place("endosomes/lysosomes", SimClass.Endosome, _p.EndosomeFraction, 4.0 / 3 * Math.PI * Math.Pow(_p.EndosomeRadiusNm, 3) * 0.8, TryEndosome, _rng.Fork("endosome"));
            _progress.Report("building phantom", 4, 8, "steps");
            Place("mitochondria", SimClass.Mitochondrion, _p.MitochondriaFraction, Math.PI * 125 * 125 * 1500, TryMitochondrion, _rng.Fork("mito"));
            _progress.Report("building phantom", 5, 8, "steps");
            Place("ER sheets", SimClass.EndoplasmicReticulum, _p.ErFraction * 0.4, 2 * Math.PI * 650 * 650 * 27, TryErSheet, _rng.Fork("er-sheet"));
            Place("ER tubules", SimClass.EndoplasmicReticulum, _p.ErFraction * 0.6, Math.PI * 37 * 37 * 1200, TryErTubule, _rng.Fork("er-tubule"));
            _progress.Report("building phantom", 6, 8, "steps");
            Place("vesicles", SimClass.Vesicle, _p.VesicleFraction, 4.0 / 3 * Math.PI * Math.Pow(50, 3), TryVesicle, _rng.Fork("vesicle"));
        }
        _progress.Report("building phantom", 7, 8, "steps");
        AssignIds();
        _progress.Report("building phantom", 8, 8, "steps");
        return new Phantom(_p, _marginX, _haloY, new NoiseTile(_rng.Fork("noise")), _objects, _placements, _cytoVolume);
    }

    // ---------------------------------------------------------------- cells

    private void BuildAdherentCells(SimRandom r)
    {
        double fx = (_p.Nx - 1) * 0.5 * _d, fy = (_p.Ny - 1) * 0.5 * _d;
        double zb = SlabLo + 20;
        double hMax = Math.Min(_p.CellHeightNm, _iceT - Math.Max(150, 0.06 * _iceT) - 20);
        if (hMax < 100) return;
        var shapes = new List<AdherentCellShape>();
        for (int c = 0; c < _p.Cells; c++)
        {
            double radius = _p.CellRadiusNm * r.Uniform(0.8, 1.25);
            double edge = Math.Min(_p.CellEdgeHeightNm * r.Uniform(0.8, 1.2), 0.85 * hMax);
            double body = Math.Clamp(hMax * r.Uniform(0.5, 0.8), edge, hMax);
            double lamella = r.Uniform(1500, 4500), ramp = r.Uniform(2500, 6000);
            AdherentCellShape? shape = null;
            for (int attempt = 0; attempt < 24 && shape is null; attempt++)
            {
                double cx, cy;
                if (c == 0)
                {
                    double v = _p.ViewOffset >= 0 ? _p.ViewOffset : r.Uniform(0.2, 1.0);
                    double psi = r.Uniform(0, 2 * Math.PI);
                    cx = fx - v * radius * Math.Cos(psi);
                    cy = fy - v * radius * Math.Sin(psi);
                }
                else
                {
                    var first = shapes[0];
                    double toward = Math.Atan2(fy - first.Cy, fx - first.Cx) + r.Uniform(-1.2, 1.2);
                    double dist = (first.MeanRadius + radius) * r.Uniform(0.95, 1.15);
                    cx = first.Cx + dist * Math.Cos(toward);
                    cy = first.Cy + dist * Math.Sin(toward);
                }
                var candidate = new AdherentCellShape(cx, cy, zb, radius, r.Fork("shape", c * 100 + attempt), edge, body, lamella, ramp);
                if (OverlapsOtherCells(candidate, shapes)) continue;
                shape = candidate;
            }
            if (shape is null) continue;
            double cyto = _p.CytoplasmLac * r.Uniform(0.92, 1.08);
            var cell = new SimObject(SimClass.Cytoplasm, "adherent cell", shape, cyto)
            {
                TextureAmplitude = 0.10, TextureScaleNm = 45, CoarseAmplitude = 0.08, CoarseScaleNm = r.Uniform(250, 600),
                MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(cyto, _p.IceLac),
            };
            Add(cell, index: false);
            SimObject? nucleus = null;
            if (hMax >= 1700) nucleus = TryNucleus(shape, zb, hMax, r.Fork("nucleus", c), cell);
            shapes.Add(shape);
            _cells.Add((cell, nucleus));
        }
    }

    private static bool OverlapsOtherCells(AdherentCellShape cand, List<AdherentCellShape> others)
    {
        foreach (var o in others)
            for (int i = 0; i < 96; i++)
            {
                double phi = 2 * Math.PI * i / 96;
                var (x, y, _, _) = cand.BoundaryPoint(phi);
                if (o.Inward(x, y) > -300) return true;
                var (x2, y2, _, _) = o.BoundaryPoint(phi);
                if (cand.Inward(x2, y2) > -300) return true;
            }
        return false;
    }

    private SimObject? TryNucleus(AdherentCellShape cell, double zb, double hMax, SimRandom r, SimObject cellObj)
    {
        double cover = r.Uniform(250, 450);
        double c = Math.Min(r.Uniform(1200, 2600), (hMax - cover - 150 - 0.1 * cover - 100) / 2);
        if (c < 550) return null;
        double scale = Math.Sqrt(cell.MeanRadius / 16000);
        double a = r.Uniform(4000, 7500) * scale, b = a * r.Uniform(0.65, 0.9);
        double yaw = r.Uniform(0, Math.PI), off = r.Uniform(0, 0.15 * cell.MeanRadius), offDir = r.Uniform(0, 2 * Math.PI);
        double nx = cell.Cx + off * Math.Cos(offDir), ny = cell.Cy + off * Math.Sin(offDir);
        var e1 = new V3(Math.Cos(yaw), Math.Sin(yaw), 0);
        var e2 = new V3(-Math.Sin(yaw), Math.Cos(yaw), 0);
        for (int shrink = 0; shrink < 14; shrink++)
        {
            bool fits = true;
            for (int i = 0; i < 36 && fits; i++)
            {
                double t = 2 * Math.PI * i / 36;
                V3 q = new V3(nx, ny, 0) + e1 * (a * Math.Cos(t)) + e2 * (b * Math.Sin(t));
                if (cell.Inward(q.X, q.Y) < 2000) fits = false;
            }
            if (fits) break;
            a *= 0.9; b *= 0.9;
        }
        c = Math.Min(c, 0.9 * b);
        if (a < 1500 || c < 400) return null;
        var shape = new EllipsoidShape(new V3(nx, ny, zb + 150 + c), e1, e2, a, b, c);
        cell.SetNucleus(shape, cover);
        return AddNucleus(shape, r, cellObj);
    }

    private SimObject AddNucleus(EllipsoidShape shape, SimRandom r, SimObject cellObj)
    {
        double lac = _p.NucleoplasmLac * r.Uniform(0.92, 1.08);
        double gap = _p.NuclearEnvelopeGapNm;
        var nuc = new SimObject(SimClass.Nucleus, "nucleus", shape, lac)
        {
            Content = ContentKind.Nucleoplasm,
            DenseLac = _p.HeterochromatinLac * r.Uniform(0.92, 1.08),
            TextureAmplitude = 0.12, TextureScaleNm = 50,
            MembraneOffsetsNm = new[] { 0.0, -gap },
            MembraneExcess = Excess(lac, cellObj.Lac),
            Parent = cellObj.Index,
        };
        var pores = new NuclearPores(_p.NuclearPoreDiameterNm / 2);
        double area = shape.SurfaceArea / 1e6;
        int target = (int)Math.Round(_p.NuclearPoresPerSquareMicron * area);
        var region = _domain.Inflate(600);
        double gmax = 1.0 / shape.C;
        for (int i = 0, tries = 0; i < target && tries < target * 6; tries++)
        {
            V3 u = r.UnitVector();
            double g = Math.Sqrt(u.X * u.X / (shape.A * shape.A) + u.Y * u.Y / (shape.B * shape.B) + u.Z * u.Z / (shape.C * shape.C));
            if (r.NextDouble() * gmax > g) continue;
            i++;
            var local = new V3(shape.A * u.X, shape.B * u.Y, shape.C * u.Z);
            V3 q = shape.ToWorld(local);
            if (q.X < region.Min.X || q.X > region.Max.X || q.Y < region.Min.Y || q.Y > region.Max.Y) continue;
            V3 ln = shape.LocalNormal(local);
            V3 n = (shape.E1 * ln.X + shape.E2 * ln.Y + shape.E3 * ln.Z).Normalized();
            if (pores.Nearest(q, 2.4 * pores.Radius + gap, out _)) continue;
            pores.Add(q, n);
        }
        nuc.Pores = pores;
        return Add(nuc, index: false);
    }

    private void BuildSuspendedCells(SimRandom r)
    {
        double fy = (_p.Ny - 1) * 0.5 * _d;
        double rIn = _iceT / 2;
        double xc = (_p.Nx - 1) * 0.5 * _d;
        var placed = new List<EllipsoidShape>();
        // Suspended cells are squeezed into the capillary: elongated along its axis (y), by default nearly filling it.
        double baseRadius = _p.CellRadiusNm > 0 ? _p.CellRadiusNm : 0.95 * (rIn - 150);
        double nextUp = fy, nextDown = fy;
        for (int c = 0; c < _p.Cells; c++)
        {
            double radius = baseRadius * r.Uniform(0.85, 1.1);
            double tiltAxis = r.Uniform(0, 15) * Math.PI / 180, az = r.Uniform(0, 2 * Math.PI);
            var e1 = new V3(Math.Sin(tiltAxis) * Math.Cos(az), Math.Cos(tiltAxis), Math.Sin(tiltAxis) * Math.Sin(az));
            var e2 = e1.AnyPerpendicular();
            double a = radius * r.Uniform(1.05, 1.6), b = radius * r.Uniform(0.9, 1.0), cc = radius * r.Uniform(0.8, 0.95);
            double gap = r.Uniform(50, 600);
            bool up = c % 2 == 1;
            double y = c == 0 ? fy + r.Uniform(-0.15, 0.15) * a : up ? nextUp + gap + a : nextDown - gap - a;
            EllipsoidShape? shape = null;
            for (int s = 0; s < 30; s++)
            {
                var cand = new EllipsoidShape(new V3(xc + r.Uniform(-0.05, 0.05) * rIn, y, _zc + r.Uniform(-0.05, 0.05) * rIn), e1, e2, a, b, cc);
                // Keep the whole surface 150 nm inside the capillary (lateral distance of surface points from its axis).
                double reach = 0;
                for (int k = 0; k < 400; k++)
                {
                    double t = Math.Acos(1 - 2 * (k + 0.5) / 400), ph = k * 2.399963;
                    V3 q = cand.ToWorld(new V3(cand.A * Math.Sin(t) * Math.Cos(ph), cand.B * Math.Sin(t) * Math.Sin(ph), cand.C * Math.Cos(t)));
                    reach = Math.Max(reach, Math.Sqrt((q.X - xc) * (q.X - xc) + (q.Z - _zc) * (q.Z - _zc)));
                }
                if (reach > rIn - 150) { b *= 0.96; cc *= 0.96; continue; }
                shape = cand;
                break;
            }
            if (shape is null) continue;
            double extent = Math.Abs(shape.Bounds.Max.Y - shape.Centre.Y);
            if (c == 0) { nextUp = shape.Centre.Y + extent; nextDown = shape.Centre.Y - extent; }
            else if (up) nextUp = shape.Centre.Y + extent;
            else nextDown = shape.Centre.Y - extent;
            double cyto = _p.CytoplasmLac * r.Uniform(0.92, 1.08);
            var cell = new SimObject(SimClass.Cytoplasm, "suspended cell", shape, cyto)
            {
                TextureAmplitude = 0.10, TextureScaleNm = 45, CoarseAmplitude = 0.08, CoarseScaleNm = r.Uniform(250, 600),
                MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(cyto, _p.IceLac),
            };
            Add(cell, index: false);
            placed.Add(shape);
            // Nucleus: a smaller ellipsoid inside, kept 400 nm from the plasma membrane.
            SimObject? nucleus = null;
            for (int t = 0; t < 30 && nucleus is null; t++)
            {
                double f = r.Uniform(0.5, 0.65);
                V3 off = r.UnitVector() * (r.Uniform(0, 0.15) * shape.C);
                var ns = new EllipsoidShape(shape.Centre + off, r.UnitVector(), r.UnitVector(), shape.A * f, shape.B * f * r.Uniform(0.85, 1), shape.C * f * r.Uniform(0.85, 1));
                bool inside = true;
                for (int i = 0; i < 60 && inside; i++)
                {
                    V3 u = r.UnitVector();
                    V3 q = ns.ToWorld(new V3(ns.A * u.X, ns.B * u.Y, ns.C * u.Z));
                    if (shape.Distance(q) > -400) inside = false;
                }
                if (inside) nucleus = AddNucleus(ns, r.Fork("nucleus", c), cell);
            }
            _cells.Add((cell, nucleus));
        }
    }

    // ---------------------------------------------------------------- queries

    /// <summary>Signed distance to the nearest cell body (negative inside a cell) and that cell's index in <see cref="_cells"/>.</summary>
    private double CellDistance(V3 q, out int cell)
    {
        double best = double.MaxValue;
        cell = -1;
        for (int i = 0; i < _cells.Count; i++)
        {
            var b = _cells[i].Cell.Shape.Bounds.Inflate(2000);
            if (q.X < b.Min.X || q.X > b.Max.X || q.Y < b.Min.Y || q.Y > b.Max.Y) continue;
            double d = _cells[i].Cell.Shape.Distance(q);
            if (d < best) { best = d; cell = i; }
        }
        return best;
    }

    /// <summary>True when a ball of radius <paramref name="r"/> at <paramref name="q"/> lies in cytoplasm, clear of plasma membrane and nuclear envelope.</summary>
    private bool InCytoplasm(V3 q, double r)
    {
        double d = CellDistance(q, out int c);
        if (c < 0 || d > -(r + MembraneMargin)) return false;
        var nuc = _cells[c].Nucleus;
        return nuc is null || nuc.Shape.Distance(q) >= r + MembraneMargin + _p.NuclearEnvelopeGapNm;
    }

    private bool CapsulesInCytoplasm(IEnumerable<Capsule> caps)
    {
        foreach (var c in caps)
        {
            double len = (c.B - c.A).Length;
            int n = Math.Max(1, (int)Math.Ceiling(len / Math.Max(c.R * 0.75, 25)));
            for (int i = 0; i <= n; i++)
                if (!InCytoplasm(c.A + (c.B - c.A) * ((double)i / n), c.R)) return false;
        }
        return true;
    }

    /// <summary>A random point of cytoplasm where a ball of radius r fits, or null.</summary>
    private V3? SampleCytoplasm(SimRandom r, double radius)
    {
        for (int t = 0; t < 8; t++)
        {
            double x = r.Uniform(_domain.Min.X, _domain.Max.X), y = r.Uniform(_domain.Min.Y, _domain.Max.Y);
            double z;
            if (_p.Geometry == SampleGeometry.Slab)
            {
                AdherentCellShape? best = null;
                double bestS = double.MinValue;
                foreach (var (cell, _) in _cells)
                {
                    var s = (AdherentCellShape)cell.Shape;
                    double inward = s.Inward(x, y);
                    if (inward > bestS) { bestS = inward; best = s; }
                }
                if (best is null || bestS < radius + MembraneMargin) continue;
                double h = best.Height(x, y);
                double lo = best.Zb + radius + MembraneMargin, hi = best.Zb + h - radius - MembraneMargin;
                if (hi < lo) continue;
                z = r.Uniform(lo, hi);
            }
            else
            {
                z = r.Uniform(_domain.Min.Z, _domain.Max.Z);
            }
            var q = new V3(x, y, z);
            if (InCytoplasm(q, radius)) return q;
        }
        return null;
    }

    private double EstimateCytoplasmVolume(SimRandom r)
    {
        if (_cells.Count == 0) return 0;
        int n = 24000, inside = 0;
        for (int i = 0; i < n; i++)
        {
            var q = new V3(r.Uniform(_domain.Min.X, _domain.Max.X), r.Uniform(_domain.Min.Y, _domain.Max.Y), r.Uniform(_domain.Min.Z, _domain.Max.Z));
            double d = CellDistance(q, out int c);
            if (c < 0 || d >= 0) continue;
            var nuc = _cells[c].Nucleus;
            if (nuc is null || nuc.Shape.Distance(q) > 0) inside++;
        }
        var s = _domain.Max - _domain.Min;
        return (double)inside / n * s.X * s.Y * s.Z;
    }

    // ---------------------------------------------------------------- paths

    /// <summary>
    /// Grows a smooth path by a persistent random walk from <paramref name="start"/>: each step turns
    /// by about <paramref name="turnDeg"/> and is kept within ±<paramref name="maxElevDeg"/> of the
    /// x–y plane; steps that leave the allowed region are retried in other directions.
    /// The result is smoothed by two rounds of Chaikin corner cutting.
    /// </summary>
    private static List<V3> GrowPath(SimRandom r, V3 start, V3 dir, double length, double step, double turnDeg, double maxElevDeg, Func<V3, bool> ok)
    {
        var pts = new List<V3> { start };
        double grown = 0, maxSin = Math.Sin(maxElevDeg * Math.PI / 180);
        V3 p = start, d = dir.Normalized();
        while (grown < length - 1e-6)
        {
            double s = Math.Min(step, length - grown);
            bool moved = false;
            for (int attempt = 0; attempt < 6 && !moved; attempt++)
            {
                double turn = turnDeg * (1 + attempt) * Math.PI / 180;
                V3 nd = (d + r.UnitVector() * Math.Tan(Math.Min(turn * Math.Abs(r.Gaussian()), 1.2))).Normalized();
                if (Math.Abs(nd.Z) > maxSin) nd = new V3(nd.X, nd.Y, Math.Sign(nd.Z) * maxSin * r.NextDouble()).Normalized();
                V3 q = p + nd * s;
                if (!ok(q)) continue;
                pts.Add(q);
                p = q; d = nd; grown += s; moved = true;
            }
            if (!moved) break;
        }
        for (int round = 0; round < 2 && pts.Count >= 3; round++)
        {
            var sm = new List<V3> { pts[0] };
            for (int i = 0; i + 1 < pts.Count; i++)
            {
                sm.Add(pts[i] * 0.75 + pts[i + 1] * 0.25);
                sm.Add(pts[i] * 0.25 + pts[i + 1] * 0.75);
            }
            sm.Add(pts[^1]);
            pts = sm;
        }
        return pts;
    }

    private static double PathLength(List<V3> pts)
    {
        double l = 0;
        for (int i = 1; i < pts.Count; i++) l += (pts[i] - pts[i - 1]).Length;
        return l;
    }

    // ---------------------------------------------------------------- organelles

    private void Place(string kind, SimClass cls, double fraction, double meanVolume, Func<SimRandom, SimObject?> tryOne, SimRandom r)
    {
        double target = fraction * _cytoVolume, placed = 0;
        int count = 0;
        if (target > 0)
        {
            int expected = (int)Math.Ceiling(target / meanVolume);
            int maxAttempts = 400 + 25 * expected;
            for (int a = 0; a < maxAttempts && placed < target; a++)
            {
                var o = tryOne(r);
                if (o is null) continue;
                placed += o.MeasuredShape.Volume;
                count++;
            }
        }
        _placements.Add(new PlacementSummary(cls, kind, count, target, placed));
    }

    private SimObject? TryLipidDroplet(SimRandom r)
    {
        double radius = r.LogNormal(200, 0.4, 100, 1000);
        if (SampleCytoplasm(r, radius) is not { } c) return null;
        var cap = new Capsule(c, c, radius);
        if (_index.Collides(cap, Gap)) return null;
        double lac = Math.Clamp(_p.LipidDropletLac * r.Uniform(0.75, 1.3), 0.4, 1.0);
        return Add(new SimObject(SimClass.LipidDroplet, "lipid droplet", new SphereShape(c, radius), lac)
        {
            TextureAmplitude = 0.03, TextureScaleNm = 60,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = 0.5 * Excess(lac, _p.CytoplasmLac),
        });
    }

    private SimObject? TryEndosome(SimRandom r)
    {
        double cyto = _p.CytoplasmLac;
        bool dense = r.Chance(_p.DenseEndosomeFraction);
        if (!dense && r.Chance(0.2)) return TryTubularEndosome(r);
        double rad = r.LogNormal(_p.EndosomeRadiusNm, 0.4, 100, 800);
        double a = rad, b = rad * r.Uniform(0.8, 1.0), c = rad * r.Uniform(0.7, 0.95);
        if (SampleCytoplasm(r, a) is not { } centre) return null;
        var shape = new EllipsoidShape(centre, r.UnitVector(), r.UnitVector(), a, b, c);
        if (!CapsulesInCytoplasm(shape.Capsules) || _index.Collides(shape.Capsules, Gap)) return null;
        SimObject o;
        int ilvs;
        if (dense)
        {
            // Lysosome: granular content denser than cytoplasm with a dense eccentric core.
            double lac = cyto * r.Uniform(1.15, 1.5);
            V3 core = shape.ToWorld(new V3(r.Uniform(-0.3, 0.3) * a, r.Uniform(-0.3, 0.3) * b, r.Uniform(-0.3, 0.3) * c));
            o = new SimObject(SimClass.Endosome, "lysosome", shape, lac)
            {
                Content = ContentKind.DenseCore, DenseLac = Math.Min(0.8, cyto * r.Uniform(1.5, 2.2)),
                CoreCentre = core, CoreRadius = c * r.Uniform(0.35, 0.6),
                TextureAmplitude = 0.28, TextureScaleNm = r.Uniform(30, 50),
            };
            ilvs = 0;
        }
        else
        {
            // Watery compartments, lighter than cytoplasm: vacuoles / macropinosomes, early endosomes, multivesicular bodies.
            double u = r.NextDouble();
            if (u < 0.45)
            {
                o = new SimObject(SimClass.Endosome, "vacuole", shape, Math.Max(_p.IceLac, _p.EndosomeLac * r.Uniform(0.7, 1.0))) { TextureAmplitude = 0.04, TextureScaleNm = 60 };
                ilvs = r.Chance(0.2) ? r.NextInt(3) : 0;
            }
            else if (u < 0.75)
            {
                o = new SimObject(SimClass.Endosome, "early endosome", shape, _p.EndosomeLac * r.Uniform(0.9, 1.2)) { TextureAmplitude = 0.10, TextureScaleNm = 50 };
                ilvs = r.NextInt(4);
            }
            else
            {
                o = new SimObject(SimClass.Endosome, "multivesicular body", shape, _p.EndosomeLac * r.Uniform(1.0, 1.3)) { TextureAmplitude = 0.15, TextureScaleNm = 40 };
                ilvs = 4 + r.NextInt(12);
            }
        }
        o.MembraneOffsetsNm = new[] { 0.0 };
        o.MembraneExcess = Excess(o.Lac, cyto);
        Add(o);
        var inner = new List<SphereShape>();
        // Intraluminal vesicles hold cytosol-like content: between the lumen and the cytoplasm.
        double ilvLac = o.Lac + 0.6 * (cyto - o.Lac);
        for (int i = 0, t = 0; i < ilvs && t < ilvs * 10; t++)
        {
            double ri = r.Uniform(20, 38);
            V3 q = shape.ToWorld(new V3(r.Uniform(-a, a), r.Uniform(-b, b), r.Uniform(-c, c)));
            if (shape.Distance(q) > -(ri + 12)) continue;
            if (inner.Any(s => (s.Centre - q).Length < s.Radius + ri + 8)) continue;
            var sph = new SphereShape(q, ri);
            inner.Add(sph);
            i++;
            Add(new SimObject(SimClass.Vesicle, "intraluminal vesicle", sph, ilvLac)
            {
                TextureAmplitude = 0.04, TextureScaleNm = 30, Parent = o.Index,
                MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(ilvLac, o.Lac),
            }, index: false);
        }
        return o;
    }

    /// <summary>A tubular endosome (recycling endosome, tubular vacuole): a wavy watery tube.</summary>
    private SimObject? TryTubularEndosome(SimRandom r)
    {
        double radius = r.Uniform(50, 120);
        double length = r.LogNormal(900, 0.5, 300, 2500);
        if (SampleCytoplasm(r, radius) is not { } start) return null;
        var pts = GrowPath(r, start, r.FlatUnitVector(35), length, Math.Max(2 * radius, 120), 28, 40, q => InCytoplasm(q, radius));
        if (PathLength(pts) < Math.Max(0.4 * length, 3 * radius)) return null;
        var shape = new TubeShape(pts, radius);
        if (!CapsulesInCytoplasm(shape.Capsules) || _index.Collides(shape.Capsules, Gap)) return null;
        double lac = Math.Max(_p.IceLac, _p.EndosomeLac * r.Uniform(0.8, 1.2));
        return Add(new SimObject(SimClass.Endosome, "tubular endosome", shape, lac)
        {
            TextureAmplitude = 0.06, TextureScaleNm = 50,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(lac, _p.CytoplasmLac),
        });
    }

    private SimObject? TryMitochondrion(SimRandom r)
    {
        double radius = r.LogNormal(125, 0.3, 40, 400);
        double length = r.LogNormal(1500, 0.5, 500, 5000);
        if (SampleCytoplasm(r, radius) is not { } start) return null;
        var pts = GrowPath(r, start, r.FlatUnitVector(25), length, Math.Max(1.5 * radius, 120), 16, 30, q => InCytoplasm(q, radius));
        if (PathLength(pts) < Math.Max(0.4 * length, 2 * radius + 80)) return null;
        var shape = new TubeShape(pts, radius);
        if (!CapsulesInCytoplasm(shape.Capsules) || _index.Collides(shape.Capsules, Gap)) return null;
        double lac = _p.MitochondriaLac * r.Uniform(0.9, 1.1);
        return Add(new SimObject(SimClass.Mitochondrion, "mitochondrion", shape, lac)
        {
            Content = ContentKind.Cristae, CristaeAmplitude = _p.CristaeContrast * r.Uniform(0.7, 1.3),
            CristaeSpacingNm = r.Uniform(55, 110),
            TextureAmplitude = 0.10, TextureScaleNm = 28,
            MembraneOffsetsNm = new[] { 0.0, -_p.MitochondrialMembraneGapNm },
            MembraneExcess = Excess(lac, _p.CytoplasmLac),
        });
    }

    private SimObject? TryErSheet(SimRandom r)
    {
        // Half of the sheets lie within 25° of the grid plane, the others steeper (those show as lines in x–y slices).
        bool flat = r.Chance(0.5);
        double R = flat ? r.Uniform(300, 1100) : r.Uniform(200, 700), t = r.Uniform(22, 32);
        double tilt = (flat ? r.Uniform(0, 25) : r.Uniform(25, 90)) * Math.PI / 180, az = r.Uniform(0, 2 * Math.PI);
        var n = new V3(Math.Sin(tilt) * Math.Cos(az), Math.Sin(tilt) * Math.Sin(az), Math.Cos(tilt));
        if (SampleCytoplasm(r, t) is not { } centre) return null;
        var shape = new DiskShape(centre, n, R, t);
        if (!CapsulesInCytoplasm(shape.Capsules) || _index.Collides(shape.Capsules, Gap)) return null;
        double lac = _p.ErLac * r.Uniform(0.9, 1.1);
        return Add(new SimObject(SimClass.EndoplasmicReticulum, "ER sheet", shape, lac)
        {
            TextureAmplitude = 0.05, TextureScaleNm = 30,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(lac, _p.CytoplasmLac),
        });
    }

    private SimObject? TryErTubule(SimRandom r)
    {
        double radius = r.Uniform(25, 50);
        double length = r.LogNormal(1200, 0.5, 300, 3000);
        if (SampleCytoplasm(r, radius) is not { } start) return null;
        var pts = GrowPath(r, start, r.FlatUnitVector(35), length, Math.Max(3 * radius, 100), 22, 35, q => InCytoplasm(q, radius));
        if (PathLength(pts) < Math.Max(0.4 * length, 250)) return null;
        var shape = new TubeShape(pts, radius);
        if (!CapsulesInCytoplasm(shape.Capsules) || _index.Collides(shape.Capsules, Gap)) return null;
        double lac = _p.ErLac * r.Uniform(0.9, 1.1);
        return Add(new SimObject(SimClass.EndoplasmicReticulum, "ER tubule", shape, lac)
        {
            TextureAmplitude = 0.05, TextureScaleNm = 30,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(lac, _p.CytoplasmLac),
        });
    }

    private SimObject? TryVesicle(SimRandom r)
    {
        double radius = r.Uniform(25, 75);
        if (SampleCytoplasm(r, radius) is not { } c) return null;
        var cap = new Capsule(c, c, radius);
        if (_index.Collides(cap, Gap)) return null;
        double lac = _p.VesicleLac * r.Uniform(0.85, 1.2);
        return Add(new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, radius), lac)
        {
            TextureAmplitude = 0.04, TextureScaleNm = 30,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = Excess(lac, _p.CytoplasmLac),
        });
    }

    // ---------------------------------------------------------------- nucleus contents, protrusions, beads

    private void BuildNuclearContents(SimRandom r)
    {
        foreach (var (_, nucleus) in _cells)
        {
            if (nucleus is null) continue;
            var ns = (EllipsoidShape)nucleus.Shape;
            int count = 1 + r.NextInt(2);
            for (int i = 0, t = 0; i < count && t < 60; t++)
            {
                double a = r.Uniform(500, 1300), b = a * r.Uniform(0.7, 1.0), c = Math.Min(a * r.Uniform(0.6, 0.9), 0.55 * ns.C);
                if (c < 200) break;
                double yaw = r.Uniform(0, Math.PI);
                V3 centre = ns.ToWorld(new V3(r.Uniform(-0.6, 0.6) * ns.A, r.Uniform(-0.6, 0.6) * ns.B, r.Uniform(-0.3, 0.3) * ns.C));
                var shape = new EllipsoidShape(centre, new V3(Math.Cos(yaw), Math.Sin(yaw), 0), new V3(-Math.Sin(yaw), Math.Cos(yaw), 0), a, b, c);
                bool inside = true;
                for (int k = 0; k < 40 && inside; k++)
                {
                    V3 u = r.UnitVector();
                    V3 q = shape.ToWorld(new V3(shape.A * u.X, shape.B * u.Y, shape.C * u.Z));
                    if (ns.Distance(q) > -(200 + _p.NuclearEnvelopeGapNm)) inside = false;
                }
                if (!inside) continue;
                i++;
                Add(new SimObject(SimClass.Nucleolus, "nucleolus", shape, _p.NucleolusLac * r.Uniform(0.92, 1.08))
                {
                    TextureAmplitude = 0.25, TextureScaleNm = 40, Parent = nucleus.Index,
                }, index: false);
            }
        }
    }

    private void BuildProtrusions(SimRandom r)
    {
        var region = _domain.Inflate(2500);
        foreach (var (cell, _) in _cells)
        {
            if (cell.Shape is AdherentCellShape s)
            {
                // Boundary length inside the region decides the count.
                const int n = 4096;
                double inLen = 0;
                for (int i = 0; i < n; i++)
                {
                    var (x, y, _, _) = s.BoundaryPoint(2 * Math.PI * i / n);
                    if (x >= region.Min.X && x <= region.Max.X && y >= region.Min.Y && y <= region.Max.Y)
                    {
                        var (rb, drb) = s.BoundaryRadius(2 * Math.PI * i / n);
                        inLen += Math.Sqrt(rb * rb + drb * drb) * 2 * Math.PI / n;
                    }
                }
                int target = (int)Math.Round(_p.FilopodiaPerMicron * inLen / 1000);
                for (int i = 0, t = 0; i < target && t < target * 20 + 20; t++)
                {
                    double phi = r.Uniform(0, 2 * Math.PI);
                    var (bx, by, nx, ny) = s.BoundaryPoint(phi);
                    if (bx < region.Min.X || bx > region.Max.X || by < region.Min.Y || by > region.Max.Y) continue;
                    if (TryFilopodium(r, cell, s, bx, by, nx, ny)) i++;
                }
                // Microvilli on the top (dorsal) surface, over the part of the cell inside the domain.
                var mr = r.Fork("microvilli", cell.Index);
                double w = _domain.Max.X - _domain.Min.X, h = _domain.Max.Y - _domain.Min.Y;
                int covered = 0;
                const int samples = 2000;
                for (int k = 0; k < samples; k++)
                    if (s.Inward(_domain.Min.X + mr.NextDouble() * w, _domain.Min.Y + mr.NextDouble() * h) > 0) covered++;
                int villi = (int)Math.Round(_p.MicrovilliPerSquareMicron * covered / (double)samples * w * h / 1e6);
                for (int i = 0, t = 0; i < villi && t < villi * 10 + 10; t++)
                    if (TryDorsalMicrovillus(mr, cell, s)) i++;
            }
            else if (cell.Shape is EllipsoidShape e)
            {
                int target = (int)Math.Round(_p.FilopodiaPerMicron * 2 * Math.PI * e.A / 1000 * 2);
                for (int i = 0, t = 0; i < target && t < target * 10 + 10; t++)
                    if (TryMicrovillus(r, cell, e)) i++;
            }
        }
    }

    private bool TryFilopodium(SimRandom r, SimObject cell, AdherentCellShape s, double bx, double by, double nx, double ny)
    {
        double radius = r.ClippedGaussian(66.5, 14, 35, 110);
        double length = r.ClippedGaussian(966, 394, 300, 2500);
        double turn = r.Uniform(-40, 40) * Math.PI / 180;
        double hx = nx * Math.Cos(turn) - ny * Math.Sin(turn), hy = nx * Math.Sin(turn) + ny * Math.Cos(turn);
        double elev = r.Uniform(-2, 10) * Math.PI / 180;
        var dir = new V3(hx * Math.Cos(elev), hy * Math.Cos(elev), Math.Sin(elev));
        double back = s.RimWidth + radius + 60;
        double z = s.Zb + radius + 5 + r.Uniform(0, Math.Max(0, 0.5 * s.EdgeHeight - radius));
        var start = new V3(bx - hx * back, by - hy * back, z);
        double zMin = s.Zb + radius + 2, zMax = SlabHi - radius - 10;
        var pts = GrowPath(r, start, dir, length + back, 150, 5, 12, q => q.Z >= zMin && q.Z <= zMax);
        // The protruding part starts where the axis leaves the cell body.
        var full = new TubeShape(pts, radius);
        int exitSeg = -1;
        double exitT = 0;
        for (int i = 1; i < pts.Count && exitSeg < 0; i++)
        {
            for (int k = 0; k <= 10; k++)
            {
                V3 q = pts[i - 1] + (pts[i] - pts[i - 1]) * (k / 10.0);
                if (s.Distance(q) >= 0) { exitSeg = i; exitT = k / 10.0; break; }
            }
        }
        if (exitSeg < 0) return false;
        var outside = new List<V3> { pts[exitSeg - 1] + (pts[exitSeg] - pts[exitSeg - 1]) * exitT };
        for (int i = exitSeg; i < pts.Count; i++) outside.Add(pts[i]);
        var truth = new TubeShape(outside, radius, openBase: true);
        if (truth.Length < 200) return false;
        // Keep clear of other cells and of beads/filopodia already placed (protruding part only).
        var caps = truth.Capsules;
        foreach (var c in caps)
            for (int k = 0; k <= 4; k++)
            {
                V3 q = c.A + (c.B - c.A) * (k / 4.0);
                foreach (var (other, _) in _cells)
                    if (!ReferenceEquals(other, cell) && other.Shape.Distance(q) < radius + 60) return false;
            }
        if (_index.Collides(caps, Gap)) return false;
        var o = new SimObject(SimClass.Filopodium, "filopodium", full, cell.Lac)
        {
            TruthShape = truth, IsProtrusion = true, Parent = cell.Index,
            TextureAmplitude = 0.08, TextureScaleNm = 45,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = cell.MembraneExcess,
        };
        Add(o, index: false);
        foreach (var c in caps) _index.Add(c);
        cell.Protrusions.Add(o.Index);
        return true;
    }

    /// <summary>A microvillus rising from the top surface of an adherent cell into the ice above it.</summary>
    private bool TryDorsalMicrovillus(SimRandom r, SimObject cell, AdherentCellShape s)
    {
        double x = r.Uniform(_domain.Min.X, _domain.Max.X), y = r.Uniform(_domain.Min.Y, _domain.Max.Y);
        if (s.Inward(x, y) < 600) return false;
        double radius = r.Uniform(35, 60), length = r.Uniform(200, 900);
        const double e = 60;
        double hx = (s.Height(x + e, y) - s.Height(x - e, y)) / (2 * e), hy = (s.Height(x, y + e) - s.Height(x, y - e)) / (2 * e);
        var n = new V3(-hx, -hy, 1).Normalized();
        var top = new V3(x, y, s.Zb + s.Height(x, y));
        var dir = (n + r.UnitVector() * r.Uniform(0, 0.6)).Normalized();
        if (dir.Z < 0.3) return false;
        var start = top - n * (radius + 40);
        double zMax = SlabHi - radius - 15;
        var pts = GrowPath(r, start, dir, length + radius + 40, 100, 8, 90, q => q.Z <= zMax);
        return AddProtrusion(cell, q => s.Distance(q), pts, radius, "microvillus", 100);
    }

    /// <summary>
    /// Adds a protrusion of <paramref name="cell"/> along <paramref name="pts"/> (starting inside the body):
    /// its truth is the part beyond where the axis leaves the body; false when too short or colliding.
    /// </summary>
    private bool AddProtrusion(SimObject cell, Func<V3, double> body, List<V3> pts, double radius, string kind, double minLength)
    {
        if (pts.Count < 2) return false;
        var full = new TubeShape(pts, radius);
        int exitSeg = -1;
        double exitT = 0;
        for (int i = 1; i < pts.Count && exitSeg < 0; i++)
            for (int k = 0; k <= 10; k++)
            {
                V3 q = pts[i - 1] + (pts[i] - pts[i - 1]) * (k / 10.0);
                if (body(q) >= 0) { exitSeg = i; exitT = k / 10.0; break; }
            }
        if (exitSeg < 0) return false;
        var outside = new List<V3> { pts[exitSeg - 1] + (pts[exitSeg] - pts[exitSeg - 1]) * exitT };
        // Stop where the path would dive back into the body.
        for (int i = exitSeg; i < pts.Count && body(pts[i]) > 0; i++) outside.Add(pts[i]);
        if (outside.Count < 2) return false;
        var truth = new TubeShape(outside, radius, openBase: true);
        if (truth.Length < minLength || _index.Collides(truth.Capsules, Gap)) return false;
        pts = pts.Take(exitSeg).Concat(outside.Skip(1)).ToList();
        full = new TubeShape(pts, radius);
        foreach (var c in truth.Capsules)
            for (int k = 0; k <= 4; k++)
            {
                V3 q = c.A + (c.B - c.A) * (k / 4.0);
                foreach (var (other, _) in _cells)
                    if (!ReferenceEquals(other, cell) && other.Shape.Distance(q) < radius + 60) return false;
            }
        var o = new SimObject(SimClass.Filopodium, kind, full, cell.Lac)
        {
            TruthShape = truth, IsProtrusion = true, Parent = cell.Index,
            TextureAmplitude = 0.08, TextureScaleNm = 45,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = cell.MembraneExcess,
        };
        Add(o, index: false);
        foreach (var c in truth.Capsules) _index.Add(c);
        cell.Protrusions.Add(o.Index);
        return true;
    }

    private bool TryMicrovillus(SimRandom r, SimObject cell, EllipsoidShape e)
    {
        double radius = r.Uniform(35, 60), length = r.Uniform(250, 900);
        V3 u = r.UnitVector();
        var local = new V3(e.A * u.X, e.B * u.Y, e.C * u.Z);
        V3 q = e.ToWorld(local);
        V3 ln = e.LocalNormal(local);
        V3 n = (e.E1 * ln.X + e.E2 * ln.Y + e.E3 * ln.Z).Normalized();
        var start = q - n * (radius + 40);
        double rIn = _iceT / 2;
        var pts = GrowPath(r, start, n, length + radius + 40, 120, 8, 90, p =>
        {
            double dx = p.X - (_p.Nx - 1) * 0.5 * _d, dz = p.Z - _zc;
            return Math.Sqrt(dx * dx + dz * dz) < rIn - radius - 40;
        });
        var full = new TubeShape(pts, radius);
        int exitSeg = -1;
        for (int i = 1; i < pts.Count && exitSeg < 0; i++) if (e.Distance(pts[i]) >= 0) exitSeg = i;
        if (exitSeg < 0) return false;
        var outside = new List<V3> { pts[exitSeg - 1] };
        for (int i = exitSeg; i < pts.Count; i++) outside.Add(pts[i]);
        var truth = new TubeShape(outside, radius, openBase: true);
        if (truth.Length < 120 || _index.Collides(truth.Capsules, Gap)) return false;
        var o = new SimObject(SimClass.Filopodium, "microvillus", full, cell.Lac)
        {
            TruthShape = truth, IsProtrusion = true, Parent = cell.Index,
            TextureAmplitude = 0.08, TextureScaleNm = 45,
            MembraneOffsetsNm = new[] { 0.0 }, MembraneExcess = cell.MembraneExcess,
        };
        Add(o, index: false);
        foreach (var c in truth.Capsules) _index.Add(c);
        cell.Protrusions.Add(o.Index);
        return true;
    }

    private void BuildBeads(SimRandom r)
    {
        var size = _domain.Max - _domain.Min;
        double area = _p.Geometry == SampleGeometry.Slab ? size.X * size.Y / 1e6 : Math.PI * _iceT * size.Y / 1e6;
        int target = (int)r.Poisson(_p.BeadsPerSquareMicron * area);
        SphereShape? last = null;
        for (int i = 0, t = 0; i < target && t < target * 20 + 20; t++)
        {
            double radius = _p.BeadDiameterNm * r.Uniform(0.85, 1.15) / 2;
            V3 c;
            if (last is not null && r.Chance(0.25))
            {
                V3 dir = r.FlatUnitVector(10);
                c = last.Centre + dir * (last.Radius + radius + 3);
            }
            else if (_p.Geometry == SampleGeometry.Slab)
            {
                double x = r.Uniform(_domain.Min.X, _domain.Max.X), y = r.Uniform(_domain.Min.Y, _domain.Max.Y);
                double z = r.Chance(0.7) ? SlabHi - radius - r.Uniform(0, 25) : SlabLo + radius + r.Uniform(0, 25);
                c = new V3(x, y, z);
            }
            else
            {
                double ang = r.Uniform(0, 2 * Math.PI), rho = _iceT / 2 - radius - r.Uniform(0, 25);
                c = new V3((_p.Nx - 1) * 0.5 * _d + rho * Math.Cos(ang), r.Uniform(_domain.Min.Y, _domain.Max.Y), _zc + rho * Math.Sin(ang));
            }
            if (_p.Geometry == SampleGeometry.Slab && (c.Z - radius < SlabLo || c.Z + radius > SlabHi)) continue;
            if (_p.Geometry == SampleGeometry.Capillary)
            {
                double dx = c.X - (_p.Nx - 1) * 0.5 * _d, dz = c.Z - _zc;
                if (Math.Sqrt(dx * dx + dz * dz) + radius > _iceT / 2) continue;
            }
            if (CellDistance(c, out _) < radius + 30) continue;
            var cap = new Capsule(c, c, radius);
            if (_index.Collides(cap, 2)) continue;
            var sphere = new SphereShape(c, radius);
            Add(new SimObject(SimClass.GoldBead, "gold fiducial", sphere, _p.GoldLac) { Content = ContentKind.Constant });
            last = sphere;
            i++;
        }
    }

    private void AssignIds() => AssignIds(_objects, _fov, _d);

    /// <summary>Numbers the objects that reach into the field of view 1, 2, ... in list order and flags those it cuts.</summary>
    internal static void AssignIds(List<SimObject> objects, Box3 fov, double voxel)
    {
        int id = 0;
        foreach (var o in objects)
        {
            o.Id = 0;
            var b = o.IsProtrusion ? o.MeasuredShape.Bounds.Inflate(voxel) : o.Shape.Bounds;
            if (!b.Intersects(fov)) continue;
            if (++id > ushort.MaxValue)
                throw new SxtSegException($"the field of view holds more than {ushort.MaxValue} objects, more than a uint16 instance map can number; simulate a smaller volume or lower the organelle fractions");
            o.Id = id;
            o.CutByFieldOfView = !fov.Contains(o.MeasuredShape.Bounds);
        }
    }
}
