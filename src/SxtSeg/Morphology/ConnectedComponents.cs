using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// 3D connected components. Foreground is every voxel that is 1 in the mask stream (for label
/// files: see <see cref="ForegroundRule"/>; by default 0 is background and any other single value,
/// such as 1 or 255, is foreground). Labels are numbered 1..N in raster order of each object's
/// first voxel (z, then y, then x), so results are reproducible.
/// </summary>
public static class ConnectedComponents
{
    /// <summary>
    /// Labels a (possibly larger than memory) mask stream: one pass now builds the union–find, and
    /// every <see cref="ComponentLabeling.Stream"/> recomputes the labels slab by slab. Memory: one
    /// slab of slices plus a few integers per 2D component.
    /// </summary>
    public static ComponentLabeling Analyze(IMaskStream mask, ComponentOptions? options = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new ComponentOptions();
        if (options.MinVoxels < 0 || options.MaxVoxels < options.MinVoxels) throw new InvalidOptionException(nameof(ComponentOptions.MinVoxels), "need 0 ≤ minimum ≤ maximum object size");
        var engine = ComponentEngine.Run(mask, options.Connectivity, inverted: false, progress, "labelling objects", cancellation);
        return new ComponentLabeling(mask, engine, options);
    }

    /// <summary>Labels a mask held in memory (non-zero = foreground); returns the labels and their number.</summary>
    public static (Volume<uint> Labels, int Count) Label(Volume<byte> mask, ComponentOptions? options = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        var labeling = Analyze(MaskStreams.FromVolume(mask), options, progress, cancellation);
        return (labeling.ToVolume(cancellation), labeling.ObjectCount);
    }

    /// <summary>A copy of <paramref name="mask"/> (0/1) without the objects smaller than <paramref name="minVoxels"/>.</summary>
    public static Volume<byte> RemoveSmallObjects(Volume<byte> mask, long minVoxels, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).RemoveSmallObjects(minVoxels, connectivity).ToVolume();
}
