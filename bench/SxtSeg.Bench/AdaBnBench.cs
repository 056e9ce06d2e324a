using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Network;
using SxtSeg.Volumes;
using static TorchSharp.torch;

namespace SxtSeg.Bench;

/// <summary>
/// Experiment: batch-norm statistics re-estimated on chosen tomograms. Writes a copy of MODEL whose
/// batch-norm statistics are the plain average over train-mode forward passes (no gradients) on whole
/// slices of TOMO[,TOMO...]: one tomogram (test-time adaptation, AdaBN) or many (population statistics
/// without augmentation, where training re-estimates them on augmented crops). --slices evenly spaced
/// slices of each tomogram, in batches of --batch that mix tomograms (a fixed shuffle); each plane
/// rescaled by --scale (bilinear, as <c>segment</c>'s scale search does) and normalised with the
/// model's card; the tile is the centre of the slice cut to a multiple of 16. Dense-bright input is
/// assumed (no polarity step). Args: MODEL TOMO[,TOMO...] OUT [--slices N] [--scale S] [--batch B].
/// </summary>
public sealed class AdaBnBench : IBenchmark
{
    public string Name => "adabn";

    public string Description => "copy of a model with batch-norm statistics re-estimated on whole slices of given tomograms (MODEL TOMO[,TOMO...] OUT [--slices 32] [--scale 1] [--batch 4])";

    public int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: adabn MODEL TOMO[,TOMO...] OUT [--slices N] [--scale S] [--batch B]");
            return 2;
        }
        int slices = 32, batch = 4;
        double scale = 1;
        for (int i = 3; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--slices": slices = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--scale": scale = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var sections = ModelContainer.Read(args[0]);
        var (net, card) = ModelFile.Load(args[0]);
        using var _ = net;
        int channels = net.InputChannels, c = channels / 2;
        // One or more tomograms (comma-separated): --slices evenly spaced slices of each, in batches that mix tomograms
        // (a fixed shuffle), as training's batches mix its crops.
        string[] tomos = args[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        int m = net.InputMultiple;
        var samples = new List<(int Tomo, int Z)>();
        for (int t = 0; t < tomos.Length; t++)
        {
            using var r0 = VolumeIO.OpenRead(tomos[t]);
            int nz0 = r0.Info.Nz;
            for (int k = 0; k < slices; k++) samples.Add((t, (int)Math.Round(c + (nz0 - 1 - 2 * c) * (k + 0.5) / slices)));
        }
        var shuffle = new Random(12345);
        for (int i = samples.Count - 1; i > 0; i--) { int j = shuffle.Next(i + 1); (samples[i], samples[j]) = (samples[j], samples[i]); }
        int tw = -1, th = -1;
        float[] Planes((int Tomo, int Z) s)
        {
            using var reader = VolumeIO.OpenRead(tomos[s.Tomo]);
            int nx = reader.Info.Nx, ny = reader.Info.Ny, nz = reader.Info.Nz;
            int sx = PlaneResampler.Scaled(nx, scale), sy = PlaneResampler.Scaled(ny, scale);
            int w = sx / m * m, h = sy / m * m, ox = (sx - w) / 2, oy = (sy - h) / 2;
            if (tw < 0) (tw, th) = (w, h);
            else if (w != tw || h != th) throw new InvalidOperationException($"{tomos[s.Tomo]}: tiles {w} × {h}, others {tw} × {th}");
            var raw = new float[nx * ny];
            var scaled = new float[sx * sy];
            var all = new float[channels * w * h];
            for (int ch = 0; ch < channels; ch++)
            {
                reader.ReadSlice<float>(Math.Clamp(s.Z - c + ch, 0, nz - 1), raw);
                if (scale != 1) PlaneResampler.Bilinear(raw, nx, ny, scaled, sx, sy); else raw.CopyTo(scaled, 0);
                card.Normalisation.Apply(scaled, sx, sy);
                for (int y = 0; y < h; y++) scaled.AsSpan((y + oy) * sx + ox, w).CopyTo(all.AsSpan(ch * w * h + y * w, w));
            }
            return all;
        }
        IEnumerable<float[]> Batches()
        {
            for (int b0 = 0; b0 < samples.Count; b0 += batch)
            {
                int count = Math.Min(batch, samples.Count - b0);
                var parts = new List<float[]>();
                for (int t = 0; t < count; t++) parts.Add(Planes(samples[b0 + t]));
                var data = new float[count * channels * tw * th];
                for (int t = 0; t < count; t++) parts[t].CopyTo(data.AsSpan(t * channels * tw * th));
                yield return data;
            }
        }
        net.ReestimateBatchNorm(Batches(), d => tensor(d, new long[] { d.Length / (channels * tw * th), channels, th, tw }));
        card.Metrics = new System.Text.Json.Nodes.JsonObject(); // the source model's scores are not this copy's
        card.Training["adabn"] = new System.Text.Json.Nodes.JsonObject
        {
            ["tomograms"] = tomos.Length, ["first"] = tomos[0], ["slices_each"] = slices, ["scale"] = scale, ["from"] = card.Id,
        };
        string id = ModelFile.Save(args[2], net, card, ModelFile.RefereeOf(sections));
        Console.WriteLine($"{args[2]}: id {id}, batch norm re-estimated on {samples.Count} slices of {tomos.Length} tomograms ({tw} × {th} tiles, scale {scale}, batches of {batch})");
        return 0;
    }
}
