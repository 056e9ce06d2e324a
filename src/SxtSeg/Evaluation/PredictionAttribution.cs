using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// The streaming walk over predicted voxels that <see cref="InstanceRecovery"/> needs for per-organelle
/// IoU: every predicted voxel outside the ignore mask is attributed to the instance of the nearest
/// visible truth voxel within <see cref="Reach"/> voxels (Euclidean, in voxel units as the ±1
/// tolerance; ties go to the first in (dz, dy, dx) order), with whether that voxel is within ±1 (itself
/// or a face neighbour). Predicted voxels with no visible truth that close, or whose nearest visible
/// truth voxel has no instance, belong to no organelle (they count as false positives of the voxel
/// scores only). 2·<see cref="Reach"/> + 1 slices of truth are held at a time.
/// </summary>
internal static class PredictionAttribution
{
    /// <summary>Farthest a predicted voxel may lie from an organelle's visible membrane and still count against it (voxels).</summary>
    public const int Reach = 2;

    /// <summary>Called for each attributed predicted voxel: the instance id, and whether the nearest visible truth voxel is within ±1.</summary>
    internal delegate void Visit(uint instance, bool near);

    private const uint NoInstance = uint.MaxValue;

    /// <summary>Offsets within <see cref="Reach"/>, nearest first.</summary>
    private static readonly (int Dx, int Dy, int Dz, int D2)[] Offsets = BuildOffsets();

    private static (int, int, int, int)[] BuildOffsets()
    {
        var list = new List<(int Dx, int Dy, int Dz, int D2)>();
        for (int dz = -Reach; dz <= Reach; dz++)
            for (int dy = -Reach; dy <= Reach; dy++)
                for (int dx = -Reach; dx <= Reach; dx++)
                {
                    int d2 = dx * dx + dy * dy + dz * dz;
                    if (d2 <= Reach * Reach) list.Add((dx, dy, dz, d2));
                }
        // stable: equal distances keep the (dz, dy, dx) order
        return list.OrderBy(o => o.D2).Select(o => (o.Dx, o.Dy, o.Dz, o.D2)).ToArray();
    }

    /// <summary>Walks the volumes (same shape: the callers check it).</summary>
    internal static void Run(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances, Visit visit, CancellationToken cancel)
    {
        var info = truth.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, n = (int)info.SliceLength, ring = 2 * Reach + 1;
        // Per slice in the window: the instance of each visible truth voxel (NoInstance when it has none), 0 elsewhere; and the ignore mask.
        var visible = new uint[ring][];
        var ignored = new byte[ring][];
        for (int k = 0; k < ring; k++) { visible[k] = new uint[n]; ignored[k] = new byte[n]; }
        var t = new byte[n];
        var ids = new uint[n];
        var p = new byte[n];
        int loaded = 0;
        void Load(int z)
        {
            var vis = visible[z % ring];
            var ig = ignored[z % ring];
            truth.ReadSlice<byte>(z, t);
            if (ignore is not null) ignore.ReadSlice<byte>(z, ig);
            instances.ReadSlice<uint>(z, ids);
            for (int i = 0; i < n; i++)
                vis[i] = t[i] == 0 || ig[i] != 0 ? 0 : ids[i] == 0 ? NoInstance : ids[i];
        }
        for (int z = 0; z < nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            while (loaded < nz && loaded <= z + Reach) Load(loaded++);
            prediction.ReadSlice<byte>(z, p);
            var ig = ignored[z % ring];
            for (int i = 0; i < n; i++)
            {
                if (p[i] == 0 || ig[i] != 0) continue;
                int x = i % nx, y = i / nx;
                foreach (var (dx, dy, dz, d2) in Offsets)
                {
                    int xx = x + dx, yy = y + dy, zz = z + dz;
                    if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz) continue;
                    uint id = visible[zz % ring][yy * nx + xx];
                    if (id == 0) continue;
                    if (id != NoInstance) visit(id, d2 <= 1);
                    break;
                }
            }
        }
    }
}
