using System.Text.Json.Nodes;
using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>
/// Where the training data comes from. Annotated: pairs <c>name.tif</c> + <c>name.labels.tif</c>
/// (the authors' convention; files or folders of them), an <see cref="AnnotatedVolume"/>, or
/// simulator output folders (<c>tomogram.mrc</c> + <c>membranes.mrc</c>, non-zero = membrane) of
/// which <see cref="SimulationAnnotatedSlices"/> slices are used as annotated and the rest as
/// unannotated. Unannotated: any number of tomograms or slices, any instrument.
/// </summary>
public sealed class TrainingInputs
{
    /// <summary>Key of the errors about the annotated inputs as a whole (<see cref="InvalidOptionException.Option"/>): <see cref="Pairs"/>, <see cref="Volume"/> and <see cref="Simulations"/>.</summary>
    public const string AnnotatedKey = "Annotated";

    /// <summary>Image files <c>name.tif</c> (their labels are <c>name.labels.tif</c>) or folders holding such pairs.</summary>
    public List<string> Pairs { get; } = new();

    /// <summary>An annotated volume, or null.</summary>
    public AnnotatedVolume? Volume { get; set; }

    /// <summary>Simulator output folders.</summary>
    public List<string> Simulations { get; } = new();

    /// <summary>Annotated slices taken from each simulated tomogram (evenly spread over the slices that contain membrane).</summary>
    public int SimulationAnnotatedSlices { get; set; } = 8;

    /// <summary>
    /// Extra annotated slices per simulated tomogram taken from its slices without any membrane
    /// (the ice above and below the cell), labelled all background. Per-slice z-scoring stretches
    /// the noise of such slices to unit variance; without these negatives a network has never been
    /// told that stretched noise is not membrane and labels it.
    /// </summary>
    public int SimulationEmptySlices { get; set; } = 2;

    /// <summary>Simulator output folders used only for validation (model selection, threshold): whole tomograms never trained on.</summary>
    public List<string> ValidationSimulations { get; } = new();

    /// <summary>Voxel size (nm) of the user's inputs (--voxel-size), overriding their headers (simulations keep theirs), or null.</summary>
    public double? VoxelSizeNm { get; set; }

    /// <summary>How the values of user label files (--volume, --pairs) are read.</summary>
    public LabelCoding Coding { get; set; } = LabelCoding.Auto;

    /// <summary>Unannotated tomograms, slices or folders of TIFF slices.</summary>
    public List<string> Unannotated { get; } = new();

    /// <summary>At most this many unannotated slices in all (evenly subsampled), or null for all.</summary>
    public int? MaxUnannotatedSlices { get; set; }

    /// <summary>Instrument name recorded for inputs that do not say (free text, e.g. "ALBA MISTRAL").</summary>
    public string? Instrument { get; set; }

    /// <summary>True when no annotated input is given.</summary>
    public bool HasNoAnnotated => Pairs.Count == 0 && Volume is null && Simulations.Count == 0;

    /// <summary>
    /// True when the annotated inputs are single images only: <see cref="Pairs"/> and/or a <see cref="Volume"/>
    /// whose image holds one slice, no tomogram or simulation. A method, not a property: it reads the volume's header.
    /// </summary>
    public bool OnlySingleImagesAnnotated()
        => Simulations.Count == 0 && (Pairs.Count > 0 || Volume is not null) && (Volume is null || IsSingleImage(Volume.Image));

    // One slice by its header; a file that cannot be read is not judged here (training reports it).
    private static bool IsSingleImage(string path)
    {
        try
        {
            using var r = VolumeIO.OpenRead(path);
            return r.Info.Nz == 1;
        }
        catch (Exception e) when (e is SxtSegException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Why a network reading <paramref name="context"/> neighbouring slices on each side is a poor fit for these inputs,
    /// or null: on annotated single images only, its neighbours are copies of the slice itself (a one-slice model fits).
    /// </summary>
    public string? ContextMismatch(int context)
        => context > 0 && OnlySingleImagesAnnotated()
            ? $"the network reads {2 * context + 1} neighbouring slices, but every annotated input is a single image: it will see {2 * context + 1} copies of each; a one-slice model fits single images (e.g. --init 2d)"
            : null;

    /// <summary>
    /// Why validation on these inputs would flatter the model, or null: a validation simulation that is
    /// also a training simulation (the same folder, however spelled or linked) scores slices the network
    /// was trained on, so the validation F1, the model kept by it and the stored threshold are optimistic.
    /// </summary>
    public string? ValidationOverlap()
    {
        if (ValidationSimulations.Count == 0 || Simulations.Count == 0) return null;
        var training = new HashSet<string>(StringComparer.Ordinal);
        foreach (string s in Simulations) training.Add(CanonicalFolder(s));
        var shared = new List<string>();
        foreach (string v in ValidationSimulations)
            if (training.Contains(CanonicalFolder(v))) shared.Add(v);
        if (shared.Count == 0) return null;
        string names = shared.Count <= 3 ? string.Join(", ", shared) : $"{string.Join(", ", shared.GetRange(0, 3))} and {shared.Count - 3} more";
        return $"{(shared.Count == 1 ? "the validation simulation" : $"{shared.Count} of the {ValidationSimulations.Count} validation simulations")} {names} {(shared.Count == 1 ? "is" : "are")} also trained on: the validation F1, the model kept by it and its threshold will be optimistic; validate on simulations never trained on";
    }

    // The folder's full path with every link on the way resolved (a missing folder is left as written: training reports it).
    private static string CanonicalFolder(string path) => OutputPaths.Resolve(path.TrimEnd('/', '\\'), followLast: true);

    /// <summary>A canonical description (full paths) used to check that a resumed run trains on the same data.</summary>
    public JsonObject ToJson()
    {
        static JsonArray Paths(IEnumerable<string> ps)
        {
            var a = new JsonArray();
            foreach (var p in ps) a.Add(Path.GetFullPath(p));
            return a;
        }
        var o = new JsonObject
        {
            ["pairs"] = Paths(Pairs),
            ["simulations"] = Paths(Simulations),
            ["simulation_annotated_slices"] = SimulationAnnotatedSlices,
            ["simulation_empty_slices"] = SimulationEmptySlices,
            ["unannotated"] = Paths(Unannotated),
            ["validation_simulations"] = Paths(ValidationSimulations),
            ["label_coding"] = Coding.ToString(),
            ["voxel_size_nm"] = VoxelSizeNm,
            ["max_unannotated_slices"] = MaxUnannotatedSlices,
            ["instrument"] = Instrument,
        };
        if (Volume is { } v)
        {
            var slices = new JsonArray();
            foreach (int z in v.Slices) slices.Add(z);
            o["volume"] = new JsonObject { ["image"] = Path.GetFullPath(v.Image), ["labels"] = Path.GetFullPath(v.Labels), ["slices"] = slices };
        }
        return o;
    }

    /// <summary>Inputs from <see cref="ToJson"/> (a checkpoint's record of its run).</summary>
    public static TrainingInputs FromJson(JsonObject o)
    {
        var t = new TrainingInputs
        {
            SimulationAnnotatedSlices = (int?)o["simulation_annotated_slices"] ?? 8,
            SimulationEmptySlices = (int?)o["simulation_empty_slices"] ?? 0,
            MaxUnannotatedSlices = (int?)o["max_unannotated_slices"],
            Instrument = (string?)o["instrument"],
            Coding = (string?)o["label_coding"] is { } lc ? LabelCoding.Parse(lc) : LabelCoding.Auto,
            VoxelSizeNm = (double?)o["voxel_size_nm"],
        };
        foreach (var n in o["validation_simulations"] as JsonArray ?? new JsonArray()) t.ValidationSimulations.Add((string)n!);
        foreach (var n in o["pairs"] as JsonArray ?? new JsonArray()) t.Pairs.Add((string)n!);
        foreach (var n in o["simulations"] as JsonArray ?? new JsonArray()) t.Simulations.Add((string)n!);
        foreach (var n in o["unannotated"] as JsonArray ?? new JsonArray()) t.Unannotated.Add((string)n!);
        if (o["volume"] is JsonObject v)
            t.Volume = new AnnotatedVolume((string)v["image"]!, (string)v["labels"]!, (v["slices"] as JsonArray ?? new JsonArray()).Select(n => (int)n!).ToArray());
        return t;
    }

    /// <summary>Parses "10,20,30-35" into slice indices (sorted, distinct); throws <see cref="InvalidOptionException"/>.</summary>
    public static int[] ParseSlices(string text, string option = nameof(AnnotatedVolume.Slices))
    {
        var set = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-', 1);
            if (dash > 0)
            {
                if (!int.TryParse(part[..dash], out int a) || !int.TryParse(part[(dash + 1)..], out int b) || a < 0 || b < a)
                    throw new InvalidOptionException(option, $"'{part}' is not a slice range (use e.g. 10,20,30-35)");
                for (int z = a; z <= b; z++) set.Add(z);
            }
            else if (int.TryParse(part, out int z) && z >= 0) set.Add(z);
            else throw new InvalidOptionException(option, $"'{part}' is not a slice index (use e.g. 10,20,30-35)");
        }
        return set.ToArray();
    }
}
