using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>The 3D clean-up applied after thresholding, shared by the network pipeline and the threshold baselines.</summary>
public static class PostProcessing
{
    /// <summary>Chains erosion (6-connected, n steps) and removal of 3D objects (26-connected) below the minimum size onto <paramref name="mask"/>.</summary>
    public static IMaskStream Chain(IMaskStream mask, SegmentOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        if (options.ErosionSteps > 0) mask = mask.Erode(options.ErosionSteps, Connectivity.Six);
        long minVoxels = MinimumObjectVoxels(options, mask.Info.VoxelSize);
        if (minVoxels > 1) mask = mask.RemoveSmallObjects(minVoxels, Connectivity.TwentySix, progress, cancel);
        mask.Reset();
        return mask;
    }

    /// <summary>The smallest object kept, in voxels, from --min-voxels and --min-volume.</summary>
    public static long MinimumObjectVoxels(SegmentOptions options, VoxelSize? voxelSize)
    {
        long minVoxels = options.MinObjectVoxels;
        if (options.MinObjectVolumeNm3 is { } nm3)
        {
            var vs = voxelSize ?? throw new InvalidOptionException(nameof(SegmentOptions.MinObjectVolumeNm3), "needs the tomogram's voxel size (give --voxel-size)");
            minVoxels = Math.Max(minVoxels, ComponentOptions.VoxelsForVolume(nm3, vs));
        }
        return minVoxels;
    }

    /// <summary>
    /// Clears a border of <paramref name="crop"/> voxels of slice z (x, y and the first/last slices;
    /// a volume of one slice, a single image or a one-slice range, has no z faces to clear).
    /// </summary>
    public static void CropBorder(Span<byte> slice, int z, int nx, int ny, int nz, int crop)
    {
        if (crop <= 0) return;
        if (nz > 1 && (z < crop || z >= nz - crop)) { slice[..(nx * ny)].Clear(); return; }
        for (int y = 0; y < ny; y++)
        {
            var row = slice.Slice(y * nx, nx);
            if (y < crop || y >= ny - crop) row.Clear();
            else { row[..Math.Min(crop, nx)].Clear(); row[Math.Max(0, nx - crop)..].Clear(); }
        }
    }
}
