using System.Text.Json.Nodes;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>How one tomogram of a batch went.</summary>
public sealed record BatchRow
{
    /// <summary>The tomogram.</summary>
    public required string Input { get; init; }
    /// <summary>Its output folder's name.</summary>
    public required string Name { get; init; }
    /// <summary>"ok", "failed" or "not run" (another task of an array job has it, or it has not finished).</summary>
    public required string Status { get; init; }
    /// <summary>Wall time in seconds (0 when not run).</summary>
    public double Seconds { get; init; }
    /// <summary>Voxel size used (nm), null when unknown.</summary>
    public VoxelSize? VoxelSize { get; init; }
    /// <summary>Contrast polarity used ("dense-bright", "dense-dark") and whether detected.</summary>
    public string? Polarity { get; init; }
    /// <summary>Probability threshold used.</summary>
    public double? Threshold { get; init; }
    /// <summary>Membrane voxels in the labels.</summary>
    public long? MembraneVoxels { get; init; }
    /// <summary>Fraction of the volume labelled membrane.</summary>
    public double? MembraneFraction { get; init; }
    /// <summary>The output folder (as recorded).</summary>
    public string? Output { get; init; }
    /// <summary>The one-line error of a failed tomogram.</summary>
    public string? Error { get; init; }
    /// <summary>Warnings given while segmenting it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>True when segmented.</summary>
    public bool Ok => Status == "ok";

    internal JsonObject ToJson() => new()
    {
        ["input"] = Input, ["name"] = Name, ["status"] = Status, ["seconds"] = JsonNumbers.Of(Seconds),
        ["voxel_size_nm"] = VoxelSize is { } v ? new JsonArray(JsonNumbers.Of(v.X), JsonNumbers.Of(v.Y), JsonNumbers.Of(v.Z)) : null,
        ["polarity"] = Polarity, ["threshold"] = Threshold is { } t ? JsonNumbers.Of(t) : null,
        ["membrane_voxels"] = MembraneVoxels, ["membrane_fraction"] = MembraneFraction is { } f ? JsonNumbers.Of(f) : null,
        ["output"] = Output, ["error"] = Error,
        ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
    };

    internal static BatchRow FromJson(JsonObject j) => new()
    {
        Input = (string)j["input"]!, Name = (string)j["name"]!, Status = (string)j["status"]!, Seconds = (double?)j["seconds"] ?? 0,
        VoxelSize = j["voxel_size_nm"] is JsonArray v ? new VoxelSize((double)v[0]!, (double)v[1]!, (double)v[2]!) : null,
        Polarity = (string?)j["polarity"], Threshold = (double?)j["threshold"], MembraneVoxels = (long?)j["membrane_voxels"],
        MembraneFraction = (double?)j["membrane_fraction"], Output = (string?)j["output"], Error = (string?)j["error"],
        Warnings = j["warnings"] is JsonArray w ? w.Select(x => (string)x!).ToArray() : Array.Empty<string>(),
    };
}
