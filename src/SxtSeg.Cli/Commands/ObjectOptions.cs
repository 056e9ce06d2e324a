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
    public Option<string?> VoxelSize { get; } = new("--voxel-size") { HelpName = "nm", Description = $"Voxel size in nm (10 or 10,10,12), overriding the file's; required when the file has none [{Volumes.VoxelSize.RangeText}]" };
    public Option<bool> Instances { get; } = new("--instances") { Description = "Treat each non-zero value as one object id (instance map); no connected components" };
    public Option<bool> NonZero { get; } = new("--nonzero") { Description = "Every non-zero voxel is foreground, whatever its value" };
    public Option<double?> Select { get; } = new Option<double?>("--select") { Description = "Only voxels equal to this value are foreground (one MIB material or class)" }.Finite();
    public Option<double?> Threshold { get; } = new Option<double?>("--above") { Description = "Voxels whose value is above this are foreground (a probability map: 0.5; a byte map from segment --probabilities byte: 63)", HelpName = "value" }.Finite().OldNames("--threshold");
    public Option<string> Connectivity { get; } = new("--connectivity") { HelpName = "6|18|26", Description = "Voxel neighbourhood joining objects: 6, 18 or 26", DefaultValueFactory = _ => "26" };
    public Option<long?> MinVoxels { get; } = new Option<long?>("--min-voxels") { Description = "Remove objects with fewer voxels" }.Within(0, long.MaxValue);
    public Option<double?> MinVolume { get; } = new Option<double?>("--min-volume") { HelpName = "nm3", Description = "Remove objects smaller than this volume in nm³" }.Within(0, double.PositiveInfinity);
    public Option<long?> MaxVoxels { get; } = new Option<long?>("--max-voxels") { Description = "Remove objects with more voxels" }.Within(1, long.MaxValue);
    public Option<double?> MaxVolume { get; } = new Option<double?>("--max-volume") { HelpName = "nm3", Description = "Remove objects larger than this volume in nm³ (a filled cell body, organelles merged into one mass; 5e9 = 5 µm³)" }.Within(0, double.PositiveInfinity, minExclusive: true);
    public Option<string> FillHoles { get; } = new("--fill-holes") { HelpName = "none|3d|2d", Description = "Fill holes before labelling: none, 3d (enclosed cavities) or 2d (per slice, as MIB/Fiji)", DefaultValueFactory = _ => "none" };
    public Option<int> Close { get; } = new Option<int>("--close") { Description = "Morphological closing steps before filling: bridges gaps in membranes up to about 2·N voxels, and so also joins organelles lying closer than that (check the largest objects)", DefaultValueFactory = _ => 0 }.Within(0, LabelSourceOptions.MaxSteps);
    public Option<int> Erode { get; } = new Option<int>("--erode") { Description = "Erosion steps after filling", DefaultValueFactory = _ => 0 }.Within(0, LabelSourceOptions.MaxSteps);
    public Option<int> Dilate { get; } = new Option<int>("--dilate") { Description = "Dilation steps after erosion", DefaultValueFactory = _ => 0 }.Within(0, LabelSourceOptions.MaxSteps);
    public Option<double?> SplitTouching { get; } = new Option<double?>("--split-touching") { HelpName = "nm", Description = "Separate touching objects by a distance-transform watershed: minimum depth in nm of a body's centre below its neck (loads the labels in memory)" }.Within(0, LabelSourceOptions.MaxSplitDepthNm, minExclusive: true);

    /// <summary>The keys of the library's setting errors about these options, mapped to their names.</summary>
    public OptionKeys Keys { get; }

    public ObjectOptions()
    {
        Keys = new OptionKeys().Add(nameof(LabelSourceOptions.VoxelSize), VoxelSize).Add(nameof(LabelSourceOptions.Instances), Instances)
            .Add(nameof(LabelSourceOptions.NonZero), NonZero).Add(nameof(LabelSourceOptions.Select), Select).Add(nameof(LabelSourceOptions.Threshold), Threshold)
            .Add(LabelSourceOptions.ModeKey, Instances, NonZero, Select, Threshold).Add(nameof(LabelSourceOptions.Connectivity), Connectivity)
            .Add(nameof(LabelSourceOptions.MinVoxels), MinVoxels).Add(nameof(LabelSourceOptions.MinVolumeNm3), MinVolume).Add(ComponentOptions.MinVolumeKey, MinVolume)
            .Add(nameof(LabelSourceOptions.MaxVoxels), MaxVoxels).Add(nameof(LabelSourceOptions.MaxVolumeNm3), MaxVolume)
            .Add(nameof(LabelSourceOptions.FillHoles), FillHoles).Add(nameof(LabelSourceOptions.Close), Close).Add(nameof(LabelSourceOptions.Erode), Erode)
            .Add(nameof(LabelSourceOptions.Dilate), Dilate).Add(LabelSourceOptions.StepsKey, Close, Erode, Dilate)
            .Add(nameof(LabelSourceOptions.SplitTouchingNm), SplitTouching);
    }

    public void AddTo(Command cmd)
    {
        cmd.Arguments.Add(Input);
        foreach (var o in new Option[] { VoxelSize, Instances, NonZero, Select, Threshold, Connectivity, MinVoxels, MinVolume, MaxVoxels, MaxVolume, FillHoles, Close, Erode, Dilate, SplitTouching })
            cmd.Options.Add(o);
    }

    /// <summary>The objects of the input, and what was done to get them.</summary>
    /// <summary>The parsed options as the library's <see cref="LabelSourceOptions"/>.</summary>
    public LabelSourceOptions Parse(ParseResult pr) => Keys.Check(() => new LabelSourceOptions
    {
        VoxelSize = pr.GetValue(VoxelSize) is { } vtext ? Volumes.VoxelSize.Parse(vtext) : null,
        Instances = pr.GetValue(Instances),
        NonZero = pr.GetValue(NonZero),
        Select = pr.GetValue(Select),
        Threshold = pr.GetValue(Threshold),
        Connectivity = Connectivities.Parse(pr.GetValue(Connectivity)!),
        MinVoxels = pr.GetValue(MinVoxels),
        MinVolumeNm3 = pr.GetValue(MinVolume),
        MaxVoxels = pr.GetValue(MaxVoxels),
        MaxVolumeNm3 = pr.GetValue(MaxVolume),
        FillHoles = pr.GetValue(FillHoles)!,
        Close = pr.GetValue(Close),
        Erode = pr.GetValue(Erode),
        Dilate = pr.GetValue(Dilate),
        SplitTouchingNm = pr.GetValue(SplitTouching),
    });

    /// <summary>Checks the input path and every option before any work (and before an output folder is claimed).</summary>
    public void Check(ParseResult pr)
    {
        InputPaths.RequireReadable(pr.GetValue(Input)!, allowFolder: true);
        Keys.Check(Parse(pr).Validate);
    }

    /// <summary>Opens the labels named on the command line; prints the opening's warnings to <paramref name="ctx"/>'s error stream.</summary>
    public OpenedLabels Open(CliContext ctx, ParseResult pr, Provenance provenance, IProgress<ProgressUpdate>? progress, bool requireVoxelSize)
    {
        var opened = Keys.Check(() => LabelSource.Open(pr.GetValue(Input)!, Parse(pr), provenance, progress, requireVoxelSize));
        foreach (string w in opened.Warnings) ctx.Warn(w);
        return opened;
    }
}
