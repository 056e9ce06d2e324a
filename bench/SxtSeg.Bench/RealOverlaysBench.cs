using System.Globalization;
using SxtSeg.Imaging;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Segments single real slices (2D TIFFs, e.g. ../shared/data/real-sxt) with a model, as the
/// segmentation stage does for one x–y slice (normalisation as trained, 256² tiles with 64 px
/// overlap and a Gaussian blending window, p &gt; threshold), and writes for each a PNG with the
/// slice (left) and the labels overlaid in red (right), for people to judge: no labels exist.
/// Args: MODEL OUTDIR SLICE.tif... [--tta 1] [--threshold 0.5] [--prefix real-].
/// </summary>
public sealed class RealOverlaysBench : IBenchmark
{
    public string Name => "real-overlays";

    public string Description => "overlay PNGs of a model's labels on real slices (TIFF), for visual checks";

    public int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: real-overlays MODEL OUTDIR SLICE.tif... [--tta 1] [--threshold 0.5] [--prefix real-]");
            return 2;
        }
        string model = args[0], outDir = args[1];
        var slices = new List<string>();
        int tta = 1;
        double threshold = 0.5;
        string prefix = "real-";
        for (int i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tta": tta = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threshold": threshold = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--prefix": prefix = args[++i]; break;
                default: slices.Add(args[i]); break;
            }
        }
        Directory.CreateDirectory(outDir);
        using var predictor = LabelPredictor.Load(model, new InferenceOptions { Threads = 2 });
        var sp = new SlicePredictor(new NetworkTilePredictor(predictor), new TileOptions { TileSize = 256, Overlap = 64, BatchSize = 1, Augmentations = tta });
        Console.WriteLine($"model {predictor.Card}; tta {tta}; p > {threshold.ToString(CultureInfo.InvariantCulture)}");
        foreach (string path in slices)
        {
            var v = VolumeIO.Read<float>(path);
            int nx = v.Nx, ny = v.Ny;
            var raw = v.Slice(0).ToArray();
            var x = (float[])raw.Clone();
            predictor.Normalisation.Apply(x, nx, ny);
            var p = new float[nx * ny];
            sp.Predict(x, nx, ny, p);
            var mask = new byte[nx * ny];
            long n = 0;
            for (int i = 0; i < mask.Length; i++)
                if (p[i] > threshold) { mask[i] = 1; n++; }
            var gray = SliceRenderer.ToGray(raw);
            var left = SliceRenderer.GrayToRgb(gray);
            var right = SliceRenderer.Overlay(gray, mask, Rgb.Red, 0.6f);
            // Side by side, 8 px white gap.
            int gap = 8, w = 2 * nx + gap;
            var rgb = new byte[w * ny * 3];
            rgb.AsSpan().Fill(255);
            for (int y = 0; y < ny; y++)
            {
                left.AsSpan(y * nx * 3, nx * 3).CopyTo(rgb.AsSpan(y * w * 3, nx * 3));
                right.AsSpan(y * nx * 3, nx * 3).CopyTo(rgb.AsSpan((y * w + nx + gap) * 3, nx * 3));
            }
            string name = prefix + Path.GetFileNameWithoutExtension(path) + ".png";
            Png.WriteRgb(Path.Combine(outDir, name), w, ny, rgb, new Dictionary<string, string>
            {
                ["Source"] = $"{ToolInfo.NameAndVersion} model {predictor.ModelId}",
                ["Comment"] = $"left: {Path.GetFileName(path)}; right: membrane labels (p > {threshold.ToString(CultureInfo.InvariantCulture)}, tta {tta}) in red",
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {nx} × {ny}, {100.0 * n / mask.Length:0.0} % labelled"));
        }
        return 0;
    }
}
