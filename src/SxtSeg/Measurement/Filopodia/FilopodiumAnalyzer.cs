using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>Why a protrusion is not a filopodium (or None).</summary>
internal enum Rejection
{
    None,
    Detached,
    TooShort,
    TooThin,
    TooWide,
}

/// <summary>A protrusion cut out of the volume with some context around it.</summary>
/// <param name="Roi">Box of the crop in the volume (voxel indices).</param>
/// <param name="Protrusion">1 = this protrusion (a component of <paramref name="Protrusions"/>).</param>
/// <param name="Cell">1 = solid cell (to the middle of the membrane).</param>
/// <param name="Thin">1 = the parts of the cell thinner than the maximum diameter (the cell body is <paramref name="Cell"/> minus these).</param>
/// <param name="Protrusions">1 = <paramref name="Thin"/> opened by the minimum diameter (this protrusion and others).</param>
/// <param name="Beads">1 = gold, or null.</param>
internal sealed record ProtrusionCrop(VoxelBox Roi, Volume<byte> Protrusion, Volume<byte> Cell, Volume<byte> Thin, Volume<byte> Protrusions, Volume<byte>? Beads)
{
    /// <summary>Whether the ball opening's bite out of the base is given back (<see cref="FilopodiumAnalyzer.RestoreBase"/>); false for a filopodium mask, which no opening made.</summary>
    public bool GiveBackBase { get; init; } = true;
}

/// <summary>What the analysis of one protrusion gave.</summary>
internal sealed record ProtrusionOutcome(Rejection Rejection, Filopodium? Filopodium);

/// <summary>
/// Analyses one protrusion: its base (voxels touching the cell body), its centre line (centroids of
/// the level sets of the geodesic distance from the base), length, mean diameter, the Table S1
/// measures (<see cref="ObjectMeasurer"/>) and the membrane area without the base.
/// </summary>
internal static class FilopodiumAnalyzer
{
    /// <summary>
    /// Analyses a protrusion and, when it held more than one tube (filopodia touching at their
    /// bases), what is left of it once each tube is taken out (up to 8 filopodia per protrusion).
    /// </summary>
    public static List<ProtrusionOutcome> AnalyzeAll(ProtrusionCrop crop, VolumeInfo volume, VoxelSize v, FilopodiaOptions options, long minVoxels)
        => AnalyzeAll(crop.Protrusion, part => crop with { Protrusion = part }, volume, v, options, minVoxels);

    /// <summary>
    /// Analyses <paramref name="first"/> and the parts the tube pruning leaves (26-connected, at least
    /// <paramref name="minVoxels"/>), up to 8 filopodia; <paramref name="cropFor"/> gives each part its crop, or null
    /// when the part has no base (counted as detached).
    /// </summary>
    public static List<ProtrusionOutcome> AnalyzeAll(Volume<byte> first, Func<Volume<byte>, ProtrusionCrop?> cropFor, VolumeInfo volume, VoxelSize v,
        FilopodiaOptions options, long minVoxels)
    {
        var outcomes = new List<ProtrusionOutcome>();
        var queue = new Queue<Volume<byte>>();
        queue.Enqueue(first);
        while (queue.Count > 0 && outcomes.Count < 8)
        {
            var crop = cropFor(queue.Dequeue());
            if (crop is null)
            {
                outcomes.Add(new ProtrusionOutcome(Rejection.Detached, null));
                continue;
            }
            var (outcome, remainder) = Analyze(crop, volume, v, options);
            outcomes.Add(outcome);
            if (remainder is null) continue;
            var (labels, n) = ConnectedComponents.Label(remainder, new ComponentOptions { Connectivity = Connectivity.TwentySix, MinVoxels = minVoxels });
            for (uint l = 1; l <= n; l++)
            {
                var part = new Volume<byte>(remainder.Nx, remainder.Ny, remainder.Nz);
                for (int i = 0; i < part.Data.Length; i++) part.Data[i] = labels.Data[i] == l ? (byte)1 : (byte)0;
                queue.Enqueue(part);
            }
        }
        return outcomes;
    }

    /// <summary>Analyses one protrusion; also returns what the tube pruning left of it (or null), which may hold another filopodium.</summary>
    public static (ProtrusionOutcome Outcome, Volume<byte>? Remainder) Analyze(ProtrusionCrop crop, VolumeInfo volume, VoxelSize v, FilopodiaOptions options)
    {
        var roi = crop.Roi;
        var k = Regrow(crop);
        int nx = k.Nx, ny = k.Ny, nz = k.Nz;
        int sliceLen = nx * ny;
        var (voxels, isBase) = Base(k, crop);
        if (voxels.Count == 0 || !isBase.Any(b => b)) return (new ProtrusionOutcome(Rejection.Detached, null), null);
        // Keep the tube: drop what lies farther from the centre line than the tube's radius (slivers of
        // the cell's edge caught at the base, or a second filopodium touching this one), then find the base again.
        var (pruned, tube) = PruneToTube(k, voxels, isBase, v);
        Volume<byte>? remainder = null;
        if (!ReferenceEquals(pruned, k))
        {
            var near = BinaryMorphology.Dilate(pruned, 1);
            remainder = new Volume<byte>(nx, ny, nz);
            bool any = false;
            for (int i = 0; i < remainder.Data.Length; i++)
                if (crop.Protrusion.Data[i] != 0 && near.Data[i] == 0) { remainder.Data[i] = 1; any = true; }
            if (!any) remainder = null;
        }
        var result = AnalyzeTube(crop, pruned, tube, volume, v, options);
        return (result, remainder);
    }

    private static ProtrusionOutcome AnalyzeTube(ProtrusionCrop crop, Volume<byte> k, TubeFit? tube, VolumeInfo volume, VoxelSize v, FilopodiaOptions options)
    {
        var roi = crop.Roi;
        int nx = k.Nx, ny = k.Ny, nz = k.Nz;
        int sliceLen = nx * ny;
        List<int> voxels;
        bool[] isBase;
        (voxels, isBase) = Base(k, crop);
        if (voxels.Count == 0 || !isBase.Any(b => b)) return new ProtrusionOutcome(Rejection.Detached, null);
        if (crop.GiveBackBase && tube is { } t && RestoreBase(k, crop, isBase, t, v, options.MaxDiameterNm / 2))
        {
            (voxels, isBase) = Base(k, crop);
            if (voxels.Count == 0 || !isBase.Any(b => b)) return new ProtrusionOutcome(Rejection.Detached, null);
        }

        var (line, lengthNm) = CentreLine(k, voxels, isBase, v, roi, volume.OriginNm);
        double volumeNm3 = voxels.Count * v.Volume;
        double diameter = lengthNm > 0 ? 2 * Math.Sqrt(volumeNm3 / (Math.PI * lengthNm)) : 0;
        if (lengthNm < options.MinLengthNm) return new ProtrusionOutcome(Rejection.TooShort, null);
        if (diameter < options.MinDiameterNm) return new ProtrusionOutcome(Rejection.TooThin, null);
        if (diameter > options.MaxDiameterNm) return new ProtrusionOutcome(Rejection.TooWide, null);

        // Flags.
        bool cut = false;
        foreach (int i in voxels)
        {
            int x = i % nx + roi.X0, y = i / nx % ny + roi.Y0, z = i / sliceLen + roi.Z0;
            if (x == 0 || y == 0 || z == 0 || x == volume.Nx - 1 || y == volume.Ny - 1 || z == volume.Nz - 1) { cut = true; break; }
        }
        bool nearBead = crop.Beads is { } beads && NearBead(k, beads, v, options.BeadDistanceNm);

        // Measures: the protrusion as the only object of its crop, placed in the volume.
        var origin = (volume.OriginNm.X + roi.X0 * v.X, volume.OriginNm.Y + roi.Y0 * v.Y, volume.OriginNm.Z + roi.Z0 * v.Z);
        var labels = new Volume<uint>(nx, ny, nz, v) { OriginNm = origin };
        foreach (int i in voxels) labels.Data[i] = 1;
        var slices = new List<SliceMeasurement>();
        var measured = ObjectMeasurer.Measure(LabelStreams.FromVolume(labels, 1), new MeasureOptions { SurfaceSmoothing = options.SurfaceSmoothing },
            s => slices.Add(s with { Z = s.Z + roi.Z0 }));
        var m = measured.Objects[0];
        var (area, baseArea) = OpenSurfaceArea(k, crop, v, options.SurfaceSmoothing);

        // Tight mask box.
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        foreach (int i in voxels)
        {
            int x = i % nx, y = i / nx % ny, z = i / sliceLen;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); z0 = Math.Min(z0, z); z1 = Math.Max(z1, z);
        }
        var box = new VoxelBox(x0 + roi.X0, y0 + roi.Y0, z0 + roi.Z0, x1 + roi.X0, y1 + roi.Y0, z1 + roi.Z0);
        var data = new byte[box.Width * box.Height * box.Depth];
        foreach (int i in voxels)
        {
            int x = i % nx - x0, y = i / nx % ny - y0, z = i / sliceLen - z0;
            data[(z * box.Height + y) * box.Width + x] = 1;
        }
        var f = new Filopodium
        {
            Id = 0,
            CutByFieldOfView = cut,
            NearBead = nearBead,
            InSummary = !(cut && options.ExcludeCutByFieldOfView) && !nearBead,
            Measures = m with { Box = box, TouchesBorder = cut },
            SurfaceAreaNm2 = area,
            BaseAreaNm2 = baseArea,
            LengthNm = lengthNm,
            DiameterNm = diameter,
            BaseNm = line[0],
            TipNm = line[^1],
            CentreLine = line,
            Slices = slices,
            Mask = new FilopodiumMask(box, data),
        };
        return new ProtrusionOutcome(Rejection.None, f);
    }

    /// <summary>The protrusion's voxel indices and which of them touch the cell body (a face neighbour in the cell but not in its thin parts).</summary>
    private static (List<int> Voxels, bool[] IsBase) Base(Volume<byte> k, ProtrusionCrop crop)
    {
        int nx = k.Nx, ny = k.Ny, nz = k.Nz, sliceLen = nx * ny;
        var kd = k.Data;
        var cell = crop.Cell.Data;
        var thin = crop.Thin.Data;
        bool Body(long i) => cell[i] != 0 && thin[i] == 0 && kd[i] == 0;
        var voxels = new List<int>();
        var isBase = new bool[kd.Length];
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    int i = (z * ny + y) * nx + x;
                    if (kd[i] == 0) continue;
                    voxels.Add(i);
                    isBase[i] = (x > 0 && Body(i - 1)) || (x < nx - 1 && Body(i + 1))
                        || (y > 0 && Body(i - nx)) || (y < ny - 1 && Body(i + nx))
                        || (z > 0 && Body(i - sliceLen)) || (z < nz - 1 && Body(i + sliceLen));
                }
        return (voxels, isBase);
    }

    /// <summary>
    /// Keeps the voxels within the tube's radius (+1.5 voxels) of its centre line. The centre line
    /// runs from the tip (the voxel farthest from the base) through the centroids of the level sets
    /// of the geodesic distance from the tip; where those sets swell near the base (more than 1.3 ×
    /// the median, something else caught there), the line continues straight in the last steady
    /// direction. The radius comes from the median level-set volume. Returns the 26-connected part
    /// holding the tip.
    /// </summary>
    internal static (Volume<byte> Kept, TubeFit? Tube) PruneToTube(Volume<byte> k, List<int> voxels, bool[] isBase, VoxelSize v)
    {
        int nx = k.Nx, ny = k.Ny, sl = nx * ny;
        var fromBase = Geodesic(k, isBase, v);
        int tip = -1;
        float far = -1;
        foreach (int i in voxels)
            if (float.IsFinite(fromBase[i]) && fromBase[i] > far) { far = fromBase[i]; tip = i; }
        if (tip < 0) return (k, null);
        var seed = new bool[k.Data.Length];
        seed[tip] = true;
        var fromTip = Geodesic(k, seed, v);
        double w = 2 * Math.Max(v.X, Math.Max(v.Y, v.Z));
        double maxD = 0;
        foreach (int i in voxels) if (float.IsFinite(fromTip[i])) maxD = Math.Max(maxD, fromTip[i]);
        int nb = (int)(maxD / w) + 1;
        if (nb < 5) return (k, null);
        var n = new int[nb];
        var c = new double[nb, 3];
        var reachesBase = new bool[nb];
        foreach (int i in voxels)
        {
            if (!float.IsFinite(fromTip[i])) continue;
            int b = Math.Min(nb - 1, (int)(fromTip[i] / w));
            n[b]++;
            if (isBase[i]) reachesBase[b] = true;
            c[b, 0] += i % nx * v.X; c[b, 1] += i / nx % ny * v.Y; c[b, 2] += i / sl * v.Z;
        }
        var middle = Enumerable.Range(nb / 5, Math.Max(1, nb * 3 / 5)).Where(b => n[b] > 0).Select(b => n[b]).Order().ToArray();
        if (middle.Length == 0) return (k, null);
        double median = middle[middle.Length / 2];
        double radius = Math.Sqrt(median * v.Volume / (Math.PI * w));
        // Steady part: from the tip until the first bin past the middle that swells or reaches the base.
        int steady = nb;
        for (int b = nb / 2; b < nb; b++)
            if (n[b] > 1.3 * median || reachesBase[b]) { steady = b; break; }
        var line = new List<(double X, double Y, double Z)>();
        for (int b = 0; b < steady; b++)
            if (n[b] > 0) line.Add((c[b, 0] / n[b], c[b, 1] / n[b], c[b, 2] / n[b]));
        if (line.Count < 3) return (k, null);
        var end = line[^1];
        var before = line[Math.Max(0, line.Count - 4)];
        double ex = end.X - before.X, ey = end.Y - before.Y, ez = end.Z - before.Z, en = Math.Sqrt(ex * ex + ey * ey + ez * ez);
        TubeFit? fit = en > 0 ? new TubeFit(radius, end, (-ex / en, -ey / en, -ez / en)) : null;
        {
            var last = line[^1];
            var prev = line[Math.Max(0, line.Count - 4)];
            double dx = last.X - prev.X, dy = last.Y - prev.Y, dz = last.Z - prev.Z, dn = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            if (dn > 0)
            {
                double reach = (nb - steady + 2) * w + 2 * radius;
                line.Add((last.X + dx / dn * reach, last.Y + dy / dn * reach, last.Z + dz / dn * reach));
            }
        }
        double limit = radius + 1.5 * (v.X + v.Y + v.Z) / 3;
        var kept = new Volume<byte>(k.Nx, k.Ny, k.Nz);
        foreach (int i in voxels)
        {
            double px = i % nx * v.X, py = i / nx % ny * v.Y, pz = i / sl * v.Z;
            double best = double.MaxValue;
            for (int j = 1; j < line.Count; j++) best = Math.Min(best, SegmentDistance(px, py, pz, line[j - 1], line[j]));
            if (best <= limit) kept.Data[i] = 1;
        }
        kept.Data[tip] = 1;
        // The part connected to the tip.
        var (labels, _) = ConnectedComponents.Label(kept, new ComponentOptions { Connectivity = Connectivity.TwentySix });
        uint tipLabel = labels.Data[tip];
        for (int i = 0; i < kept.Data.Length; i++) kept.Data[i] = labels.Data[i] == tipLabel ? (byte)1 : (byte)0;
        return (kept, fit);
    }

    /// <summary>The tube fitted to a protrusion: radius (nm), a point of its centre line near the base and the unit direction there towards the tip (crop coordinates in nm).</summary>
    internal readonly record struct TubeFit(double Radius, (double X, double Y, double Z) BasePoint, (double X, double Y, double Z) TowardsTip);

    /// <summary>
    /// Gives back to the protrusion what the body's opening took from its base: a ball wider than
    /// the tube, centred just inside the body, bulges out into the tube's base (by R − √(R² − r²)).
    /// The body's surface there is taken as the plane fitted to the body's surface voxels in a ring
    /// 2–6 voxels around the tube near its base; body voxels beyond that plane, within the tube's
    /// radius of its axis and at most the bulge's height behind the protrusion's present base join
    /// the protrusion. Returns true when voxels were added.
    /// </summary>
    internal static bool RestoreBase(Volume<byte> k, ProtrusionCrop crop, bool[] isBase, TubeFit tube, VoxelSize v, double bodyBallRadiusNm)
    {
        int nx = k.Nx, ny = k.Ny, nz = k.Nz, sl = nx * ny;
        var cell = crop.Cell.Data;
        var thin = crop.Thin.Data;
        bool Outside(int x, int y, int z) => (uint)x < (uint)nx && (uint)y < (uint)ny && (uint)z < (uint)nz && cell[(z * ny + y) * nx + x] == 0;
        // The body's surface around the base: body voxels touching the outside, in an annulus around the tube's axis near the base.
        var (bx, by, bz) = tube.BasePoint;
        var (ux, uy, uz) = tube.TowardsTip;
        double mean = (v.X + v.Y + v.Z) / 3;
        double baseT = 0;
        int nBase = 0;
        for (int i = 0; i < isBase.Length; i++)
        {
            if (!isBase[i]) continue;
            baseT += (i % nx * v.X - bx) * ux + (i / nx % ny * v.Y - by) * uy + (i / sl * v.Z - bz) * uz;
            nBase++;
        }
        if (nBase == 0) return false;
        baseT /= nBase;
        double inner = tube.Radius + 2 * mean, outer = tube.Radius + 6 * mean;
        var rim = new List<(double X, double Y, double Z)>();
        for (int i = 0; i < k.Data.Length; i++)
        {
            if (cell[i] == 0 || thin[i] != 0) continue;
            int x = i % nx, y = i / nx % ny, z = i / sl;
            if (!(Outside(x - 1, y, z) || Outside(x + 1, y, z) || Outside(x, y - 1, z) || Outside(x, y + 1, z) || Outside(x, y, z - 1) || Outside(x, y, z + 1))) continue;
            double px = x * v.X - bx, py = y * v.Y - by, pz = z * v.Z - bz;
            double t = px * ux + py * uy + pz * uz;
            if (Math.Abs(t - baseT) > 6 * mean) continue;
            double qx = px - t * ux, qy = py - t * uy, qz = pz - t * uz;
            double lateral = Math.Sqrt(qx * qx + qy * qy + qz * qz);
            if (lateral < inner || lateral > outer) continue;
            rim.Add((x * v.X, y * v.Y, z * v.Z));
        }
        if (rim.Count < 6) return false;
        double cx = rim.Average(p => p.X), cy = rim.Average(p => p.Y), cz = rim.Average(p => p.Z);
        double a00 = 0, a01 = 0, a02 = 0, a11 = 0, a12 = 0, a22 = 0;
        foreach (var p in rim)
        {
            double dx = p.X - cx, dy = p.Y - cy, dz = p.Z - cz;
            a00 += dx * dx; a01 += dx * dy; a02 += dx * dz; a11 += dy * dy; a12 += dy * dz; a22 += dz * dz;
        }
        var (values, vectors) = SymmetricEigen.Symmetric3(a00, a01, a02, a11, a12, a22);
        if (values[1] <= 0) return false; // the rim is a line: no plane
        var nrm = vectors[2];
        double dot = nrm[0] * ux + nrm[1] * uy + nrm[2] * uz;
        if (Math.Abs(dot) < 0.3) return false; // the plane runs along the tube: not a base
        double nxv = nrm[0] * Math.Sign(dot), nyv = nrm[1] * Math.Sign(dot), nzv = nrm[2] * Math.Sign(dot);
        // Body voxels beyond the plane within the tube's radius of its axis.
        double limit = tube.Radius + 0.5 * (v.X + v.Y + v.Z) / 3;
        // The bulge is R − √(R² − r²) high at the axis (R the body ball's radius, one voxel of slack):
        // voxels are added only that far behind the protrusion's present base.
        double big = bodyBallRadiusNm + mean;
        double bulge = big - Math.Sqrt(Math.Max(0, big * big - tube.Radius * tube.Radius)) + mean;
        bool added = false;
        for (int i = 0; i < k.Data.Length; i++)
        {
            if (k.Data[i] != 0 || cell[i] == 0 || thin[i] != 0) continue;
            double px = i % nx * v.X, py = i / nx % ny * v.Y, pz = i / sl * v.Z;
            if ((px - cx) * nxv + (py - cy) * nyv + (pz - cz) * nzv <= 0.5 * mean) continue;
            double t = (px - bx) * ux + (py - by) * uy + (pz - bz) * uz;
            if (t < baseT - bulge || t > baseT + mean) continue;
            double qx = px - bx - t * ux, qy = py - by - t * uy, qz = pz - bz - t * uz;
            if (qx * qx + qy * qy + qz * qz > limit * limit) continue;
            k.Data[i] = 1;
            added = true;
        }
        return added;
    }

    private static double SegmentDistance(double px, double py, double pz, (double X, double Y, double Z) a, (double X, double Y, double Z) b)
    {
        double ux = b.X - a.X, uy = b.Y - a.Y, uz = b.Z - a.Z;
        double len2 = ux * ux + uy * uy + uz * uz;
        double t = len2 > 0 ? Math.Clamp(((px - a.X) * ux + (py - a.Y) * uy + (pz - a.Z) * uz) / len2, 0, 1) : 0;
        double dx = px - (a.X + t * ux), dy = py - (a.Y + t * uy), dz = pz - (a.Z + t * uz);
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    /// <summary>
    /// The protrusion with the surface voxels the opening by the minimum-diameter ball left out
    /// (a digital ball does not reach into every corner of a digital cylinder): two 26-neighbour
    /// dilations, kept within the thin parts of the cell and away from other protrusions.
    /// </summary>
    internal static Volume<byte> Regrow(ProtrusionCrop crop)
    {
        var k = crop.Protrusion;
        var allowed = new byte[k.Data.Length];
        for (int i = 0; i < allowed.Length; i++)
            allowed[i] = crop.Thin.Data[i] != 0 && (crop.Protrusions.Data[i] == 0 || k.Data[i] != 0) ? (byte)1 : (byte)0;
        var grown = k;
        for (int step = 0; step < 2; step++)
        {
            var d = BinaryMorphology.Dilate(grown, 1);
            for (int i = 0; i < d.Data.Length; i++) d.Data[i] &= allowed[i];
            grown = d;
        }
        return grown;
    }

    /// <summary>Geodesic distance (nm) inside the mask from the base voxels, 26-neighbour steps of Euclidean length (Dijkstra).</summary>
    internal static float[] Geodesic(Volume<byte> mask, bool[] seeds, VoxelSize v)
    {
        int nx = mask.Nx, ny = mask.Ny, nz = mask.Nz, sl = nx * ny;
        var d = new float[mask.Data.Length];
        Array.Fill(d, float.PositiveInfinity);
        var queue = new PriorityQueue<int, float>();
        for (int i = 0; i < d.Length; i++)
            if (seeds[i]) { d[i] = 0; queue.Enqueue(i, 0); }
        var steps = new List<(int Dx, int Dy, int Dz, float W)>();
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (dx != 0 || dy != 0 || dz != 0)
                        steps.Add((dx, dy, dz, (float)Math.Sqrt(dx * dx * v.X * v.X + dy * dy * v.Y * v.Y + dz * dz * v.Z * v.Z)));
        while (queue.TryDequeue(out int i, out float di))
        {
            if (di > d[i]) continue;
            int x = i % nx, y = i / nx % ny, z = i / sl;
            foreach (var (dx, dy, dz, w) in steps)
            {
                int xx = x + dx, yy = y + dy, zz = z + dz;
                if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz) continue;
                int j = (zz * ny + yy) * nx + xx;
                if (mask.Data[j] == 0) continue;
                float nd = di + w;
                if (nd < d[j]) { d[j] = nd; queue.Enqueue(j, nd); }
            }
        }
        return d;
    }

    /// <summary>
    /// Centre line (nm, with the volume origin) from base to tip, and its length. The tip is the voxel
    /// farthest from the base (geodesically); the level sets of the geodesic distance from the tip
    /// cut the tube square to its axis, so their centroids (bins two voxels wide) trace the axis.
    /// The line runs from the base's centre through those centroids (the bins that reach the base
    /// left out: a slanted base would pull them aside), smoothed over three points, to the tip: the
    /// farthest voxel along the last direction, plus half a voxel; half a voxel is added at the base
    /// too (the base voxels' centres lie half a voxel beyond the body's surface).
    /// </summary>
    private static (List<Vec3Nm> Line, double Length) CentreLine(Volume<byte> k, List<int> voxels, bool[] isBase, VoxelSize v, VoxelBox roi, (double X, double Y, double Z) origin)
    {
        int nx = k.Nx, ny = k.Ny, sl = nx * ny;
        Vec3Nm Pos(int i) => new(origin.X + (i % nx + roi.X0) * v.X, origin.Y + (i / nx % ny + roi.Y0) * v.Y, origin.Z + (i / sl + roi.Z0) * v.Z);
        var fromBase = Geodesic(k, isBase, v);
        int tip = voxels[0];
        float far = -1;
        foreach (int i in voxels)
            if (float.IsFinite(fromBase[i]) && fromBase[i] > far) { far = fromBase[i]; tip = i; }
        var seed = new bool[k.Data.Length];
        seed[tip] = true;
        var geo = Geodesic(k, seed, v);
        double bin = 2 * Math.Max(v.X, Math.Max(v.Y, v.Z));
        double maxGeo = 0;
        foreach (int i in voxels) if (float.IsFinite(geo[i])) maxGeo = Math.Max(maxGeo, geo[i]);
        int nb = (int)(maxGeo / bin) + 1;
        var sum = new double[nb, 3];
        var count = new int[nb];
        var touchesBase = new bool[nb];
        double bx = 0, by = 0, bz = 0;
        int nBase = 0;
        foreach (int i in voxels)
        {
            var p = Pos(i);
            if (isBase[i]) { bx += p.X; by += p.Y; bz += p.Z; nBase++; }
            if (!float.IsFinite(geo[i])) continue;
            int b = Math.Min(nb - 1, (int)(geo[i] / bin));
            sum[b, 0] += p.X; sum[b, 1] += p.Y; sum[b, 2] += p.Z;
            count[b]++;
            if (isBase[i]) touchesBase[b] = true;
        }
        // From the tip towards the base; the cap (about 1.5 radii from the tip) is left to the tip extension below.
        var sizes = Enumerable.Range(2, Math.Max(0, nb - 2)).Where(b => count[b] > 0 && !touchesBase[b]).Select(b => count[b]).Order().ToArray();
        double radius = sizes.Length > 0 ? Math.Sqrt(sizes[sizes.Length / 2] * v.Volume / (Math.PI * bin)) : 0;
        int anchorBin = (int)Math.Ceiling(1.5 * radius / bin);
        var raw = new List<Vec3Nm>();
        var rawBins = new List<int>();
        for (int b = 0; b < nb && !touchesBase[b]; b++)
            if (count[b] > 0)
            {
                raw.Add(new Vec3Nm(sum[b, 0] / count[b], sum[b, 1] / count[b], sum[b, 2] / count[b]));
                rawBins.Add(b);
            }
        int skip = rawBins.FindIndex(b => b >= anchorBin);
        if (skip < 0 || raw.Count - skip < 4) skip = 0;
        raw.RemoveRange(0, skip);
        var baseCentre = new Vec3Nm(bx / nBase, by / nBase, bz / nBase);
        raw.Add(baseCentre);
        var line = new List<Vec3Nm>(raw.Count);
        for (int i = 0; i < raw.Count; i++)
        {
            if (i == 0 || i == raw.Count - 1) { line.Add(raw[i]); continue; }
            line.Add(new Vec3Nm((raw[i - 1].X + raw[i].X + raw[i + 1].X) / 3, (raw[i - 1].Y + raw[i].Y + raw[i + 1].Y) / 3, (raw[i - 1].Z + raw[i].Z + raw[i + 1].Z) / 3));
        }
        double length = 0;
        for (int i = 1; i < line.Count; i++) length += Dist(line[i - 1], line[i]);
        double half = 0.5 * (v.X + v.Y + v.Z) / 3;
        if (line.Count >= 2)
        {
            // The tip: from the first centroid past the cap, the farthest voxel along the tube's direction there.
            var first = line[0];
            var next = line[Math.Min(line.Count - 1, 3)];
            double ux = first.X - next.X, uy = first.Y - next.Y, uz = first.Z - next.Z;
            double un = Math.Sqrt(ux * ux + uy * uy + uz * uz);
            if (un > 0)
            {
                ux /= un; uy /= un; uz /= un;
                double ext = 0;
                double reach = (skip > 0 ? rawBins[skip] + 1 : 2) * bin + radius;
                foreach (int i in voxels)
                {
                    if (!(geo[i] < reach)) continue;
                    var p = Pos(i);
                    ext = Math.Max(ext, (p.X - first.X) * ux + (p.Y - first.Y) * uy + (p.Z - first.Z) * uz);
                }
                ext += 0.5 * Math.Sqrt(ux * ux * v.X * v.X + uy * uy * v.Y * v.Y + uz * uz * v.Z * v.Z);
                length += ext;
                line.Insert(0, new Vec3Nm(first.X + ux * ext, first.Y + uy * ext, first.Z + uz * ext));
            }
        }
        length += half;
        line.Reverse();
        return (line, length);
    }

    private static double Dist(Vec3Nm a, Vec3Nm b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y) + (a.Z - b.Z) * (a.Z - b.Z));

    /// <summary>True when a bead voxel lies within <paramref name="distanceNm"/> of the protrusion.</summary>
    private static bool NearBead(Volume<byte> k, Volume<byte> beads, VoxelSize v, double distanceNm)
    {
        if (Array.IndexOf(beads.Data, (byte)1) < 0) return false;
        var notK = new Volume<byte>(k.Nx, k.Ny, k.Nz, v);
        for (int i = 0; i < notK.Data.Length; i++) notK.Data[i] = k.Data[i] == 0 ? (byte)1 : (byte)0;
        var d = DistanceTransform.Euclidean(notK, v);
        for (int i = 0; i < beads.Data.Length; i++)
            if (beads.Data[i] != 0 && d.Data[i] <= distanceNm) return true;
        return false;
    }

    /// <summary>
    /// Area of the smoothed marching-cubes surface of the protrusion without its base (nm²), and the
    /// base's area. A vertex is a base vertex when the outside voxel it borders belongs to the cell
    /// body; each triangle counts towards the base by the fraction of its vertices there. The mesh is
    /// made at the crop's own origin (0): areas do not depend on where it lies, and float32 vertices
    /// far from zero (a header origin of 10⁶ nm) would lose the precision smoothing needs.
    /// </summary>
    internal static (double Area, double BaseArea) OpenSurfaceArea(Volume<byte> k, ProtrusionCrop crop, VoxelSize v, int smoothing)
    {
        var mask = new Volume<byte>(k.Nx, k.Ny, k.Nz, (byte[])k.Data.Clone(), v);
        var mesh = MarchingCubes.ExtractMask(mask);
        int nx = k.Nx, ny = k.Ny, nz = k.Nz;
        var cell = crop.Cell.Data;
        var thin = crop.Thin.Data;
        var vert = mesh.Vertices;
        int nv = mesh.VertexCount;
        var onBase = new bool[nv];
        for (int i = 0; i < nv; i++)
        {
            double gx = vert[3 * i] / v.X, gy = vert[3 * i + 1] / v.Y, gz = vert[3 * i + 2] / v.Z;
            // The vertex sits half-way between an inside voxel and an outside one along one axis.
            double fx = gx - Math.Floor(gx), fy = gy - Math.Floor(gy), fz = gz - Math.Floor(gz);
            int ax = Math.Abs(fx - 0.5) < 0.25 ? 0 : Math.Abs(fy - 0.5) < 0.25 ? 1 : 2;
            int x = (int)Math.Round(gx), y = (int)Math.Round(gy), z = (int)Math.Round(gz);
            int xa = x, ya = y, za = z, xb = x, yb = y, zb = z;
            if (ax == 0) { xa = (int)Math.Floor(gx); xb = xa + 1; }
            else if (ax == 1) { ya = (int)Math.Floor(gy); yb = ya + 1; }
            else { za = (int)Math.Floor(gz); zb = za + 1; }
            bool Inside(int xx, int yy, int zz) => (uint)xx < (uint)nx && (uint)yy < (uint)ny && (uint)zz < (uint)nz && k.Data[(zz * ny + yy) * nx + xx] != 0;
            bool BodyAt(int xx, int yy, int zz)
            {
                if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz) return false;
                int j = (zz * ny + yy) * nx + xx;
                return cell[j] != 0 && thin[j] == 0 && k.Data[j] == 0;
            }
            onBase[i] = Inside(xa, ya, za) ? BodyAt(xb, yb, zb) : BodyAt(xa, ya, za);
        }
        MeshSmoothing.Taubin(mesh, smoothing);
        vert = mesh.Vertices;
        var tri = mesh.Triangles;
        double area = 0, baseArea = 0;
        for (int t = 0; t < tri.Length; t += 3)
        {
            int a = tri[t], b = tri[t + 1], c = tri[t + 2];
            double e1x = vert[3 * b] - vert[3 * a], e1y = vert[3 * b + 1] - vert[3 * a + 1], e1z = vert[3 * b + 2] - vert[3 * a + 2];
            double e2x = vert[3 * c] - vert[3 * a], e2y = vert[3 * c + 1] - vert[3 * a + 1], e2z = vert[3 * c + 2] - vert[3 * a + 2];
            double cx = e1y * e2z - e1z * e2y, cy = e1z * e2x - e1x * e2z, cz = e1x * e2y - e1y * e2x;
            double ta = 0.5 * Math.Sqrt(cx * cx + cy * cy + cz * cz);
            double share = ((onBase[a] ? 1 : 0) + (onBase[b] ? 1 : 0) + (onBase[c] ? 1 : 0)) / 3.0;
            baseArea += ta * share;
            area += ta * (1 - share);
        }
        return (area, baseArea);
    }
}
