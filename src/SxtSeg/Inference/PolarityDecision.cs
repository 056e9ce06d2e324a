using System.Globalization;
using System.Text.Json.Nodes;

namespace SxtSeg.Inference;

/// <summary>What was decided about a tomogram's polarity, and on what evidence.</summary>
/// <param name="Polarity">DenseBright or DenseDark.</param>
/// <param name="Detected">True when detected, false when given.</param>
/// <param name="EvidenceAsIs">Mean confident-membrane score of the model on the sampled slices as stored.</param>
/// <param name="EvidenceInverted">The same on the negated slices.</param>
/// <param name="Skewness">Skewness of the sampled values (clipped at ±6 robust SD): positive on real dense-bright slices, of either sign (down to −1.25) on simulated slabs that the cell fills; it decides only near-equal evidence (within <see cref="PolarityDetector.SkewnessRatio"/>).</param>
/// <param name="Slices">Slices sampled.</param>
public sealed record PolarityDecision(Polarity Polarity, bool Detected, double EvidenceAsIs, double EvidenceInverted, double Skewness, int Slices)
{
    /// <summary>Sign applied to the grey values before normalisation (+1 or −1).</summary>
    public float Sign => Polarity == Polarity.DenseDark ? -1f : 1f;

    /// <summary>Ratio of the larger evidence to the smaller (1 = undecided; ∞ when the smaller is 0).</summary>
    public double Confidence => Math.Max(EvidenceAsIs, EvidenceInverted) / Math.Max(1e-12, Math.Min(EvidenceAsIs, EvidenceInverted));

    /// <summary>True when detected on near-equal model evidence (within <see cref="PolarityDetector.TieRatio"/>).</summary>
    public bool Tie => Detected && Confidence <= PolarityDetector.TieRatio;

    /// <summary>The polarity referee's own decision, when the model carries a referee (<see cref="SegmentationModel.Referee"/>) and its own evidence was within <see cref="PolarityDetector.RefereeRatio"/>: it decided.</summary>
    public PolarityDecision? Referee { get; init; }

    /// <summary>The referee's model id, with <see cref="Referee"/>.</summary>
    public string? RefereeModel { get; init; }

    /// <summary>
    /// True when the decision is doubtful, worth a warning: the referee decided and its evidence tied,
    /// or it overruled a lean of the model's own evidence beyond a tie (the two disagree); without a
    /// referee, when the model's evidence tied; and whenever the deciding model's evidence is <see cref="Weak"/>.
    /// </summary>
    public bool Uncertain => Weak || (Referee is not null ? Referee.Tie || (!Tie && Referee.Polarity != OwnLean) : Tie);

    /// <summary>
    /// True when the deciding model (the referee when it decided) finds almost no membrane either way
    /// (both evidences below <see cref="PolarityDetector.EvidenceFloor"/>): their ratio is noise, however
    /// large, and the segmentation itself is likely near empty.
    /// </summary>
    public bool Weak => Detected && Math.Max((Referee ?? this).EvidenceAsIs, (Referee ?? this).EvidenceInverted) < PolarityDetector.EvidenceFloor;

    /// <summary>The polarity the model's own evidence favours (dense-bright on equal evidence).</summary>
    public Polarity OwnLean => EvidenceInverted > EvidenceAsIs ? Polarity.DenseDark : Polarity.DenseBright;

    /// <summary>True when this decision's polarity came from the skewness of the values, its evidence being within <see cref="PolarityDetector.SkewnessRatio"/>.</summary>
    public bool BySkewness => Detected && PolarityDetector.SkewnessDecides(EvidenceAsIs, EvidenceInverted, Skewness);

    /// <summary>
    /// How the polarity was decided, in words for the console: the evidence, the referee's and what
    /// decided ("dense-bright (detected: model evidence … as stored, … negated; a tie, decided by the
    /// polarity referee: …; by the skewness of the values, +2.53, the evidence within 20 %)").
    /// </summary>
    public string Describe()
    {
        if (!Detected) return $"{Name} (given)";
        var decider = Referee ?? this;
        string how = decider.BySkewness
            ? string.Create(CultureInfo.InvariantCulture, $"; by the skewness of the values, {decider.Skewness:+0.##;−0.##}, the evidence within {(PolarityDetector.SkewnessRatio - 1) * 100:0} %")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name} (detected: model evidence {EvidenceAsIs:0.####} as stored, {EvidenceInverted:0.####} negated{(Referee is { } r ? $"; {(Tie ? "a tie, " : "")}decided by the polarity referee: {r.EvidenceAsIs:0.####} as stored, {r.EvidenceInverted:0.####} negated" : "")}{how})");
    }

    /// <summary>"dense-bright" or "dense-dark".</summary>
    public string Name => Polarity == Polarity.DenseDark ? "dense-dark" : "dense-bright";

    /// <summary>For the sidecar.</summary>
    public JsonObject ToJson()
    {
        var j = Json();
        if (Referee is not null)
        {
            var r = Referee.Json();
            r.Remove("method");
            r.Remove("detected");
            r["model_id"] = RefereeModel;
            j["referee"] = r;
        }
        return j;
    }

    private JsonObject Json() => new()
    {
        ["polarity"] = Name,
        ["detected"] = Detected,
        ["method"] = Detected ? Method : "given (--polarity)",
        ["evidence_as_stored"] = Detected ? Math.Round(EvidenceAsIs, 6) : null,
        ["evidence_negated"] = Detected ? Math.Round(EvidenceInverted, 6) : null,
        ["skewness"] = double.IsFinite(Skewness) ? Math.Round(Skewness, 4) : null,
        ["decided_by"] = !Detected ? null : Referee is { } referee ? (referee.BySkewness ? "referee's skewness" : "referee") : BySkewness ? "skewness" : "evidence",
        ["slices_sampled"] = Slices,
    };

    /// <summary>The detection rule in words, with its constants (for the sidecar).</summary>
    public static string Method { get; } = string.Create(CultureInfo.InvariantCulture,
        $"model evidence: mean of clamp(2p − 1, 0, 1)² on sampled slices as stored vs negated; the larger wins, unless the two are within {(PolarityDetector.SkewnessRatio - 1) * 100:0} % of each other and |skewness| ≥ {PolarityDetector.ClearSkewness:0.0#}, when the skewness's sign decides; a model with a polarity referee (a one-slice model it carries) leaves its decision to the referee's, by this same rule, whenever its own two evidences are within {(PolarityDetector.RefereeRatio - 1) * 100:0} % of each other");

    /// <summary>Parses auto, dense-bright, dense-dark; throws <see cref="InvalidOptionException"/> with the key <paramref name="option"/>.</summary>
    public static Polarity Parse(string text, string option = nameof(SegmentOptions.Polarity)) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Polarity.Auto,
        "dense-bright" or "bright" => Polarity.DenseBright,
        "dense-dark" or "dark" or "inverted" => Polarity.DenseDark,
        _ => throw new InvalidOptionException(option, $"'{text}' is not auto, dense-bright or dense-dark"),
    };
}
