using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// The planes a network with context c reads for slice z: slices z − c … z + c, mirrored at the
/// ends of the tomogram (slice −1 is slice 1), one after another in z order. Training
/// (<c>SxtSeg.Training.CropSampler</c>) and inference use the same rule.
/// </summary>
public static class SliceStack
{
    /// <summary>The slice index of plane <paramref name="plane"/> (0 … 2c) of the stack of slice <paramref name="z"/>.</summary>
    public static int SliceOf(int z, int plane, int context, int nz) => Tiling.Reflect(z + plane - context, nz);

    /// <summary>Reads the raw stack of slice <paramref name="z"/>: (2 <paramref name="context"/> + 1) planes of Nx × Ny.</summary>
    public static float[] Read(IVolumeReader reader, int z, int context)
    {
        var info = reader.Info;
        int n = info.Nx * info.Ny, planes = 2 * context + 1;
        var stack = new float[(long)planes * n];
        for (int p = 0; p < planes; p++) reader.ReadSlice<float>(SliceOf(z, p, context, info.Nz), stack.AsSpan(p * n, n));
        return stack;
    }
}
