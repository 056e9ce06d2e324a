using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SxtSeg.Imaging;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// The realism check that sees membranes: a domain classifier two-sample test between the real
/// slices of one instrument (data/real-sxt, regions.json) and slices of simulated tomograms of the
/// matching profile, held out by image (leave one real slice and one simulated tomogram out, mean
/// over pairs), plus the ridge-filter (membrane line) response distributions and side-by-side PNGs.
/// </summary>
public sealed class RealismBench : IBenchmark
{
    public string Name => "realism";

    public string Description => "domain-classifier realism score vs the real slices of the instrument: --profile P [--seeds 1,2,3,4] [--size XxYxZ] [--slices 5] [--set k=v] [--from DIR of simulated folders] [--real DIR] [--out DIR] [--tag NAME] [--patch N] [--stride N] [--l2 X]";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record RealSlice(string File, string Instrument, double PixelNm, bool DenseIsLow, double[][] Cell);

    /// <summary>Reads regions.json of the real-data folder.</summary>
    private static List<RealSlice> ReadRegions(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "regions.json")));
        var list = new List<RealSlice>();
        foreach (var s in doc.RootElement.GetProperty("slices").EnumerateArray())
        {
            var poly = s.GetProperty("cell").EnumerateArray().Select(v => v.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
            list.Add(new RealSlice(s.GetProperty("file").GetString()!, s.GetProperty("instrument").GetString()!,
                s.GetProperty("pixel_nm").GetDouble(), s.GetProperty("dense").GetString() == "low", poly));
        }
        return list;
    }

    /// <summary>1 inside the polygon (even–odd rule at pixel centres).</summary>
    internal static byte[] PolygonMask(double[][] poly, int nx, int ny)
    {
        var m = new byte[nx * ny];
        for (int y = 0; y < ny; y++)
        {
            double py = y + 0.5;
            var xs = new List<double>();
            for (int i = 0; i < poly.Length; i++)
            {
                var a = poly[i];
                var b = poly[(i + 1) % poly.Length];
                if ((a[1] <= py) == (b[1] <= py)) continue;
                xs.Add(a[0] + (py - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
            }
            xs.Sort();
            for (int k = 0; k + 1 < xs.Count; k += 2)
                for (int x = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5)); x < nx && x + 0.5 <= xs[k + 1]; x++) m[y * nx + x] = 1;
        }
        return m;
    }

    internal static bool InCell(byte c) => (SimClass)c is SimClass.Cytoplasm or SimClass.Nucleus or SimClass.Nucleolus or SimClass.Mitochondrion
        or SimClass.EndoplasmicReticulum or SimClass.Vesicle or SimClass.Endosome or SimClass.LipidDroplet or SimClass.Filopodium;

    /// <summary>
    /// Slices of a simulated tomogram for the test: <paramref name="count"/> slices evenly spread over
    /// the slices whose in-cell fraction is at least 60 % of the largest (the middle of the cell layer).
    /// </summary>
    internal static List<int> PickSlices(Volume<byte> classes, int count)
    {
        int nz = classes.Nz;
        var frac = new double[nz];
        for (int z = 0; z < nz; z++)
        {
            var s = classes.Slice(z);
            int n = 0;
            foreach (byte c in s) if (InCell(c)) n++;
            frac[z] = (double)n / s.Length;
        }
        double max = frac.Max();
        var ok = Enumerable.Range(0, nz).Where(z => frac[z] >= 0.6 * max && max > 0).ToList();
        if (ok.Count == 0) return new List<int>();
        // Keep the middle 70 % of those slices (away from the cell's top and bottom surfaces).
        int lo = ok[0], hi = ok[^1];
        int a = lo + (int)(0.15 * (hi - lo)), b = hi - (int)(0.15 * (hi - lo));
        var picks = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int z = count == 1 ? (a + b) / 2 : a + (int)Math.Round((double)i * (b - a) / (count - 1));
            if (!picks.Contains(z)) picks.Add(z);
        }
        return picks;
    }

    private static byte[] CellMask(ReadOnlySpan<byte> classes)
    {
        var mask = new byte[classes.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = InCell(classes[i]) ? (byte)1 : (byte)0;
        return mask;
    }

    private sealed record SimImage(RealismImage Image, int Z);

    public int Run(string[] args)
    {
        string realDir = SimArgs.Value(args, "--real") ?? Path.Combine(RepoRoot(), "data", "real-sxt");
        string outDir = SimArgs.Value(args, "--out") ?? "realism-out";
        string tag = SimArgs.Value(args, "--tag") ?? "";
        int sliceCount = int.Parse(SimArgs.Value(args, "--slices") ?? "5", Inv);
        var l2s = (SimArgs.Value(args, "--l2") ?? DomainClassifier.DefaultL2.ToString("R", Inv)).Split(',').Select(v => double.Parse(v, Inv)).ToArray();
        double l2 = l2s[0];
        var seeds = (SimArgs.Value(args, "--seeds") ?? "1,2,3,4").Split(',').Select(s => long.Parse(s, Inv)).ToArray();
        var p0 = SimArgs.Parse(args, out _);
        bool capillary = p0.Geometry == SampleGeometry.Capillary;
        string instrument = p0.Profile;
        var reals = ReadRegions(realDir).Where(r => r.Instrument == instrument).ToList();
        if (reals.Count < 2)
        {
            Console.WriteLine($"no real slices of instrument '{instrument}' in {realDir} (need two): nothing to compare");
            return 2;
        }
        if (SimArgs.Value(args, "--size") is null)
            p0 = capillary ? p0 with { Nx = 448, Ny = 320, Nz = 448 } : p0 with { Nx = 512, Ny = 512, Nz = 256 };
        int patch = int.Parse(SimArgs.Value(args, "--patch") ?? (capillary ? "32" : "64"), Inv);
        int stride = int.Parse(SimArgs.Value(args, "--stride") ?? (patch / 2).ToString(Inv), Inv);
        var opt = new RealismOptions(patch, stride);
        Directory.CreateDirectory(outDir);
        Console.WriteLine($"profile {instrument}, {p0.Nx}x{p0.Ny}x{p0.Nz} at {p0.VoxelSizeNm} nm, seeds {string.Join(",", seeds)}, {sliceCount} slices each; patches {patch} px, stride {stride}; L2 {l2}");

        // Real slices.
        var realImages = new List<RealismImage>();
        foreach (var r in reals)
        {
            var v = VolumeIO.Read<float>(Path.Combine(realDir, r.File));
            if (Math.Abs(r.PixelNm - p0.VoxelSizeNm) > 0.01 * p0.VoxelSizeNm)
                Console.WriteLine($"  note: {r.File} has {r.PixelNm} nm pixels, the simulation {p0.VoxelSizeNm} nm");
            realImages.Add(new RealismImage(r.File, r.File, v.Slice(0).ToArray(), v.Nx, v.Ny, PolygonMask(r.Cell, v.Nx, v.Ny), r.DenseIsLow));
        }

        // Simulated tomograms.
        var simImages = new List<SimImage>();
        var times = new List<double>();
        string? from = SimArgs.Value(args, "--from");
        if (from is not null)
        {
            // Tomograms simulated beforehand (sxtseg simulate folders): each one is a group.
            foreach (var dir in Directory.GetDirectories(from).Order(StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(dir, "tomogram.mrc")) || !File.Exists(Path.Combine(dir, "classes.mrc"))) continue;
                var tomo = VolumeIO.Read<float>(Path.Combine(dir, "tomogram.mrc"));
                var classes = VolumeIO.Read<byte>(Path.Combine(dir, "classes.mrc"));
                string name = Path.GetFileName(dir);
                var zs = PickSlices(classes, sliceCount);
                foreach (int z in zs)
                    simImages.Add(new SimImage(new RealismImage($"{name} z={z}", name, tomo.Slice(z).ToArray(), tomo.Nx, tomo.Ny, CellMask(classes.Slice(z))), z));
                Console.WriteLine($"  read {dir} ({tomo.Nx}x{tomo.Ny}x{tomo.Nz}); slices {string.Join(",", zs)}");
            }
            seeds = Array.Empty<long>();
        }
        foreach (long seed in seeds)
        {
            var p = p0 with { Seed = seed };
            var sw = Stopwatch.StartNew();
            var res = Simulator.Simulate(p);
            times.Add(sw.Elapsed.TotalSeconds);
            var zs = PickSlices(res.Classes, sliceCount);
            foreach (int z in zs)
            {
                simImages.Add(new SimImage(new RealismImage($"{instrument} seed {seed} z={z}", $"seed {seed}", res.Tomogram.Slice(z).ToArray(), p.Nx, p.Ny, CellMask(res.Classes.Slice(z))), z));
            }
            Console.WriteLine($"  simulated seed {seed} in {times[^1]:0.0} s; slices {string.Join(",", zs)}");
        }

        // Features.
        var sw2 = Stopwatch.StartNew();
        var realGroups = realImages.Select(im => new FeatureGroup(im.Name, RealismFeatures.Extract(im, opt))).ToList();
        var simGroups = simImages.GroupBy(s => s.Image.Group)
            .Select(g => new FeatureGroup(g.Key, g.SelectMany(s => RealismFeatures.Extract(s.Image, opt)).ToList())).ToList();
        Console.WriteLine($"features in {sw2.Elapsed.TotalSeconds:0.0} s: real patches {string.Join(", ", realGroups.Select(g => $"{g.Name} {g.Samples.Count}"))}; simulated {string.Join(", ", simGroups.Select(g => $"{g.Name} {g.Samples.Count}"))}");
        if (simGroups.Any(g => g.Samples.Count == 0) || realGroups.Any(g => g.Samples.Count == 0))
        {
            Console.WriteLine("a group has no in-cell patch: cannot score");
            return 1;
        }

        foreach (double extra in l2s.Skip(1))
        {
            var sc = DomainClassifier.LeavePairOut(realGroups, simGroups, extra);
            Console.WriteLine($"L2 {extra}: held-out accuracy {sc.HeldOutAccuracy:P1}, AUC {sc.HeldOutAuc:P1}; per real slice " +
                string.Join("; ", realGroups.Select(r => $"{r.Name} {sc.Pairs.Where(q => q.Real == r.Name).Average(q => q.Accuracy):P0} (real called real {sc.Pairs.Where(q => q.Real == r.Name).Average(q => q.RealCorrect):P0}, AUC {sc.Pairs.Where(q => q.Real == r.Name).Average(q => q.Auc):P0})")));
        }
        var score = DomainClassifier.LeavePairOut(realGroups, simGroups, l2);
        Console.WriteLine();
        Console.WriteLine($"held-out accuracy (mean over {score.Pairs.Count} pairs): {score.HeldOutAccuracy:P1}; held-out AUC {score.HeldOutAuc:P1}   [resubstitution accuracy {score.ResubstitutionAccuracy:P1}]");
        foreach (var pr in score.Pairs)
            Console.WriteLine($"  {pr.Real,-28} vs {pr.Simulated,-10}: accuracy {pr.Accuracy:P1} (real called real {pr.RealCorrect:P0}, simulated called simulated {pr.SimulatedCorrect:P0}), AUC {pr.Auc:P1}");
        foreach (var r in realGroups)
            Console.WriteLine($"  with {r.Name} held out: accuracy {score.Pairs.Where(q => q.Real == r.Name).Average(q => q.Accuracy):P1}, AUC {score.Pairs.Where(q => q.Real == r.Name).Average(q => q.Auc):P1}");

        // Which features give the simulation away.
        var names = RealismFeatures.Names(opt);
        var d = DomainClassifier.EffectSizes(realGroups.SelectMany(g => g.Samples).ToList(), simGroups.SelectMany(g => g.Samples).ToList());
        Console.WriteLine("largest feature differences (Cohen's d, real − simulated):");
        var simPoolF = simGroups.SelectMany(g => g.Samples).ToList();
        var perReal = realGroups.Select(r => DomainClassifier.EffectSizes(r.Samples, simPoolF)).ToList();
        var realPair = DomainClassifier.EffectSizes(realGroups[0].Samples, realGroups[1].Samples);
        Console.WriteLine($"  {"feature",-24} {"pooled",7} " + string.Join(" ", realGroups.Select(r => $"{r.Name[..Math.Min(12, r.Name.Length)],12}")) + $" {"real0-real1",12}");
        foreach (int j in Enumerable.Range(0, d.Length).OrderByDescending(j => Math.Abs(d[j])).Take(args.Contains("--all-features") ? d.Length : 12))
            Console.WriteLine($"  {names[j],-24} {d[j],7:0.00} " + string.Join(" ", perReal.Select(e => $"{e[j],12:0.00}")) + $" {realPair[j],12:0.00}");

        // Differences shared by every real slice (same sign): what the simulation gets consistently wrong.
        double gap = 0;
        for (int j = 0; j < d.Length; j++)
        {
            double lo = perReal.Min(e => e[j]), hi = perReal.Max(e => e[j]);
            gap += lo > 0 ? lo : hi < 0 ? -hi : 0;
        }
        Console.WriteLine($"consistent gap (mean over features of the smallest |d| over the real slices when all have the same sign): {gap / d.Length:0.000}");

        // Ridge-filter (membrane line) responses inside the cell.
        Console.WriteLine("bright-ridge response (σ = 1.5 px) inside the cell: median / 90 % / 99 % / fraction > 0.02");
        var ridgeSeries = new List<PlotSeries>();
        var realPool = new List<double>();
        var simPool = new List<double>();
        foreach (var im in realImages.Concat(simImages.Select(s => s.Image)))
        {
            var vals = RidgeValues(im, opt);
            bool isReal = realImages.Contains(im);
            (isReal ? realPool : simPool).AddRange(vals);
            vals.Sort();
            Console.WriteLine($"  {im.Name,-34} {Q(vals, 0.5):0.0000} / {Q(vals, 0.9):0.0000} / {Q(vals, 0.99):0.0000} / {vals.Count(v => v > 0.02) / (double)vals.Count:P1}");
            if (isReal || simImages.First(s => s.Image.Group == im.Group).Image == im)
                ridgeSeries.Add(Histogram(im.Name, vals));
        }
        Console.WriteLine($"  KS distance real vs simulated (pooled): {Realism.KolmogorovSmirnov(realPool, simPool):0.000}");
        string suffix = string.IsNullOrEmpty(tag) ? instrument : $"{instrument}-{tag}";
        File.WriteAllBytes(Path.Combine(outDir, $"realism-ridges-{suffix}.png"),
            Plots.Lines($"Bright-ridge (membrane line) response inside the cell, σ = 1.5 px ({instrument})", "ridge response (normalised units)", "fraction of pixels (log10)", ridgeSeries, 900, 500));
        SideBySide(Path.Combine(outDir, $"realism-{suffix}.png"), realImages, simImages.Select(s => s.Image).ToList(), capillary, opt);
        if (times.Count > 0) Console.WriteLine($"mean simulation time {times.Average():0.0} s");
        Console.WriteLine($"pictures in {outDir}");
        return 0;
    }

    private static List<double> RidgeValues(RealismImage im, RealismOptions opt)
    {
        var norm = RealismFeatures.Normalise(im.Pixels, im.Mask, im.DenseIsLow, opt.LowPercentile, opt.HighPercentile);
        var (bright, _) = RealismFeatures.Ridges(norm, im.Nx, im.Ny, 1.5);
        var v = new List<double>();
        for (int i = 0; i < bright.Length; i++) if (im.Mask is null || im.Mask[i] != 0) v.Add(bright[i]);
        return v;
    }

    private static PlotSeries Histogram(string name, List<double> sorted)
    {
        const int bins = 40;
        const double max = 0.2;
        var c = new double[bins];
        foreach (double v in sorted) c[Math.Min(bins - 1, (int)(v / max * bins))]++;
        var x = Enumerable.Range(0, bins).Select(i => (i + 0.5) * max / bins).ToArray();
        var y = c.Select(n => Math.Log10(Math.Max(n / sorted.Count, 1e-6))).ToArray();
        return new PlotSeries(name, x, y);
    }

    private static double Q(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Round(q * (sorted.Count - 1)))];

    /// <summary>
    /// Real slices (top row) and simulated slices (bottom row), each normalised to dense = bright with
    /// its in-cell 1–99 % percentiles shown over 0..1, cropped to the same size around the cell.
    /// </summary>
    private static void SideBySide(string path, List<RealismImage> reals, List<RealismImage> sims, bool capillary, RealismOptions opt)
    {
        int size = capillary ? 224 : 256;
        var picks = new List<RealismImage>();
        picks.AddRange(reals.Take(2));
        // One slice from each of two simulated tomograms.
        foreach (var g in sims.GroupBy(s => s.Group).Take(2)) picks.Add(g.ElementAt(g.Count() / 2));
        int gap = 6, cols = 2, w = cols * size + (cols - 1) * gap, h = 2 * size + gap;
        var g8 = new byte[w * h];
        Array.Fill(g8, (byte)255);
        for (int k = 0; k < picks.Count && k < 4; k++)
        {
            var im = picks[k];
            var norm = RealismFeatures.Normalise(im.Pixels, im.Mask, im.DenseIsLow, opt.LowPercentile, opt.HighPercentile);
            var (cx, cy) = MaskCentre(im);
            int x0 = Math.Clamp(cx - size / 2, 0, Math.Max(0, im.Nx - size)), y0 = Math.Clamp(cy - size / 2, 0, Math.Max(0, im.Ny - size));
            int ox = (k % 2) * (size + gap), oy = (k / 2) * (size + gap);
            for (int y = 0; y < size && y0 + y < im.Ny; y++)
                for (int x = 0; x < size && x0 + x < im.Nx; x++)
                    g8[(oy + y) * w + ox + x] = (byte)Math.Clamp(norm[(y0 + y) * im.Nx + x0 + x] * 255 + 0.5, 0, 255);
        }
        File.WriteAllBytes(path, Png.EncodeGray(w, h, g8));
    }

    private static (int X, int Y) MaskCentre(RealismImage im)
    {
        if (im.Mask is null) return (im.Nx / 2, im.Ny / 2);
        long sx = 0, sy = 0, n = 0;
        for (int y = 0; y < im.Ny; y++)
            for (int x = 0; x < im.Nx; x++)
                if (im.Mask[y * im.Nx + x] != 0) { sx += x; sy += y; n++; }
        return n == 0 ? (im.Nx / 2, im.Ny / 2) : ((int)(sx / n), (int)(sy / n));
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SxtSeg.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
