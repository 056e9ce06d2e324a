using System.Globalization;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Finds and measures filopodia from a filopodium mask (1 = the protruding part of a filopodium,
/// solid, as a filopodium model labels it: <see cref="FilopodiumModel"/>) instead of filling the cell
/// from its membrane labels, so no cell body is needed. Each 26-connected object of the mask is a
/// candidate; its two ends are the ends of its longest geodesic path; the base is the end with more
/// membrane labels around it (the cell body's plasma membrane and organelles, against the ice around
/// a tip); its base is the surface there that faces away from the tip (<see cref="BaseBody"/>). From there the analysis is the one of <see cref="FilopodiaAnalysis"/>: the tube
/// is kept (touching filopodia separate), too short, thin or wide objects are dropped, and those cut
/// by the field of view or near gold are measured but left out of the summary.
/// </summary>
public static class FilopodiaMaskAnalysis
{
    /// <summary>Radius (nm) around each end of an object within which membrane labels are counted to tell its base from its tip.</summary>
    public const double BaseSearchNm = 300;

    /// <summary>Membrane labels closer than this many voxels to the object itself (its own walls) are not counted.</summary>
    public const int OwnWallVoxels = 3;

    /// <summary>
    /// Finds and measures the filopodia of a filopodium mask.
    /// </summary>
    /// <param name="filopodia">The filopodium mask (1 = filopodium, solid).</param>
    /// <param name="membranes">Membrane labels of the same tomogram (1 = membrane), to tell each object's base from its tip.</param>
    /// <param name="voxelSize">Voxel size (nm).</param>
    /// <param name="options">Thresholds (defaults when null; the fill and cell-mask options do not apply).</param>
    /// <param name="progress">Progress reports.</param>
    /// <param name="extras">Optional tomogram (gold beads) or bead mask; a cell mask is not used.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static FilopodiaResult Run(IMaskStream filopodia, IMaskStream membranes, VoxelSize voxelSize, FilopodiaOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, FilopodiaExtras? extras = null, CancellationToken cancellation = default)
    {
        options ??= new FilopodiaOptions();
        options.Validate();
        extras ??= new FilopodiaExtras();
        if (!voxelSize.IsValid) throw new InvalidOptionException(nameof(FilopodiaRunRequest.VoxelSize), "the voxel size must be positive");
        var info = filopodia.Info with { VoxelSize = voxelSize, Type = VoxelType.UInt8 };
        FilopodiaAnalysis.SameShape(membranes.Info, "the membrane labels", info, "the filopodium mask");
        FilopodiaAnalysis.CheckExtras(extras, info, "the filopodium mask");

        string rule = "filopodia from a filopodium mask: each 26-connected object is a candidate, its base the end with more membrane labels within "
            + string.Create(CultureInfo.InvariantCulture, $"{BaseSearchNm:0} nm (its own walls, {OwnWallVoxels} voxels, left out); no cell body is filled");
        var (beads, goldRule) = FilopodiaAnalysis.Gold(extras, options, progress, cancellation);
        rule += goldRule;
        var maskBits = FilopodiaAnalysis.ToBits(filopodia, info, cancellation);
        var membraneBits = FilopodiaAnalysis.ToBits(membranes, info, cancellation);
        var beadBits = beads is null ? null : FilopodiaAnalysis.ToBits(beads, info, cancellation);
        var engine = ComponentEngine.Run(new BitVolumeStream(maskBits, info), Connectivity.TwentySix, inverted: false, progress, "finding filopodia", cancellation);

        long minVoxels = FilopodiaAnalysis.MinVoxels(options, voxelSize);
        double minVoxel = Math.Min(voxelSize.X, Math.Min(voxelSize.Y, voxelSize.Z));
        int margin = 2 + (int)Math.Ceiling(Math.Max(BaseSearchNm, options.BeadDistanceNm) / minVoxel);
        var outcomes = FilopodiaAnalysis.EachCandidate(engine, maskBits, info, minVoxels, margin, "objects", (roi, own, all) =>
            AnalyzeObject(own, all, membraneBits.Crop(roi), beadBits?.Crop(roi), roi, info, voxelSize, options, minVoxels), progress, cancellation);
        return FilopodiaAnalysis.Collect(outcomes, info, voxelSize, options, rule, cellVoxels: 0);
    }

    /// <summary>One object of the mask (a crop): its base, then the tube analysis; what the tube pruning leaves is analysed again (up to 8 filopodia).</summary>
    private static List<ProtrusionOutcome> AnalyzeObject(Volume<byte> own, Volume<byte> all, Volume<byte> membranes, Volume<byte>? beads, VoxelBox roi,
        VolumeInfo info, VoxelSize v, FilopodiaOptions options, long minVoxels)
        => FilopodiumAnalyzer.AnalyzeAll(own, part =>
        {
            if (BaseBody(part, membranes, v) is not { } body) return null;
            // The cell is the part and the stand-in body beyond its base; "thin" is the part itself, so nothing regrows.
            var cell = new Volume<byte>(part.Nx, part.Ny, part.Nz);
            for (int i = 0; i < cell.Data.Length; i++) cell.Data[i] = (byte)(part.Data[i] | body.Data[i]);
            return new ProtrusionCrop(roi, part, cell, part, all, beads) { GiveBackBase = false };
        }, info, v, options, minVoxels);

    /// <summary>
    /// A stand-in for the cell body at the object's base (null when neither end has membrane labels around it): the
    /// voxels outside the object that touch (a face neighbour) its base face. The base face is the object's surface
    /// near the base end (within 2 radii + 2 voxels of the greatest geodesic distance from the tip) whose outward
    /// normal (from the object's voxels in a 5 × 5 × 5 neighbourhood) lies within 50° of the axis there, pointing
    /// away from the tip: a slanted base is found whole, the side wall is not.
    /// </summary>
    internal static Volume<byte>? BaseBody(Volume<byte> part, Volume<byte> membranes, VoxelSize v)
    {
        var (a, b) = Ends(part, v);
        if (a < 0) return null;
        var near = BinaryMorphology.Dilate(part, OwnWallVoxels);
        long countA = MembranesAround(a, near, membranes, v), countB = MembranesAround(b, near, membranes, v);
        if (countA == 0 && countB == 0) return null;
        int tip = countA > countB ? b : a;
        var seed = new bool[part.Data.Length];
        seed[tip] = true;
        var fromTip = FilopodiumAnalyzer.Geodesic(part, seed, v);
        int nx = part.Nx, ny = part.Ny, nz = part.Nz, sl = nx * ny;
        float far = 0;
        long count = 0;
        for (int i = 0; i < fromTip.Length; i++)
            if (part.Data[i] != 0 && float.IsFinite(fromTip[i])) { far = Math.Max(far, fromTip[i]); count++; }
        double mean = (v.X + v.Y + v.Z) / 3;
        double radius = far > 0 ? Math.Sqrt(count * v.Volume / (Math.PI * far)) : mean;
        double reach = 2 * Math.Max(radius, mean) + 2 * mean;
        // The axis at the base: from the centroid of the stretch before the base region to the centroid of the base region.
        double ex = 0, ey = 0, ez = 0, px = 0, py = 0, pz = 0;
        int ne = 0, np = 0;
        for (int i = 0; i < fromTip.Length; i++)
        {
            if (part.Data[i] == 0 || !float.IsFinite(fromTip[i])) continue;
            double x = i % nx * v.X, y = i / nx % ny * v.Y, z = i / sl * v.Z;
            if (fromTip[i] >= far - reach) { ex += x; ey += y; ez += z; ne++; }
            else if (fromTip[i] >= far - 2 * reach) { px += x; py += y; pz += z; np++; }
        }
        if (ne == 0) return null;
        // An object shorter than the base region (a stub) has no stretch before it: the axis runs from the tip instead,
        // so that it is measured (and rejected as too short), not taken for one detached from the cell.
        if (np == 0) { px = tip % nx * v.X; py = tip / nx % ny * v.Y; pz = tip / sl * v.Z; np = 1; }
        double ux = ex / ne - px / np, uy = ey / ne - py / np, uz = ez / ne - pz / np;
        double un = Math.Sqrt(ux * ux + uy * uy + uz * uz);
        if (un == 0) return null;
        ux /= un; uy /= un; uz /= un;
        bool Inside(int x, int y, int z) => (uint)x < (uint)nx && (uint)y < (uint)ny && (uint)z < (uint)nz && part.Data[(z * ny + y) * nx + x] != 0;
        var body = new Volume<byte>(nx, ny, nz);
        bool any = false;
        double cos = Math.Cos(50 * Math.PI / 180);
        for (int i = 0; i < part.Data.Length; i++)
        {
            if (part.Data[i] == 0 || !(fromTip[i] >= far - reach)) continue;
            int x = i % nx, y = i / nx % ny, z = i / sl;
            if (Inside(x - 1, y, z) && Inside(x + 1, y, z) && Inside(x, y - 1, z) && Inside(x, y + 1, z) && Inside(x, y, z - 1) && Inside(x, y, z + 1)) continue;
            double gx = 0, gy = 0, gz = 0;
            for (int dz = -2; dz <= 2; dz++)
                for (int dy = -2; dy <= 2; dy++)
                    for (int dx = -2; dx <= 2; dx++)
                        if (!Inside(x + dx, y + dy, z + dz)) { gx += dx * v.X; gy += dy * v.Y; gz += dz * v.Z; }
            double gn = Math.Sqrt(gx * gx + gy * gy + gz * gz);
            if (gn == 0 || (gx * ux + gy * uy + gz * uz) / gn < cos) continue;
            void Mark(int xx, int yy, int zz)
            {
                if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz) return;
                int j = (zz * ny + yy) * nx + xx;
                if (part.Data[j] != 0) return;
                body.Data[j] = 1;
                any = true;
            }
            Mark(x - 1, y, z); Mark(x + 1, y, z); Mark(x, y - 1, z); Mark(x, y + 1, z); Mark(x, y, z - 1); Mark(x, y, z + 1);
        }
        return any ? body : null;
    }

    /// <summary>The two ends of the object's longest geodesic path (the farthest voxel from any voxel, then the farthest from that); (−1, −1) when empty.</summary>
    internal static (int A, int B) Ends(Volume<byte> part, VoxelSize v)
    {
        int first = Array.IndexOf(part.Data, (byte)1);
        if (first < 0) return (-1, -1);
        int a = Farthest(part, first, v);
        int b = Farthest(part, a, v);
        return (a, b);
    }

    private static int Farthest(Volume<byte> part, int from, VoxelSize v)
    {
        var seed = new bool[part.Data.Length];
        seed[from] = true;
        var d = FilopodiumAnalyzer.Geodesic(part, seed, v);
        int best = from;
        float far = -1;
        for (int i = 0; i < d.Length; i++)
            if (part.Data[i] != 0 && float.IsFinite(d[i]) && d[i] > far) { far = d[i]; best = i; }
        return best;
    }

    /// <summary>Membrane voxels within <see cref="BaseSearchNm"/> of voxel <paramref name="at"/>, leaving out those in <paramref name="near"/> (the object dilated by <see cref="OwnWallVoxels"/>).</summary>
    internal static long MembranesAround(int at, Volume<byte> near, Volume<byte> membranes, VoxelSize v)
    {
        int nx = near.Nx, ny = near.Ny, nz = near.Nz, sl = nx * ny;
        int cx = at % nx, cy = at / nx % ny, cz = at / sl;
        int rx = (int)Math.Ceiling(BaseSearchNm / v.X), ry = (int)Math.Ceiling(BaseSearchNm / v.Y), rz = (int)Math.Ceiling(BaseSearchNm / v.Z);
        double r2 = BaseSearchNm * BaseSearchNm;
        long count = 0;
        for (int z = Math.Max(0, cz - rz); z <= Math.Min(nz - 1, cz + rz); z++)
            for (int y = Math.Max(0, cy - ry); y <= Math.Min(ny - 1, cy + ry); y++)
            {
                double dyz = (z - cz) * (z - cz) * v.Z * v.Z + (y - cy) * (y - cy) * v.Y * v.Y;
                if (dyz > r2) continue;
                int row = (z * ny + y) * nx;
                for (int x = Math.Max(0, cx - rx); x <= Math.Min(nx - 1, cx + rx); x++)
                {
                    if (dyz + (x - cx) * (x - cx) * v.X * v.X > r2) continue;
                    int i = row + x;
                    if (membranes.Data[i] != 0 && near.Data[i] == 0) count++;
                }
            }
        return count;
    }
}
