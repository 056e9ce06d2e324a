using SxtSeg.Volumes;

namespace SxtSeg.Tests.Volumes;

/// <summary>Small volumes with values that exercise each type's range.</summary>
public static class VolumeFixtures
{
    /// <summary>Every supported element type, for theories.</summary>
    public static TheoryData<string> AllTypes => new() { "uint8", "int8", "int16", "uint16", "float32", "float16" };

    /// <summary>A 7 × 5 × 3 volume whose values cover the type's extremes and a ramp.</summary>
    public static Volume<T> Pattern<T>() where T : unmanaged
    {
        var v = new Volume<T>(7, 5, 3, VoxelSize.Isotropic(9.8)) { OriginNm = (1.5, -2.5, 30) };
        var t = VoxelTypes.Of<T>();
        var d = new double[v.Length];
        double lo = t.IsFloat() ? -1000.25 : t.MinValue(), hi = t.IsFloat() ? 31000.5 : t.MaxValue();
        for (int i = 0; i < d.Length; i++) d[i] = lo + (hi - lo) * ((i * 37) % d.Length) / (d.Length - 1);
        d[0] = lo; d[1] = hi;
        VoxelConvert.FromDouble<T>(d, v.Data);
        return v;
    }

    /// <summary>Bytes of a volume's data.</summary>
    public static byte[] Bytes<T>(Volume<T> v) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.Data.AsSpan()).ToArray();

    /// <summary>Writes the pattern of the named type to <paramref name="path"/> and returns its bytes.</summary>
    public static byte[] WritePattern(string type, string path) => VoxelTypes.Parse(type) switch
    {
        VoxelType.UInt8 => Write<byte>(path),
        VoxelType.Int8 => Write<sbyte>(path),
        VoxelType.Int16 => Write<short>(path),
        VoxelType.UInt16 => Write<ushort>(path),
        VoxelType.UInt32 => Write<uint>(path),
        VoxelType.Float32 => Write<float>(path),
        _ => Write<Half>(path),
    };

    private static byte[] Write<T>(string path) where T : unmanaged
    {
        var v = Pattern<T>();
        VolumeIO.Write(path, v, new Provenance("test").Set("case", typeof(T).Name));
        return Bytes(v);
    }

    /// <summary>Raw voxel bytes of a file, read slice by slice in its own type.</summary>
    public static byte[] ReadRaw(string path, out VolumeInfo info)
    {
        using var r = VolumeIO.OpenRead(path);
        info = r.Info;
        int n = (int)(info.SliceLength * info.Type.Size());
        var all = new byte[n * info.Nz];
        for (int z = 0; z < info.Nz; z++) r.ReadRawSlice(z, all.AsSpan(z * n, n));
        return all;
    }
}
