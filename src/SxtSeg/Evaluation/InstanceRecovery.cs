using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// Organelles traced: of the simulation's membrane instances (one object per organelle, cell or
/// vesicle in <c>instances.mrc</c>) with at least <see cref="MinVoxels"/> visible membrane voxels, how
/// many have at least <see cref="MinFraction"/> of those voxels within ±1 voxel (self or a face
/// neighbour) of the prediction. A per-object recall that, unlike matching connected components,
/// does not depend on how the traced lines happen to connect; spurious labels are counted by the
/// voxel scores' false positives, not here.
/// </summary>
/// <param name="Instances">Instances with enough visible membrane.</param>
/// <param name="Recovered">Of those, the ones traced over at least the fraction.</param>
/// <param name="MinFraction">Fraction of an instance's visible membrane that must be traced.</param>
/// <param name="MinVoxels">Smallest visible membrane (voxels) for an instance to count.</param>
public sealed record InstanceRecovery(int Instances, int Recovered, double MinFraction, int MinVoxels)
{
    /// <summary><see cref="Recovered"/> / <see cref="Instances"/> (1 when there are none).</summary>
    public double Fraction => Instances == 0 ? 1 : (double)Recovered / Instances;

    /// <summary>
    /// Streams the four volumes slice by slice (three slices of the prediction held at a time).
    /// <paramref name="truth"/> non-zero = membrane; <paramref name="ignore"/> non-zero = not visible
    /// (null: every membrane voxel counts); <paramref name="instances"/> the instance id of each voxel.
    /// </summary>
    public static InstanceRecovery Evaluate(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances,
        double minFraction = 0.5, int minVoxels = 20, CancellationToken cancel = default)
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
        var visible = new Dictionary<uint, long>();
        var traced = new Dictionary<uint, long>();
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
                uint id = ids[i];
                if (id == 0 || t[i] == 0 || (ignore is not null && ig[i] != 0)) continue;
                visible[id] = visible.GetValueOrDefault(id) + 1;
                int x = i % nx, y = i / nx;
                bool near = c[i] != 0 || (x > 0 && c[i - 1] != 0) || (x + 1 < nx && c[i + 1] != 0) || (y > 0 && c[i - nx] != 0)
                    || (y + 1 < ny && c[i + nx] != 0) || (below is not null && below[i] != 0) || (above is not null && above[i] != 0);
                if (near) traced[id] = traced.GetValueOrDefault(id) + 1;
            }
            if (z + 1 < nz)
            {
                (p[0], p[1], p[2]) = (p[1], p[2], p[0]);
                if (z + 2 < nz) prediction.ReadSlice<byte>(z + 2, p[2]);
            }
        }
        int count = 0, recovered = 0;
        foreach (var (id, v) in visible)
        {
            if (v < minVoxels) continue;
            count++;
            if (traced.GetValueOrDefault(id) >= minFraction * v) recovered++;
        }
        return new InstanceRecovery(count, recovered, minFraction, minVoxels);
    }
}
