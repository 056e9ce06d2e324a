using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>What <see cref="FilopodiaRun.Execute"/> reads and how (paths; every option of <c>sxtseg filopodia</c>).</summary>
public sealed record FilopodiaRunRequest
{
    /// <summary>Membrane labels (MRC, TIFF, folder of TIFFs), read with <see cref="LabelRule"/>.</summary>
    public required string LabelsPath { get; init; }

    /// <summary>Which voxels of the label file are membrane (default: a binary mask).</summary>
    public ForegroundRule LabelRule { get; init; } = ForegroundRule.Binary;

    /// <summary>Voxel size overriding the file's (nm), or null.</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>The tomogram (gold beads), or null.</summary>
    public string? TomogramPath { get; init; }

    /// <summary>A rough cell mask (non-zero = cell), or null.</summary>
    public string? CellMaskPath { get; init; }

    /// <summary>
    /// A cell-body model (<see cref="CellBody"/>): the cell mask is made from <see cref="TomogramPath"/> by it, or null.
    /// Not together with <see cref="CellMaskPath"/>.
    /// </summary>
    public string? BodyModelPath { get; init; }

    /// <summary>
    /// A filopodium mask (1 = filopodium; e.g. <c>labels.mrc</c> of <c>sxtseg segment</c> with a filopodium model), or null.
    /// When given, filopodia are the objects of this mask (<see cref="FilopodiaMaskAnalysis"/>) and the membrane labels
    /// only tell their bases from their tips; no cell is filled.
    /// </summary>
    public string? FilopodiumMaskPath { get; init; }

    /// <summary>
    /// A filopodium model (<see cref="FilopodiumModel"/>), or null: the tomogram (<see cref="TomogramPath"/>) is segmented
    /// with it into <c>filopodium-segmentation/</c> of the output folder and its labels are the filopodium mask.
    /// </summary>
    public string? FilopodiumModelPath { get; init; }

    /// <summary>
    /// Use <see cref="FilopodiumModelPath"/> only when the membrane labels are open at the top and bottom, as a network's are
    /// (<see cref="FilopodiaAnalysis.LabelsAreOpen"/>); closed labels (exact or hand-drawn) are filled instead, which
    /// measures them better. Set by <c>--filopodium-model auto</c>.
    /// </summary>
    public bool FilopodiumModelOnlyForOpenLabels { get; init; }

    /// <summary>How the body model's output becomes the cell mask.</summary>
    public CellBodyOptions BodyOptions { get; init; } = new();

    /// <summary>A simulation folder to score against (truth.json, instances.mrc), or null.</summary>
    public string? TruthFolder { get; init; }

    /// <summary>Thresholds and filling.</summary>
    public FilopodiaOptions Options { get; init; } = new();

    /// <summary>Which files to write besides the tables.</summary>
    public FilopodiaOutputOptions Outputs { get; init; } = new();

    /// <summary>Checks the options and their combinations (before anything is written); throws <see cref="InvalidOptionException"/>.</summary>
    public void Validate()
    {
        Options.Validate();
        if (TruthFolder is { } sim && !Directory.Exists(sim))
            throw new InvalidOptionException(nameof(TruthFolder), $"{sim} is not a folder (give a simulation folder with truth.json and instances.mrc)");
        if (FilopodiumMaskPath is not null || FilopodiumModelPath is not null)
        {
            if (FilopodiumMaskPath is not null && FilopodiumModelPath is not null)
                throw new InvalidOptionException(nameof(FilopodiumModelPath), "give either a filopodium mask or a filopodium model, not both");
            if (CellMaskPath is not null || BodyModelPath is not null)
                throw new InvalidOptionException(FilopodiumMaskPath is null ? nameof(FilopodiumModelPath) : nameof(FilopodiumMaskPath), "filopodia from a filopodium mask or model need no cell mask or body model; give one or the other");
            if (FilopodiumMaskPath is { } m && !File.Exists(m) && !Directory.Exists(m)) throw new InvalidOptionException(nameof(FilopodiumMaskPath), $"{m}: file not found");
            if (FilopodiumModelPath is { } fm)
            {
                if (TomogramPath is null) throw new InvalidOptionException(nameof(FilopodiumModelPath), "the filopodia are found in the tomogram: give --tomogram too");
                if (!File.Exists(fm)) throw new InvalidOptionException(nameof(FilopodiumModelPath), $"{fm}: file not found");
            }
        }
        if (BodyModelPath is null) return;
        if (TomogramPath is null) throw new InvalidOptionException(nameof(BodyModelPath), "the cell body is found in the tomogram: give --tomogram too");
        if (CellMaskPath is not null) throw new InvalidOptionException(nameof(BodyModelPath), "give either --cell-mask or a body model, not both");
        if (!File.Exists(BodyModelPath)) throw new InvalidOptionException(nameof(BodyModelPath), $"{BodyModelPath}: file not found");
        BodyOptions.Validate();
    }
}
