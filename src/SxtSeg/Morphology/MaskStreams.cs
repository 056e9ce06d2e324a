using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>Factories for mask streams.</summary>
public static class MaskStreams
{
    /// <summary>Streams a volume held in memory; every non-zero voxel is foreground.</summary>
    public static IMaskStream FromVolume(Volume<byte> mask) => new VolumeMaskStream(mask);

    /// <summary>
    /// Streams a label file (MRC, TIFF, folder of TIFFs) through a <see cref="ForegroundRule"/>.
    /// The file stays open until the returned stream is disposed. Problems in the values
    /// (non-binary input under <see cref="ForegroundMode.Binary"/>) are reported as
    /// <see cref="InvalidInputException"/> while reading, before any output is committed.
    /// </summary>
    /// <param name="reader">An open reader (owned by the stream).</param>
    /// <param name="rule">How values become foreground.</param>
    /// <param name="voxelSize">Voxel size overriding the file's (nm), or null to keep the file's.</param>
    public static FileMaskStream FromReader(IVolumeReader reader, ForegroundRule rule, VoxelSize? voxelSize = null)
        => new(reader, rule, voxelSize);

    /// <summary>
    /// <paramref name="mask"/> with the foreground of <paramref name="exclude"/> removed (same shape): e.g.
    /// membranes outside an ignore mask. Both streams are owned by the result only if the caller disposes them.
    /// </summary>
    public static IMaskStream Except(this IMaskStream mask, IMaskStream exclude)
    {
        var a = mask.Info;
        var b = exclude.Info;
        if (a.Nx != b.Nx || a.Ny != b.Ny || a.Nz != b.Nz) throw new ArgumentException("mask streams differ in shape", nameof(exclude));
        return new ExceptMaskStream(mask, exclude);
    }

    private sealed class ExceptMaskStream(IMaskStream mask, IMaskStream exclude) : IMaskStream
    {
        private byte[] _buf = Array.Empty<byte>();

        public VolumeInfo Info => mask.Info;

        public void Reset()
        {
            mask.Reset();
            exclude.Reset();
        }

        public void ReadNext(Span<byte> dest)
        {
            if (_buf.Length != dest.Length) _buf = new byte[dest.Length];
            mask.ReadNext(dest);
            exclude.ReadNext(_buf);
            for (int i = 0; i < dest.Length; i++) if (_buf[i] != 0) dest[i] = 0;
        }
    }

    /// <summary>Reads a whole stream into a volume of 0/1 bytes (only for volumes that fit in memory).</summary>
    public static Volume<byte> ToVolume(this IMaskStream stream)
    {
        var info = stream.Info;
        var v = new Volume<byte>(info.Nx, info.Ny, info.Nz, info.VoxelSize) { OriginNm = info.OriginNm };
        stream.Reset();
        for (int z = 0; z < info.Nz; z++) stream.ReadNext(v.Slice(z));
        return v;
    }

    /// <summary>Counts the foreground voxels of a stream (one pass).</summary>
    public static long CountForeground(this IMaskStream stream)
    {
        var info = stream.Info;
        var buf = new byte[info.SliceLength];
        stream.Reset();
        long n = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            stream.ReadNext(buf);
            n += buf.Length - buf.AsSpan().Count((byte)0);
        }
        return n;
    }

    /// <summary>Sets dest[i] = 1 where src[i] ≠ 0, else 0 (vectorised).</summary>
    internal static void Binarize(ReadOnlySpan<byte> src, Span<byte> dest)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<byte>.One;
            var vs = MemoryMarshal.Cast<byte, Vector<byte>>(src);
            var vd = MemoryMarshal.Cast<byte, Vector<byte>>(dest);
            for (int k = 0; k < vs.Length; k++) vd[k] = Vector.Min(vs[k], one);
            i = vs.Length * Vector<byte>.Count;
        }
        for (; i < src.Length; i++) dest[i] = src[i] != 0 ? (byte)1 : (byte)0;
    }
}
