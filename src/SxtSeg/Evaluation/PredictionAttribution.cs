using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>
/// The streaming walk over predicted voxels that <see cref="InstanceRecovery"/> needs for per-organelle
/// IoU: every predicted voxel outside the ignore mask is attributed to one organelle, so that no label
/// escapes being counted against some organelle.
/// <list type="bullet">
/// <item>A voxel within ±1 of a visible truth voxel (itself first, then its 6 face neighbours in the order
/// −z, +z, −y, +y, −x, +x) belongs to that voxel's organelle, as a voxel near it.</item>
/// <item>Any other voxel belongs to the organelle of the nearest visible truth voxel in its own x–y slice
/// (Euclidean; <see cref="NearestFeature2D"/>), or, in a slice without visible membrane, in the nearest
/// slice that has some (the lower on a tie), as a voxel not near it.</item>
/// </list>
/// Visible truth voxels without an instance (id 0) attract voxels too, which then belong to no organelle.
/// Three slices of visible truth and one in-plane attribution map are held at a time, and one pass over
/// the truth, ignore mask and instances finds the slices with visible membrane first.
/// </summary>
internal static class PredictionAttribution
{
    /// <summary>Called for each attributed predicted voxel: the instance id, and whether it lies within ±1 of that instance's visible membrane.</summary>
    internal delegate void Visit(uint instance, bool near);

    // A visible truth voxel without an instance: it attracts voxels, which then count for no organelle.
    private const uint NoInstance = uint.MaxValue;

    /// <summary>Walks the volumes (same shape: the callers check it).</summary>
    internal static void Run(IVolumeReader prediction, IVolumeReader truth, IVolumeReader? ignore, IVolumeReader instances, Visit visit, CancellationToken cancel)
    {
        var info = truth.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz, n = (int)info.SliceLength;
        var t = new byte[n];
        var ids = new uint[n];
        var p = new byte[n];
        var ig = new byte[n];

        // Pass 1: which slices have visible membrane.
        var hasVisible = new bool[nz];
        var scratch = new uint[n];
        for (int z = 0; z < nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            hasVisible[z] = Load(z, scratch);
        }

        // Pass 2: three slices of visible ids (z − 1, z, z + 1) and the in-plane map of the reference slice.
        var window = new[] { new uint[n], new uint[n], new uint[n] };
        var map = new uint[n];
        var reference = new uint[n];
        var nearest = new NearestFeature2D(nx, ny);
        int mapOf = -1;
        Load(0, window[1]);
        if (nz > 1) Load(1, window[2]);
        for (int z = 0; z < nz; z++)
        {
            cancel.ThrowIfCancellationRequested();
            int r = ReferenceSlice(hasVisible, z);
            if (r >= 0 && r != mapOf)
            {
                if (r == z) window[1].CopyTo(reference, 0);
                else Load(r, reference);
                nearest.Compute(reference, map);
                mapOf = r;
            }
            prediction.ReadSlice<byte>(z, p);
            if (ignore is not null) ignore.ReadSlice<byte>(z, ig);
            uint[] c = window[1];
            uint[]? below = z > 0 ? window[0] : null, above = z + 1 < nz ? window[2] : null;
            for (int i = 0; i < n; i++)
            {
                if (p[i] == 0 || (ignore is not null && ig[i] != 0)) continue;
                int x = i % nx, y = i / nx;
                uint id = c[i];
                if (id == 0 && below is not null) id = below[i];
                if (id == 0 && above is not null) id = above[i];
                if (id == 0 && y > 0) id = c[i - nx];
                if (id == 0 && y + 1 < ny) id = c[i + nx];
                if (id == 0 && x > 0) id = c[i - 1];
                if (id == 0 && x + 1 < nx) id = c[i + 1];
                bool near = id != 0;
                if (!near) id = r >= 0 ? map[i] : 0;
                if (id != 0 && id != NoInstance) visit(id, near);
            }
            if (z + 1 < nz)
            {
                (window[0], window[1], window[2]) = (window[1], window[2], window[0]);
                if (z + 2 < nz) Load(z + 2, window[2]);
            }
        }

        // The visible membrane of slice z as instance ids (NoInstance for a visible voxel without one, 0 elsewhere); true when there is some.
        bool Load(int z, uint[] into)
        {
            truth.ReadSlice<byte>(z, t);
            if (ignore is not null) ignore.ReadSlice<byte>(z, ig);
            instances.ReadSlice<uint>(z, ids);
            bool any = false;
            for (int i = 0; i < n; i++)
            {
                bool visible = t[i] != 0 && (ignore is null || ig[i] == 0);
                into[i] = !visible ? 0 : ids[i] == 0 ? NoInstance : ids[i];
                any |= visible;
            }
            return any;
        }
    }

    /// <summary>The slice whose visible membrane attributes the labels of slice <paramref name="z"/>: itself, else the nearest with some (the lower on a tie); −1 when none has any.</summary>
    internal static int ReferenceSlice(bool[] hasVisible, int z)
    {
        for (int d = 0; d < hasVisible.Length; d++)
        {
            if (z - d >= 0 && hasVisible[z - d]) return z - d;
            if (z + d < hasVisible.Length && hasVisible[z + d]) return z + d;
        }
        return -1;
    }
}
