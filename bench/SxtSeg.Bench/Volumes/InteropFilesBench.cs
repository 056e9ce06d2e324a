using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Volumes;

/// <summary>
/// Writes MRC and TIFF files of every supported type (plus the expected raw bytes) for checking
/// with Python's mrcfile and tifffile: see bench/interop/check_mrcfile_tifffile.py.
/// </summary>
public sealed class InteropFilesBench : IBenchmark
{
    public string Name => "io-interop";

    public string Description => "write MRC/TIFF files of every type into DIR for the mrcfile/tifffile check";

    public int Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : "interop-files";
        Directory.CreateDirectory(dir);
        Write<byte>(dir, "uint8", small: false);
        Write<byte>(dir, "uint8-labels", small: true);
        Write<sbyte>(dir, "int8", false);
        Write<short>(dir, "int16", false);
        Write<ushort>(dir, "uint16", false);
        Write<float>(dir, "float32", false);
        Write<Half>(dir, "float16", false);
        var u32 = Pattern<uint>(false);
        VolumeIO.Write(Path.Combine(dir, "uint32.tif"), u32, new Provenance("io-interop"));
        File.WriteAllBytes(Path.Combine(dir, "uint32.raw"), MemoryMarshal.AsBytes(u32.Data.AsSpan()).ToArray());
        Console.WriteLine($"wrote files to {Path.GetFullPath(dir)}");
        return 0;
    }

    private static Volume<T> Pattern<T>(bool small) where T : unmanaged
    {
        var v = new Volume<T>(33, 21, 5, new VoxelSize(9.8, 9.8, 19.6)) { OriginNm = (100, 200, -50) };
        var t = VoxelTypes.Of<T>();
        var d = new double[v.Length];
        double lo = t.IsFloat() ? -1000.25 : t.MinValue(), hi = t.IsFloat() ? 31000.5 : t.MaxValue();
        // mrcfile computes the RMS of float16 data in float16 arithmetic, whose sum of squares overflows
        // (inf) once values reach a few units over a few thousand voxels: keep them small here.
        if (t == VoxelType.Float16) { lo = -1.25; hi = 2.5; }
        if (small) { lo = 0; hi = 1; }
        for (int i = 0; i < d.Length; i++) d[i] = small ? (i % 7 == 0 ? 1 : 0) : lo + (hi - lo) * ((i * 37) % d.Length) / (d.Length - 1);
        VoxelConvert.FromDouble<T>(d, v.Data);
        return v;
    }

    private static void Write<T>(string dir, string name, bool small) where T : unmanaged
    {
        var v = Pattern<T>(small);
        var p = new Provenance("io-interop").Set("type", name);
        VolumeIO.Write(Path.Combine(dir, name + ".mrc"), v, p);
        VolumeIO.Write(Path.Combine(dir, name + ".tif"), v, p);
        VolumeConverter.Convert(Path.Combine(dir, name + ".mrc"), Path.Combine(dir, name + ".converted.tif"), new ConvertOptions());
        File.WriteAllBytes(Path.Combine(dir, name + ".raw"), MemoryMarshal.AsBytes(v.Data.AsSpan()).ToArray());
    }
}
