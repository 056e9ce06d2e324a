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

    /// <summary>
    /// Remove objects larger than this volume in nm³ (needs the voxel size; combined with
    /// <see cref="MaxVoxels"/> by taking the smaller): drops a filled cell body or a merged mass
    /// that no organelle could be.
    /// </summary>
    public double? MaxVolumeNm3 { get; init; }
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

    /// <summary>Most closing, erosion or dilation steps (each holds a few slices in memory and is one pass over the volume).</summary>
    public const int MaxSteps = 50;

    /// <summary>Largest --split-touching depth (nm).</summary>
    public const double MaxSplitDepthNm = 1e6;

    /// <summary>Checks every value; throws <see cref="InvalidOptionException"/>.</summary>
    public void Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (VoxelSize is { IsPlausible: false } vs) throw new InvalidOptionException("--voxel-size", $"voxel size must be {Volumes.VoxelSize.RangeText} on every axis, got {vs}");
        if (Select is { } sel && !double.IsFinite(sel)) throw new InvalidOptionException("--select", $"must be a finite number, got {F(sel)}");
        if (Threshold is { } th && !double.IsFinite(th)) throw new InvalidOptionException("--above", $"must be a finite number, got {F(th)}");
        if (MinVoxels is < 0) throw new InvalidOptionException("--min-voxels", "must be ≥ 0");
        if (MaxVoxels is < 1) throw new InvalidOptionException("--max-voxels", "must be ≥ 1");
        if (MinVolumeNm3 is { } mv && !(mv >= 0 && double.IsFinite(mv))) throw new InvalidOptionException("--min-volume", $"must be a finite number ≥ 0 nm³, got {F(mv)}");
        if (MaxVolumeNm3 is { } xv && !(xv > 0 && double.IsFinite(xv))) throw new InvalidOptionException("--max-volume", $"must be a finite number > 0 nm³, got {F(xv)}");
        foreach (var (name, steps) in new[] { ("--close", Close), ("--erode", Erode), ("--dilate", Dilate) })
            if (steps < 0 || steps > MaxSteps) throw new InvalidOptionException(name, $"must be 0..{MaxSteps} steps, got {steps}");
        if (SplitTouchingNm is { } d && !(d > 0 && d <= MaxSplitDepthNm)) throw new InvalidOptionException("--split-touching", $"must be a depth in (0, {MaxSplitDepthNm:0}] nm, got {F(d)}");
    }
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
        o.Validate();
        provenance.AddInput(path);
        var reader = VolumeIO.OpenRead(path);
        try
        {
            var info = reader.Info;
            // Each morphology step keeps five slices; splitting loads labels, distances and parts (about 16 bytes a voxel).
            int steps = 2 * o.Close + o.Erode + o.Dilate;
            MemoryBudget.Require(5.0 * steps * info.SliceLength + (o.SplitTouchingNm is null ? 0 : 16.0 * info.VoxelCount),
                $"{path}: {steps} morphology steps on {info.Nx} × {info.Ny} slices" + (o.SplitTouchingNm is null ? "" : $" and --split-touching on {info.VoxelCount:N0} voxels"),
                "use fewer --close/--erode/--dilate steps" + (o.SplitTouchingNm is null ? "" : " or leave out --split-touching"));
            VoxelSize? voxel = o.VoxelSize ?? (info.VoxelSize is { IsValid: true } fv ? fv : null);
            int modes = (o.Instances ? 1 : 0) + (o.NonZero ? 1 : 0) + (o.Select is null ? 0 : 1) + (o.Threshold is null ? 0 : 1);
            if (modes > 1) throw new InvalidOptionException("--instances/--nonzero/--select/--above", "choose at most one way to read the labels");
            var conn = o.Connectivity;
            if ((requireVoxelSize || o.MinVolumeNm3 is not null || o.MaxVolumeNm3 is not null || o.SplitTouchingNm is not null) && voxel is null)
                throw new InvalidInputException(path, "voxel size is not stored in the file; give it with --voxel-size (nm)");
            if (o.MinVoxels is < 0) throw new InvalidOptionException("--min-voxels", "must be ≥ 0");
            long minVox = Math.Max(1, o.MinVoxels ?? 1);
            if (o.MinVolumeNm3 is { } mv) minVox = Math.Max(minVox, ComponentOptions.VoxelsForVolume(mv, voxel!.Value));
            long maxVox = o.MaxVoxels ?? long.MaxValue;
            if (o.MaxVolumeNm3 is { } xv) maxVox = Math.Min(maxVox, Math.Max(1, (long)Math.Floor(xv / voxel!.Value.Volume + 1e-9)));
            if (maxVox < minVox) throw new InvalidOptionException(o.MaxVolumeNm3 is null ? "--max-voxels" : "--max-volume", "must not be below the minimum object size");
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
