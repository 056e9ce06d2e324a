using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// The scale search's evidence ladders per tomogram, for studying its rule: the model's evidence
/// at each factor with the tomogram as stored (the polarity given, +1) and negated, with the
/// sampled slices chosen by content (<see cref="ScaleDetector.Candidates"/>) and, for comparison,
/// the four evenly spaced slices <c>segment</c> used until 2026-11-29. The voxel-size rule's scale
/// is applied first, as <c>segment</c> does for a model with a voxel-size range (the default model's
/// case; the search is run even for a model that states no resolution, where <c>segment</c> skips it).
/// Args: MODEL INPUT... [--workers 1] [--sign -1] [--per-slice]. Output: one TSV row per input, mode
/// and sign; with --per-slice, one ladder per candidate slice instead (the polarity as given).
/// </summary>
public sealed class ScaleLadderBench : IBenchmark
{
    public string Name => "scale-ladder";

    public string Description => "scale-search evidence per factor, as stored and negated, content-chosen vs evenly spaced slices, or per candidate slice (MODEL SIM... [--per-slice])";

    public int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: scale-ladder MODEL SIM_OR_TOMOGRAM... [--workers N] [--sign S] [--per-slice]");
            return 2;
        }
        int workers = 1;
        float given = 1;
        bool perSlice = false;
        var inputs = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--workers") { workers = int.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            if (args[i] == "--sign") { given = float.Parse(args[++i], CultureInfo.InvariantCulture); continue; }
            if (args[i] == "--per-slice") { perSlice = true; continue; }
            inputs.Add(Directory.Exists(args[i]) ? Path.Combine(args[i], "tomogram.mrc") : args[i]);
        }
        using var model = SegmentationModel.Load(args[0], workers, new InferenceOptions());
        Console.WriteLine($"# {args[0]}: {model.Id}; factors {string.Join(' ', ScaleDetector.Factors)}; evidence × 1e4");
        Console.WriteLine("input\tmode\tsign\tbase_scale\tslices\tfactor_chosen\tladder");
        foreach (string path in inputs)
        {
            using var reader = VolumeIO.OpenRead(path);
            double baseScale = BaseScale(reader.Info.VoxelSize, model);
            if (perSlice)
            {
                // One ladder per candidate slice, the polarity as given: for trying selection rules offline.
                foreach (int z in ScaleDetector.CandidateSlices(reader.Info.Nz, 4, ScaleDetector.Candidates))
                {
                    var d = ScaleDetector.Detect(reader, model, new TileOptions(), baseScale, given, 1, default, 1, new[] { z });
                    Console.WriteLine($"{path}\tslice\t{given}\t{baseScale.ToString("0.###", CultureInfo.InvariantCulture)}\t{z}\t{(d.Scale / baseScale).ToString("0.###", CultureInfo.InvariantCulture)}\t{Ladder(d)}");
                }
                continue;
            }
            foreach (var (mode, candidates) in new[] { ("content", ScaleDetector.Candidates), ("even4", 4) })
                foreach (float sign in new[] { given, -given })
                {
                    var d = ScaleDetector.Detect(reader, model, new TileOptions(), baseScale, sign, 4, default, candidates);
                    Console.WriteLine($"{path}\t{mode}\t{sign}\t{baseScale.ToString("0.###", CultureInfo.InvariantCulture)}\t{string.Join(',', d.SampledSlices)}\t{(d.Scale / baseScale).ToString("0.###", CultureInfo.InvariantCulture)}\t{Ladder(d)}");
                }
        }
        return 0;
    }

    private static string Ladder(ScaleDecision d)
        => string.Join(' ', d.Factors.Select((f, i) => $"{f.ToString(CultureInfo.InvariantCulture)}:{(d.Evidence[i] * 1e4).ToString("0.00", CultureInfo.InvariantCulture)}"));

    // The voxel-size rule of segment: inside the model's range (with its tolerance) as it is, else to its nearest end.
    private static double BaseScale(VoxelSize? v, SegmentationModel model)
    {
        if (v is not { } vs || !(vs.X > 0) || model.VoxelSizeRange is not { } r) return 1;
        double tol = new SegmentOptions().VoxelSizeTolerance;
        if (vs.X >= r.Min * (1 - tol) && vs.X <= r.Max * (1 + tol)) return 1;
        return vs.X < r.Min ? vs.X / r.Min : vs.X / r.Max;
    }
}
