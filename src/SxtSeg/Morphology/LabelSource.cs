using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>How a label file is turned into objects (shared by components, measure, mesh, render and the demo).</summary>
public sealed record LabelSourceOptions
{
    /// <summary>Voxel size overriding the file's (nm).</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>Each non-zero value is an object id (instance map): no connected components.</summary>
    public bool Instances { get; init; }
    /// <summary>Every non-zero voxel is foreground.</summary>
    public bool NonZero { get; init; }
    /// <summary>Only voxels equal to this value are foreground.</summary>
    public double? Select { get; init; }
    /// <summary>Voxels above this value are foreground.</summary>
    public double? Threshold { get; init; }
    /// <summary>Neighbourhood joining objects.</summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;
    /// <summary>Remove objects with fewer voxels.</summary>
    public long? MinVoxels { get; init; }
    /// <summary>Remove objects below this volume (nm³).</summary>
    public double? MinVolumeNm3 { get; init; }
    /// <summary>Remove objects with more voxels.</summary>
    public long? MaxVoxels { get; init; }
    /// <summary>"none", "3d" (enclosed cavities) or "2d" (per slice).</summary>
    public string FillHoles { get; init; } = "none";
    /// <summary>Closing steps before filling.</summary>
    public int Close { get; init; }
    /// <summary>Erosion steps after filling.</summary>
    public int Erode { get; init; }
    /// <summary>Dilation steps after erosion.</summary>
    public int Dilate { get; init; }
    /// <summary>Separate touching objects by watershed with this minimum neck depth (nm); loads the labels in memory.</summary>
    public double? SplitTouchingNm { get; init; }
}

/// <summary>Objects opened from a label file, with what owns them.</summary>
public sealed class OpenedLabels : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    /// <summary>The object labels.</summary>
    public required ILabelStream Labels { get; init; }
    /// <summary>One line describing how the labels were read.</summary>
    public required string Description { get; init; }
    /// <summary>Objects removed by the size filters.</summary>
    public int RemovedBySize { get; init; }
    /// <summary>Voxel size used (nm).</summary>
    public required VoxelSize? VoxelSize { get; init; }

    internal void Own(IDisposable d) => _owned.Add(d);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}

/// <summary>Opens a label file as objects: foreground rule, closing, hole filling, erosion/dilation, components or instances, size filters, optional watershed split.</summary>
public static class LabelSource
{
    /// <summary>Opens <paramref name="path"/>; records every choice in <paramref name="provenance"/>.</summary>
    public static OpenedLabels Open(string path, LabelSourceOptions o, Provenance provenance, IProgress<ProgressUpdate>? progress, bool requireVoxelSize)
    {
        provenance.AddInput(path);
        var reader = VolumeIO.OpenRead(path);
        try
        {
            var info = reader.Info;
            VoxelSize? voxel = o.VoxelSize ?? (info.VoxelSize is { IsValid: true } fv ? fv : null);
            int modes = (o.Instances ? 1 : 0) + (o.NonZero ? 1 : 0) + (o.Select is null ? 0 : 1) + (o.Threshold is null ? 0 : 1);
            if (modes > 1) throw new InvalidOptionException("--instances/--nonzero/--select/--threshold", "choose at most one way to read the labels");
            var conn = o.Connectivity;
            if ((requireVoxelSize || o.MinVolumeNm3 is not null || o.SplitTouchingNm is not null) && voxel is null)
                throw new InvalidInputException(path, "voxel size is not stored in the file; give it with --voxel-size (nm)");
            if (o.MinVoxels is < 0) throw new InvalidOptionException("--min-voxels", "must be ≥ 0");
            long minVox = Math.Max(1, o.MinVoxels ?? 1);
            if (o.MinVolumeNm3 is { } mv) minVox = Math.Max(minVox, ComponentOptions.VoxelsForVolume(mv, voxel!.Value));
            long maxVox = o.MaxVoxels ?? long.MaxValue;
            if (maxVox < minVox) throw new InvalidOptionException("--max-voxels", "must not be below the minimum object size");
            string fill = o.FillHoles.ToLowerInvariant();
            if (fill is not ("none" or "3d" or "2d")) throw new InvalidOptionException("--fill-holes", $"'{fill}' is not none, 3d or 2d");
            if (o.Close < 0 || o.Erode < 0 || o.Dilate < 0) throw new InvalidOptionException("--close/--erode/--dilate", "steps must be ≥ 0");
            provenance.Set("connectivity", (int)conn).Set("min_voxels", minVox).Set("fill_holes", fill).Set("close", o.Close).Set("erode", o.Erode).Set("dilate", o.Dilate);
            if (maxVox != long.MaxValue) provenance.Set("max_voxels", maxVox);
            if (voxel is { } vsz) provenance.Set("voxel_size_nm", vsz.ToString());
            if (o.SplitTouchingNm is { } sp) provenance.Set("split_touching_nm", sp);

            ILabelStream labels;
            string description;
            int removed;
            if (o.Instances)
            {
                if (fill != "none" || o.Close > 0 || o.Erode > 0 || o.Dilate > 0)
                    throw new InvalidOptionException("--instances", "hole filling, closing, erosion and dilation apply to binary masks; leave them out with --instances");
                provenance.Set("labels", "instances");
                var inst = new InstanceLabelStream(reader, voxel, minVox, maxVox, progress);
                labels = inst;
                removed = inst.RemovedObjects;
                description = $"instance map: {inst.ObjectCount} objects";
            }
            else
            {
                var rule = o.NonZero ? ForegroundRule.NonZero
                    : o.Select is { } sv ? ForegroundRule.Equal(sv)
                    : o.Threshold is { } tv ? ForegroundRule.Above(tv)
                    : ForegroundRule.Binary;
                provenance.Set("labels", rule.ToString());
                IMaskStream mask = MaskStreams.FromReader(reader, rule, voxel);
                if (o.Close > 0) mask = mask.Close(o.Close, conn);
                if (fill == "3d") mask = mask.FillHoles(conn, progress);
                else if (fill == "2d") mask = mask.FillSliceHoles(conn);
                if (o.Erode > 0) mask = mask.Erode(o.Erode, conn);
                if (o.Dilate > 0) mask = mask.Dilate(o.Dilate, conn);
                var cc = ConnectedComponents.Analyze(mask, new ComponentOptions { Connectivity = conn, MinVoxels = minVox, MaxVoxels = maxVox }, progress);
                labels = cc;
                removed = cc.RemovedObjects;
                description = $"{rule.Describe()}; {cc.ObjectCount} objects ({(int)conn}-connected)";
            }
            if (o.SplitTouchingNm is { } depth)
            {
                var volume = labels.ToVolume();
                var (parts, count) = TouchingObjects.Split(volume, labels.ObjectCount, depth, conn, progress);
                description += string.Create(CultureInfo.InvariantCulture, $"; split at necks ≥ {depth} nm deep into {count} objects");
                labels = LabelStreams.FromVolume(parts, count);
            }
            var result = new OpenedLabels { Labels = labels, Description = description, RemovedBySize = removed, VoxelSize = voxel };
            result.Own(reader);
            return result;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }
}
