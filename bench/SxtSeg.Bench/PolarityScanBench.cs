using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// How clearly <see cref="PolarityDetector"/> decides, per input: the model's evidence as stored
/// and negated, their ratio, the skewness and the decision, with <c>sxtseg segment</c>'s default
/// sampling. Inputs: simulation folders (tomogram.mrc; the truth is dense-bright) or image files
/// (single real slices: the expected polarity is given as <c>FILE=dense-dark</c> or
/// <c>FILE=dense-bright</c>; unknown otherwise). A ratio up to <see cref="PolarityDetector.RefereeRatio"/>
/// goes to the model's polarity referee when it carries one (its evidence and ratio are shown); a
/// tie (up to <see cref="PolarityDetector.TieRatio"/>) of the deciding model goes to a clear skewness.
/// Args: MODEL INPUT... [--workers 1] [--samples 12] [--side 512] [--scale 1].
/// </summary>
public sealed class PolarityScanBench : IBenchmark
{
    public string Name => "polarity-scan";

    public string Description => "polarity evidence as stored vs negated, ratio, skewness and decision per tomogram or slice (MODEL INPUT[=dense-dark|dense-bright]...)";

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: polarity-scan MODEL INPUT[=dense-bright|dense-dark]... [--workers N]");
            return 2;
        }
        int workers = 1;
        double scale = 1;
        int samples = PolarityDetector.Samples, side = PolarityDetector.MaxSide;
        var inputs = new List<(string Path, string? Expected)>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--workers") { workers = int.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            if (args[i] == "--samples") { samples = int.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            if (args[i] == "--side") { side = int.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            if (args[i] == "--scale") { scale = double.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            var parts = args[i].Split('=', 2);
            string path = parts[0];
            string? expected = parts.Length == 2 ? parts[1] : null;
            if (Directory.Exists(path)) (path, expected) = (Path.Combine(path, "tomogram.mrc"), expected ?? "dense-bright");
            inputs.Add((path, expected));
        }
        using var model = SegmentationModel.Load(args[0], workers, new InferenceOptions());
        Console.WriteLine($"# {args[0]}: {model.Id}, {model.Workers[0].InputChannels} input plane(s), slices resampled by {scale.ToString(CultureInfo.InvariantCulture)}, {samples} slices sampled, centre crops of at most {side} pixels");
        if (model.Referee is { } referee) Console.WriteLine($"# polarity referee {referee.Id} ({referee.Description}) decides whenever the model's evidence is within {PolarityDetector.RefereeRatio.ToString(CultureInfo.InvariantCulture)}×");
        Console.WriteLine("input\texpected\tas_stored\tnegated\tratio\tskewness\treferee_as_stored\treferee_negated\treferee_ratio\tdecision\tright");
        int wrong = 0, ties = 0, referred = 0, uncertain = 0;
        foreach (var (path, expected) in inputs)
        {
            using var reader = VolumeIO.OpenRead(path);
            var d = PolarityDetector.Detect(reader, model, new TileOptions(), scale, samples, side);
            bool tie = d.Tie;
            var r = d.Referee;
            if (tie) ties++;
            if (r is not null) referred++;
            if (d.Uncertain) uncertain++;
            string right = expected is null ? "?" : expected == d.Name ? "yes" : "NO";
            if (right == "NO") wrong++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Label(path)}\t{expected ?? "?"}\t{d.EvidenceAsIs:0.000000}\t{d.EvidenceInverted:0.000000}\t{d.Confidence:0.000}{(tie ? " (tie)" : r is not null ? " (referee)" : "")}\t{d.Skewness:0.000}\t{r?.EvidenceAsIs:0.000000}\t{r?.EvidenceInverted:0.000000}\t{(r is null ? "" : r.Confidence.ToString("0.000", CultureInfo.InvariantCulture) + (r.Tie ? " (tie)" : ""))}\t{d.Name}\t{right}"));
        }
        Console.WriteLine($"# {inputs.Count} inputs, {wrong} wrong, {ties} ties of the model's evidence (ratio ≤ {PolarityDetector.TieRatio}), {referred} decided by the referee, {uncertain} uncertain (decided on a tie of the deciding model, the referee or the model when it has none, or the referee overruling the model's lean)");
        return 0;
    }

    private static string Label(string path) =>
        Path.GetFileName(path) == "tomogram.mrc" ? Path.GetRelativePath(".", Path.GetDirectoryName(path)!) : Path.GetFileName(path);
}
