using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

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
            if (modes > 1) throw new InvalidOptionException(LabelSourceOptions.ModeKey, "choose at most one way to read the labels");
            var conn = o.Connectivity;
            if ((requireVoxelSize || o.MinVolumeNm3 is not null || o.MaxVolumeNm3 is not null || o.SplitTouchingNm is not null) && voxel is null)
                throw new InvalidInputException(path, "voxel size is not stored in the file; give it with --voxel-size (nm)");
            if (o.MinVoxels is < 0) throw new InvalidOptionException(nameof(LabelSourceOptions.MinVoxels), "must be ≥ 0");
            long minVox = Math.Max(1, o.MinVoxels ?? 1);
            if (o.MinVolumeNm3 is { } mv) minVox = Math.Max(minVox, ComponentOptions.VoxelsForVolume(mv, voxel!.Value));
            long maxVox = o.MaxVoxels ?? long.MaxValue;
            if (o.MaxVolumeNm3 is { } xv) maxVox = Math.Min(maxVox, (long)Math.Floor(xv / voxel!.Value.Volume + 1e-9));
            if (maxVox < minVox) throw new InvalidOptionException(o.MaxVolumeNm3 is null ? nameof(LabelSourceOptions.MaxVoxels) : nameof(LabelSourceOptions.MaxVolumeNm3), "must not be below the minimum object size");
            string fill = o.FillHoles.ToLowerInvariant();
            if (fill is not ("none" or "3d" or "2d")) throw new InvalidOptionException(nameof(LabelSourceOptions.FillHoles), $"'{fill}' is not none, 3d or 2d");
            if (o.Close < 0 || o.Erode < 0 || o.Dilate < 0) throw new InvalidOptionException(LabelSourceOptions.StepsKey, "steps must be ≥ 0");
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
                    throw new InvalidOptionException(nameof(LabelSourceOptions.Instances), "hole filling, closing, erosion and dilation apply to binary masks; leave them out with --instances");
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
                var (parts, count, pieces) = TouchingObjects.Split(volume, labels.ObjectCount, depth, conn, progress);
                description += string.Create(CultureInfo.InvariantCulture, $"; split at necks ≥ {depth} nm deep into {count} objects");
                // An instance map's ids stay with the objects left whole; split pieces get new ids above them.
                labels = labels is InstanceLabelStream map
                    ? LabelStreams.FromVolume(parts, count, TouchingObjects.PieceIds(map.SourceIds, pieces, map.LargestId))
                    : LabelStreams.FromVolume(parts, count);
            }
            // a header size no cryo-SXT tomogram has (a writer's default) makes every size in nm wrong by its factor
            var warnings = new List<string>();
            if (o.VoxelSize is null && VoxelSize.CryoSxtMeasurementWarning(path, voxel) is { } w)
            {
                warnings.Add(w);
                provenance.Set("voxel_size_warning", w);
            }
            var result = new OpenedLabels { Labels = labels, Description = description, RemovedBySize = removed, VoxelSize = voxel, Warnings = warnings };
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
