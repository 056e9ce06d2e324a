using System.Globalization;

namespace SxtSeg.Inference;

/// <summary>File names written by the segmentation stage.</summary>
public static class SegmentationFiles
{
    /// <summary>Label stack for MIB and Fiji: ImageJ TIFF, uint8 0/255.</summary>
    public const string LabelsTiff = "labels.tif";
    /// <summary>Label volume for IMOD and others: MRC mode 0, 0/1.</summary>
    public const string LabelsMrc = "labels.mrc";
    /// <summary>Probability map (optional).</summary>
    public const string Probabilities = "probabilities.mrc";
    /// <summary>JSON sidecar with provenance, parameters and timings.</summary>
    public const string Sidecar = "segment.json";
    /// <summary>A few slices with the labels overlaid in red.</summary>
    public const string Overlay = "overlay.png";

    /// <summary>The outputs of a finished run (removed from a used folder when a new run does not write them).</summary>
    public static readonly string[] Owned = { LabelsTiff, LabelsMrc, Probabilities, Sidecar, Overlay };

    /// <summary>Name patterns of shard files.</summary>
    public static readonly string[] ShardPatterns = { "shard-*-of-*.mrc", "shard-*-of-*.json" };

    /// <summary>Probability slab of one shard.</summary>
    public static string ShardData(int index, int count) => string.Create(CultureInfo.InvariantCulture, $"shard-{index:D4}-of-{count:D4}.mrc");

    /// <summary>Description of one shard.</summary>
    public static string ShardSidecar(int index, int count) => string.Create(CultureInfo.InvariantCulture, $"shard-{index:D4}-of-{count:D4}.json");
}
