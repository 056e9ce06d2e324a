using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// The streaming walk shared by <see cref="InstanceRecovery"/> and <see cref="StructureRecall"/>: every
/// visible membrane voxel of a truth (non-zero, outside the ignore mask), with the instance map's slice
/// and whether the voxel lies within ±1 voxel (itself or one of its 6 face neighbours) of the
/// prediction. Three slices of the prediction are held at a time.
/// </summary>
internal static class VisibleTruthScan
{
    /// <summary>Called for each visible truth voxel: the slice of instance ids, the voxel's index in it, its x and y, and whether it is traced.</summary>
    internal delegate void Visit(uint[] ids, int i, int x, int y, bool traced);

    /// <summary>Walks the volumes (same shape, else an error naming the odd file).</summary>
    internal static void Run(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances, Visit visit, CancellationToken cancel)
    {
        var info = truth.Info;
        foreach (var other in new[] { prediction, instances, ignore })
            if (other is not null && (other.Info.Nx != info.Nx || other.Info.Ny != info.Ny || other.Info.Nz != info.Nz))
                throw new InvalidInputException(other.Path, $"is {other.Info.Nx}×{other.Info.Ny}×{other.Info.Nz}, the truth {info.Nx}×{info.Ny}×{info.Nz}");
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, n = (int)info.SliceLength;
        var p = new[] { new byte[n], new byte[n], new byte[n] };
        var t = new byte[n];
        var ig = new byte[n];
        var ids = new uint[n];
        prediction.ReadSlice<byte>(0, p[1]);
        if (nz > 1) prediction.ReadSlice<byte>(1, p[2]);
        for (int z = 0; z < nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            truth.ReadSlice<byte>(z, t);
            if (ignore is not null) ignore.ReadSlice<byte>(z, ig);
            instances.ReadSlice<uint>(z, ids);
            byte[] c = p[1];
            byte[]? below = z > 0 ? p[0] : null, above = z + 1 < nz ? p[2] : null;
            for (int i = 0; i < n; i++)
            {
                if (t[i] == 0 || (ignore is not null && ig[i] != 0)) continue;
                int x = i % nx, y = i / nx;
                bool near = c[i] != 0 || (x > 0 && c[i - 1] != 0) || (x + 1 < nx && c[i + 1] != 0) || (y > 0 && c[i - nx] != 0)
                    || (y + 1 < ny && c[i + nx] != 0) || (below is not null && below[i] != 0) || (above is not null && above[i] != 0);
                visit(ids, i, x, y, near);
            }
            if (z + 1 < nz)
            {
                (p[0], p[1], p[2]) = (p[1], p[2], p[0]);
                if (z + 2 < nz) prediction.ReadSlice<byte>(z + 2, p[2]);
            }
        }
    }
}
