namespace SxtSeg.Volumes;

/// <summary>Convenience reads on top of <see cref="IVolumeReader"/>.</summary>
public static class VolumeReaderExtensions
{
    /// <summary>Reads one slice into a new array.</summary>
    public static T[] ReadSlice<T>(this IVolumeReader r, int z) where T : unmanaged
    {
        var a = new T[r.Info.SliceLength];
        r.ReadSlice<T>(z, a);
        return a;
    }

    /// <summary>Reads slices [z0, z0+count) into <paramref name="dest"/> (count·Nx·Ny voxels).</summary>
    public static void ReadSlab<T>(this IVolumeReader r, int z0, int count, Span<T> dest) where T : unmanaged
    {
        int n = (int)r.Info.SliceLength;
        if (z0 < 0 || count < 0 || z0 + count > r.Info.Nz) throw new ArgumentOutOfRangeException(nameof(z0), $"slab {z0}..{z0 + count - 1} outside 0..{r.Info.Nz - 1}");
        for (int i = 0; i < count; i++) r.ReadSlice(z0 + i, dest.Slice(i * n, n));
    }

    /// <summary>Reads slices [z0, z0+count) as a volume (all of it when count is omitted).</summary>
    public static Volume<T> ReadVolume<T>(this IVolumeReader r, int z0 = 0, int count = -1) where T : unmanaged
    {
        var info = r.Info;
        if (count < 0) count = info.Nz - z0;
        var v = new Volume<T>(info.Nx, info.Ny, count, info.VoxelSize)
        {
            OriginNm = (info.OriginNm.X, info.OriginNm.Y, info.OriginNm.Z + z0 * (info.VoxelSize?.Z ?? 0)),
        };
        r.ReadSlab<T>(z0, count, v.Data);
        return v;
    }
}
