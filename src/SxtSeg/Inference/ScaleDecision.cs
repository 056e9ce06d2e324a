using System.Globalization;
using System.Text.Json.Nodes;

namespace SxtSeg.Inference;

/// <summary>What was decided about the in-plane scale the network sees a tomogram at, and on what evidence.</summary>
/// <param name="Scale">The scale used (tomogram voxel size / voxel size predicted at).</param>
/// <param name="BaseScale">The scale from the voxel size (or --resolution) rule, before detection.</param>
/// <param name="Detected">True when the scale was searched (<see cref="ScaleDetector"/>), false when taken as given.</param>
/// <param name="Factors">Factors tried on top of <paramref name="BaseScale"/>.</param>
/// <param name="Evidence">The model's scale-normalised evidence at each factor.</param>
/// <param name="Slices">Slices sampled.</param>
public sealed record ScaleDecision(double Scale, double BaseScale, bool Detected, IReadOnlyList<double> Factors, IReadOnlyList<double> Evidence, int Slices)
{
    /// <summary>No search: the given scale.</summary>
    public static ScaleDecision Given(double scale) => new(scale, scale, false, Array.Empty<double>(), Array.Empty<double>(), 0);

    /// <summary>For the sidecar.</summary>
    public JsonObject ToJson()
    {
        var ladder = new JsonArray();
        for (int i = 0; i < Factors.Count; i++)
            ladder.Add(new JsonObject { ["factor"] = Factors[i], ["evidence"] = Math.Round(Evidence[i], 6) });
        return new JsonObject
        {
            ["scale"] = Scale,
            ["base_scale"] = BaseScale,
            ["detected"] = Detected,
            ["method"] = Detected
                ? string.Create(CultureInfo.InvariantCulture, $"model evidence: mean of clamp(2p − 1, 0, 1)² × factor on centre crops of sampled slices resampled by each factor; the largest wins if it beats factor 1 by at least {ScaleDetector.MinGain:0.##}×")
                : "not searched (--no-scale-search, --resolution, --no-rescale or a model without a stated resolution)",
            ["ladder"] = ladder,
            ["slices_sampled"] = Slices,
        };
    }
}
