using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// Separates touching objects with a distance-transform watershed. For each object, the Euclidean
/// distance map (nm) has one maximum per "body"; a maximum whose dynamic (its height above the
/// saddle where it meets a higher maximum) is at least <c>minDepthNm</c> seeds its own piece, shallower
/// ones are merged into their neighbour. Voxels are flooded from the maxima downwards (priority
/// flood in descending distance, ties in raster order), so every voxel joins the body it belongs
/// to and no voxel is lost. Two spheres of radius R whose centres are d apart meet at a neck of
/// radius √(R² − d²/4); their depth is R minus that neck radius less about 0.8 voxel on voxelised
/// shapes (the distance map measures to the nearest background voxel's centre): at 10 nm voxels,
/// R = 100 nm and d = 160 nm give 40 nm by the formula and 32 nm measured.
/// Works on in-memory label volumes, one object crop at a time.
/// </summary>
public static class TouchingObjects
{
    /// <summary>
    /// Splits the objects of <paramref name="labels"/> (dense labels 1..<paramref name="objectCount"/>).
    /// Returns new dense labels: the pieces of object 1 first (in raster order of their first
    /// voxel), then those of object 2, and so on; and how many pieces each object became.
    /// </summary>
    public static (Volume<uint> Labels, int Count, int[] PieceCounts) Split(Volume<uint> labels, int objectCount, double minDepthNm,
        Connectivity connectivity = Connectivity.TwentySix, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        if (!(minDepthNm > 0) || double.IsInfinity(minDepthNm)) throw new InvalidOptionException(nameof(LabelSourceOptions.SplitTouchingNm), $"depth must be a positive number of nm, got {minDepthNm}");
        var voxel = labels.VoxelSize is { IsValid: true } v ? v : throw new InvalidOptionException(nameof(LabelSourceOptions.SplitTouchingNm), "needs the voxel size");
        var bounds = LabelStreams.FromVolume(labels, objectCount).Bounds;
        var pieceCounts = new int[objectCount];
        var cropMaps = new int[objectCount][];
        int done = 0;
        Parallel.For(0, objectCount, new ParallelOptions { CancellationToken = cancellation }, k =>
        {
            var (map, count) = SplitOne(labels, (uint)(k + 1), bounds[k], voxel, minDepthNm, connectivity);
            cropMaps[k] = map;
            pieceCounts[k] = count;
            progress.Report("splitting touching objects", Interlocked.Increment(ref done), objectCount, "objects");
        });
        var offsets = new uint[objectCount];
        uint next = 0;
        for (int k = 0; k < objectCount; k++)
        {
            offsets[k] = next;
            next = checked(next + (uint)pieceCounts[k]);
        }
        var result = new Volume<uint>(labels.Nx, labels.Ny, labels.Nz, labels.VoxelSize) { OriginNm = labels.OriginNm };
        Parallel.For(0, objectCount, k =>
        {
            var b = bounds[k];
            var map = cropMaps[k];
            int w = b.Width, h = b.Height;
            uint lab = (uint)(k + 1);
            for (int z = b.Z0; z <= b.Z1; z++)
                for (int y = b.Y0; y <= b.Y1; y++)
                {
                    var row = labels.Row(z, y);
                    var dst = result.Row(z, y);
                    int baseIdx = ((z - b.Z0) * h + (y - b.Y0)) * w - b.X0;
                    for (int x = b.X0; x <= b.X1; x++)
                        if (row[x] == lab) dst[x] = offsets[k] + (uint)map[baseIdx + x];
                }
        });
        return (result, (int)next, pieceCounts);
    }

    /// <summary>
    /// Ids for the pieces of <see cref="Split"/>: an object that stayed whole keeps its id
    /// (<paramref name="sourceIds"/>, e.g. an instance map's values); the pieces of a split one get new
    /// ids above the largest of <paramref name="sourceIds"/> and <paramref name="largestId"/> (the largest id of
    /// the whole map, objects a size filter removed included, so that no new id is an old one), in piece order.
    /// </summary>
    public static uint[] PieceIds(IReadOnlyList<uint> sourceIds, int[] pieceCounts, uint largestId = 0)
    {
        uint next = largestId;
        int total = 0;
        for (int k = 0; k < pieceCounts.Length; k++)
        {
            next = Math.Max(next, sourceIds[k]);
            total += pieceCounts[k];
        }
        var ids = new uint[total];
        int i = 0;
        for (int k = 0; k < pieceCounts.Length; k++)
        {
            if (pieceCounts[k] == 1) ids[i++] = sourceIds[k];
            else for (int j = 0; j < pieceCounts[k]; j++) ids[i++] = checked(++next);
        }
        return ids;
    }

    /// <summary>Piece number (1..count) for every voxel of the object's bounding box (0 outside the object).</summary>
    private static (int[] Map, int Count) SplitOne(Volume<uint> labels, uint lab, VoxelBox b, VoxelSize voxel, double h, Connectivity connectivity)
    {
        // Crop with a one-voxel margin (inside the volume) so distances see the background around the object.
        int mx0 = Math.Max(0, b.X0 - 1), my0 = Math.Max(0, b.Y0 - 1), mz0 = Math.Max(0, b.Z0 - 1);
        int mx1 = Math.Min(labels.Nx - 1, b.X1 + 1), my1 = Math.Min(labels.Ny - 1, b.Y1 + 1), mz1 = Math.Min(labels.Nz - 1, b.Z1 + 1);
        int cw = mx1 - mx0 + 1, ch = my1 - my0 + 1, cd = mz1 - mz0 + 1;
        var crop = new Volume<byte>(cw, ch, cd);
        var voxels = new List<int>();
        for (int z = 0; z < cd; z++)
            for (int y = 0; y < ch; y++)
            {
                var row = labels.Row(z + mz0, y + my0);
                for (int x = 0; x < cw; x++)
                    if (row[x + mx0] == lab)
                    {
                        crop[z, y, x] = 1;
                        voxels.Add((z * ch + y) * cw + x);
                    }
            }
        var dist2 = DistanceTransform.SquaredEuclidean(crop, voxel);
        var dist = new float[voxels.Count];
        var order = new int[voxels.Count];
        for (int i = 0; i < voxels.Count; i++)
        {
            double d2 = dist2[voxels[i]];
            dist[i] = double.IsPositiveInfinity(d2) ? float.MaxValue : (float)Math.Sqrt(d2);
            order[i] = i;
        }
        // Descending distance, ties by raster index (voxels are listed in raster order).
        Array.Sort(order, (p, q) => dist[q] != dist[p] ? dist[q].CompareTo(dist[p]) : p.CompareTo(q));
        var index = new int[crop.Length];
        Array.Fill(index, -1);
        for (int i = 0; i < voxels.Count; i++) index[voxels[i]] = i;
        var basin = new int[voxels.Count];
        Array.Fill(basin, -1);
        var parent = new List<int>();
        var peak = new List<float>();
        int Find(int a)
        {
            while (parent[a] != a)
            {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }
            return a;
        }
        Span<int> roots = stackalloc int[26];
        foreach (int i in order)
        {
            int lin = voxels[i];
            int x = lin % cw, y = lin / cw % ch, z = lin / (cw * ch);
            int nRoots = 0, steepest = -1;
            float steepestDist = float.MinValue;
            for (int dz = -1; dz <= 1; dz++)
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int d = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                        if (d == 0 || (connectivity == Connectivity.Six && d > 1) || (connectivity == Connectivity.Eighteen && d > 2)) continue;
                        int qx = x + dx, qy = y + dy, qz = z + dz;
                        if ((uint)qx >= (uint)cw || (uint)qy >= (uint)ch || (uint)qz >= (uint)cd) continue;
                        int j = index[(qz * ch + qy) * cw + qx];
                        if (j < 0 || basin[j] < 0) continue;
                        int r = Find(basin[j]);
                        if (roots[..nRoots].IndexOf(r) < 0) roots[nRoots++] = r;
                        // The voxel follows its steepest-ascent neighbour (ties: the earlier one).
                        if (dist[j] > steepestDist || (dist[j] == steepestDist && j < steepest)) { steepestDist = dist[j]; steepest = j; }
                    }
            if (nRoots == 0)
            {
                basin[i] = parent.Count;
                parent.Add(parent.Count);
                peak.Add(dist[i]);
                continue;
            }
            int best = roots[0];
            for (int k = 1; k < nRoots; k++)
            {
                int r = roots[k];
                if (peak[r] > peak[best] || (peak[r] == peak[best] && r < best)) best = r;
            }
            for (int k = 0; k < nRoots; k++)
            {
                int r = roots[k];
                if (r != best && peak[r] - dist[i] < h) parent[r] = best;
            }
            basin[i] = Find(basin[steepest]);
        }
        // Number the surviving basins in raster order of their first voxel.
        var pieceOf = new Dictionary<int, int>();
        var map = new int[b.Width * b.Height * b.Depth];
        int w = b.Width, hh = b.Height;
        for (int i = 0; i < voxels.Count; i++)
        {
            int r = Find(basin[i]);
            if (!pieceOf.TryGetValue(r, out int piece)) pieceOf[r] = piece = pieceOf.Count + 1;
            int lin = voxels[i];
            int x = lin % cw + mx0 - b.X0, y = lin / cw % ch + my0 - b.Y0, z = lin / (cw * ch) + mz0 - b.Z0;
            map[(z * hh + y) * w + x] = piece;
        }
        return (map, pieceOf.Count);
    }
}
