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

    /// <summary>The factor chosen on top of <see cref="BaseScale"/> (1 when not searched).</summary>
    public double Factor => BaseScale > 0 ? Scale / BaseScale : 1;

    /// <summary>
    /// True when the search moved more than <see cref="ScaleDetector.FarFactor"/> from the voxel-size
    /// rule's scale either way: where it is known to choose wrong as well as right (thin volumes, finer
    /// pixels than trained; docs/models.md), so <c>segment</c> warns.
    /// </summary>
    public bool Far => Detected && (Factor > ScaleDetector.FarFactor || Factor * ScaleDetector.FarFactor < 1);

    /// <summary>The slices searched (indices in the whole tomogram, also for a <c>segment --slices</c> range), chosen from <see cref="Candidates"/> by their evidence at factor 1.</summary>
    public IReadOnlyList<int> SampledSlices { get; init; } = Array.Empty<int>();

    /// <summary>Slices predicted at factor 1 to choose <see cref="SampledSlices"/> from.</summary>
    public int Candidates { get; init; }

    /// <summary>
    /// The polarity referee's own search, asked when this model's search moved
    /// (<see cref="ScaleDetector.DetectWithReferee"/>); null when not asked.
    /// </summary>
    public ScaleDecision? Referee { get; init; }

    /// <summary>True when this model's search moved but its referee's did not move the same way, so the voxel-size scale was kept.</summary>
    public bool Vetoed { get; init; }

    /// <summary>The factor this model's own search chose, when its referee was asked (before a veto); NaN otherwise.</summary>
    public double OwnFactor { get; init; } = double.NaN;

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
                ? string.Create(CultureInfo.InvariantCulture, $"model evidence: mean of clamp(2p − 1, 0, 1)² × factor on centre crops of the sampled slices (those of the candidates with the most evidence at factor 1) resampled by each factor; the largest wins if it beats factor 1 by at least {ScaleDetector.MinGain:0.##}×; a model that carries a polarity referee (a one-slice model) moves only when the referee's own search moves the same way")
                : "not searched (--no-scale-search, --resolution, --no-rescale or a model without a stated resolution)",
            ["ladder"] = ladder,
            ["slices_sampled"] = Slices,
            ["slices"] = Detected ? Indices(SampledSlices) : null,
            ["candidates"] = Detected ? Candidates : null,
            ["referee"] = Referee is { } r ? new JsonObject
            {
                ["factor"] = Math.Round(r.Factor, 4),
                ["slices"] = Indices(r.SampledSlices),
                ["ladder"] = r.ToJson()["ladder"]!.DeepClone(),
                ["vetoed"] = Vetoed,
                ["own_factor"] = Vetoed ? Math.Round(OwnFactor, 4) : null,
            } : null,
        };
    }

    private static JsonArray Indices(IReadOnlyList<int> zs)
    {
        var a = new JsonArray();
        foreach (int z in zs) a.Add(z);
        return a;
    }
}
