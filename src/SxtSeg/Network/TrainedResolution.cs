using System.Globalization;
using System.Text.Json.Nodes;

namespace SxtSeg.Network;

/// <summary>
/// How many pixels one resolution element spanned in a model's training tomograms (effective
/// resolution / voxel size: 1.22 × the zone plate's outermost zone width over the pixel size for the
/// simulations): the 10th percentile, median and 90th percentile over the annotated training
/// volumes that state both. The network learned membranes blurred over this many pixels; a
/// tomogram whose resolution spans clearly more (a 40 nm zone plate at 10 nm pixels) or fewer
/// pixels is best segmented after resampling to the median (<see cref="ScaleFor"/>).
/// </summary>
/// <param name="Low">10th percentile (pixels per resolution element).</param>
/// <param name="Median">Median (pixels per resolution element).</param>
/// <param name="High">90th percentile (pixels per resolution element).</param>
/// <param name="Volumes">Training volumes the figures come from.</param>
public sealed record TrainedResolution(double Low, double Median, double High, int Volumes)
{
    /// <summary>The figures of a set of training volumes (each one value: resolution / voxel size); null when there are none.</summary>
    public static TrainedResolution? FromSamples(IReadOnlyList<double> pixelsPerResolution)
    {
        var v = new List<double>(pixelsPerResolution.Count);
        foreach (double x in pixelsPerResolution) if (double.IsFinite(x) && x > 0) v.Add(x);
        if (v.Count == 0) return null;
        v.Sort();
        return new TrainedResolution(Percentile(v, 0.1), Percentile(v, 0.5), Percentile(v, 0.9), v.Count);
    }

    /// <summary>Linear-interpolation percentile (numpy's default) of sorted values, <paramref name="q"/> in [0, 1].</summary>
    internal static double Percentile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Count - 1) return sorted[^1];
        double f = pos - i;
        return sorted[i] + f * (sorted[i + 1] - sorted[i]);
    }

    /// <summary>
    /// The in-plane scale (tomogram voxel size / voxel size to predict at) for a tomogram of the
    /// given resolution and voxel size (nm): 1 when its pixels per resolution element lie within
    /// [<see cref="Low"/>, <see cref="High"/>], else the scale that brings them to <see cref="Median"/>.
    /// </summary>
    public double ScaleFor(double resolutionNm, double voxelNm)
    {
        if (!(resolutionNm > 0) || !(voxelNm > 0)) throw new ArgumentOutOfRangeException(nameof(resolutionNm), "resolution and voxel size must be positive");
        double px = resolutionNm / voxelNm;
        return px >= Low && px <= High ? 1 : Median / px;
    }

    /// <summary>"2.8–4.1 pixels per resolution element (median 3.5, 56 training volumes)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Low:0.0#}–{High:0.0#} pixels per resolution element (median {Median:0.0#}, {Volumes} training volume{(Volumes == 1 ? "" : "s")})");

    /// <summary>The card's JSON form.</summary>
    public JsonObject ToJson() => new() { ["p10"] = Low, ["median"] = Median, ["p90"] = High, ["volumes"] = Volumes };

    /// <summary>Reads the card's JSON form; null when absent or not consistent (0 &lt; p10 ≤ median ≤ p90).</summary>
    public static TrainedResolution? FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        if ((double?)o["p10"] is not double lo || (double?)o["median"] is not double med || (double?)o["p90"] is not double hi) return null;
        if (!(lo > 0) || !(med >= lo) || !(hi >= med) || !double.IsFinite(hi)) return null;
        return new TrainedResolution(lo, med, hi, (int?)o["volumes"] ?? 0);
    }
}
