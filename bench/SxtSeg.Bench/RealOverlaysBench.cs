using System.Globalization;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Segments single real slices (2D TIFFs, e.g. data/real-sxt) exactly as <c>sxtseg segment SLICE --2d
/// --voxel-size NM</c> does (the model's normalisation and threshold, automatic polarity, rescaling
/// outside the model's voxel-size range), as stored and negated, and writes for each a PNG: the slice
/// (left), its labels in red (middle), and the labels of the negated slice drawn on the same slice
/// (right): with automatic polarity both must agree. No true labels exist: the pictures are for people.
/// Pixel sizes come from data/real-sxt/regions.json when the slice is listed there.
/// With <c>--resolution NM</c> it also writes NAME-resolution.png: the labels as above (left) and those of
/// <c>segment --resolution NM</c> (right), both on the slice, as docs/real-sxt shows for the ALBA slices.
/// Args: MODEL OUTDIR SLICE.tif... [--prefix real-] [--regions FILE] [--resolution NM].
/// </summary>
public sealed class RealOverlaysBench : IBenchmark
{
    public string Name => "real-overlays";

    public string Description => "overlay PNGs of a model's labels on real slices, as stored and negated (polarity auto)";

    public int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: real-overlays MODEL OUTDIR SLICE.tif... [--prefix real-] [--regions data/real-sxt/regions.json] [--resolution NM]");
            return 2;
        }
        string model = args[0], outDir = args[1], prefix = "real-", regions = Path.Combine("data", "real-sxt", "regions.json");
        var slices = new List<string>();
        double? resolution = null;
        for (int i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--prefix": prefix = args[++i]; break;
                case "--regions": regions = args[++i]; break;
                case "--resolution": resolution = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: slices.Add(args[i]); break;
            }
        }
        var pixel = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(regions))
            foreach (var s in JsonNode.Parse(File.ReadAllText(regions))!["slices"]!.AsArray())
                pixel[(string)s!["file"]!] = (double)s["pixel_nm"]!;
        Directory.CreateDirectory(outDir);
        string scratch = Path.Combine(Path.GetTempPath(), $"sxtseg-real-overlays-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            using var loaded = SegmentationModel.Load(model, 2, new InferenceOptions());
            // Single slices go to the model's embedded one-slice model when it has one, as segment does.
            var used = loaded.OneSlice(true, false) ?? loaded;
            Console.WriteLine($"model {loaded.Id}{(ReferenceEquals(used, loaded) ? "" : $", single slices by its one-slice model {used.Id}")} — {used.Description}; threshold {used.Threshold:0.00}");
            foreach (string path in slices)
            {
                var v = VolumeIO.Read<float>(path);
                int nx = v.Nx, ny = v.Ny;
                VoxelSize? vs = pixel.TryGetValue(Path.GetFileName(path), out double nm) ? VoxelSize.Isotropic(nm) : null;
                string neg = Path.Combine(scratch, "negated.mrc");
                var nv = new Volume<float>(nx, ny, 1, v.VoxelSize);
                for (int i = 0; i < nv.Data.Length; i++) nv.Data[i] = -v.Data[i];
                VolumeIO.Write(neg, nv);
                var opts = new SegmentOptions { Allow2D = true, VoxelSize = vs };
                var a = Segmenter.Run(path, Path.Combine(scratch, "a"), loaded, opts, new Provenance("real-overlays"));
                var b = Segmenter.Run(neg, Path.Combine(scratch, "b"), loaded, opts, new Provenance("real-overlays"));
                var la = VolumeIO.Read<byte>(Path.Combine(scratch, "a", SegmentationFiles.LabelsMrc)).Data;
                var lb = VolumeIO.Read<byte>(Path.Combine(scratch, "b", SegmentationFiles.LabelsMrc)).Data;
                Directory.Delete(Path.Combine(scratch, "a"), true);
                Directory.Delete(Path.Combine(scratch, "b"), true);
                long n = la.Count(x => x != 0), agree = la.Zip(lb).Count(p => p.First == p.Second);
                var gray = SliceRenderer.ToGray(v.Slice(0).ToArray());
                var panels = new[] { SliceRenderer.GrayToRgb(gray), SliceRenderer.Overlay(gray, la, Rgb.Red, 0.6f), SliceRenderer.Overlay(gray, lb, Rgb.Red, 0.6f) };
                const int gap = 8;
                int w = SliceRenderer.SideBySideWidth(nx, gap, panels.Length);
                var rgb = SliceRenderer.SideBySide(nx, ny, gap, panels);
                string name = prefix + Path.GetFileNameWithoutExtension(path) + ".png";
                string pol = $"{a.Polarity!.Name} as stored, {b.Polarity!.Name} negated";
                Png.WriteRgb(Path.Combine(outDir, name), w, ny, rgb, new Dictionary<string, string>
                {
                    ["Source"] = $"{ToolInfo.NameAndVersion} model {used.Id}",
                    ["Comment"] = $"left: {Path.GetFileName(path)}; middle: membrane labels in red (polarity {a.Polarity.Name}); right: labels of the negated slice ({b.Polarity.Name})",
                });
                if (resolution is double res)
                {
                    var c = Segmenter.Run(path, Path.Combine(scratch, "c"), loaded, opts with { ResolutionNm = res }, new Provenance("real-overlays"));
                    var lc = VolumeIO.Read<byte>(Path.Combine(scratch, "c", SegmentationFiles.LabelsMrc)).Data;
                    Directory.Delete(Path.Combine(scratch, "c"), true);
                    int w2 = SliceRenderer.SideBySideWidth(nx, gap, 2);
                    var rgb2 = SliceRenderer.SideBySide(nx, ny, gap, panels[1], SliceRenderer.Overlay(gray, lc, Rgb.Red, 0.6f));
                    string name2 = prefix + Path.GetFileNameWithoutExtension(path) + "-resolution.png";
                    Png.WriteRgb(Path.Combine(outDir, name2), w2, ny, rgb2, new Dictionary<string, string>
                    {
                        ["Source"] = $"{ToolInfo.NameAndVersion} model {used.Id}",
                        ["Comment"] = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}; left: membrane labels in red as segment gives them by default; right: with --resolution {res} nm"),
                    });
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name2}: --resolution {res} nm, scale {c.Scale:0.###}, {100.0 * lc.Count(x => x != 0) / lc.Length:0.0} % labelled (default {100.0 * la.Count(x => x != 0) / la.Length:0.0} %)"));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}: {nx} × {ny}, {(vs is null ? "no pixel size" : $"{nm} nm")}, scale {a.Scale:0.###}, {pol} (evidence {a.Polarity.EvidenceAsIs:0.####} / {a.Polarity.EvidenceInverted:0.####}), {100.0 * n / la.Length:0.0} % labelled, labels agree on {100.0 * agree / la.Length:0.00} % of pixels"));
            }
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
        return 0;
    }
}
