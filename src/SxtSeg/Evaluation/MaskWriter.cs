using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Evaluation;

/// <summary>Writes masks of a stream to a label file.</summary>
public static class MaskWriter
{
    /// <summary>Writes <paramref name="mask"/> (0/1) to <paramref name="path"/> as uint8 (0/1 for MRC, 0/255 for TIFF).</summary>
    public static long Write(IMaskStream mask, string path, Provenance provenance, IProgress<ProgressUpdate>? progress = null, string stage = "writing")
    {
        mask.Reset();
        var info = mask.Info with { Type = VoxelType.UInt8 };
        bool tiff = VolumeIO.FormatOf(path) != VolumeFormat.Mrc;
        using var w = VolumeIO.Create(path, info, provenance);
        var s = new byte[info.SliceLength];
        long count = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            mask.ReadNext(s);
            foreach (byte b in s) count += b;
            if (tiff) for (int i = 0; i < s.Length; i++) s[i] = (byte)(s[i] * 255);
            w.WriteSlice<byte>(s);
            progress.Report(stage, z + 1, info.Nz, "slices");
        }
        w.Commit();
        return count;
    }
}
