using System.CommandLine;
using System.Globalization;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary>
/// Options shared by <c>components</c>, <c>measure</c>, <c>mesh</c> and <c>render</c>: how a label
/// file becomes objects (binarisation, morphology, connected components, size filters, splitting).
/// </summary>
internal sealed class ObjectOptions
{
    public Argument<string> Input { get; } = new("labels") { Description = "Label volume (MRC, TIFF, folder of TIFFs): a binary mask (0 = background, any one other value such as 1 or 255 = foreground) or, with --instances, an instance map" };
    public Option<string?> VoxelSize { get; } = new("--voxel-size") { Description = "Voxel size in nm (10 or 10,10,12), overriding the file's; required when the file has none" };
    public Option<bool> Instances { get; } = new("--instances") { Description = "Treat each non-zero value as one object id (instance map); no connected components" };
    public Option<bool> NonZero { get; } = new("--nonzero") { Description = "Every non-zero voxel is foreground, whatever its value" };
    public Option<double?> Select { get; } = new("--select") { Description = "Only voxels equal to this value are foreground (one MIB material or class)" };
    public Option<double?> Threshold { get; } = new("--threshold") { Description = "Voxels above this value are foreground (probability maps)" };
    public Option<string> Connectivity { get; } = new("--connectivity") { Description = "Voxel neighbourhood joining objects: 6, 18 or 26", DefaultValueFactory = _ => "26" };
    public Option<long?> MinVoxels { get; } = new("--min-voxels") { Description = "Remove objects with fewer voxels" };
    public Option<double?> MinVolume { get; } = new("--min-volume") { Description = "Remove objects smaller than this volume in nm³" };
    public Option<long?> MaxVoxels { get; } = new("--max-voxels") { Description = "Remove objects with more voxels" };
    public Option<string> FillHoles { get; } = new("--fill-holes") { Description = "Fill holes before labelling: none, 3d (enclosed cavities) or 2d (per slice, as MIB/Fiji)", DefaultValueFactory = _ => "none" };
    public Option<int> Close { get; } = new("--close") { Description = "Morphological closing steps before filling (bridges gaps in membranes up to about 2·N voxels)", DefaultValueFactory = _ => 0 };
    public Option<int> Erode { get; } = new("--erode") { Description = "Erosion steps after filling", DefaultValueFactory = _ => 0 };
    public Option<int> Dilate { get; } = new("--dilate") { Description = "Dilation steps after erosion", DefaultValueFactory = _ => 0 };
    public Option<double?> SplitTouching { get; } = new("--split-touching") { Description = "Separate touching objects by a distance-transform watershed: minimum depth in nm of a body's centre below its neck (loads the labels in memory)" };

    public void AddTo(Command cmd)
    {
        cmd.Arguments.Add(Input);
        foreach (var o in new Option[] { VoxelSize, Instances, NonZero, Select, Threshold, Connectivity, MinVoxels, MinVolume, MaxVoxels, FillHoles, Close, Erode, Dilate, SplitTouching })
            cmd.Options.Add(o);
    }

    /// <summary>The objects of the input, and what was done to get them.</summary>
    public sealed class Opened : IDisposable
    {
        private readonly List<IDisposable> _owned = new();

        public required ILabelStream Labels { get; init; }
        public required string Description { get; init; }
        public int RemovedBySize { get; init; }
        public required VoxelSize? VoxelSize { get; init; }

        internal void Own(IDisposable d) => _owned.Add(d);

        public void Dispose()
        {
            foreach (var d in _owned) d.Dispose();
        }
    }

    /// <summary>Opens the input and builds the object stream. <paramref name="requireVoxelSize"/> asks for a voxel size even if no option needs it.</summary>
    public Opened Open(ParseResult pr, Provenance provenance, IProgress<ProgressUpdate>? progress, bool requireVoxelSize)
    {
        string path = pr.GetValue(Input)!;
        provenance.AddInput(path);
        VoxelSize? voxel = pr.GetValue(VoxelSize) is { } vtext ? Volumes.VoxelSize.Parse(vtext) : null;
        var reader = VolumeIO.OpenRead(path);
        try
        {
            var info = reader.Info;
            voxel ??= info.VoxelSize is { IsValid: true } fv ? fv : null;
            bool instances = pr.GetValue(Instances), nonzero = pr.GetValue(NonZero);
            double? select = pr.GetValue(Select), threshold = pr.GetValue(Threshold);
            int modes = (instances ? 1 : 0) + (nonzero ? 1 : 0) + (select is null ? 0 : 1) + (threshold is null ? 0 : 1);
            if (modes > 1) throw new InvalidOptionException("--instances/--nonzero/--select/--threshold", "choose at most one way to read the labels");
            var conn = Connectivities.Parse(pr.GetValue(Connectivity)!);
            double? minVolume = pr.GetValue(MinVolume);
            double? split = pr.GetValue(SplitTouching);
            if ((requireVoxelSize || minVolume is not null || split is not null) && voxel is null)
                throw new InvalidInputException(path, "voxel size is not stored in the file; give it with --voxel-size (nm)");
            long minVox = Math.Max(1, pr.GetValue(MinVoxels) ?? 1);
            if (pr.GetValue(MinVoxels) is < 0) throw new InvalidOptionException("--min-voxels", "must be ≥ 0");
            if (minVolume is { } mv) minVox = Math.Max(minVox, ComponentOptions.VoxelsForVolume(mv, voxel!.Value));
            long maxVox = pr.GetValue(MaxVoxels) ?? long.MaxValue;
            if (maxVox < minVox) throw new InvalidOptionException("--max-voxels", "must not be below the minimum object size");
            string fill = pr.GetValue(FillHoles)!.ToLowerInvariant();
            if (fill is not ("none" or "3d" or "2d")) throw new InvalidOptionException("--fill-holes", $"'{fill}' is not none, 3d or 2d");
            int close = pr.GetValue(Close), erode = pr.GetValue(Erode), dilate = pr.GetValue(Dilate);
            if (close < 0 || erode < 0 || dilate < 0) throw new InvalidOptionException("--close/--erode/--dilate", "steps must be ≥ 0");
            provenance.Set("connectivity", (int)conn).Set("min_voxels", minVox).Set("fill_holes", fill).Set("close", close).Set("erode", erode).Set("dilate", dilate);
            if (maxVox != long.MaxValue) provenance.Set("max_voxels", maxVox);
            if (voxel is { } vsz) provenance.Set("voxel_size_nm", vsz.ToString());
            if (split is { } sp) provenance.Set("split_touching_nm", sp);

            ILabelStream labels;
            string description;
            int removed;
            var opened = new List<IDisposable> { reader };
            if (instances)
            {
                if (fill != "none" || close > 0 || erode > 0 || dilate > 0)
                    throw new InvalidOptionException("--instances", "hole filling, closing, erosion and dilation apply to binary masks; leave them out with --instances");
                provenance.Set("labels", "instances");
                var inst = new InstanceLabelStream(reader, voxel, minVox, maxVox, progress);
                labels = inst;
                removed = inst.RemovedObjects;
                description = $"instance map: {inst.ObjectCount} objects";
            }
            else
            {
                var rule = nonzero ? ForegroundRule.NonZero
                    : select is { } sv ? ForegroundRule.Equal(sv)
                    : threshold is { } tv ? ForegroundRule.Above(tv)
                    : ForegroundRule.Binary;
                provenance.Set("labels", rule.ToString());
                IMaskStream mask = MaskStreams.FromReader(reader, rule, voxel);
                if (close > 0) mask = mask.Close(close, conn);
                if (fill == "3d") mask = mask.FillHoles(conn, progress);
                else if (fill == "2d") mask = mask.FillSliceHoles(conn);
                if (erode > 0) mask = mask.Erode(erode, conn);
                if (dilate > 0) mask = mask.Dilate(dilate, conn);
                var cc = ConnectedComponents.Analyze(mask, new ComponentOptions { Connectivity = conn, MinVoxels = minVox, MaxVoxels = maxVox }, progress);
                labels = cc;
                removed = cc.RemovedObjects;
                description = $"{rule.Describe()}; {cc.ObjectCount} objects ({(int)conn}-connected)";
            }
            if (split is { } depth)
            {
                var volume = labels.ToVolume();
                var (parts, count) = TouchingObjects.Split(volume, labels.ObjectCount, depth, conn, progress);
                description += string.Create(CultureInfo.InvariantCulture, $"; split at necks ≥ {depth} nm deep into {count} objects");
                labels = LabelStreams.FromVolume(parts, count);
            }
            var result = new Opened { Labels = labels, Description = description, RemovedBySize = removed, VoxelSize = voxel };
            foreach (var d in opened) result.Own(d);
            return result;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }
}
